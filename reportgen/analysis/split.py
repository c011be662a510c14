"""The train/test split: made first, before any balancing or screening."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from reportgen.config import Config
from reportgen.errors import InputError

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

MIN_PER_CLASS = 10


@dataclass(frozen=True)
class Split:
    """Training and test rows; the test rows keep the real class mix."""

    train: pd.DataFrame
    test: pd.DataFrame
    y_train: np.ndarray  # 1 = positive class
    y_test: np.ndarray


def split_data(frame: pd.DataFrame, config: Config, source: str = "data") -> Split:
    """Stratified, seeded split of the usable rows.

    Raises
    ------
    InputError
        A class has fewer than ``MIN_PER_CLASS`` usable rows (with the test
        share of at least 0.05 that config allows, both parts then hold both
        classes), no predictor varies, or the test part would be smaller than
        the number of classes.
    """
    from sklearn.model_selection import train_test_split

    m = config.model
    y = (frame[m.target].astype(str) == m.positive_class).to_numpy().astype(int)
    counts = {m.positive_class: int(y.sum()), "other": int(len(y) - y.sum())}
    if min(counts.values()) < MIN_PER_CLASS:
        raise InputError(
            f"too few rows to model: {counts[m.positive_class]} '{m.positive_class}' and "
            f"{counts['other']} other usable rows; each needs at least {MIN_PER_CLASS}",
            file=source,
            column=m.target,
            hint=_too_few_hint(frame, m.target),
        )
    _refuse_constant_predictors(frame, config, source)
    try:
        train, test, y_train, y_test = train_test_split(frame, y, test_size=m.test_size, stratify=y, random_state=m.seed)
    except ValueError as exc:  # sklearn: a test part smaller than the number of classes
        raise InputError(
            f"too few rows for a stratified split: {exc}", file=source, column=m.target, hint="add rows, or raise model.test_size"
        ) from None
    return Split(train, test, y_train, y_test)


def _too_few_hint(frame: pd.DataFrame, target: str) -> str:
    """What the user can do next."""
    if frame.empty:
        return "no usable row is left once rows with missing values are dropped; run 'reportgen validate' to see why"
    return f"the model learns from both classes of '{target}'; run 'reportgen validate' to see the counts"


def _refuse_constant_predictors(frame: pd.DataFrame, config: Config, source: str) -> None:
    """One predictor with one value is left out later, with a warning; all of them leave nothing to model."""
    m = config.model
    candidates = list(dict.fromkeys((*m.predictors, *m.extra_candidates)))
    if all(frame[c].nunique() < 2 for c in candidates):
        raise InputError(
            f"no predictor varies: {', '.join(candidates)} each hold one value in every usable row",
            file=source,
            column=candidates[0],
            hint="the model needs at least one predictor with two or more values",
        )

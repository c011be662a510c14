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
        A class has too few rows to appear in both parts.
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
        )
    train, test, y_train, y_test = train_test_split(
        frame, y, test_size=m.test_size, stratify=y, random_state=m.seed
    )
    return Split(train, test, y_train, y_test)

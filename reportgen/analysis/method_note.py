"""The method note: what the metrics would read under two shortcuts the report refuses.

1. Re-balancing the test set to 50/50 (here by weighting each class to half the
   total weight): recall and specificity stay, but precision and accuracy are
   read at a prevalence the data does not have.
2. Upsampling the minority class before the split, as the course notebook does:
   copies of the same video land on both sides of the split, so the test set
   partly checks the model on rows it was trained on.

Both are computed on the data at hand so the note can show, not assert, the gap.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from reportgen.analysis.design import DesignSpec
from reportgen.analysis.evaluation import evaluate
from reportgen.analysis.split import Split
from reportgen.config import Config
from reportgen.results import Evaluation, MethodComparison, ScenarioMetrics, SeedRepeats

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd


def compare_methods(split: Split, scores: np.ndarray, evaluation: Evaluation, config: Config, refits: ShortcutRefits) -> MethodComparison:
    """Metrics of the honest evaluation beside a re-balanced test set and upsampling before the split.

    Parameters
    ----------
    split : Split
        The honest split the report's model was trained and tested on.
    scores : ndarray
        The report's classifier's predicted probabilities on ``split.test``.
    evaluation : Evaluation
        The honest evaluation of ``scores``.
    config : Config
    refits : ShortcutRefits
        ``refit_shortcuts`` of the usable rows (it does not read the report's model, so it can run beside it).

    Returns
    -------
    MethodComparison
    """
    m = config.model
    first = refits.first
    leaked = first.leaked
    return MethodComparison(
        honest=_scenario(evaluation, len(split.y_test), float(split.y_test.mean())),
        rebalanced=rebalanced_metrics(split.y_test, scores, m.threshold),
        # At the report's threshold, which may have been chosen (by cross-validation) while the refits ran.
        upsampled_first=_scenario(evaluate(first.y_test, first.scores, m.threshold), len(first.y_test), float(first.y_test.mean())),
        rows_before_upsampling=refits.rows_before_upsampling,
        rows_after_upsampling=first.rows_after,
        test_copies=int(leaked.sum()),
        test_positive_copies=int((leaked & (first.y_test == 1)).sum()),
        seed=m.seed,
        repeats=refits.repeats,
    )


@dataclass(frozen=True)
class ShortcutRefits:
    """The course order (upsample, then split) refitted at the report's seed, and over ``model.method_note_seeds`` seeds."""

    first: Scored  # the upsampled-first refit at the report's seed
    rows_before_upsampling: int
    repeats: SeedRepeats


def refit_shortcuts(frame: pd.DataFrame, spec: DesignSpec, config: Config) -> ShortcutRefits:
    """Refit the report's model in the course's order, and beside the honest order over several seeds.

    Parameters
    ----------
    frame : DataFrame
        All usable rows (before the split).
    spec : DesignSpec
        The predictors the model uses (after the collinearity screening).
    config : Config
    """
    from reportgen.stats.sampling import bounded_rows

    m = config.model
    # The shortcut's refits run on at most REFIT_ROWS rows (every row of the claims file): the leak they show
    # does not need a million rows, and the report says when a sample was used.
    bounded = frame.iloc[bounded_rows((frame[m.target].astype(str) == m.positive_class).to_numpy(), m.seed)]
    refits = Refits.of(bounded, spec, config)
    first = refits.upsampled_first(m.seed)
    repeats = repeat_over_seeds(refits, m.method_note_seeds, rows_total=len(frame), first=first)
    return ShortcutRefits(first=first, rows_before_upsampling=len(bounded), repeats=repeats)


@dataclass(frozen=True)
class Scored:
    """One refit's test labels and scores, the leaked copies among its test rows, and its rows after upsampling."""

    y_test: np.ndarray
    scores: np.ndarray
    leaked: np.ndarray  # per test row: a copy of a row that is also among the training rows
    rows_after: int


@dataclass(frozen=True)
class Refits:
    """The rows every refit of the note draws from, encoded once into the report's design matrix.

    Each refit draws its own split (the same rows ``split_data`` would draw with that seed) and fits the
    report's model on it. The design's scaling comes from the report's training rows, not the refit's: the
    fit is unpenalised, so its scores do not depend on the scaling, and a column with one value among a
    refit's training rows is left out of that refit, as ``design_spec`` leaves it out of the report's.
    """

    X: np.ndarray  # design columns without the intercept
    y: np.ndarray  # 1 = positive class
    config: Config

    @classmethod
    def of(cls, frame: pd.DataFrame, spec: DesignSpec, config: Config) -> Refits:
        m = config.model
        y = (frame[m.target].astype(str) == m.positive_class).to_numpy().astype(int)
        return cls(spec.matrix(frame)[:, 1:], y, config)

    def split_first(self, seed: int) -> Scored:
        """The report's order: split the rows, then fit on the training rows and score the untouched test rows."""
        import numpy as np

        train, test = self._split(np.arange(len(self.y)), self.y, seed)
        return self._fit_and_score(train, test, seed, np.zeros(len(test), dtype=bool), len(self.y))

    def upsampled_first(self, seed: int) -> Scored:
        """The course notebook's order: upsample every row, then split, fit and score; the leaked copies counted."""
        import numpy as np

        y = self.y
        rng = np.random.default_rng(seed)
        minority = int(y.mean() < 0.5)
        idx_min, idx_maj = np.flatnonzero(y == minority), np.flatnonzero(y != minority)
        extra = rng.choice(idx_min, size=len(idx_maj) - len(idx_min), replace=True)
        origin = np.concatenate([np.arange(len(y)), extra])  # source row of every upsampled row
        train, test = self._split(origin, y[origin], seed)
        return self._fit_and_score(train, test, seed, np.isin(test, train), len(origin))

    def _split(self, rows: np.ndarray, y: np.ndarray, seed: int) -> tuple[np.ndarray, np.ndarray]:
        """Source rows of the training and test parts: the stratified, seeded split the report's ``split_data`` makes."""
        from sklearn.model_selection import train_test_split

        train, test = train_test_split(rows, test_size=self.config.model.test_size, stratify=y, random_state=seed)
        return train, test

    def _fit_and_score(self, train: np.ndarray, test: np.ndarray, seed: int, leaked: np.ndarray, rows_after: int) -> Scored:
        import dataclasses

        from reportgen.analysis.model import balanced_logit

        m = self.config.model
        X_train = self.X[train]
        varies = X_train.min(axis=0) < X_train.max(axis=0)
        seeded = dataclasses.replace(self.config, model=dataclasses.replace(m, seed=seed))
        logit = balanced_logit(X_train[:, varies], self.y[train], seeded)
        return Scored(self.y[test], logit.predict_proba(self.X[test][:, varies])[:, 1], leaked, rows_after)


def repeat_over_seeds(refits: Refits, count: int, rows_total: int | None = None, first: Scored | None = None) -> SeedRepeats:
    """ROC AUC split-first and upsampled-first, and the leaked copies, over ``count`` seeds (seed, seed + 1, ...).

    Each seed draws its own split, its own upsampled copies and its own split of
    those; the split-first side refits the report's model on that seed's
    training rows and scores its untouched test rows. ``refits`` may hold a
    bounded sample of ``rows_total`` usable rows (default: all of them);
    ``first`` is the upsampled-first refit of the first seed when the caller has it already.
    """
    from sklearn.metrics import roc_auc_score

    m = refits.config.model
    total = rows_total or len(refits.y)
    seeds = tuple(m.seed + i for i in range(count))
    honest, upsampled, copies = [], [], []
    for seed in seeds:
        split_first = refits.split_first(seed)
        honest.append(float(roc_auc_score(split_first.y_test, split_first.scores)))
        leaky = first if first is not None and seed == m.seed else refits.upsampled_first(seed)
        upsampled.append(float(roc_auc_score(leaky.y_test, leaky.scores)))
        copies.append(int(leaky.leaked.sum()))
    gaps = [u - h for u, h in zip(upsampled, honest)]
    return SeedRepeats(
        seeds=seeds,
        honest_roc_auc=tuple(honest),
        upsampled_roc_auc=tuple(upsampled),
        test_copies=tuple(copies),
        honest_mean=sum(honest) / count,
        honest_min=min(honest),
        honest_max=max(honest),
        upsampled_mean=sum(upsampled) / count,
        upsampled_min=min(upsampled),
        upsampled_max=max(upsampled),
        gap_mean=sum(gaps) / count,
        gap_min=min(gaps),
        gap_max=max(gaps),
        upsampled_higher=sum(g > 0 for g in gaps),
        copies_min=min(copies),
        copies_max=max(copies),
        rows_total=total,
        rows_per_seed=len(refits.y),
    )


def rebalanced_metrics(y_test: np.ndarray, scores: np.ndarray, threshold: float) -> ScenarioMetrics:
    """Metrics with each class weighted to half of the test set (a 50/50 mix, no row dropped or copied).

    Parameters
    ----------
    y_test : ndarray of 0/1
    scores : ndarray of float
    threshold : float

    Returns
    -------
    ScenarioMetrics
        ``positive_share`` is 0.5 by construction.
    """
    import numpy as np
    from sklearn.metrics import average_precision_score, roc_auc_score

    positives = int(y_test.sum())
    negatives = len(y_test) - positives
    weight = np.where(y_test == 1, 0.5 / positives, 0.5 / negatives)
    predicted = scores >= threshold
    tp = float(weight[predicted & (y_test == 1)].sum())
    fp = float(weight[predicted & (y_test == 0)].sum())
    fn = float(weight[~predicted & (y_test == 1)].sum())
    tn = float(weight[~predicted & (y_test == 0)].sum())
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return ScenarioMetrics(
        n_test=len(y_test),
        positive_share=float(weight[y_test == 1].sum()),
        accuracy=tp + tn,
        precision=precision,
        recall=recall,
        f1=2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        roc_auc=float(roc_auc_score(y_test, scores, sample_weight=weight)),
        average_precision=float(average_precision_score(y_test, scores, sample_weight=weight)),
        baseline_accuracy=max(tn + fp, tp + fn),
    )


def _scenario(e: Evaluation, n_test: int, positive_share: float) -> ScenarioMetrics:
    """The comparable metrics of an ``Evaluation``."""
    return ScenarioMetrics(
        n_test=n_test,
        positive_share=positive_share,
        accuracy=e.accuracy,
        precision=e.precision,
        recall=e.recall,
        f1=e.f1,
        roc_auc=e.roc_auc,
        average_precision=e.average_precision,
        baseline_accuracy=e.baseline_accuracy,
    )

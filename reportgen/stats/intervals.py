"""Bootstrap 95 % intervals of classification metrics on a held-out set.

Every study that scores a classifier on a test set reports each metric with
its uncertainty. The rows of the test set are resampled with replacement
(seeded), the metrics recomputed on each resample at the same threshold, and
the 2.5th and 97.5th percentiles kept (the percentile bootstrap). The rows are
resampled within each class so that every resample keeps the test set's real
class mix (a resample with no positive would have no recall at all).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

#: Metrics with an interval, in the order results list them.
METRICS = ("accuracy", "precision", "recall", "f1", "roc_auc", "average_precision")
RESAMPLES = 1000
#: Counts held at once (resamples x test rows): about 40 MB of floats, whatever the size of the test set.
CELLS = 5_000_000
LEVEL = 0.95


@dataclass(frozen=True)
class Interval:
    """A metric's value on the whole test set and its bootstrap interval."""

    metric: str
    estimate: float
    low: float
    high: float
    level: float = LEVEL
    resamples: int = RESAMPLES


def metric_intervals(y_true: np.ndarray, scores: np.ndarray, threshold: float, seed: int, resamples: int = RESAMPLES) -> tuple[Interval, ...]:
    """Each metric of ``METRICS`` with its stratified percentile-bootstrap interval.

    Parameters
    ----------
    y_true : ndarray of 0/1
        True labels (1 = the positive class).
    scores : ndarray of float
        The model's score of the positive class; a row is called positive at ``threshold`` or above.
    threshold : float
    seed : int
        Seeds the resampling: the same inputs give the same intervals.
    resamples : int

    Returns
    -------
    tuple of Interval

    Examples
    --------
    >>> import numpy as np
    >>> y = np.array([0] * 50 + [1] * 50)
    >>> s = np.r_[np.linspace(0, 0.6, 50), np.linspace(0.4, 1, 50)]
    >>> acc = metric_intervals(y, s, 0.5, seed=1, resamples=200)[0]
    >>> acc.low <= acc.estimate <= acc.high
    True
    """
    return paired_intervals(y_true, [scores], threshold, seed, resamples)[0]


def paired_intervals(
    y_true: np.ndarray, scores: list[np.ndarray], threshold: float, seed: int, resamples: int = RESAMPLES
) -> list[tuple[Interval, ...]]:
    """``metric_intervals`` of several models' scores on the same rows, from the same resamples.

    Each result equals ``metric_intervals(y_true, s, threshold, seed, resamples)``
    for its ``s``: the resamples are drawn once and scored by every model,
    which halves the drawing for two models and pairs their intervals.
    """
    import numpy as np

    y_true = np.asarray(y_true).astype(int)
    rng = np.random.default_rng(seed)
    # A resample is the test set with each row counted as often as it was drawn: metrics from those counts,
    # a block of resamples at a time so that memory stays bounded (a block holds about CELLS counts).
    tables = [_ScoreTable(y_true, np.asarray(s, dtype=float)) for s in scores]
    n_pos, n_neg = int(y_true.sum()), int(y_true.size - y_true.sum())
    block = max(1, CELLS // y_true.size)
    sampled: list[list[np.ndarray]] = [[] for _ in tables]
    for start in range(0, resamples, block):
        # rng.choice of each class's rows, positives first, made with the integers choice itself draws.
        k = min(block, resamples - start)
        pos, neg = rng.integers(0, n_pos, (k, n_pos)), rng.integers(0, n_neg, (k, n_neg))
        for table, out in zip(tables, sampled):
            out.append(table.metrics(table.pos_slot[pos], table.neg_slot[neg], threshold))
    tail = (1 - LEVEL) / 2 * 100
    results = []
    for table, out in zip(tables, sampled):
        estimate = table.metrics(table.pos_slot[None, :], table.neg_slot[None, :], threshold)
        low, high = np.percentile(np.hstack(out), [tail, 100 - tail], axis=1)
        results.append(
            tuple(Interval(name, float(estimate[i, 0]), float(low[i]), float(high[i]), LEVEL, resamples) for i, name in enumerate(METRICS))
        )
    return results


class _ScoreTable:
    """Each class's rows in score order, highest first, and for each positive where its score falls among both classes.

    A resample is then two count vectors, one a class; every metric follows from
    their running sums read at fixed places, so no resample is ever sorted and
    the negatives are summed once, not once a metric.
    """

    def __init__(self, y: np.ndarray, scores: np.ndarray) -> None:
        import numpy as np

        order = np.argsort(-scores, kind="mergesort")
        positive = y.astype(bool)
        pos_rows, neg_rows = order[positive[order]], order[~positive[order]]
        slot = np.empty(y.size, dtype=np.int64)  # each row's place among its own class, in score order
        slot[pos_rows], slot[neg_rows] = np.arange(pos_rows.size), np.arange(neg_rows.size)
        # The places of each class's rows in file order: a draw of row i of the positives lands in pos_slot[i].
        self.pos_slot, self.neg_slot = slot[np.flatnonzero(positive)], slot[np.flatnonzero(~positive)]
        self.pos_desc, self.neg_desc = -scores[pos_rows], -scores[neg_rows]  # ascending, for searchsorted
        # For each positive: negatives scored higher, negatives scored at least as high, positives scored at least as high.
        self.neg_above = np.searchsorted(self.neg_desc, self.pos_desc, side="left")
        self.neg_at_or_above = np.searchsorted(self.neg_desc, self.pos_desc, side="right")
        self.pos_at_or_above = np.searchsorted(self.pos_desc, self.pos_desc, side="right")

    def metrics(self, pos_drawn: np.ndarray, neg_drawn: np.ndarray, threshold: float) -> np.ndarray:
        """METRICS for each resample, given the places drawn of each class (resample, draw), as an array (metric, resample)."""
        import numpy as np

        pos, neg = _counts(pos_drawn, self.pos_desc.size), _counts(neg_drawn, self.neg_desc.size)
        # Running sums with a leading 0: column j counts the rows of that class among the j highest scored.
        pos_sum = np.pad(np.cumsum(pos, axis=1), ((0, 0), (1, 0)))
        neg_sum = np.pad(np.cumsum(neg, axis=1), ((0, 0), (1, 0)))
        n_pos, n_neg = pos_sum[:, -1], neg_sum[:, -1]
        tp = pos_sum[:, np.searchsorted(self.pos_desc, -threshold, side="right")]
        fp = neg_sum[:, np.searchsorted(self.neg_desc, -threshold, side="right")]
        fn = n_pos - tp
        precision, recall = _safe(tp, tp + fp), _safe(tp, n_pos)
        f1 = _safe(2 * precision * recall, precision + recall)
        accuracy = (n_pos + n_neg - fp - fn) / (n_pos + n_neg)
        # ROC AUC by the Mann-Whitney identity: each positive beats the negatives scored lower, ties count half.
        at_or_above = neg_sum[:, self.neg_at_or_above]
        tied = at_or_above - neg_sum[:, self.neg_above]
        roc_auc = _safe((pos * ((n_neg[:, None] - at_or_above) + tied / 2)).sum(axis=1), n_pos * n_neg)
        # Average precision as scikit-learn defines it: each positive counts the precision at its own score (ties included).
        hits = pos_sum[:, self.pos_at_or_above]
        average_precision = _safe((pos * _safe(hits, hits + at_or_above)).sum(axis=1), n_pos)
        return np.vstack([accuracy, precision, recall, f1, roc_auc, average_precision])


def _counts(drawn: np.ndarray, size: int) -> np.ndarray:
    """How often each of ``size`` places is drawn in each resample (row) of ``drawn``: an array (resample, place)."""
    import numpy as np

    k = drawn.shape[0]
    return np.bincount((drawn + np.arange(k)[:, None] * size).ravel(), minlength=k * size).reshape(k, size)


def _safe(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """num / den, 0 where the denominator is 0 (no row called positive, say)."""
    import numpy as np

    num, den = np.asarray(num, dtype=float), np.asarray(den, dtype=float)
    return np.divide(num, den, out=np.zeros(np.broadcast(num, den).shape), where=den != 0)

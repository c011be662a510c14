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
#: Counts drawn at once (resamples x test rows): about 40 MB, whatever the size of the test set. It fixes which
#: random numbers fall to which resample, so changing it changes the intervals (within their own noise).
CELLS = 5_000_000
#: Resamples x test rows scored at once: the metrics' temporary arrays stay a few MB, which the allocator reuses
#: instead of asking the system for fresh pages each time (the first 1,000 resamples of 3,800 rows in a process:
#: 0.15 s of CPU in blocks of CELLS, 0.08 s in blocks of these). Any size gives the same numbers.
SCORED_CELLS = 500_000
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
    block, step = max(1, CELLS // y_true.size), max(1, SCORED_CELLS // y_true.size)
    sampled: list[list[np.ndarray]] = [[] for _ in tables]
    for start in range(0, resamples, block):
        # rng.choice of each class's rows, positives first, made with the integers choice itself draws.
        k = min(block, resamples - start)
        pos, neg = _counts(rng.integers(0, n_pos, (k, n_pos)), n_pos), _counts(rng.integers(0, n_neg, (k, n_neg)), n_neg)
        for table, out in zip(tables, sampled):  # each model reads the same draws in its own score order
            for i in range(0, k, step):
                out.append(table.metrics(pos[i : i + step, table.pos_order], neg[i : i + step, table.neg_order], threshold))
    tail = (1 - LEVEL) / 2 * 100
    results = []
    for table, out in zip(tables, sampled):
        estimate = table.metrics(np.ones((1, n_pos), dtype=np.int32), np.ones((1, n_neg), dtype=np.int32), threshold)
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
        # Each class's rows in score order, as their numbers among that class in file order: the draws of a
        # resample are counted once a row, in file order, and read in each model's order through these.
        rank = np.empty(y.size, dtype=np.int64)
        rank[np.flatnonzero(positive)], rank[np.flatnonzero(~positive)] = np.arange(positive.sum()), np.arange((~positive).sum())
        self.pos_order, self.neg_order = rank[pos_rows], rank[neg_rows]
        self.pos_desc, self.neg_desc = -scores[pos_rows], -scores[neg_rows]  # ascending, for searchsorted
        # For each positive: negatives scored higher, negatives scored at least as high, positives scored at least as high.
        self.neg_above = np.searchsorted(self.neg_desc, self.pos_desc, side="left")
        self.neg_at_or_above = np.searchsorted(self.neg_desc, self.pos_desc, side="right")
        self.pos_at_or_above = np.searchsorted(self.pos_desc, self.pos_desc, side="right")
        self.ties = bool((self.neg_above != self.neg_at_or_above).any())  # a positive and a negative scored the same

    def metrics(self, pos: np.ndarray, neg: np.ndarray, threshold: float) -> np.ndarray:
        """METRICS for each resample, given how often each row of each class was drawn (resample, row in score order).

        Returns an array (metric, resample).
        """
        import numpy as np

        # Running sums with a leading 0: column j counts the rows of that class among the j highest scored.
        pos_sum, neg_sum = _running(pos), _running(neg)
        n_pos, n_neg = pos_sum[:, -1].astype(np.int64), neg_sum[:, -1].astype(np.int64)
        tp = pos_sum[:, np.searchsorted(self.pos_desc, -threshold, side="right")]
        fp = neg_sum[:, np.searchsorted(self.neg_desc, -threshold, side="right")]
        fn = n_pos - tp
        precision, recall = _safe(tp, tp + fp), _safe(tp, n_pos)
        f1 = _safe(2 * precision * recall, precision + recall)
        accuracy = (n_pos + n_neg - fp - fn) / (n_pos + n_neg)
        # ROC AUC by the Mann-Whitney identity: each positive beats the negatives scored lower, ties count half.
        # np.take, not neg_sum[:, i]: it gathers row by row (C order), the order in which average precision's float
        # sum adds up, as before; integer sums are exact in any order.
        at_or_above = np.take(neg_sum, self.neg_at_or_above, axis=1)
        # Twice the pairs the positives win (a tie wins half), in integers: exact, and one pass with no temporary array.
        won = 2 * n_neg * pos.sum(axis=1, dtype=np.int64) - 2 * _row_dot(pos, at_or_above)
        if self.ties:
            won += _row_dot(pos, at_or_above - np.take(neg_sum, self.neg_above, axis=1))
        roc_auc = _safe(won / 2, n_pos * n_neg)
        # Average precision as scikit-learn defines it: each positive counts the precision at its own score (ties included).
        hits = np.take(pos_sum, self.pos_at_or_above, axis=1)
        called = np.add(hits, at_or_above, out=at_or_above)  # the negatives above are not read again
        np.maximum(called, 1, out=called)  # no row called at that score: then no hit either, and 0 / 1 is the 0 it counts as
        precision_at = np.divide(hits, called)
        average_precision = _safe(np.multiply(precision_at, pos, out=precision_at).sum(axis=1), n_pos)
        return np.vstack([accuracy, precision, recall, f1, roc_auc, average_precision])


def _counts(drawn: np.ndarray, size: int) -> np.ndarray:
    """How often each of ``size`` places is drawn in each resample (row) of ``drawn``: an array (resample, place).

    Counts fit in 32 bits (a place is drawn at most ``size`` times), which halves the memory the metrics read.
    """
    import numpy as np

    k = drawn.shape[0]
    drawn += np.arange(k)[:, None] * size  # in place: the draws are not needed after counting
    return np.bincount(drawn.ravel(), minlength=k * size).astype(np.int32).reshape(k, size)


def _running(counts: np.ndarray) -> np.ndarray:
    """Running sums along each row, after a leading 0 (column j: the sum of the first j counts).

    In 32 bits, as the counts: a sum is at most the rows of one class. Half the memory of 64 bits,
    which the gathers of ``_ScoreTable.metrics`` read several times over.
    """
    import numpy as np

    out = np.empty((counts.shape[0], counts.shape[1] + 1), dtype=np.int32)
    out[:, 0] = 0
    np.cumsum(counts, axis=1, out=out[:, 1:])
    return out


def _row_dot(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Each row of ``a`` times the same row of ``b``, summed, in 64-bit integers."""
    import numpy as np

    return np.einsum("ij,ij->i", a, b, dtype=np.int64, casting="unsafe")


def _safe(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """num / den, 0 where the denominator is 0 (no row called positive, say)."""
    import numpy as np

    num, den = np.asarray(num, dtype=float), np.asarray(den, dtype=float)
    return np.divide(num, den, out=np.zeros(np.broadcast(num, den).shape), where=den != 0)

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
    import numpy as np

    y_true, scores = np.asarray(y_true).astype(int), np.asarray(scores, dtype=float)
    rng = np.random.default_rng(seed)
    positives, negatives = np.flatnonzero(y_true == 1), np.flatnonzero(y_true == 0)
    # A resample is the test set with each row counted as often as it was drawn: metrics from those counts,
    # a block of resamples at a time so that memory stays bounded (a block holds about CELLS counts).
    table = _ScoreTable(y_true, scores)
    estimate = table.metrics(np.ones((1, y_true.size)), threshold)
    block = max(1, CELLS // y_true.size)
    sampled = np.hstack([
        table.metrics(_counts(rng, positives, negatives, y_true.size, min(block, resamples - start)), threshold)
        for start in range(0, resamples, block)
    ])
    tail = (1 - LEVEL) / 2 * 100
    low, high = np.percentile(sampled, [tail, 100 - tail], axis=1)
    return tuple(
        Interval(name, float(estimate[i, 0]), float(low[i]), float(high[i]), LEVEL, resamples) for i, name in enumerate(METRICS)
    )


def _counts(rng: np.random.Generator, positives: np.ndarray, negatives: np.ndarray, n: int, resamples: int) -> np.ndarray:
    """How often each test row is drawn in each of ``resamples`` stratified resamples: an array (resample, row)."""
    import numpy as np

    rows = np.concatenate([rng.choice(positives, (resamples, positives.size)), rng.choice(negatives, (resamples, negatives.size))], axis=1)
    counts = np.bincount((rows + np.arange(resamples)[:, None] * n).ravel(), minlength=resamples * n)
    return counts.reshape(resamples, n).astype(float)


class _ScoreTable:
    """The test rows sorted by score, highest first, with tied scores grouped: every metric is then sums over groups."""

    def __init__(self, y: np.ndarray, scores: np.ndarray) -> None:
        import numpy as np

        self.order = np.argsort(-scores, kind="mergesort")
        ranked = scores[self.order]
        self.y = y[self.order].astype(float)
        self.scores = ranked
        self.starts = np.flatnonzero(np.r_[True, ranked[1:] != ranked[:-1]])  # first row of each group of tied scores

    def metrics(self, weights: np.ndarray, threshold: float) -> np.ndarray:
        """METRICS for each row of ``weights`` (how often each test row counts), as an array (metric, resample)."""
        import numpy as np

        w = weights[:, self.order]
        pos, neg = w * self.y, w * (1 - self.y)
        called = (self.scores >= threshold).astype(float)
        tp, fp = pos @ called, neg @ called
        n_pos, n_neg = pos.sum(axis=1), neg.sum(axis=1)
        fn = n_pos - tp
        precision, recall = _safe(tp, tp + fp), _safe(tp, n_pos)
        f1 = _safe(2 * precision * recall, precision + recall)
        accuracy = (n_pos + n_neg - fp - fn) / (n_pos + n_neg)
        pos_g, neg_g = np.add.reduceat(pos, self.starts, axis=1), np.add.reduceat(neg, self.starts, axis=1)
        # ROC AUC by the Mann-Whitney identity: each positive beats the negatives scored lower, ties count half.
        neg_below = n_neg[:, None] - np.cumsum(neg_g, axis=1)
        roc_auc = _safe((pos_g * (neg_below + neg_g / 2)).sum(axis=1), n_pos * n_neg)
        # Average precision as scikit-learn defines it: precision at each tie group, weighted by the recall it adds.
        hits, flagged = np.cumsum(pos_g, axis=1), np.cumsum(pos_g + neg_g, axis=1)
        average_precision = _safe((pos_g * _safe(hits, flagged)).sum(axis=1), n_pos)
        return np.vstack([accuracy, precision, recall, f1, roc_auc, average_precision])


def _safe(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """num / den, 0 where the denominator is 0 (no row called positive, say)."""
    import numpy as np

    num, den = np.asarray(num, dtype=float), np.asarray(den, dtype=float)
    return np.divide(num, den, out=np.zeros(np.broadcast(num, den).shape), where=den != 0)

"""Classification metrics from score histograms: every held-out row counted, none held in memory.

When the rows scored do not fit in memory (every usable row an out-of-core
engine holds), each class is a vector of counts over ordered score *cells*:
fine equal bins of [0, 1], with the bin holding the threshold split in two
(scores below it, scores at or above it) so that the confusion matrix is
exact. Everything else follows from those counts:

* ROC AUC by the Mann-Whitney identity over cells, a positive and a negative
  in the same cell counting half. Within a cell the true order is unknown, so
  the value can differ from the one of the exact scores by at most half the
  share of positive-negative pairs that share a cell (``roc_auc_error_bound``).
* Average precision as scikit-learn defines it, each cell being one threshold.
* The ROC and PR curves through scikit-learn with the counts as weights,
  thinned as ``analysis.evaluation`` thins them.
* 95 % intervals by a multinomial bootstrap of each class's cell counts (the
  histogram analogue of resampling each class's rows: the class mix is kept),
  with the resample count, level and percentile method of ``stats.intervals``.

With one score per cell the numbers equal ``analysis.evaluation.evaluate``'s.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from reportgen.stats.intervals import LEVEL, METRICS, RESAMPLES, Interval

if TYPE_CHECKING:
    import numpy as np

#: Cells held at once in the bootstrap (resamples x cells), as ``stats.intervals.CELLS`` bounds it.
CELLS = 5_000_000


@dataclass(frozen=True)
class ScoreCells:
    """Each class's rows counted over ordered score cells, lowest scores first.

    ``called[i]`` says whether cell ``i`` lies at or above the threshold (the
    cells at or above it are called positive); no cell straddles it.
    """

    positives: np.ndarray  # int64 counts, one a cell
    negatives: np.ndarray
    called: np.ndarray  # bool, one a cell

    @property
    def n_pos(self) -> int:
        """Rows of the positive class."""
        return int(self.positives.sum())

    @property
    def n_neg(self) -> int:
        """Rows of the other class."""
        return int(self.negatives.sum())


def cells_from_bins(pos_bins: np.ndarray, neg_bins: np.ndarray, pos_above: int, neg_above: int, threshold: float) -> ScoreCells:
    """Cells from equal-bin counts on [0, 1] and each class's exact count at or above ``threshold``.

    The rows at or above the threshold are in its bin and the bins above it, so
    the threshold's bin is split: its rows at or above the threshold become a
    cell of their own above the rest of it.

    Parameters
    ----------
    pos_bins, neg_bins : ndarray of int
        Rows of each class in each of the equal bins (bin ``k`` of ``B``: scores in [k/B, (k+1)/B), 1 in the last).
    pos_above, neg_above : int
        Rows of each class scored at or above ``threshold``.
    threshold : float

    Returns
    -------
    ScoreCells
    """
    import numpy as np

    bins = len(pos_bins)
    k = min(max(int(np.floor(threshold * bins)), 0), bins - 1)  # the bin that holds the threshold
    cells = []
    for counts, above in ((pos_bins, pos_above), (neg_bins, neg_above)):
        counts = np.asarray(counts, dtype=np.int64)
        in_bin = int(above) - int(counts[k + 1 :].sum())  # rows of the threshold's bin at or above it
        if not 0 <= in_bin <= counts[k]:
            raise ValueError("the counts at the threshold do not match the bins")
        cells.append(np.concatenate([counts[:k], [counts[k] - in_bin, in_bin], counts[k + 1 :]]))
    called = np.zeros(bins + 1, dtype=bool)
    called[k + 1 :] = True
    return ScoreCells(cells[0], cells[1], called)


def cells_from_scores(y: np.ndarray, scores: np.ndarray, threshold: float) -> ScoreCells:
    """One cell per distinct score: the histogram of exact scores, for which the metrics are ``evaluate``'s."""
    import numpy as np

    values, where = np.unique(np.asarray(scores, dtype=float), return_inverse=True)
    y = np.asarray(y).astype(int)
    return ScoreCells(
        np.bincount(where, weights=y, minlength=len(values)).astype(np.int64),
        np.bincount(where, weights=1 - y, minlength=len(values)).astype(np.int64),
        values >= threshold,
    )


@dataclass(frozen=True)
class HistogramMetrics:
    """The metrics of the cells, their intervals and curves (the shape of ``results.Evaluation`` where they agree)."""

    tn: int
    fp: int
    fn: int
    tp: int
    accuracy: float
    precision: float
    recall: float
    f1: float
    roc_auc: float
    average_precision: float
    specificity: float
    baseline_accuracy: float
    roc_auc_error_bound: float  # half the share of positive-negative pairs in one cell
    intervals: tuple[Interval, ...]
    roc_curve: tuple[tuple[float, float], ...]  # (fpr, tpr), thinned
    pr_curve: tuple[tuple[float, float], ...]  # (recall, precision), thinned
    curve_points_full: int


def histogram_metrics(cells: ScoreCells, seed: int, resamples: int = RESAMPLES) -> HistogramMetrics:
    """Confusion counts, rates, ROC AUC, average precision, curves and bootstrap intervals of ``cells``.

    Parameters
    ----------
    cells : ScoreCells
    seed : int
        Seeds the bootstrap: the same cells give the same intervals.
    resamples : int

    Returns
    -------
    HistogramMetrics

    Examples
    --------
    >>> import numpy as np
    >>> c = cells_from_scores(np.array([0, 0, 1, 1]), np.array([0.1, 0.6, 0.4, 0.9]), 0.5)
    >>> m = histogram_metrics(c, seed=0, resamples=50)
    >>> (m.tp, m.fp, m.roc_auc)
    (1, 1, 0.75)
    """
    import numpy as np

    pos, neg = cells.positives, cells.negatives
    n_pos, n_neg = cells.n_pos, cells.n_neg
    if not n_pos or not n_neg:
        raise ValueError("both classes need at least one row scored")
    estimate = _metrics(pos[None, :], neg[None, :], cells.called)[:, 0]
    tp, fp = int(pos[cells.called].sum()), int(neg[cells.called].sum())
    roc, pr, full = _curves(pos, neg)
    return HistogramMetrics(
        tn=n_neg - fp,
        fp=fp,
        fn=n_pos - tp,
        tp=tp,
        **{name: float(estimate[i]) for i, name in enumerate(METRICS)},
        specificity=(n_neg - fp) / n_neg,
        baseline_accuracy=max(n_pos, n_neg) / (n_pos + n_neg),
        roc_auc_error_bound=float((pos.astype(float) * neg).sum() / (2.0 * n_pos * n_neg)),
        intervals=_intervals(cells, estimate, seed, resamples),
        roc_curve=roc,
        pr_curve=pr,
        curve_points_full=full,
    )


def _metrics(pos: np.ndarray, neg: np.ndarray, called: np.ndarray) -> np.ndarray:
    """METRICS (rows) of each resample (columns), given each class's counts (resample, cell) in ascending score order."""
    import numpy as np

    from reportgen.stats.intervals import _safe

    n_pos, n_neg = pos.sum(axis=1), neg.sum(axis=1)
    tp, fp = pos[:, called].sum(axis=1), neg[:, called].sum(axis=1)
    precision, recall = _safe(tp, tp + fp), _safe(tp, n_pos)
    f1 = _safe(2 * precision * recall, precision + recall)
    accuracy = (tp + n_neg - fp) / (n_pos + n_neg)
    # Running sums once a class (integers, so exact): the rows of a class below each cell, and at or above it.
    neg_below = np.cumsum(neg, axis=1) - neg
    pos_at_or_above = n_pos[:, None] - (np.cumsum(pos, axis=1) - pos)
    neg_at_or_above = n_neg[:, None] - neg_below
    # Mann-Whitney: each positive beats the negatives of the cells below its own, and half of those in its own.
    roc_auc = _safe((pos * (neg_below + neg / 2)).sum(axis=1), n_pos * n_neg)
    # scikit-learn's average precision: each positive counts the precision at its own cell (its ties included).
    average_precision = _safe((pos * _safe(pos_at_or_above, pos_at_or_above + neg_at_or_above)).sum(axis=1), n_pos)
    return np.vstack([accuracy, precision, recall, f1, roc_auc, average_precision])


def _intervals(cells: ScoreCells, estimate: np.ndarray, seed: int, resamples: int) -> tuple[Interval, ...]:
    """Percentile intervals of METRICS over multinomial resamples of each class's counts.

    Empty cells are left out of the draws: a resample leaves them empty anyway, and the draws cost a cell each.
    """
    import numpy as np

    keep = (cells.positives + cells.negatives) > 0
    pos, neg, called = cells.positives[keep], cells.negatives[keep], cells.called[keep]
    n_pos, n_neg = int(pos.sum()), int(neg.sum())
    rng = np.random.default_rng(seed)
    block = max(1, CELLS // max(1, pos.size))
    out = []
    for start in range(0, resamples, block):
        k = min(block, resamples - start)
        drawn_pos = rng.multinomial(n_pos, pos / n_pos, size=k)
        drawn_neg = rng.multinomial(n_neg, neg / n_neg, size=k)
        out.append(_metrics(drawn_pos, drawn_neg, called))
    tail = (1 - LEVEL) / 2 * 100
    low, high = np.percentile(np.hstack(out), [tail, 100 - tail], axis=1)
    return tuple(
        Interval(name, float(estimate[i]), float(low[i]), float(high[i]), LEVEL, resamples) for i, name in enumerate(METRICS)
    )


def _curves(pos: np.ndarray, neg: np.ndarray) -> tuple[tuple[tuple[float, float], ...], tuple[tuple[float, float], ...], int]:
    """The ROC and PR curves of the cells (scikit-learn, counts as weights), thinned; and their longer length."""
    import numpy as np
    from sklearn.metrics import precision_recall_curve, roc_curve

    from reportgen.analysis.evaluation import _thin

    # One weighted point a non-empty (class, cell); the cell's place is its score: only the order matters.
    place = np.arange(pos.size, dtype=float)
    y = np.r_[np.ones(int((pos > 0).sum())), np.zeros(int((neg > 0).sum()))]
    score = np.r_[place[pos > 0], place[neg > 0]]
    weight = np.r_[pos[pos > 0], neg[neg > 0]].astype(float)
    fpr, tpr, _ = roc_curve(y, score, sample_weight=weight)
    prec, rec, _ = precision_recall_curve(y, score, sample_weight=weight)
    return _thin(fpr, tpr), _thin(rec, prec), int(max(len(fpr), len(rec)))

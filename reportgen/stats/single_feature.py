"""One feature alone as a classifier: its ROC AUC, and the best rule with one threshold on it.

A shortcut audit asks how far a single column gets without any model. Both
functions orient the feature on the rows they learn from (higher values mean
the positive class, or lower ones), so a held-out score of the same feature
stays honest: nothing about the held-out rows chooses the direction or the
threshold.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np


@dataclass(frozen=True)
class ThresholdRule:
    """Call a row positive when ``sign * value >= sign * threshold`` (``sign`` +1: higher means positive)."""

    higher_means_positive: bool
    threshold: float
    accuracy: float  # on the rows the rule was learnt from

    def scores(self, values: np.ndarray) -> np.ndarray:
        """The values oriented so that ``>= self.oriented_threshold`` means positive."""
        import numpy as np

        return np.asarray(values, dtype=float) * (1.0 if self.higher_means_positive else -1.0)

    @property
    def oriented_threshold(self) -> float:
        """The threshold on the oriented scores."""
        return self.threshold if self.higher_means_positive else -self.threshold


def roc_auc(y: np.ndarray, values: np.ndarray) -> float:
    """ROC AUC of ``values`` as a score of ``y == 1`` (ties count half; 0.5 when a class is absent).

    Examples
    --------
    >>> import numpy as np
    >>> roc_auc(np.array([0, 0, 1, 1]), np.array([1.0, 2.0, 3.0, 4.0]))
    1.0
    >>> roc_auc(np.array([0, 1]), np.array([5.0, 5.0]))
    0.5
    """
    import numpy as np
    from scipy.stats import rankdata

    y = np.asarray(y).astype(int)
    n_pos = int(y.sum())
    n_neg = y.size - n_pos
    if n_pos == 0 or n_neg == 0:
        return 0.5
    ranks = rankdata(np.asarray(values, dtype=float))
    return float((ranks[y == 1].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def oriented_auc(y: np.ndarray, values: np.ndarray) -> tuple[float, bool]:
    """(ROC AUC of the better direction, whether higher values mean positive)."""
    auc = roc_auc(y, values)
    return (auc, True) if auc >= 0.5 else (1.0 - auc, False)


def best_threshold_rule(y: np.ndarray, values: np.ndarray) -> ThresholdRule:
    """The single threshold on ``values`` with the highest accuracy on these rows.

    The direction is the one of the feature's ROC AUC; the threshold sits
    half-way between the two neighbouring values that it separates (the
    lowest value when calling every row positive is best).

    Examples
    --------
    >>> import numpy as np
    >>> rule = best_threshold_rule(np.array([0, 0, 0, 1, 1]), np.array([1.0, 2.0, 3.0, 10.0, 12.0]))
    >>> rule.higher_means_positive, rule.threshold, rule.accuracy
    (True, 6.5, 1.0)
    """
    import numpy as np

    y = np.asarray(y).astype(int)
    _, higher = oriented_auc(y, values)
    v = np.asarray(values, dtype=float) * (1.0 if higher else -1.0)
    levels = np.unique(v)
    # Calling "v >= levels[k]" positive: true positives are positives at or above, true negatives negatives below.
    pos_sorted, neg_sorted = np.sort(v[y == 1]), np.sort(v[y == 0])
    tp = pos_sorted.size - np.searchsorted(pos_sorted, levels, side="left")
    tn = np.searchsorted(neg_sorted, levels, side="left")
    accuracy = (tp + tn) / y.size
    k = int(np.argmax(accuracy))
    cut = levels[k] if k == 0 else (levels[k - 1] + levels[k]) / 2
    threshold = float(cut if higher else -cut)
    return ThresholdRule(higher, threshold, float(accuracy[k]))

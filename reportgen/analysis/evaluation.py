"""Held-out evaluation at the configured threshold, with the majority-class baseline."""

from __future__ import annotations

from typing import TYPE_CHECKING

from reportgen.results import ConfusionMatrix, Evaluation

if TYPE_CHECKING:
    import numpy as np

CURVE_POINTS = 200


def evaluate(y_test: np.ndarray, scores: np.ndarray, threshold: float) -> Evaluation:
    """Metrics of predicted probabilities against the real test labels.

    Every rate follows from the confusion matrix; ROC AUC and average
    precision from the scores. Curves are thinned to ``CURVE_POINTS``.

    Parameters
    ----------
    y_test : ndarray of 0/1
        True labels of the held-out rows (1 = positive class).
    scores : ndarray of float
        Predicted probability of the positive class.
    threshold : float
        Probability at or above which a row is called positive.
    """
    from sklearn.metrics import average_precision_score, precision_recall_curve, roc_auc_score, roc_curve

    predicted = (scores >= threshold).astype(int)
    tp = int(((predicted == 1) & (y_test == 1)).sum())
    tn = int(((predicted == 0) & (y_test == 0)).sum())
    fp = int(((predicted == 1) & (y_test == 0)).sum())
    fn = int(((predicted == 0) & (y_test == 1)).sum())
    n = tp + tn + fp + fn
    precision = _ratio(tp, tp + fp)
    recall = _ratio(tp, tp + fn)
    fpr, tpr, _ = roc_curve(y_test, scores)
    prec, rec, _ = precision_recall_curve(y_test, scores)
    positives = int(y_test.sum())
    return Evaluation(
        threshold=threshold,
        confusion_matrix=ConfusionMatrix(tn=tn, fp=fp, fn=fn, tp=tp),
        accuracy=_ratio(tp + tn, n),
        precision=precision,
        recall=recall,
        f1=_ratio(2 * precision * recall, precision + recall),
        roc_auc=float(roc_auc_score(y_test, scores)),
        average_precision=float(average_precision_score(y_test, scores)),
        baseline_accuracy=max(positives, n - positives) / n,
        specificity=_ratio(tn, tn + fp),
        roc_curve=_thin(fpr, tpr),
        pr_curve=_thin(rec, prec),
        curve_points_full=int(max(len(fpr), len(rec))),
    )


def _ratio(num: float, den: float) -> float:
    """num / den, with 0 for an empty denominator (no predicted positives, say)."""
    return float(num / den) if den else 0.0


def _thin(x: np.ndarray, y: np.ndarray) -> tuple[tuple[float, float], ...]:
    """At most CURVE_POINTS evenly spaced points, both ends kept."""
    import numpy as np

    idx = np.unique(np.linspace(0, len(x) - 1, min(len(x), CURVE_POINTS)).round().astype(int))
    return tuple((round(float(x[i]), 6), round(float(y[i]), 6)) for i in idx)

"""Every rate follows from the confusion matrix; a hand-worked example."""

from __future__ import annotations

import numpy as np
import pytest

from reportgen.analysis.evaluation import CURVE_POINTS, evaluate


def test_hand_worked_example():
    y = np.array([1, 1, 1, 0, 0, 0, 0, 0, 0, 0])
    scores = np.array([0.9, 0.8, 0.3, 0.7, 0.2, 0.1, 0.1, 0.4, 0.6, 0.05])
    e = evaluate(y, scores, 0.5)
    assert (e.confusion_matrix.tn, e.confusion_matrix.fp, e.confusion_matrix.fn, e.confusion_matrix.tp) == (5, 2, 1, 2)
    assert e.accuracy == 0.7
    assert e.precision == 0.5
    assert e.recall == pytest.approx(2 / 3)
    assert e.f1 == pytest.approx(2 * 0.5 * (2 / 3) / (0.5 + 2 / 3))
    assert e.baseline_accuracy == 0.7
    assert e.specificity == pytest.approx(5 / 7)
    # 21 positive-negative pairs; the positives outrank negatives in 18 of them
    assert e.roc_auc == pytest.approx(18 / 21)


def test_curves_are_thinned_with_both_ends_kept():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 5_000)
    e = evaluate(y, rng.random(5_000), 0.5)
    assert len(e.roc_curve) <= CURVE_POINTS < e.curve_points_full
    assert e.roc_curve[0] == (0.0, 0.0) and e.roc_curve[-1] == (1.0, 1.0)


def test_no_predicted_positive_gives_zero_precision_not_a_crash():
    e = evaluate(np.array([0, 1, 0, 1]), np.array([0.1, 0.2, 0.3, 0.4]), 0.9)
    assert e.precision == 0.0 and e.f1 == 0.0 and e.recall == 0.0

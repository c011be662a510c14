"""Assumption checks give the verdicts their numbers call for."""

from __future__ import annotations

import math

import pytest

from known import logistic_frame
from reportgen.config import Config
from reportgen.data import Dataset
from reportgen.pipeline import analyse
from reportgen.results import DataSummary


def _dataset(frame) -> Dataset:
    frame = frame.copy()
    for c in ("claim_status", "verified_status", "author_ban_status"):
        frame[c] = frame[c].astype("category")
    counts = frame["verified_status"].value_counts()
    summary = DataSummary("known.csv", "0" * 64, len(frame), len(frame), 0, {}, {k: int(v) for k, v in counts.items()}, {}, 0, 0, "2026-01-01")
    return Dataset(frame, summary)


def _check(results, name):
    return next(c for c in results.assumptions.checks if c.name.startswith(name))


def test_a_perfectly_collinear_pair_fails_the_vif_check_and_one_is_left_out():
    results = analyse(_dataset(logistic_frame(copy_of_views=True)), Config())
    check = _check(results, "No severe multicollinearity (candidates)")
    assert check.status == "fail"
    assert check.value == "inf"
    dropped = results.assumptions.collinearity.dropped
    assert len(dropped) == 1 and dropped[0] in {"video_view_count", "video_like_count"}
    assert dropped[0] not in results.model.features
    assert math.isfinite(max(results.assumptions.collinearity.vif_after.values()))


def test_independent_predictors_pass_the_vif_check():
    results = analyse(_dataset(logistic_frame()), Config())
    assert _check(results, "No severe multicollinearity (candidates)").status == "pass"
    assert results.assumptions.collinearity.dropped == ()


def test_a_quadratic_effect_fails_box_tidwell_and_a_linear_one_passes():
    curved = analyse(_dataset(logistic_frame(quadratic=True, n=10_000)), Config())
    check = _check(curved, "Linearity of the logit")
    assert check.status == "fail"
    assert "video_duration_sec" in check.detail
    assert curved.assumptions.box_tidwell_p["video_duration_sec"] < 1e-6
    straight = analyse(_dataset(logistic_frame(n=10_000)), Config())
    assert straight.assumptions.box_tidwell_p["video_duration_sec"] > 0.01


def test_events_per_predictor_and_imbalance_come_from_the_training_rows():
    results = analyse(_dataset(logistic_frame()), Config())
    epp = _check(results, "Sample size")
    y_share = results.model.train_positive_share
    events = round(min(y_share, 1 - y_share) * results.model.n_train)
    slopes = len([t for t in results.model.terms if t.kind != "intercept"])
    assert epp.value == round(events / slopes, 2)
    assert _check(results, "Class imbalance").value == round(min(y_share, 1 - y_share), 6)


def test_residual_sums_from_the_inverse_gram_equal_one_regression_a_column(monkeypatch):
    """The fast VIF path (one X'X) gives the regressions' residual sums; a near-copy falls back to them."""
    import numpy as np

    from reportgen.analysis import assumptions

    rng = np.random.default_rng(3)
    z = rng.normal(size=(5_000, 4))
    z[:, 1] = 0.8 * z[:, 0] + 0.2 * rng.normal(size=5_000)
    X = np.c_[np.ones(5_000), z, rng.random(5_000) < 0.3]
    fast = assumptions._residual_sums(X)
    monkeypatch.setattr(assumptions, "_GRAM_CONDITION_LIMIT", 0.0)  # force the column-by-column regressions
    slow = assumptions._residual_sums(X)
    assert fast == pytest.approx(slow, rel=1e-9)
    X[:, 2] = X[:, 1] * 2  # an exact copy: X'X is singular, the fallback gives a zero residual
    monkeypatch.undo()
    assert assumptions._residual_sums(X)[2] == pytest.approx(0.0, abs=1e-6)

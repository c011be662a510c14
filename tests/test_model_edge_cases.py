"""Data the model cannot fit well: a clear warning and a usable result, or a clear InputError; never a crash."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from known import logistic_frame
from test_assumptions import _dataset

from reportgen.analysis import logit as logit_module
from reportgen.analysis import model as model_module
from reportgen.analysis.design import design_spec
from reportgen.analysis.logit import LogitFit, fit_logit
from reportgen.analysis.split import MIN_PER_CLASS, split_data
from reportgen.artifacts import clean
from reportgen.config import Config
from reportgen.errors import InputError
from reportgen.pipeline import analyse

SEPARATION = "perfect or quasi-perfect separation: some predictor values decide the class on their own"
NOT_CONVERGED = "the maximum-likelihood fit did not converge in 100 iterations: its estimates are not reliable"


def _design(n: int = 200, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    y = (rng.random(n) < 1 / (1 + np.exp(-x))).astype(int)
    return y, np.column_stack([np.ones(n), x])


SINGULAR = "the design matrix is singular (rank 2 of 3 columns): a predictor is a copy or a sum of others"


def test_a_singular_design_is_named_when_statsmodels_gives_up():
    y, X = _design()
    X = np.column_stack([X, 2 * X[:, 1]])  # a copy of a column: Newton's Hessian cannot be inverted here
    fit = fit_logit(y, X, ["Intercept", "x", "x2"])
    assert fit.result is None and fit.warnings == (SINGULAR,)


def test_a_singular_design_is_named_when_statsmodels_fits_through_it():
    rng = np.random.default_rng(0)
    x = rng.normal(size=100)
    X = np.column_stack([np.ones(100), x, 2 * x])
    y = (rng.random(100) < 0.3).astype(int)
    fit = fit_logit(y, X, ["Intercept", "x", "x2"])  # here statsmodels falls back to a pseudo-inverse
    assert fit.result is not None and fit.warnings[0] == SINGULAR


def test_perfect_separation_is_reported_once_with_non_convergence():
    y, X = _design()
    y = (X[:, 1] > 0).astype(int)
    fit = fit_logit(y, X, ["Intercept", "x"])
    assert fit.result is not None and not fit.converged
    assert fit.warnings.count(SEPARATION) == 1
    assert fit.warnings.count(NOT_CONVERGED) == 1
    assert not any(w == "the maximum-likelihood fit did not converge" for w in fit.warnings)  # no echo of the same fact


def test_a_well_posed_fit_has_no_warning():
    y, X = _design(n=2_000)
    fit = fit_logit(y, X, ["Intercept", "x"])
    assert fit.converged and fit.warnings == ()


def test_a_fit_that_cannot_run_comes_back_as_a_message_not_an_exception():
    y, X = _design()
    X[3, 1] = np.nan
    fit = fit_logit(y, X, ["Intercept", "x"])
    assert fit.result is None and fit.warnings[0].startswith("the fit failed:")


def test_an_unusable_fit_becomes_an_input_error_naming_the_target(monkeypatch):
    failed = lambda y, X, names: LogitFit(None, False, ("the fit failed: boom",))  # noqa: E731
    monkeypatch.setattr(logit_module, "fit_logit", failed)  # the pipeline's one inference fit
    monkeypatch.setattr(model_module, "fit_logit", failed)  # and fit_inference's own, when called alone
    with pytest.raises(InputError) as caught:
        analyse(_dataset(logistic_frame(n=2_000)), Config())
    assert caught.value.message() == "error: column 'verified_status': the logistic regression could not be fitted: the fit failed: boom"


@pytest.fixture(scope="module")
def separated():
    frame = logistic_frame(n=2_000)
    frame["verified_status"] = np.where(frame["claim_status"] == "opinion", "verified", "not verified")
    return analyse(_dataset(frame), Config())


def test_a_separated_model_gives_a_usable_result_with_the_warning(separated):
    assert SEPARATION in separated.model.warnings and NOT_CONVERGED in separated.model.warnings
    assert not separated.model.converged
    for t in separated.model.terms:  # saturated, never overflowing: the report can print every row
        assert all(math.isfinite(v) for v in (t.odds_ratio, t.or_ci_low, t.or_ci_high))
        assert 0.0 <= t.p_value <= 1.0
    assert separated.evaluation.roc_auc == pytest.approx(1.0, abs=1e-12)  # the class is decided by claim_status alone (up to rounding)
    json.dumps(clean(separated.to_json()), allow_nan=False)  # results.json stays strict JSON


def test_a_predictor_with_one_value_is_left_out_with_a_warning():
    frame = logistic_frame(n=2_000).assign(author_ban_status="active")
    results = analyse(_dataset(frame), Config())
    assert "author_ban_status" not in results.model.features
    assert "'author_ban_status' has one value only in the training rows and was left out" in results.model.warnings


def test_design_refuses_when_no_predictor_varies_in_the_training_rows():
    train = logistic_frame(n=50).assign(video_duration_sec=5.0, claim_status="claim")
    with pytest.raises(InputError) as caught:
        design_spec(train, ("video_duration_sec", "claim_status"))
    assert caught.value.column == "video_duration_sec"
    assert caught.value.problem == "no predictor varies in the training rows: video_duration_sec, claim_status each hold one value only"


def test_split_refuses_when_no_predictor_varies_and_names_the_file():
    frame = _dataset(logistic_frame(n=400)).frame.assign(claim_status="claim", author_ban_status="active")
    for column in ("video_duration_sec", "video_view_count", "video_like_count", "video_share_count",
                   "video_download_count", "video_comment_count"):
        frame[column] = 1.0
    with pytest.raises(InputError) as caught:
        split_data(frame, Config(), "week.csv")
    assert caught.value.message().startswith("error: week.csv, column 'video_duration_sec': no predictor varies:")


@pytest.mark.parametrize(
    ("verified", "other", "hint"),
    [
        (0, 300, "the model learns from both classes of 'verified_status'; run 'reportgen validate' to see the counts"),
        (MIN_PER_CLASS - 1, 300, "the model learns from both classes of 'verified_status'; run 'reportgen validate' to see the counts"),
        (0, 0, "no usable row is left once rows with missing values are dropped; run 'reportgen validate' to see why"),
    ],
)
def test_too_few_rows_of_a_class_is_a_clear_error(verified, other, hint):
    frame = _dataset(logistic_frame(n=2_000)).frame
    is_verified = frame["verified_status"] == "verified"
    frame = pd.concat([frame[is_verified].head(verified), frame[~is_verified].head(other)])
    with pytest.raises(InputError) as caught:
        split_data(frame, Config(), "week.csv")
    assert caught.value.message() == (
        f"error: week.csv, column 'verified_status': too few rows to model: {verified} 'verified' and {other} other usable "
        f"rows; each needs at least {MIN_PER_CLASS} ({hint})"
    )


def test_a_test_part_smaller_than_the_classes_is_a_clear_error():
    frame = _dataset(logistic_frame(n=2_000)).frame
    is_verified = frame["verified_status"] == "verified"
    frame = pd.concat([frame[is_verified].head(MIN_PER_CLASS), frame[~is_verified].head(MIN_PER_CLASS)])
    with pytest.raises(InputError, match="too few rows for a stratified split"):
        split_data(frame, Config.from_dict({"model": {"test_size": 0.05}}), "week.csv")


def test_the_fewest_rows_allowed_still_give_a_complete_result():
    frame = _dataset(logistic_frame(n=2_000)).frame
    is_verified = frame["verified_status"] == "verified"
    frame = pd.concat([frame[is_verified].head(MIN_PER_CLASS), frame[~is_verified].head(MIN_PER_CLASS)])
    results = analyse(_dataset(frame.reset_index(drop=True)), Config())
    cm = results.evaluation.confusion_matrix
    assert cm.tn + cm.fp + cm.fn + cm.tp == results.model.n_test
    assert next(c for c in results.assumptions.checks if c.name.startswith("Sample size")).status == "fail"
    json.dumps(clean(results.to_json()), allow_nan=False)

"""The method note: a test set weighted to 50/50 and upsampling before the split, computed on the data."""

from __future__ import annotations

import json

import numpy as np
import pytest

from reportgen.analysis.evaluation import evaluate
from reportgen.analysis.method_note import rebalanced_metrics
from reportgen.config import Config
from reportgen.formatters import fmt_int, fmt_pct, fmt_rate
from reportgen.pipeline import analyse_file


def test_weighting_to_50_50_keeps_recall_and_moves_precision():
    rng = np.random.default_rng(3)
    y = (rng.random(4_000) < 0.08).astype(int)
    scores = np.clip(0.3 * y + rng.random(4_000) * 0.7, 0, 1)
    honest = evaluate(y, scores, 0.5)
    weighted = rebalanced_metrics(y, scores, 0.5)
    # with each class carrying half the weight, accuracy is the mean of recall and specificity
    # and precision is recall / (recall + false positive rate)
    assert weighted.positive_share == pytest.approx(0.5)
    assert weighted.recall == pytest.approx(honest.recall)
    assert weighted.accuracy == pytest.approx((honest.recall + honest.specificity) / 2)
    assert weighted.precision == pytest.approx(honest.recall / (honest.recall + 1 - honest.specificity))
    assert weighted.roc_auc == pytest.approx(honest.roc_auc)
    assert weighted.baseline_accuracy == pytest.approx(0.5)
    assert weighted.precision > honest.precision  # the minority made common inflates precision


def test_hand_worked_weights():
    # 2 positives, 4 negatives; one of each called positive
    y = np.array([1, 1, 0, 0, 0, 0])
    scores = np.array([0.9, 0.1, 0.8, 0.2, 0.2, 0.2])
    w = rebalanced_metrics(y, scores, 0.5)
    # tp = 1/2 * 1/2 = 0.25, fp = 1/4 * 1/2 = 0.125, tn = 3/8, fn = 1/4
    assert w.precision == pytest.approx(0.25 / 0.375)
    assert w.recall == pytest.approx(0.5)
    assert w.accuracy == pytest.approx(0.25 + 0.375)


@pytest.fixture(scope="module")
def small_results(tmp_path_factory):
    from reportgen.synthetic import write_csv

    path = tmp_path_factory.mktemp("mn") / "claims.csv"
    write_csv(path, rows=2_000, seed=11)
    return analyse_file(path, Config())


def test_upsampling_before_the_split_leaks_copies_into_the_test_set(small_results):
    r = small_results
    mc = r.method_comparison
    counts = sorted(r.data.target_counts.values())
    assert mc.rows_before_upsampling == r.data.rows_used
    assert mc.rows_after_upsampling == 2 * counts[-1]
    u = mc.upsampled_first
    assert u.n_test == pytest.approx(Config().model.test_size * mc.rows_after_upsampling, abs=1)
    assert u.positive_share == pytest.approx(0.5, abs=0.001)
    assert 0 < mc.test_positive_copies <= mc.test_copies <= u.n_test
    # the honest column is the report's own evaluation, unchanged
    e = r.evaluation
    assert (mc.honest.accuracy, mc.honest.precision, mc.honest.recall, mc.honest.roc_auc) == (e.accuracy, e.precision, e.recall, e.roc_auc)
    assert mc.rebalanced.recall == pytest.approx(e.recall)


def test_method_note_is_seeded(small_results, tmp_path):
    from reportgen.synthetic import write_csv

    path = write_csv(tmp_path / "claims.csv", rows=2_000, seed=11)
    assert analyse_file(path, Config()).method_comparison == small_results.method_comparison


def test_real_data_method_note_in_results_and_report(real_build):
    out = real_build.out
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    mc = results["method_comparison"]
    assert mc["honest"]["precision"] == results["evaluation"]["precision"]
    assert mc["rebalanced"]["positive_share"] == pytest.approx(0.5)
    assert mc["rebalanced"]["precision"] > mc["honest"]["precision"]
    assert mc["test_copies"] > 0
    html = (out / "technical_report.html").read_text(encoding="utf-8")
    for shown in (
        fmt_pct(mc["rebalanced"]["precision"]),
        fmt_pct(mc["upsampled_first"]["accuracy"]),
        fmt_rate(mc["upsampled_first"]["roc_auc"]),
        fmt_int(mc["test_copies"]),
        fmt_int(mc["rows_after_upsampling"]),
    ):
        assert shown in html
    timings = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["timings_sec"]
    seeds = Config().model.method_note_seeds
    assert timings["method note"] < 1.5 + 0.5 * seeds  # one extra fit, then two fits per repeated seed


def test_on_large_data_the_shortcut_refits_run_on_a_stated_sample(monkeypatch):
    """Above REFIT_ROWS rows the upsampled-first comparison and its seeds refit on a stratified sample; the report says so."""
    from test_assumptions import _dataset
    from test_regression_checks import _doc_text

    from known import logistic_frame
    from reportgen.pipeline import analyse
    from reportgen.stats import sampling

    monkeypatch.setattr(sampling, "REFIT_ROWS", 600)
    results = analyse(_dataset(logistic_frame(n=2_000)), Config(), None)
    mc = results.method_comparison
    assert mc.rows_before_upsampling == 600 and mc.repeats.rows_per_seed == 600 and mc.repeats.rows_total == 2_000
    text = _doc_text(results)
    assert "the course notebook's order: a stratified sample of 600 of the 2,000 usable rows upsampled to" in text
    assert "(each seed on a stratified sample of 600 of the 2,000 rows)" in text


def test_each_refit_scores_as_a_pipeline_fitted_on_its_own_rows_would():
    """The refits share one encoding (the report's scaling); a fit on its own split's encoding ranks the rows the same."""
    import dataclasses

    import numpy as np
    from sklearn.compose import ColumnTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    from reportgen.analysis.design import design_spec
    from reportgen.analysis.method_note import Refits
    from reportgen.analysis.split import split_data
    from reportgen.config import Config
    from reportgen.synthetic import generate

    config = Config()
    features = ("video_duration_sec", "claim_status", "author_ban_status", "video_view_count", "video_share_count")
    frame = generate(rows=3_000, seed=5).dropna(subset=[*features, config.model.target]).reset_index(drop=True)
    refits = Refits.of(frame, design_spec(split_data(frame, config).train, features), config)
    for seed in (1, 7):
        split = split_data(frame, dataclasses.replace(config, model=dataclasses.replace(config.model, seed=seed)))
        numeric = [f for f in features if f not in ("claim_status", "author_ban_status")]
        pipeline = make_pipeline(
            ColumnTransformer([("n", StandardScaler(), numeric), ("c", OneHotEncoder(drop="first"), ["claim_status", "author_ban_status"])]),
            LogisticRegression(C=np.inf, solver="newton-cholesky", class_weight="balanced"),
        ).fit(split.train[list(features)].astype({"claim_status": str, "author_ban_status": str}), split.y_train)
        expected = pipeline.predict_proba(split.test[list(features)].astype({"claim_status": str, "author_ban_status": str}))[:, 1]
        scored = refits.split_first(seed)
        assert np.array_equal(scored.y_test, split.y_test)  # the same rows as the report's split with that seed
        np.testing.assert_allclose(scored.scores, expected, rtol=1e-6, atol=1e-9)
        assert roc_auc_score(scored.y_test, scored.scores) == pytest.approx(roc_auc_score(split.y_test, expected), abs=1e-12)


def test_a_column_with_one_value_in_a_refits_training_rows_is_left_out_of_that_refit():
    import numpy as np

    from reportgen.analysis.method_note import Refits
    from reportgen.config import Config

    rng = np.random.default_rng(0)
    y = (rng.random(400) < 0.3).astype(int)
    X = np.column_stack([rng.normal(size=400) + y, np.zeros(400)])  # the second column never varies
    scored = Refits(X, y, Config()).split_first(3)
    assert np.isfinite(scored.scores).all() and len(scored.scores) == 100

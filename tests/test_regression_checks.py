"""Issue 16, second part: influence diagnostics, log1p counts, GVIF and the tie rule of the VIF screening.

Known answers on small synthetic data: Cook's distance against statsmodels'
GLM influence, a planted influential cluster that makes a null predictor look
significant, GVIF against VIF, and a tie between a configured predictor and an
extra candidate.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from reportgen.config import Config
from test_regression_truth import _analyse, _insight_leads, truth_frame


def _config(**model) -> Config:
    c = Config()
    return dataclasses.replace(c, model=dataclasses.replace(c.model, **model))


def _doc_text(results, config: Config | None = None) -> str:
    """Every string of the technical report's blocks, whitespace collapsed."""
    from reportgen.studies.regression.technical import technical_report

    doc = technical_report(results, config or Config(), generated_at="now", versions={})
    out: list[str] = []

    def collect(x):
        if isinstance(x, str):
            out.append(x)
        elif isinstance(x, (tuple, list)):
            for y in x:
                collect(y)
        elif dataclasses.is_dataclass(x):
            for f in dataclasses.fields(x):
                collect(getattr(x, f.name))

    collect(doc.sections)
    return " ".join(" ".join(out).split())


# --- Cook's distance -------------------------------------------------------------------


def test_cooks_distance_equals_statsmodels_glm_influence():
    import statsmodels.api as sm

    from reportgen.analysis.influence import cooks_distance

    rng = np.random.default_rng(0)
    X = np.column_stack([np.ones(300), rng.normal(size=300), rng.random(300) < 0.4])
    y = (rng.random(300) < 1 / (1 + np.exp(-(-0.5 + 0.8 * X[:, 1] + 1.0 * X[:, 2])))).astype(int)
    glm = sm.GLM(y, X, family=sm.families.Binomial()).fit()
    expected = glm.get_influence().cooks_distance[0]
    assert np.allclose(cooks_distance(y, X, np.asarray(glm.params)), expected, rtol=1e-6, atol=1e-12)


def _planted(seed: int = 11, cluster: int = 8):
    """truth_frame with a cluster of verified claims whose shares are far beyond the rest (shares has no true effect)."""
    frame = truth_frame(4_000, seed)
    rows = frame.index[(frame["claim_status"] == "claim")][:cluster]
    frame.loc[rows, "video_share_count"] = 6_000.0
    frame.loc[rows, "verified_status"] = "verified"
    return frame, rows


def test_a_planted_influential_cluster_is_found_and_its_effect_flagged():
    frame, _ = _planted()
    r = _analyse(frame)
    inf = r.influence
    assert inf is not None and inf.above_cutoff > 0 and math.isclose(inf.cutoff, 4 / inf.n)
    shares = next(t for t in inf.terms if t.term == "video_share_count")
    assert shares.p_before < 0.05 and shares.p_after >= 0.05  # the cluster alone makes it "significant"
    assert shares.depends_on_few_rows and shares in inf.flagged()
    assert "video_share_count" not in {t.term for t in inf.terms if not t.depends_on_few_rows}
    check = next(c for c in r.assumptions.checks if c.name.startswith("Influential observations"))
    assert check.status == "warn" and check.value == inf.above_cutoff and "video_share_count" in check.detail
    assert "Influential outliers" not in {c.name for c in r.assumptions.checks}
    # technical report: said; leadership: not an insight, named as resting on a handful of videos
    text = _doc_text(r)
    assert "depends on a few rows" in text and "Cook's distance" in text
    assert not any("shares" in lead.lower() for lead in _insight_leads(r))
    from test_regression_truth import _leadership

    assert "rests on a handful of videos" in _leadership(r)


def test_without_a_planted_cluster_no_effect_is_flagged():
    r = _analyse(truth_frame(4_000, 11))
    assert r.influence is not None and not r.influence.flagged()
    check = next(c for c in r.assumptions.checks if c.name.startswith("Influential observations"))
    assert check.status == "pass"


def test_the_influence_numbers_round_trip_through_results_json():
    import json

    from reportgen.results import AnalysisResults

    r = _analyse(_planted()[0])
    back = AnalysisResults.from_json(json.loads(json.dumps(r.to_json())))
    assert back.influence == r.influence and back.assumptions.collinearity == r.assumptions.collinearity


# --- log1p counts -------------------------------------------------------------------------


def test_log1p_counts_changes_the_design_and_is_stated():
    frame = truth_frame(3_000, 2)
    plain, logged = _analyse(frame), _analyse(frame, _config(log1p_counts=True))
    assert plain.model.log1p_columns == ()
    assert set(logged.model.log1p_columns) == set(logged.model.features) & {
        "video_view_count", "video_share_count", "video_download_count", "video_comment_count", "video_like_count"
    }
    assert "video_duration_sec" not in logged.model.log1p_columns
    sd = {t.term: t.sd for t in logged.model.terms if t.sd is not None}
    assert math.isclose(sd["video_view_count"], float(np.log1p(frame["video_view_count"]).std()), rel_tol=0.05)
    assert sd["video_duration_sec"] == next(t.sd for t in plain.model.terms if t.term == "video_duration_sec")
    assert "log(1 + count)" in _doc_text(logged) and "log1p_counts = true" in _doc_text(logged)
    assert "log1p_counts = false" in _doc_text(plain)


def test_log1p_counts_is_a_checked_config_option(tmp_path):
    from reportgen.errors import InputError

    assert Config().model.log1p_counts is False
    path = tmp_path / "reportgen.toml"
    path.write_text("[model]\nlog1p_counts = true\n", encoding="utf-8")
    assert Config.from_file(path).model.log1p_counts is True
    path.write_text('[model]\nlog1p_counts = "yes"\n', encoding="utf-8")
    with pytest.raises(InputError):
        Config.from_file(path)


# --- VIF and GVIF -------------------------------------------------------------------------


def _spec_matrix(frame, features):
    from reportgen.analysis.design import design_spec

    spec = design_spec(frame, features)
    return spec, spec.matrix(frame)


def test_gvif_equals_vif_for_a_binary_category_and_is_computed_for_a_three_level_one():
    from reportgen.analysis.assumptions import gvif_by_feature, vif_by_feature

    frame = truth_frame(3_000, 4)
    spec, X = _spec_matrix(frame, ("video_view_count", "video_download_count", "video_comment_count", "claim_status", "author_ban_status"))
    vif, gvif = vif_by_feature(X, spec), gvif_by_feature(X, spec)
    for name in ("video_view_count", "video_comment_count", "claim_status"):
        assert gvif[name][1] == 1 and math.isclose(gvif[name][0], vif[name], rel_tol=1e-9)
    g, df = gvif["author_ban_status"]
    assert df == 2 and 1.0 <= g < 1.1 and math.isfinite(g)
    # by hand: det(R11) det(R22) / det(R) over the correlation matrix of the design columns
    R = np.corrcoef(X[:, 1:], rowvar=False)
    own = [spec.column_names()[1:].index(c) for c in ("author_ban_status[under review]", "author_ban_status[banned]")]
    rest = [i for i in range(R.shape[0]) if i not in own]
    by_hand = np.linalg.det(R[np.ix_(own, own)]) * np.linalg.det(R[np.ix_(rest, rest)]) / np.linalg.det(R)
    assert math.isclose(g, by_hand, rel_tol=1e-9)


def test_gvif_sees_a_category_that_a_count_nearly_determines():
    from reportgen.analysis.assumptions import gvif_by_feature

    frame = truth_frame(3_000, 4)
    rng = np.random.default_rng(0)
    frame["author_ban_status"] = np.select(
        [frame["video_view_count"] < 6_000, frame["video_view_count"] < 13_000], ["active", "under review"], "banned"
    )
    flip = rng.random(len(frame)) < 0.05
    frame.loc[flip, "author_ban_status"] = "active"
    spec, X = _spec_matrix(frame, ("video_view_count", "author_ban_status"))
    g, df = gvif_by_feature(X, spec)["author_ban_status"]
    assert df == 2 and g > 3


def test_a_vif_tie_keeps_the_configured_predictor_over_the_extra_candidate():
    from reportgen.analysis.assumptions import screen_collinearity

    frame = truth_frame(2_000, 6)
    frame["video_like_count"] = frame["video_view_count"]  # an exact copy: both VIFs infinite, a tie
    config = Config()  # predictors include views; likes is the extra candidate
    assert "video_view_count" in config.model.predictors and "video_like_count" in config.model.extra_candidates
    features = tuple(dict.fromkeys((*config.model.predictors, *config.model.extra_candidates)))
    for order in (features, tuple(reversed(features))):
        spec, X = _spec_matrix(frame, order)
        c = screen_collinearity(X, spec, config)
        assert c.dropped[0] == "video_like_count", c.dropped
        assert "video_view_count" not in c.dropped


def test_the_vif_definition_and_gvif_are_in_the_report():
    r = _analyse(truth_frame(3_000, 4))
    text = _doc_text(r)
    assert "1/(1 − R²)" in text and "with an intercept" in text and "Fox & Monette" in text
    assert "GVIF^(1/(2·df))" in text


# --- the method note over several seeds ----------------------------------------------------


@pytest.fixture(scope="module")
def repeated():
    frame = truth_frame(2_000, 13, positives=0.1)
    return frame, _analyse(frame, _config(method_note_seeds=4))


def test_the_method_note_repeats_over_the_configured_seeds_and_reports_a_range(repeated):
    _, r = repeated
    mc = r.method_comparison
    rep = mc.repeats
    seed = Config().model.seed
    assert rep.seeds == (seed, seed + 1, seed + 2, seed + 3)
    assert len(rep.honest_roc_auc) == len(rep.upsampled_roc_auc) == len(rep.test_copies) == 4
    # the first seed is the report's own: its two readings are the single-seed table's
    assert rep.honest_roc_auc[0] == pytest.approx(r.evaluation.roc_auc)
    assert rep.upsampled_roc_auc[0] == pytest.approx(mc.upsampled_first.roc_auc) and rep.test_copies[0] == mc.test_copies
    assert rep.honest_min <= rep.honest_mean <= rep.honest_max and rep.upsampled_min <= rep.upsampled_mean <= rep.upsampled_max
    gaps = [u - h for u, h in zip(rep.upsampled_roc_auc, rep.honest_roc_auc)]
    assert rep.gap_mean == pytest.approx(np.mean(gaps)) and rep.upsampled_higher == sum(g > 0 for g in gaps)
    assert rep.copies_min > 0
    assert len(set(rep.honest_roc_auc)) > 1  # the seeds really draw different splits


def test_the_repeated_method_note_is_seeded(repeated):
    frame, r = repeated
    assert _analyse(frame, _config(method_note_seeds=4)).method_comparison.repeats == r.method_comparison.repeats


def test_the_repeated_method_note_is_in_the_report_and_claims_only_what_it_shows(repeated):
    from reportgen.formatters import fmt_rate

    _, r = repeated
    rep = r.method_comparison.repeats
    text = _doc_text(r)
    for value in (rep.honest_mean, rep.honest_min, rep.honest_max, rep.upsampled_mean, rep.upsampled_min, rep.upsampled_max):
        assert fmt_rate(value) in text
    if rep.gap_min <= 0 <= rep.gap_max:
        assert "do not show that the leak changes ROC AUC" in text and "inflates ROC AUC" not in text
    elif rep.gap_min > 0:
        assert "reads higher in every seed" in text


# --- the operating point chosen by cross-validation ---------------------------------------------


def test_the_cv_operating_point_is_chosen_on_training_rows_never_on_test(monkeypatch):
    from reportgen.analysis import value

    frame = truth_frame(3_000, 21, positives=0.15)
    fixed = _analyse(frame)
    assert fixed.evaluation.threshold == 0.5 and fixed.model_value.threshold_source == "fixed"
    seen = {}
    original = value.cv_threshold

    def spy(split, spec, config):
        seen["train_rows"] = len(split.y_train)
        seen["test_ids"] = set(split.test["video_id"])
        return original(split, spec, config)

    monkeypatch.setattr(value, "cv_threshold", spy)
    cv = _analyse(frame, _config(operating_point="cv"))
    assert seen["train_rows"] == cv.model.n_train
    v = cv.model_value
    assert v.threshold_source == "cv" and 0 < cv.evaluation.threshold < 1 and 0 < v.cv_threshold_f1 <= 1
    assert cv.evaluation.threshold in {t.threshold for t in v.thresholds}  # the threshold table shows the chosen row
    text = _doc_text(cv, _config(operating_point="cv"))
    assert "chosen on the training rows by 5-fold cross-validation" in text and "operating_point = cv" in text


def test_cv_threshold_maximises_out_of_fold_f1_on_a_known_case():
    from reportgen.analysis.split import split_data
    from reportgen.analysis.design import design_spec
    from reportgen.analysis.value import cv_threshold

    config = Config()
    split = split_data(truth_frame(2_000, 22, positives=0.2), config)
    spec = design_spec(split.train, ("video_view_count", "video_download_count", "claim_status"))
    cut, f1 = cv_threshold(split, spec, config)
    assert 0 < cut < 1 and 0.2 < f1 <= 1
    assert cv_threshold(split, spec, config) == (cut, f1)  # seeded
    # the test rows are never read: other test rows, other labels, the same cut-off
    from reportgen.analysis.split import Split

    other = Split(split.train, split.test.iloc[:10], split.y_train, 1 - split.y_test[:10])
    assert cv_threshold(other, spec, config) == (cut, f1)
    # and it is the best F1 among cut-offs on the out-of-fold scores: no coarse grid beats it
    for t in (0.3, 0.4, 0.5, 0.6, 0.7):
        assert f1 >= _oof_f1(split, spec, config, t) - 1e-12


def _oof_f1(split, spec, config, threshold):
    """Out-of-fold F1 at one cut-off, recomputed independently of cv_threshold."""
    from sklearn.metrics import f1_score
    from sklearn.model_selection import StratifiedKFold

    from reportgen.analysis.model import fit_classifier
    from reportgen.analysis.split import Split

    y, oof = split.y_train, np.empty(len(split.y_train))
    for a, b in StratifiedKFold(5, shuffle=True, random_state=config.model.seed).split(np.zeros(len(y)), y):
        inner = Split(split.train.iloc[a], split.train.iloc[b], y[a], y[b])
        clf = fit_classifier(inner, spec, config)
        oof[b] = clf.predict_proba(inner.test[list(spec.features)].astype({c: str for c in spec.categorical}))[:, 1]
    return f1_score(y, oof >= threshold)

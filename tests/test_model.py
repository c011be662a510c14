"""The model recovers known effects, reports them on comparable scales, and never leaks the test set."""

from __future__ import annotations

import math

import pytest

from known import logistic_frame
from reportgen.analysis.split import split_data
from reportgen.config import Config
from test_assumptions import _dataset
from reportgen.pipeline import analyse


@pytest.fixture(scope="module")
def known_results():
    return analyse(_dataset(logistic_frame(n=20_000)), Config())


def test_known_effects_are_recovered_within_their_intervals(known_results):
    terms = {t.term: t for t in known_results.model.terms}
    # The truth is per SD of the generating sample; training SDs differ a little, so allow the CI.
    assert terms["claim_status[opinion]"].ci_low < 1.2 < terms["claim_status[opinion]"].ci_high
    assert math.log(terms["video_duration_sec"].or_per_sd_ci_low) < 0.8 < math.log(terms["video_duration_sec"].or_per_sd_ci_high)
    assert math.log(terms["video_view_count"].or_per_sd_ci_low) < -0.5 < math.log(terms["video_view_count"].or_per_sd_ci_high)
    assert terms["video_share_count"].p_value > 0.001  # no true effect


def test_per_sd_odds_ratio_is_the_per_unit_one_raised_to_the_sd(known_results):
    for t in known_results.model.terms:
        if t.kind == "continuous":
            assert t.or_per_sd == pytest.approx(t.odds_ratio**t.sd, rel=1e-9)
            assert t.odds_ratio == pytest.approx(math.exp(t.coef))
            assert t.or_ci_low == pytest.approx(math.exp(t.ci_low))


def test_effects_are_ranked_by_comparable_size_not_raw_coefficients(known_results):
    ranked = [t.term for t in known_results.model.ranked_effects()]
    assert ranked[0] == "claim_status[opinion]"  # |log OR| 1.2 beats 0.8 and 0.5
    assert ranked.index("video_duration_sec") < ranked.index("video_view_count")
    raw = {t.term: abs(t.coef) for t in known_results.model.terms if t.kind == "continuous"}
    assert raw["video_duration_sec"] > raw["video_view_count"]  # per unit, views look tiny; per SD they are not
    assert ranked.index("video_view_count") < ranked.index("video_share_count")


def test_train_and_test_never_share_a_row_and_keep_the_class_mix():
    frame = _dataset(logistic_frame(n=4_000)).frame
    split = split_data(frame, Config())
    assert not set(split.train["video_id"]) & set(split.test["video_id"])
    assert len(split.train) + len(split.test) == len(frame)
    share = (frame["verified_status"] == "verified").mean()
    assert split.y_test.mean() == pytest.approx(share, abs=0.005)


@pytest.mark.parametrize("balancing", ["class_weight", "upsample", "none"])
def test_balancing_never_touches_the_test_set(balancing):
    frame = logistic_frame(n=4_000)
    config = Config.from_dict({"model": {"balancing": balancing}})
    results = analyse(_dataset(frame), config)
    cm = results.evaluation.confusion_matrix
    assert cm.tn + cm.fp + cm.fn + cm.tp == results.model.n_test == 1_000
    share = (frame["verified_status"] == "verified").mean()
    assert (cm.tp + cm.fn) / results.model.n_test == pytest.approx(share, abs=0.005)
    assert results.model.balancing == balancing


def test_upsampling_changes_predictions_but_not_inference():
    frame = logistic_frame(n=4_000)
    weighted = analyse(_dataset(frame), Config())
    upsampled = analyse(_dataset(frame), Config.from_dict({"model": {"balancing": "upsample"}}))
    none = analyse(_dataset(frame), Config.from_dict({"model": {"balancing": "none"}}))
    assert [t.coef for t in weighted.model.terms] == [t.coef for t in upsampled.model.terms]
    assert none.evaluation.confusion_matrix != weighted.evaluation.confusion_matrix


def test_an_odds_ratio_of_zero_is_the_strongest_effect_not_a_missing_one(known_results):
    """A separated category can read OR 0.0 per SD: it is ranked first, never dropped (issue 16)."""
    import dataclasses

    model = known_results.model
    weakest = model.ranked_effects()[-1]
    zero = dataclasses.replace(weakest, **({"or_per_sd": 0.0} if weakest.kind == "continuous" else {"odds_ratio": 0.0}))
    changed = dataclasses.replace(model, terms=tuple(zero if t is weakest else t for t in model.terms))
    ranked = changed.ranked_effects()
    assert ranked[0].term == weakest.term and len(ranked) == len(model.ranked_effects())

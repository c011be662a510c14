"""The executive summary's words: sections, tone, readability, ranking, and that they follow the data."""

from __future__ import annotations

import dataclasses
import math
import re
from pathlib import Path

import pytest

from reportgen.config import Config
from reportgen.formatters import fmt_ci, fmt_or, fmt_pct
from reportgen.narrative.wording import discrimination_word, in_words, odds_range_words
from reportgen.core.summary import SECTION_TITLES
from reportgen.studies.regression.summary import build_summary, summary_html, summary_text

#: Statistical words a leadership reader should not meet (the issue's list, and their close kin).
JARGON = (
    "p-value", "p value", "coefficient", "logit", "auc", "vif", "regression assumption",
    "odds ratio", "confidence interval", "standard deviation", "statistically significant",
    "multicollinearity", "heteroscedastic", "roc", "precision", "recall", "f1",
)


@pytest.fixture(scope="module")
def small_results(tmp_path_factory: pytest.TempPathFactory):
    """Analysis of 3,000 synthetic rows at another seed (no figures needed for words)."""
    from reportgen.pipeline import analyse_file
    from reportgen.synthetic import write_csv

    path = write_csv(tmp_path_factory.mktemp("narrative") / "demo.csv", 3_000, 11)
    return analyse_file(Path(path), Config())


@pytest.fixture(params=["real", "small"])
def any_results(request, real_build, small_results):
    """Each test below runs on the real data and on the small synthetic data."""
    return real_build.results if request.param == "real" else small_results


def body_text(summary) -> str:
    """Everything written for the reader except the configured title and subtitle."""
    parts = [b.plain for s in summary.sections for b in s.blocks]
    parts += [summary.figure.caption + "."] + [c.plain for c in summary.figure.cells]
    return " ".join(parts)


# --- a small Flesch-Kincaid: our own syllable counter, no extra dependency ----


def syllables(token: str) -> int:
    """Vowel groups, less a silent e at the end; a number counts one syllable per digit (spoken numbers are long)."""
    if re.search(r"\d", token):
        return len(re.findall(r"\d", token)) + (2 if "%" in token else 0)
    word = re.sub(r"[^a-z]", "", token.lower())
    if not word:
        return 0
    if len(word) <= 3:
        return 1
    word = re.sub(r"(?:[^laeiouy]es|[^laeiouy]ed|[^laeiouy]e)$", "", word)
    word = re.sub(r"^y", "", re.sub(r"([^aeiouy])ely$", r"\1ly", word))  # "likely": the e is silent
    return max(1, len(re.findall(r"[aeiouy]{1,2}", word)))


def fk_grade(text: str) -> float:
    """Flesch-Kincaid grade level: 0.39 words/sentence + 11.8 syllables/word - 15.59."""
    sentences = max(1, len(re.findall(r"[.!?]+(?=\s|$)", text)))
    words = re.findall(r"[A-Za-z0-9][A-Za-z0-9'’.,%-]*", text)
    return 0.39 * len(words) / sentences + 11.8 * sum(map(syllables, words)) / len(words) - 15.59


def test_syllable_counter_knows_easy_and_hard_words():
    assert [syllables(w) for w in ("the", "model", "verified", "moderators", "likely", "19,084")] == [1, 2, 3, 4, 2, 5]
    assert fk_grade("The cat sat on the mat. It was fat.") < 2
    assert fk_grade("Multicollinearity substantially complicates interpretability of heteroscedastic specifications.") > 16


# --- structure ------------------------------------------------------------------


@pytest.mark.parametrize("audience", ["leadership", "technical"])
def test_four_sections_in_course_order_with_the_confusion_matrix(real_build, audience):
    summary = build_summary(real_build.results, Config(), audience)
    assert [s.title for s in summary.sections] == ["OVERVIEW", "PROJECT STATUS", "KEY INSIGHTS", "NEXT STEPS"]
    assert summary.title == Config().report.title and summary.subtitle == Config().report.subtitle
    alt = next(f.alt for f in real_build.results.figures if f.file == "confusion_matrix.png")
    assert summary.figure.file == "confusion_matrix.png" and summary.figure.alt == alt
    cm = real_build.results.evaluation.confusion_matrix
    leads = [c.lead for c in summary.figure.cells]
    assert leads == [f"Top left ({cm.tn:,}):", f"Top right ({cm.fp:,}):", f"Bottom left ({cm.fn:,}):", f"Bottom right ({cm.tp:,}):"]
    assert all(s.blocks and any(not b.optional for b in s.blocks) for s in summary.sections)


def test_audience_comes_from_the_config(real_build):
    technical = Config().with_overrides(audience="technical")
    assert build_summary(real_build.results, technical).audience == "technical"
    assert build_summary(real_build.results, Config()).audience == "leadership"
    assert summary_text(real_build.results, technical) != summary_text(real_build.results, Config())


# --- leadership tone ------------------------------------------------------------


def test_leadership_text_has_no_jargon(any_results):
    text = body_text(build_summary(any_results, Config(), "leadership")).lower()
    found = [w for w in JARGON if re.search(rf"(?<![a-z]){re.escape(w)}(?![a-z])", text)]
    assert found == []


def test_leadership_text_reads_at_grade_ten_or_below(any_results):
    grade = fk_grade(body_text(build_summary(any_results, Config(), "leadership")))
    assert grade <= 10, grade


def test_leadership_uses_numbers_as_people_do(any_results):
    e = any_results.evaluation
    text = body_text(build_summary(any_results, Config(), "leadership"))
    assert f"{in_words(e.recall)} verified authors" in text
    assert in_words(e.precision).capitalize() in text
    assert in_words(any_results.exploration.class_shares["verified"], 100) in text


def test_leadership_gives_one_recommendation_one_limitation_and_the_backlog(any_results):
    summary = build_summary(any_results, Config(), "leadership")
    leads = [b.lead for s in summary.sections for b in s.blocks]
    assert leads.count("Recommendation:") == 1 and leads.count("Limitation:") == 1
    assert "backlog" in body_text(summary).lower()
    required = [b.lead for b in summary.section("next").blocks if not b.optional]
    assert {"Recommendation:", "Limitation:", "For the backlog:"} <= set(required)


def test_the_weak_model_is_called_weak_and_a_strong_one_is_not(real_build):
    r = real_build.results
    limitation = lambda res: next(b.text for b in build_summary(res, Config()).section("next").blocks if b.lead == "Limitation:")  # noqa: E731
    assert r.evaluation.roc_auc < 0.7 and "weak" in limitation(r)
    strong = dataclasses.replace(
        r, evaluation=dataclasses.replace(r.evaluation, roc_auc=0.93, precision=0.81, specificity=0.95)
    )
    assert "weak" not in limitation(strong)
    backlog = lambda res: next(b.text for b in build_summary(res, Config()).section("next").blocks if b.lead == "For the backlog:")  # noqa: E731
    assert "risky" in backlog(r) and "fairly safe" in backlog(strong)
    assert in_words(1 - 0.95) in backlog(strong)  # the false-positive share moves down the queue, not the specificity
    fair = dataclasses.replace(r, evaluation=dataclasses.replace(r.evaluation, roc_auc=0.75))
    assert discrimination_word(0.75) in limitation(fair) and "weak" not in limitation(fair)  # one verbal scale everywhere


# --- technical tone -------------------------------------------------------------


def test_technical_quotes_metrics_odds_ratios_with_intervals_and_verdicts(any_results):
    e, text = any_results.evaluation, body_text(build_summary(any_results, Config(), "technical"))
    assert f"Accuracy: {fmt_pct(e.accuracy)}" in text
    assert f"precision {fmt_pct(e.precision)}" in text and f"recall {fmt_pct(e.recall)}" in text
    quoted = [t for t in any_results.model.ranked_effects() if f"OR {fmt_or(t.comparable_or)} (95% CI {fmt_ci(*t.comparable_ci)})" in text]
    assert len(quoted) >= 2
    for status in {c.status for c in any_results.assumptions.checks}:
        assert f"{status.capitalize()}:" in text
    assert "statsmodels Logit" in text


# --- ranking ----------------------------------------------------------------------


@pytest.mark.parametrize("audience", ["leadership", "technical"])
def test_insights_are_ranked_by_comparable_effects_not_raw_coefficients(real_build, audience):
    model = real_build.results.model
    ranked = model.ranked_effects()
    by_coef = sorted((t for t in model.terms if t.kind != "intercept"), key=lambda t: -abs(t.coef))
    assert [t.term for t in ranked[:3]] != [t.term for t in by_coef[:3]]  # the data tell the two orders apart
    bullets = [b for b in build_summary(real_build.results, Config(), audience).section("insights").blocks if b.bullet]
    if audience == "leadership":
        # Only clear effects that lean on no correlated partner are insights, in rank order, read from their interval.
        from reportgen.studies.regression.reliability import fragile_effects

        fragile = fragile_effects(real_build.results)
        insights = [t for t in ranked if not (t.comparable_ci[0] <= 1 <= t.comparable_ci[1]) and t.term not in fragile]
        shown = [odds_range_words(*t.comparable_ci) for t in insights[: len(bullets)]]
        assert len(bullets) >= 1
    else:
        shown = [f"OR {fmt_or(t.comparable_or)} " for t in ranked[: len(bullets)]]
        assert len(bullets) >= 2
    assert all(s in b.text for s, b in zip(shown, bullets))


def test_ranked_effects_use_odds_ratio_per_sd_for_continuous_terms(real_build):
    for t in real_build.results.model.ranked_effects():
        assert t.comparable_or == (t.or_per_sd if t.kind == "continuous" else t.odds_ratio)
    sizes = [abs(math.log(t.comparable_or)) for t in real_build.results.model.ranked_effects()]
    assert sizes == sorted(sizes, reverse=True)


# --- data in, words out -------------------------------------------------------


@pytest.mark.parametrize("audience", ["leadership", "technical"])
def test_other_data_give_other_words(real_build, small_results, audience):
    real, small = (summary_text(r, Config(), audience) for r in (real_build.results, small_results))
    assert real != small
    cm = small_results.evaluation.confusion_matrix
    assert f"({cm.tn:,})" in small and f"({cm.tp:,})" in small
    assert f"{small_results.model.n_test:,}" in small and f"{real_build.results.model.n_test:,}" not in small


def test_summary_text_is_plain_and_complete(real_build):
    summary = build_summary(real_build.results, Config())
    text = summary_text(real_build.results, Config())
    assert "<" not in text.replace("<0.001", "") and text.endswith("\n")
    for title in SECTION_TITLES.values():
        assert f"\n{title}\n" in text
    for block in [b for s in summary.sections for b in s.blocks] + list(summary.figure.cells):
        assert block.plain in text


def test_shortening_drops_the_last_optional_block_only_and_copies(real_build):
    summary = build_summary(real_build.results, Config())
    key = next(s.key for s in summary.sections if s.optional_count)
    before = summary.section(key).blocks
    shorter = summary.without_last_optional(key)
    after = shorter.section(key).blocks
    last_optional = max(i for i, b in enumerate(before) if b.optional)
    assert after == before[:last_optional] + before[last_optional + 1 :]
    assert summary.section(key).blocks == before  # the original is untouched
    with pytest.raises(dataclasses.FrozenInstanceError):
        summary.title = "changed"  # type: ignore[misc]
    while shorter.section(key).optional_count:
        shorter = shorter.without_last_optional(key)
    assert shorter.without_last_optional(key) is shorter
    assert [b for b in shorter.section(key).blocks] == [b for b in before if not b.optional]


def test_summary_html_is_escaped_and_has_every_block(real_build):
    config = Config()
    hostile = dataclasses.replace(config, report=dataclasses.replace(config.report, title="Summary <script>alert(1)</script> & co"))
    html = summary_html(real_build.results, hostile)
    assert "<script>" not in html and "&lt;script&gt;" in html and "&amp; co" in html
    assert html.startswith("<!DOCTYPE html>") and html.count("<h2>") == 4
    summary = build_summary(real_build.results, hostile)
    from html import escape

    for block in [b for s in summary.sections for b in s.blocks] + list(summary.figure.cells):
        assert escape(block.text) in html
    assert html.count("<ul>") == html.count("</ul>") > 0
    assert "<img" not in html and "http" not in html

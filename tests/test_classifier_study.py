"""The classifier study: known answers on small synthetic frames, the hypothesis answer quoted, every number from results.json.

The known-answer frames are built here with the claims schema: a planted
one-feature shortcut must be found and named; a label that needs four features
together must give no shortcut; a word that only test rows hold must not become
a feature.
"""

from __future__ import annotations

import json
import re
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pages import VisiblePage

from reportgen import schema, studies
from reportgen.config import Config
from reportgen.progress import Progress
from reportgen.results import DataSummary
from reportgen.studies.classifier.analysis import Encoder, analyse, split_rows
from reportgen.studies.classifier.settings import ClassifierSettings
from reportgen.studies.classifier.study import STUDY
from reportgen.studies.classifier.words import shortcut_finding, verdict

FAST = ClassifierSettings(vocabulary_size=10, cv_folds=2, permutation_repeats=1)
WORDS = ("the", "news", "said", "people", "video", "today", "city", "game", "music", "friends", "water", "school")


def frame(n: int, seed: int, label) -> pd.DataFrame:
    """``n`` rows of the claims schema; counts uniform and independent; ``label(counts) -> bool array`` says which are claims."""
    rng = np.random.default_rng(seed)
    counts = {c: rng.integers(0, 100_000, n).astype(float) for c in schema.COUNTS}
    counts["video_duration_sec"] = rng.integers(5, 60, n).astype(float)
    claim = label(counts, rng)
    texts = [" ".join(rng.choice(WORDS, 8)) for _ in range(n)]  # the same words in both classes
    return pd.DataFrame(
        {
            "claim_status": np.where(claim, "claim", "opinion"),
            "video_id": np.arange(n) + 1_000_000,
            "video_transcription_text": texts,
            "verified_status": rng.choice(["not verified", "verified"], n),
            "author_ban_status": rng.choice(["active", "under review", "banned"], n),
            **counts,
        }
    )


def summary(f: pd.DataFrame) -> DataSummary:
    return DataSummary("synthetic.csv", "0" * 64, len(f), len(f), 0, {}, {}, {}, 0, 0, "2025-01-01")


def run(f: pd.DataFrame, settings: ClassifierSettings = FAST):
    return analyse(f, summary(f), settings, Progress(quiet=True))


def planted(counts, rng):
    return counts["video_view_count"] > 50_000  # views alone decide


def four_together(counts, rng):
    z = sum(counts[c] / 100_000 - 0.5 for c in ("video_like_count", "video_share_count", "video_download_count", "video_comment_count"))
    return z > 0  # each count alone tells little; the four together decide


@pytest.fixture(scope="module")
def shortcut_results():
    return run(frame(1_000, 1, planted))


@pytest.fixture(scope="module")
def no_shortcut_results():
    return run(frame(1_000, 2, four_together))


def test_a_planted_single_feature_shortcut_is_detected_and_named(shortcut_results):
    r = shortcut_results
    a = r.audit
    assert a.found and a.feature_is_shortcut and a.rule_is_shortcut
    assert a.strongest == a.rule.feature == "video_view_count" and a.strongest_group == "engagement counts"
    assert a.rule.higher_means_positive and 40_000 < a.rule.threshold < 60_000
    assert a.rule.test.value("accuracy") > 0.97
    assert "nearly solved by a shortcut" in shortcut_finding(r) and "views alone" in shortcut_finding(r)
    assert "views" in verdict(r) and "shortcut" in verdict(r)


def test_with_no_shortcut_none_is_reported(no_shortcut_results):
    r = no_shortcut_results
    a = r.audit
    assert not a.found and not a.feature_is_shortcut and not a.rule_is_shortcut
    assert a.feature_gap > 0.1 and a.rule_gap > 0.05  # the champion combines the four counts
    assert a.strongest in ("video_like_count", "video_share_count", "video_download_count", "video_comment_count")
    assert shortcut_finding(r).startswith("No shortcut")
    assert "no single feature comes close" in verdict(r)
    from reportgen.studies.classifier.summary import build_summary

    page = build_summary(r, Config()).to_text()
    assert "No shortcut:" in page and "nearly solved" not in page


def test_a_word_only_in_test_rows_is_not_a_feature():
    f = frame(600, 3, planted)
    y = (f["claim_status"] == "claim").to_numpy().astype(int)
    train, validation, test = split_rows(y, FAST)
    marked = f.copy()
    marked.loc[test, "video_transcription_text"] = "zyzzyva zyzzyva zyzzyva " + marked.loc[test, "video_transcription_text"]
    r = run(marked)
    assert not any("zyzzyva" in g for g in r.features.vocabulary)
    assert not any("zyzzyva" in n for n in r.features.names)
    assert len(r.features.vocabulary) == FAST.vocabulary_size
    # The control: the same word in the training rows is the most frequent n-gram, so it is kept.
    control = f.copy()
    control.loc[train, "video_transcription_text"] = "zyzzyva zyzzyva zyzzyva " + control.loc[train, "video_transcription_text"]
    assert "zyzzyva" in Encoder.fit(control.iloc[train], FAST).vocabulary


def test_split_is_stratified_60_20_20_and_ids_are_never_features(shortcut_results):
    r = shortcut_results
    s = r.split
    assert (s.n_train, s.n_validation, s.n_test) == (600, 200, 200)
    shares = [p / n for p, n in ((s.positive_train, s.n_train), (s.positive_validation, s.n_validation), (s.positive_test, s.n_test))]
    assert max(shares) - min(shares) < 0.01
    assert "video_id" not in r.features.columns and not any("id" == n.split("_")[-1] for n in r.features.names)
    assert {"video_view_count", "verified_status: verified", "author_ban_status: banned", "transcription length"} <= set(r.features.names)


def test_champion_chosen_on_validation_and_scored_with_intervals(shortcut_results):
    r = shortcut_results
    assert {c.name for c in r.candidates} == {"random forest", "gradient boosting"}
    assert all(c.n_candidates == 4 for c in r.candidates)
    best = max(r.candidates, key=lambda c: (c.validation.value("recall"), c.validation.value("roc_auc"), c.validation.value("average_precision")))
    assert r.champion == best.name
    assert {i.metric for i in r.test.intervals} == {"accuracy", "precision", "recall", "f1", "roc_auc", "average_precision"}
    assert all(i.low <= i.estimate <= i.high for i in r.test.intervals)
    cm = r.test.confusion
    assert cm.tn + cm.fp + cm.fn + cm.tp == r.split.n_test
    assert [c.label for c in r.per_class] == ["claim", "opinion"]
    assert r.permutation_importance[0].feature == "video_view_count"  # permuted on test, it is the one that matters


def test_results_round_trip_through_json(shortcut_results):
    doc = json.loads(json.dumps(shortcut_results.to_json()))
    assert doc["schema_version"] == 1
    assert STUDY.results_from_json(doc) == shortcut_results


def test_settings_are_checked_from_the_config_table():
    from reportgen.errors import InputError

    config = Config.from_dict({"studies": {"classifier": {"refit_metric": "f1", "vocabulary_size": 5}}})
    assert config.study_settings("classifier").refit_metric == "f1"
    with pytest.raises(InputError, match="refit_metric"):
        Config.from_dict({"studies": {"classifier": {"refit_metric": "speed"}}})
    with pytest.raises(InputError, match="ngram_max"):
        Config.from_dict({"studies": {"classifier": {"ngram_min": 3, "ngram_max": 2}}})


# --- the hypothesis study's answer ------------------------------------------


@dataclass(frozen=True)
class FakeHypothesisResults:
    figures: tuple = ()
    previous: object = None

    def to_json(self) -> dict:
        return {"schema_version": 1}


class FakeHypothesis:
    """Stands in for the hypothesis study (written by another helper): a verdict in one sentence."""

    id = "hypothesis"
    title = "Hypothesis"
    question = "Do verified and unverified accounts differ in views?"
    ANSWER = "Unverified accounts get more views (median 2,345 against 1,234), and the gap holds within claims."

    def results_from_json(self, doc):
        return FakeHypothesisResults()

    def columns(self, config):
        return ("verified_status", "video_view_count")

    def analysis_settings(self, config):
        return {}

    def analyse(self, dataset, config, progress):
        return FakeHypothesisResults()

    def figures(self):
        return ()

    def document(self, results, config, *, generated_at, versions):
        from reportgen.core.document import Document, Paragraph, Section

        return Document("Hypothesis", "fake", (Section("a", "A", (Paragraph(self.ANSWER),)),))

    def summary(self, results, config):
        from reportgen.core.summary import SECTION_TITLES, Block, ExecutiveSummary, Section

        return ExecutiveSummary("leadership", "H", "h", tuple(Section(k, t, (Block(self.ANSWER),)) for k, t in SECTION_TITLES.items()))

    def headline(self, results):
        return []

    def verdict(self, results):
        return self.ANSWER


@pytest.fixture()
def hypothesis():
    studies.register(FakeHypothesis())
    yield
    studies.unregister("hypothesis")


def test_with_related_quotes_the_hypothesis_answer_in_both_tones(hypothesis, shortcut_results):
    from reportgen.studies.classifier.summary import build_summary
    from reportgen.studies.classifier.technical import technical_report

    assert "hypothesis" in STUDY.uses
    r = STUDY.with_related(shortcut_results, {"hypothesis": FakeHypothesisResults()})
    assert [(a.study, a.verdict) for a in r.related] == [("hypothesis", FakeHypothesis.ANSWER)]
    assert r.to_json()["related"][0]["verdict"] == FakeHypothesis.ANSWER
    for audience in ("leadership", "technical"):
        assert FakeHypothesis.ANSWER in build_summary(r, Config(), audience).to_text()
    doc = technical_report(r, Config(), generated_at="now", versions={})
    assert doc.section("related").blocks[0].items == (f"Hypothesis: {FakeHypothesis.ANSWER}",)
    # Without the hypothesis study in the build, nothing is quoted.
    assert shortcut_results.related == () and FakeHypothesis.ANSWER not in build_summary(shortcut_results, Config()).to_text()


# --- a whole build: every number in the documents is in results.json ----------

NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?%?")


def _allowed(doc, extra_text: str) -> set[str]:
    """Every way a number of results.json is shown, and every number written in its texts."""
    from reportgen.formatters import fmt_int, fmt_num, fmt_pct, fmt_rate

    out: set[str] = set()

    def walk(v):
        if isinstance(v, bool) or v is None:
            return
        if isinstance(v, (int, float)):
            for shown in (fmt_int(v), fmt_num(v), fmt_pct(v), fmt_pct(v, 0), fmt_rate(v), str(v)):
                out.update(NUMBER.findall(shown))
        elif isinstance(v, str):
            out.update(NUMBER.findall(v))
        elif isinstance(v, dict):
            for k, x in v.items():
                walk(k)
                walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)

    walk(doc)
    out.update(NUMBER.findall(extra_text))
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from reportgen.builder import build
    from reportgen.synthetic import write_csv

    folder = tmp_path_factory.mktemp("clf_build")
    config = Config.from_dict({"studies": {"classifier": {"vocabulary_size": 10, "cv_folds": 2, "permutation_repeats": 1}}})
    report = build(write_csv(folder / "demo.csv", 1_500, 5), folder / "out", config, studies=["classifier"])
    return report.out / "classifier"


def test_every_number_in_the_documents_is_in_results_json(built: Path):
    from pptx import Presentation
    from pypdf import PdfReader

    doc = json.loads((built / "results.json").read_text())
    manifest = (built / "manifest.json").read_text()  # the generated-at time and package versions of the reproducibility section
    allowed = _allowed(doc, manifest)
    parser = VisiblePage()
    parser.feed((built / "technical_report.html").read_text())
    html = " ".join(parser.parts + parser.alts)  # the alt text is read too
    pdf = PdfReader(built / "technical_report.pdf")
    pdf_text = " ".join(p.extract_text() for p in pdf.pages)
    pages = {str(i) for i in range(1, len(pdf.pages) + 1)}  # page numbers in the footer
    summary_pdf = PdfReader(built / "executive_summary.pdf")
    assert len(summary_pdf.pages) == 1
    deck = Presentation(built / "executive_summary.pptx")
    slide = " ".join(s.text_frame.text for s in deck.slides[0].shapes if s.has_text_frame)
    for name, text, also in (("HTML", html, set()), ("PDF", pdf_text, pages), ("summary PDF", summary_pdf.pages[0].extract_text(), set()), ("PPTX", slide, set())):
        text = re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", "", " ".join(text.split()))  # when the file was written: not a result
        stray = sorted({n for n in NUMBER.findall(text) if n not in allowed | also})
        assert not stray, f"{name} shows numbers that are not in results.json: {stray[:20]}"
    # And the headline numbers are there, as formatted.
    from reportgen.formatters import fmt_pct

    recall = fmt_pct(next(i for i in doc["test"]["intervals"] if i["metric"] == "recall")["estimate"])
    assert recall in html and recall in pdf_text and recall in slide


def test_figures_have_alt_text_from_the_numbers_in_every_document(built: Path):
    from reportgen.formatters import fmt_int

    doc = json.loads((built / "results.json").read_text())
    files = [f["file"] for f in doc["figures"]]
    assert files == ["confusion_matrix.png", "importance.png", "impurity.png", "validation.png", "shortcuts.png"]
    assert all((built / "figures" / f).is_file() for f in files)
    html = (built / "technical_report.html").read_text()
    for figure in doc["figures"]:
        assert re.search(r"\d", figure["alt"])
        assert json.dumps(figure["alt"])[1:-1].split(".")[0].replace('"', "&#34;")[:30] in html.replace("&quot;", "&#34;")
    cm = doc["test"]["confusion"]
    assert fmt_int(cm["tp"]) in doc["figures"][0]["alt"]
    with zipfile.ZipFile(built / "executive_summary.pptx") as deck:
        assert any(n.startswith("ppt/media/") for n in deck.namelist())  # the confusion matrix is on the slide


def test_the_shortcut_finding_is_in_both_documents(built: Path):
    from pptx import Presentation

    doc = json.loads((built / "results.json").read_text())
    html = (built / "technical_report.html").read_text()
    deck = Presentation(built / "executive_summary.pptx")
    slide = " ".join(s.text_frame.text for s in deck.slides[0].shapes if s.has_text_frame)
    found = doc["audit"]["feature_is_shortcut"] or doc["audit"]["rule_is_shortcut"]
    assert ("nearly solved by a shortcut" in html) == found and "Shortcut audit" in html
    assert ("A shortcut:" in slide) == found and (("No shortcut:" in slide) != found)


# --- the real data ------------------------------------------------------------


def test_real_data_recall_is_the_course_recipe_s(real_data: Path):
    """Test recall for claims within one point of the course's 0.998; the views shortcut is found and named."""
    from reportgen.data import load_dataset

    dataset = load_dataset(real_data, Config())
    r = analyse(dataset.frame, dataset.summary, ClassifierSettings(), Progress(quiet=True))
    assert abs(r.test.value("recall") - 0.998) <= 0.01
    assert r.audit.found and r.audit.strongest == "video_view_count"
    assert r.split.n_train + r.split.n_validation + r.split.n_test == r.data.rows_used


# --- the leadership tone ----------------------------------------------------------


@pytest.mark.parametrize("which", ["shortcut", "none"])
def test_leadership_page_is_plain_reads_at_grade_ten_and_says_what_was_used(which, shortcut_results, no_shortcut_results):
    from test_leadership_narrative import JARGON, fk_grade

    from reportgen.studies.classifier.summary import build_summary

    r = shortcut_results if which == "shortcut" else no_shortcut_results
    page = build_summary(r, Config(), "leadership")
    text = " ".join(b.plain for s in page.sections for b in s.blocks)
    assert fk_grade(text) <= 10, fk_grade(text)
    found = [w for w in JARGON if re.search(rf"(?<![a-z]){re.escape(w)}(?![a-z])", text.lower())]
    assert found == []
    assert "views, likes, shares, downloads and comments" in text and "words spoken" in text  # the variables used
    assert "right on" in text  # the accuracy in plain words
    assert ("Before we use the model" in text) == (which == "shortcut")


def test_a_perfect_test_set_is_not_read_as_certainty(shortcut_results):
    from reportgen.core.document import Paragraph
    from reportgen.studies.classifier.technical import technical_report

    r = replace(shortcut_results, rule_of_three={"recall": (1 - 3 / 100, 100)})
    section = technical_report(r, Config(), generated_at="now", versions={}).section("test")
    text = " ".join(p.text for p in section.all(Paragraph))
    assert "rule of three" in text and "recall at least 97.0% (n = 100)" in text


@pytest.mark.parametrize(("search_rows", "said"), [(3_000, "on the 600 training rows"), (200, "on a stratified sample of 200 of the 600 training rows")])
def test_the_report_says_on_how_many_rows_the_search_ran(search_rows, said):
    """The grid search runs on at most ``search_rows`` training rows; the report must not claim it used them all."""
    from reportgen.studies.classifier.technical import _candidates

    r = run(frame(1_000, 1, planted), replace(FAST, search_rows=search_rows))
    text = " ".join(block.text for block in _candidates(r, {}).blocks if hasattr(block, "text"))
    assert said in text and "then fitted on all 600 training rows" in text


def test_the_search_ranks_the_forest_grid_with_fewer_trees_and_says_so(shortcut_results):
    """The searched forests are smaller than the refitted one (``SEARCH_PARAMS``); the models and the report say by how much."""
    from reportgen.studies.classifier.analysis import BOOSTING_ITERATIONS, FOREST_TREES, SEARCH_PARAMS
    from reportgen.studies.classifier.technical import _candidates

    forest, boosting = (next(c for c in shortcut_results.candidates if c.name == name) for name in ("random forest", "gradient boosting"))
    searched_trees = SEARCH_PARAMS["random forest"]["n_estimators"]
    assert searched_trees < FOREST_TREES
    assert forest.size == {"n_estimators": FOREST_TREES} and forest.search_size == {"n_estimators": searched_trees}
    assert boosting.size == boosting.search_size == {"max_iter": BOOSTING_ITERATIONS}
    text = " ".join(block.text for block in _candidates(shortcut_results, {}).blocks if hasattr(block, "text"))
    assert f"the random forest has {FOREST_TREES} trees (the search ranked its grid with {searched_trees})" in text
    assert f"the gradient boosting has {BOOSTING_ITERATIONS} boosting iterations" in text

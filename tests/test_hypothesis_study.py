"""The hypothesis study: known answers on planted data, scipy agreement on the real data, and documents that show only results.json.

Known answers (small synthetic frames, seeded): equal groups are not significant;
a planted shift is found with its sign; a planted confounder (the groups differ
only through the stratifier) is reported as such in both audiences. On the real
data every test statistic equals scipy called directly here on rows read with
pandas, and every number in the HTML, the PDFs and the slide is a number of
results.json as the formatters display it.
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pages import VisiblePage

from reportgen.config import Config
from reportgen.errors import InputError
from reportgen.formatters import fmt_int, fmt_num, fmt_p, fmt_pct, fmt_rate
from reportgen.results import DataSummary
from reportgen.studies import get
from reportgen.studies.hypothesis.analysis import analyse, usable_rows
from reportgen.studies.hypothesis.settings import HypothesisSettings
from reportgen.studies.hypothesis.summary import build_summary

NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?%?")
COLUMNS = ("video_view_count", "verified_status", "claim_status")


# --- small planted frames -------------------------------------------------------


def _summary(rows: int) -> DataSummary:
    return DataSummary("planted.csv", "0" * 64, rows, rows, 0, {}, {}, {}, 0, 0, "2025-01-01")


def _frame(groups: list[tuple[str, str, np.ndarray]]) -> pd.DataFrame:
    """Rows of (verified_status, claim_status, views) blocks."""
    parts = [pd.DataFrame({"verified_status": v, "claim_status": c, "video_view_count": x}) for v, c, x in groups]
    return pd.concat(parts, ignore_index=True)


def _run(frame: pd.DataFrame, **settings):
    return analyse(frame, _summary(len(frame)), HypothesisSettings(resamples=300, **settings))


def _lognormal(rng, n: int, centre: float) -> np.ndarray:
    """n views from a log-normal around ``centre``: its quantiles at (i + 0.5) / n, shuffled (so groups of any size share one distribution exactly)."""
    from scipy.stats import norm

    return rng.permutation(np.round(np.exp(math.log(centre) + 0.6 * norm.ppf((np.arange(n) + 0.5) / n))))


@pytest.fixture(scope="module")
def equal():
    """Both groups hold the very same values in each stratum: the known answer is no difference at all."""
    rng = np.random.default_rng(5)
    values = {c: _lognormal(rng, 300, 5_000) for c in ("claim", "opinion")}
    return _run(_frame([(v, c, values[c]) for v in ("verified", "not verified") for c in ("claim", "opinion")]))


@pytest.fixture(scope="module", params=[1.5, 1 / 1.5], ids=["up", "down"])
def shifted(request):
    rng = np.random.default_rng(6)
    factor = request.param
    blocks = [(v, c, _lognormal(rng, 300, 5_000 * (factor if v == "verified" else 1))) for v in ("verified", "not verified") for c in ("claim", "opinion")]
    return factor, _run(_frame(blocks))


@pytest.fixture(scope="module")
def confounded():
    """Claims draw 100 times the views of opinions; verified authors post mostly opinions; within a kind, no difference."""
    rng = np.random.default_rng(7)
    sizes = {("verified", "claim"): 40, ("verified", "opinion"): 360, ("not verified", "claim"): 300, ("not verified", "opinion"): 300}
    blocks = [(v, c, _lognormal(rng, n, 500_000 if c == "claim" else 5_000)) for (v, c), n in sizes.items()]
    return _run(_frame(blocks))


def _all_text(r, audience: str) -> str:
    s = build_summary(r, Config(), audience)
    return s.to_text()


def test_equal_groups_are_not_significant(equal):
    o = equal.overall
    assert o.welch.p_value > 0.05 and o.mann_whitney.p_value > 0.05 and o.log_welch.p_value > 0.05
    assert o.welch.ci_low < 0 < o.welch.ci_high and o.hedges_g.ci_low < 0 < o.hedges_g.ci_high
    assert o.median_difference.ci_low < 0 < o.median_difference.ci_high
    assert o.welch.difference == 0 and o.hedges_g.estimate == 0 and o.mann_whitney.prob_superiority == 0.5
    assert equal.finding == "none" and not equal.significant
    assert "do not differ clearly" in get("hypothesis").verdict(equal)
    assert "no clear gap" in _all_text(equal, "leadership")


def test_a_planted_shift_is_found_with_its_sign(shifted):
    factor, r = shifted
    o, sign = r.overall, 1 if factor > 1 else -1
    assert o.welch.p_value < 1e-6 and r.significant
    assert sign * o.welch.difference > 0 and sign * o.welch.ci_low > 0 if sign > 0 else o.welch.ci_high < 0
    assert sign * o.hedges_g.estimate > 0.3 and sign * o.mann_whitney.rank_biserial > 0
    assert sign * (o.mann_whitney.prob_superiority - 0.5) > 0
    assert sign * o.median_difference.ci_low > 0 if sign > 0 else o.median_difference.ci_high < 0
    assert o.log_ratio.ci_low > 1 if sign > 0 else o.log_ratio.ci_high < 1
    assert all(sign * s.comparison.welch.difference > 0 and s.comparison.welch.p_value < 0.05 for s in r.strata)
    assert r.finding == "holds"
    word = "more views" if sign > 0 else "fewer views"
    assert f"verified accounts get {word}" in _all_text(r, "leadership")


def test_a_planted_confounder_is_reported_in_both_audiences(confounded):
    r = confounded
    assert r.significant and r.overall.welch.difference < 0  # verified: mostly opinions, so fewer views overall
    assert all(s.comparison.welch.p_value > 0.05 for s in r.strata)
    assert r.within.ci_low < 0 < r.within.ci_high and abs(r.within.estimate) < 0.2
    assert r.finding == "vanishes"
    lead, tech = _all_text(r, "leadership"), _all_text(r, "technical")
    assert "the gap is gone" in lead and "The mix of videos is behind it, not verified status" in lead
    assert "Among claim videos, the two groups get about the same views" in lead and "Among opinion videos, the two groups" in lead
    assert "because" not in lead.lower()
    assert "The difference vanishes within strata" in tech
    shares = {s.level: s for s in r.strata}
    assert f"{fmt_pct(shares['opinion'].focal_share)} of verified" in tech
    report = get("hypothesis").document(r, Config(), generated_at="now", versions={})
    words = " ".join(p.text for p in report.section("confounding").blocks if hasattr(p, "text"))
    assert "confounding" in words and "must not be read as an effect of verified status" in words
    assert "vanishes" in get("hypothesis").verdict(r)


def test_shares_of_each_group_over_strata_add_up(confounded):
    assert sum(s.focal_share for s in confounded.strata) == pytest.approx(1)
    assert sum(s.reference_share for s in confounded.strata) == pytest.approx(1)
    assert {s.level: (s.focal_n, s.reference_n) for s in confounded.strata} == {"claim": (40, 300), "opinion": (360, 300)}


def test_rows_are_dropped_only_for_the_studys_columns_and_counted_by_reason():
    frame = pd.DataFrame(
        {
            "video_view_count": [1.0, None, 3.0, None, 5.0, 6.0],
            "verified_status": ["verified", "verified", None, "not verified", "not verified", "verified"],
            "claim_status": ["claim", "claim", "opinion", "opinion", None, "claim"],
            "video_like_count": [None] * 6,  # missing elsewhere: kept
        }
    )
    kept, rows = usable_rows(frame, COLUMNS)
    assert (rows.received, rows.used, rows.dropped) == (6, 2, 4)
    assert rows.dropped_reasons == {"missing video_view_count": 2, "missing verified_status": 1, "missing claim_status": 1}
    assert list(kept.index) == [0, 5]


def test_a_stratum_with_one_group_missing_is_shown_not_tested():
    rng = np.random.default_rng(8)
    blocks = [("verified", "claim", _lognormal(rng, 50, 5_000)), ("not verified", "claim", _lognormal(rng, 50, 5_000)), ("not verified", "opinion", _lognormal(rng, 50, 5_000))]
    r = _run(_frame(blocks))
    opinion = next(s for s in r.strata if s.level == "opinion")
    assert opinion.comparison is None and opinion.focal_n == 0
    assert len(r.tested_strata()) == 1 and r.within.strata == 1
    get("hypothesis").document(r, Config(), generated_at="now", versions={})  # renders with a dash row


def test_too_few_rows_in_a_group_is_an_input_error():
    frame = _frame([("verified", "claim", np.array([5.0])), ("not verified", "claim", np.array([1.0, 2.0, 3.0]))])
    with pytest.raises(InputError, match="two or more rows in each group"):
        _run(frame)


def test_settings_are_checked_from_the_studies_table():
    config = Config.from_dict({"studies": {"hypothesis": {"measure": "video_like_count", "stratify": "author_ban_status", "alpha": 0.01}}})
    s = config.study_settings("hypothesis")
    assert (s.measure, s.by, s.stratify, s.alpha) == ("video_like_count", "verified_status", "author_ban_status", 0.01)
    assert get("hypothesis").columns(config) == ("video_like_count", "verified_status", "author_ban_status")
    assert Config().study_settings("hypothesis") == HypothesisSettings()
    for bad in ({"stratify": "verified_status"}, {"by": "author_ban_status"}, {"measure": "claim_status"}, {"alpha": 0.9}, {"resamples": 10}):
        with pytest.raises(InputError):
            Config.from_dict({"studies": {"hypothesis": bad}})


def test_results_round_trip_through_json(confounded):
    from reportgen.artifacts import clean

    doc = json.loads(json.dumps(clean(confounded.to_json())))
    assert doc["schema_version"] == 1 and doc["finding"] == "vanishes"
    assert get("hypothesis").results_from_json(doc) == confounded


# --- the real data: one build, and scipy called directly ------------------------


@pytest.fixture(scope="module")
def real(real_data: Path, tmp_path_factory: pytest.TempPathFactory):
    from reportgen.builder import build

    out = tmp_path_factory.mktemp("hyp_real") / "out"
    report = build(real_data, out, Config(), studies=["hypothesis"])
    return out / "hypothesis", report.study("hypothesis").results


def test_real_numbers_equal_scipy_called_directly(real, real_data):
    from scipy import stats

    _, r = real
    d = pd.read_csv(real_data).dropna(subset=list(COLUMNS))
    assert r.rows.used == len(d)

    def check(c, rows):
        a = rows.loc[rows.verified_status == "verified", "video_view_count"].to_numpy(float)
        b = rows.loc[rows.verified_status == "not verified", "video_view_count"].to_numpy(float)
        t = stats.ttest_ind(a, b, equal_var=False)
        se = math.sqrt(a.var(ddof=1) / len(a) + b.var(ddof=1) / len(b))
        half = stats.t.ppf(0.975, t.df) * se
        assert (c.focal.n, c.reference.n) == (len(a), len(b))
        assert c.focal.mean == pytest.approx(a.mean()) and c.reference.sd == pytest.approx(b.std(ddof=1))
        assert c.focal.median == np.median(a) and c.reference.iqr == pytest.approx(np.subtract(*np.percentile(b, [75, 25])))
        assert (c.welch.t, c.welch.df) == (pytest.approx(t.statistic, rel=1e-9), pytest.approx(t.df, rel=1e-9))
        assert c.welch.p_value == pytest.approx(t.pvalue, rel=1e-6)
        assert (c.welch.ci_low, c.welch.ci_high) == (pytest.approx(a.mean() - b.mean() - half), pytest.approx(a.mean() - b.mean() + half))
        mw = stats.mannwhitneyu(a, b, alternative="two-sided")
        assert c.mann_whitney.u == mw.statistic and c.mann_whitney.p_value == pytest.approx(mw.pvalue, rel=1e-6)
        assert c.mann_whitney.prob_superiority == pytest.approx(mw.statistic / (len(a) * len(b)))
        assert c.mann_whitney.rank_biserial == pytest.approx(2 * mw.statistic / (len(a) * len(b)) - 1)
        lev = stats.levene(a, b, center="median")
        assert c.variance.p_value == pytest.approx(lev.pvalue, rel=1e-6) and c.variance.statistic == pytest.approx(lev.statistic)
        pooled = math.sqrt(((len(a) - 1) * a.var(ddof=1) + (len(b) - 1) * b.var(ddof=1)) / (len(a) + len(b) - 2))
        g = (a.mean() - b.mean()) / pooled * (1 - 3 / (4 * (len(a) + len(b)) - 9))
        assert c.hedges_g.estimate == pytest.approx(g)
        assert c.median_difference.estimate == np.median(a) - np.median(b)
        assert c.median_difference.ci_low < c.median_difference.estimate < c.median_difference.ci_high
        lt = stats.ttest_ind(np.log1p(a), np.log1p(b), equal_var=False)
        assert c.log_welch.t == pytest.approx(lt.statistic) and c.log_ratio.estimate == pytest.approx(math.exp(np.log1p(a).mean() - np.log1p(b).mean()))

    check(r.overall, d)
    for s in r.strata:
        check(s.comparison, d[d.claim_status == s.level])
    # the real data: a difference overall that vanishes within claim status
    assert r.overall.welch.p_value < 1e-50 and r.finding == "vanishes"
    assert all(s.comparison.welch.p_value > 0.5 for s in r.strata)


def _pptx_text(path: Path) -> str:
    from pptx import Presentation

    return "\n".join(s.text_frame.text for s in Presentation(str(path)).slides[0].shapes if s.has_text_frame)


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(p.extract_text() for p in PdfReader(str(path)).pages)


def test_the_leadership_summary_states_the_within_stratum_finding(real):
    folder, r = real
    for text in (_pptx_text(folder / "executive_summary.pptx"), _pdf_text(folder / "executive_summary.pdf")):
        flat = " ".join(text.split())
        assert "the gap is gone" in flat and "not verified status" in flat
        for s in r.strata:
            c = s.comparison
            assert f"{fmt_num(c.focal.median, 0)} and {fmt_num(c.reference.median, 0)}" in flat
        assert "because" not in flat.lower()


def test_leadership_words_are_plain(real, confounded, equal):
    from test_leadership_narrative import JARGON, fk_grade

    for r in (real[1], confounded, equal):
        summary = build_summary(r, Config(), "leadership")
        figure = [summary.figure.caption + "."] + [c.plain for c in summary.figure.cells] if summary.figure else []
        body = " ".join([b.plain for s in summary.sections for b in s.blocks] + figure)
        assert fk_grade(body) <= 10, fk_grade(body)
        lowered = body.lower()
        assert [w for w in JARGON if re.search(rf"(?<![a-z]){re.escape(w)}(?![a-z])", lowered)] == []


def _numbers_of(value) -> list[float]:
    if isinstance(value, bool):
        return []
    if isinstance(value, (int, float)):
        return [value]
    if isinstance(value, dict):
        return [x for v in value.values() for x in _numbers_of(v)]
    if isinstance(value, list):
        return [x for v in value for x in _numbers_of(v)]
    return []


def _strings_of(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [x for v in value.values() for x in _strings_of(v)]
    if isinstance(value, list):
        return [x for v in value for x in _strings_of(v)]
    return []


def allowed(results: dict) -> set[str]:
    """Every number of results.json as the formatters can show it, plus the constants the words use."""
    shown: set[str] = set()
    for x in _numbers_of(results):
        if not math.isfinite(x):
            continue
        forms = [fmt_num(x, d) for d in range(4)] + [fmt_pct(x, 0), fmt_pct(x), fmt_p(x), fmt_rate(x)]
        forms += [fmt_int(x)] if abs(x) < 1e15 else []
        for f in forms:
            shown |= set(NUMBER.findall(f))
    for s in _strings_of(results):  # data file name, sha256, dates, labels
        shown |= set(NUMBER.findall(s))
    # 95% intervals, log(1 + x), whiskers at the 5th and 95th percentiles, and PS 50.0% = no difference
    return shown | {"95%", "95", "1", "5", "50.0%"}


def _stray(text: str, ok: set[str], extra: tuple[str, ...] = ()) -> set[str]:
    for token in extra:
        text = text.replace(token, " ")
    text = re.sub(r"\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?)?", " ", text)  # dates: the data's (results.json) and the build's
    text = re.sub(r"(?<![\d,.])\d{1,2}\. (?=[A-Z])", " ", text).replace("SHA-256", " ")  # section numbers; the hash's name
    text = re.sub(r"Page \d+ of \d+", " ", text)  # the PDF's page footer
    return set(NUMBER.findall(text)) - ok


def test_every_number_in_every_document_is_in_results_json(real, tmp_path):
    from reportgen.artifacts import package_versions
    from reportgen.render.executive import write_executive_summary

    folder, r = real
    results = json.loads((folder / "results.json").read_text())
    ok = allowed(results)
    versions = tuple(sorted(package_versions().values(), key=len, reverse=True))
    page = VisiblePage()
    page.feed((folder / "technical_report.html").read_text())
    html = " ".join(page.parts)
    assert _stray(html, ok, versions) == set()
    assert _stray(" ".join(page.alts), ok) == set()
    assert _stray(_pdf_text(folder / "technical_report.pdf"), ok, versions) == set()
    tech = tmp_path / "tech"
    shutil.copytree(folder / "figures", tech / "figures")
    write_executive_summary(get("hypothesis"), r, Config().with_overrides(audience="technical"), tech)
    for where in (folder, tech):
        assert _stray(_pptx_text(where / "executive_summary.pptx"), ok) == set()
        assert _stray(_pdf_text(where / "executive_summary.pdf"), ok) == set()
    # and the check can fail: a number not in results.json is caught
    assert _stray("a gap of 123,456,789 views", ok) == {"123,456,789"}


def test_key_numbers_are_shown_as_results_json_holds_them(real):
    folder, _ = real
    results = json.loads((folder / "results.json").read_text())
    o = results["overall"]
    html = (folder / "technical_report.html").read_text()
    for shown in (
        fmt_num(o["welch"]["t"], 2),
        fmt_num(o["welch"]["df"], 1),
        fmt_num(o["hedges_g"]["estimate"], 2),
        fmt_num(o["median_difference"]["ci_low"], 0),
        fmt_pct(o["mann_whitney"]["prob_superiority"]),
        fmt_num(results["within"]["estimate"], 2),
        fmt_int(results["rows"]["used"]),
    ):
        assert shown in html
    assert "Brown-Forsythe" in html and "Student" in html and "H₀" in html


def test_figures_have_alt_text_from_the_numbers_everywhere(real):
    folder, r = real
    results = json.loads((folder / "results.json").read_text())
    files = [f["file"] for f in results["figures"]]
    assert files == ["distributions.png", "within_strata.png"]
    page = VisiblePage()
    page.feed((folder / "technical_report.html").read_text())
    for f in results["figures"]:
        assert (folder / "figures" / f["file"]).is_file() and f["alt"] in page.alts
    within = results["figures"][1]["alt"]
    for s in r.strata:
        assert f"{s.level}: median verified {fmt_num(s.comparison.focal.median, 0)}" in within
    summary = json.loads((folder / "executive_summary.json").read_text())
    assert summary["figure"]["file"] == "within_strata.png" and summary["figure"]["alt"] == within


def test_demo_data_build_through_the_public_protocol(tmp_path):
    from reportgen.builder import build
    from reportgen.synthetic import write_csv

    data = write_csv(tmp_path / "d.csv", rows=1_500, seed=3)
    report = build(data, tmp_path / "out", Config(), studies=["hypothesis"])
    folder = tmp_path / "out" / "hypothesis"
    assert {p.name for p in folder.iterdir()} >= {"technical_report.html", "technical_report.pdf", "executive_summary.pptx", "executive_summary.pdf", "results.json"}
    results = report.study("hypothesis").results
    assert results.rows.used == results.data.rows_used
    assert 'href="hypothesis/technical_report.html"' in (tmp_path / "out" / "index.html").read_text()
    again = build(data, tmp_path / "out", Config(), studies=["hypothesis"])
    assert again.unchanged
    changed = Config.from_dict({"studies": {"hypothesis": {"alpha": 0.01}}})
    third = build(data, tmp_path / "out", changed, studies=["hypothesis"])
    assert third.study("hypothesis").status == "analysed" and third.study("hypothesis").results.alpha == 0.01
    assert dataclasses.asdict(third.study("hypothesis").results.previous)["changes"]

"""The exploration study: known answers on tiny frames, every shown number from results.json, the real data's counts."""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from html import unescape
from pathlib import Path

import pandas as pd
import pytest

from reportgen.builder import build
from reportgen.config import Config
from reportgen.formatters import fmt_int, fmt_pct
from reportgen.data import Dataset
from reportgen.results import DataSummary
from reportgen.studies.exploration.analysis import band_edges, crosstab, explore, wilson
from reportgen.studies.exploration.settings import ExplorationSettings
from reportgen.studies.exploration.summary import build_summary
from reportgen.synthetic import write_csv


def _tiny() -> Dataset:
    """Four claims with big counts, four opinions with small ones, one row without a claim status."""
    frame = pd.DataFrame(
        {
            "claim_status": ["claim"] * 4 + ["opinion"] * 4 + [None],
            "video_id": range(1, 10),
            "video_duration_sec": [10, 20, 30, 40, 10, 20, 30, 40, 50],
            "video_transcription_text": ["aaaa", "bbbb", "cccc", "dddd", "ee", "ff", "gg", "hh", None],
            "verified_status": ["not verified"] * 4 + ["verified", "verified", "not verified", "not verified", "verified"],
            "author_ban_status": ["banned", "banned", "active", "active", "active", "active", "active", "active", "active"],
            "video_view_count": [20_000, 30_000, 40_000, 150_000, 50, 500, 5_000, 6_000, None],
            "video_like_count": [2_000, 3_000, 4_000, 15_000, 5, 50, 500, 600, None],
            "video_share_count": [200, 300, 400, 1_500, 0, 5, 50, 60, None],
            "video_download_count": [20, 30, 40, 150, 0, 0, 5, 6, None],
            "video_comment_count": [10, 10, 10, 10, 0, 0, 0, 0, None],
        }
    )
    for c in ("claim_status", "verified_status", "author_ban_status"):
        frame[c] = frame[c].astype("category")
    missing = {c: int(n) for c, n in frame.isna().sum().items()}
    summary = DataSummary("tiny.csv", "0" * 64, 9, 9, 0, {}, {}, missing, 0, 0, "2025-01-01")
    return Dataset(frame, summary)


def test_known_answers_on_a_tiny_frame() -> None:
    r = explore(_tiny(), ExplorationSettings())
    assert [(s.label, s.count) for s in r.claim_balance] == [("claim", 4), ("opinion", 4)]
    assert r.claim_missing == 1 and r.rows_analysed == 9 and r.data.rows_read == 9
    # Every claim out-views every opinion: superiority 1, Cliff's delta 1.
    views = r.difference("video_view_count")
    assert views.superiority == 1.0 and views.cliffs_delta == 1.0 and (views.median_first, views.median_second) == (35_000, 2_750)
    # Duration is identical in both groups: no difference.
    assert r.difference("video_duration_sec").cliffs_delta == 0.0
    # Likes per view is exactly 0.1 everywhere.
    likes = next(e for e in r.engineered if e.name == "likes_per_view")
    assert likes.n == 8 and likes.mean == pytest.approx(0.1) and likes.minimum == pytest.approx(0.1)
    length = next(e for e in r.engineered if e.name == "transcription_length")
    assert [(g.group, g.mean) for g in length.by_claim] == [("claim", 4.0), ("opinion", 2.0)]
    # Inspection: ids and free text are not predictors; missing counts are the file's.
    info = {c.column: c for c in r.columns}
    assert not info["video_id"].used and not info["video_transcription_text"].used and info["video_view_count"].used
    assert info["video_view_count"].missing == 1 and info["video_view_count"].non_null == 8
    assert (info["video_view_count"].minimum, info["video_view_count"].maximum) == (50, 150_000)
    assert info["author_ban_status"].distinct == 2
    # Ban status by claim: half of claims by banned authors, no opinion.
    assert r.ban_by_claim.counts == {"claim": {"active": 2, "banned": 2}, "opinion": {"active": 4, "banned": 0}}
    # The dashboard's views: all, and each filter; bands by powers of ten.
    everything = r.dashboard.view()
    assert (everything.claims, everything.opinions, everything.claim_share) == (4, 4, 0.5)
    by_views = {(b.low, b.high): (b.claims, b.opinions) for b in everything.charts[0].bands}
    assert by_views == {(0.0, 100.0): (0, 1), (100.0, 1000.0): (0, 1), (1000.0, 10000.0): (0, 2), (10000.0, 100000.0): (3, 0), (100000.0, None): (1, 0)}
    assert (r.dashboard.view(verified="verified").claims, r.dashboard.view(verified="verified").opinions) == (0, 2)
    assert r.dashboard.view(ban="banned").claims == 2 and r.dashboard.view(ban="banned").opinions == 0
    assert r.findings[0].size >= r.findings[-1].size and r.findings[0].rank == 1


def test_wilson_interval_and_chi_square_known_values() -> None:
    low, high = wilson(5, 10)
    assert (round(low, 4), round(high, 4)) == (0.2366, 0.7634)  # the textbook value
    frame = pd.DataFrame({"claim_status": ["claim"] * 20 + ["opinion"] * 20, "verified_status": ["verified"] * 10 + ["not verified"] * 10 + ["verified"] * 0 + ["not verified"] * 20})
    t = crosstab(frame, "claim_status", "verified_status")
    # 2x2 table [[10, 10], [20, 0]] (not verified, verified): chi2 = 13.333, V = sqrt(13.333 / 40)
    assert t.chi2 == pytest.approx(40 / 3) and t.cramers_v == pytest.approx((1 / 3) ** 0.5) and t.dof == 1


def test_band_edges_by_powers_of_ten_and_quartiles() -> None:
    values = pd.Series([5.0, 50.0, 500.0, 5_000.0])
    assert band_edges(values, "decades") == (10.0, 100.0, 1000.0)
    assert band_edges(pd.Series(range(1, 101), dtype="float64"), "quartiles") == (26.0, 51.0, 76.0)


@pytest.fixture(scope="module")
def synthetic_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("exploration")
    data = write_csv(tmp / "claims.csv", rows=1_500, seed=5)
    build(data, tmp / "out", Config(), studies=["exploration"])
    return tmp / "out"


def _rows_of(section: str) -> list[list[str]]:
    """Table rows of an HTML fragment: [row header, cells...]."""
    out = []
    for row in re.findall(r"<tr><th scope=\"row\">(.*?)</th>(.*?)</tr>", section):
        out.append([unescape(row[0]), *(unescape(c) for c in re.findall(r"<td>(.*?)</td>", row[1]))])
    return out


def test_the_dashboard_numbers_equal_results_json(synthetic_build: Path) -> None:
    from reportgen.studies.exploration.words import band_label

    folder = synthetic_build / "exploration"
    results = json.loads((folder / "results.json").read_text())
    page = (folder / "dashboard.html").read_text()
    views = results["dashboard"]["views"]
    assert len(views) == (1 + len(results["dashboard"]["verified_levels"])) * (1 + len(results["dashboard"]["ban_levels"]))
    for view in views:
        key = f"{view['verified']}--{view['ban']}".replace(" ", "-")
        section = re.search(rf'<section class="view" id="view-{re.escape(key)}".*?</section>', page, re.S)
        assert section, key
        rows = _rows_of(section.group(0))
        assert rows[0][:2] == ["Claims", fmt_int(view["claims"])] and rows[1][:2] == ["Opinions", fmt_int(view["opinions"])]
        expected = []
        for chart in view["charts"]:
            for b in chart["bands"]:
                share = fmt_pct(b["claim_share"]) if b["claim_share"] is not None else "–"
                from reportgen.studies.exploration.results import Band

                label = band_label(Band(b["low"], b["high"], b["claims"], b["opinions"], b["claim_share"]), chart["column"])
                expected.append([label, fmt_int(b["claims"]), fmt_int(b["opinions"]), fmt_int(b["claims"] + b["opinions"]), share])
        assert rows[2:] == expected
    # The whole-data view agrees with the claim balance.
    balance = {s["label"]: s["count"] for s in results["claim_balance"]}
    everything = next(v for v in views if v["verified"] == "all" and v["ban"] == "all")
    assert (everything["claims"], everything["opinions"]) == (balance["claim"], balance["opinion"])


def test_the_dashboard_is_self_contained_and_forbids_requests(synthetic_build: Path) -> None:
    page = (synthetic_build / "exploration" / "dashboard.html").read_text()
    assert "default-src 'none'" in page
    assert not re.search(r"https?://|<script|<link|<iframe|<img|@import|url\(", page, re.I)
    assert 'href="exploration/dashboard.html"' in (synthetic_build / "index.html").read_text()


def test_every_document_shows_the_numbers_of_results_json(synthetic_build: Path) -> None:
    from pptx import Presentation
    from pypdf import PdfReader

    folder = synthetic_build / "exploration"
    results = json.loads((folder / "results.json").read_text())
    html = unescape((folder / "technical_report.html").read_text())
    pdf = " ".join(p.extract_text() for p in PdfReader(folder / "technical_report.pdf").pages)
    claim = next(s for s in results["claim_balance"] if s["label"] == "claim")
    for number in (fmt_int(results["data"]["rows_read"]), fmt_int(claim["count"]), fmt_pct(claim["share"])):
        assert number in html and number in pdf
    for column in results["columns"]:
        assert column["column"] in html and fmt_int(column["non_null"]) in html
    for figure in results["figures"]:
        assert figure["alt"] in html
    summary = PdfReader(folder / "executive_summary.pdf")
    deck = Presentation(folder / "executive_summary.pptx")
    slide = " ".join(s.text_frame.text for s in deck.slides[0].shapes if s.has_text_frame)
    assert len(summary.pages) == 1 and len(deck.slides) == 1
    assert fmt_int(results["data"]["rows_read"]) in slide and fmt_int(claim["count"]) in summary.pages[0].extract_text()


def test_both_tones_of_the_summary(synthetic_build: Path) -> None:
    from reportgen.studies.exploration.study import STUDY

    results = STUDY.results_from_json(json.loads((synthetic_build / "exploration" / "results.json").read_text()))
    lead = build_summary(results, Config(), "leadership").to_text()
    tech = build_summary(results, Config(), "technical").to_text()
    assert "Cliff's delta" in tech and "Cramér's V" in tech
    assert "Cliff" not in lead and "Cramér" not in lead and "p <" not in lead
    for text in (lead, tech):
        assert all(title in text for title in ("OVERVIEW", "PROJECT STATUS", "KEY INSIGHTS", "NEXT STEPS"))


def test_results_json_round_trips(synthetic_build: Path) -> None:
    from reportgen.studies.exploration.study import STUDY

    doc = json.loads((synthetic_build / "exploration" / "results.json").read_text())
    assert doc["schema_version"] == 1
    again = STUDY.results_from_json(doc)
    assert json.loads(json.dumps(again.to_json())) == doc


def test_the_real_data_counts_match_the_csv(real_data: Path, tmp_path: Path) -> None:
    with real_data.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    claims = Counter(r["claim_status"] for r in rows if r["claim_status"])
    report = build(real_data, tmp_path / "out", Config(), studies=["exploration"])
    r = report.study("exploration").results
    assert r.data.rows_read == len(rows) == 19_382
    assert {s.label: s.count for s in r.claim_balance} == dict(claims)
    assert (r.dashboard.view().claims, r.dashboard.view().opinions) == (claims["claim"], claims["opinion"])
    info = {c.column: c for c in r.columns}
    assert info["claim_status"].missing == sum(1 for row in rows if not row["claim_status"])


def test_videos_without_a_claim_status_are_counted_in_the_file_not_only_among_the_rows_analysed() -> None:
    """The loader drops a row with no claim status, so the rows analysed hold none; the file's count is what readers need."""
    dataset = _tiny()
    kept = Dataset(dataset.frame.dropna(subset=["claim_status"]), dataset.summary)  # as the loader gives it
    r = explore(kept, ExplorationSettings())
    assert r.claim_missing == 0 and r.claim_missing_in_file == 1
    words = " ".join(b.text for s in build_summary(r, Config()).sections for b in s.blocks)
    assert "The file has 9 videos. 1 of them have no claim or opinion label." in words

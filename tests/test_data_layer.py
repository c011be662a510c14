"""The data layer: one reading of the file for a build, and each study's rows from it, by its own columns.

A toy study reads ``verified_status`` alone. In a file where ``video_view_count``
is missing in some rows, it keeps every row while the regression drops them;
the file is parsed once however many studies are built; each study's rows and
summary are those a reading of its columns alone would give.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from reportgen import schema, studies
from reportgen.config import Config
from reportgen.core.document import Document, Paragraph, Section
from reportgen.core.summary import SECTION_TITLES, Block, ExecutiveSummary
from reportgen.core.summary import Section as SummarySection
from reportgen.data import analysed_columns, columns_for, load_dataset, load_studies, parse, read_table
from reportgen.errors import InputError
from reportgen.synthetic import generate

ROWS = 600
VIEWS_BLANKED = [1, 4, 7, 10, 13]  # rows where only video_view_count is emptied


@dataclass(frozen=True)
class ToyResults:
    rows_read: int
    rows_used: int
    dropped: dict
    columns: tuple
    figures: tuple = ()
    previous: object = None

    def to_json(self) -> dict:
        return {"schema_version": 1, "rows_read": self.rows_read, "rows_used": self.rows_used,
                "dropped": self.dropped, "columns": list(self.columns)}


class ToyStudy:
    """Reads one column; records the rows and summary the build gave it."""

    id = "toy"
    title = "Toy"
    question = "How many videos does a study of verified status keep?"

    def results_from_json(self, doc: dict) -> ToyResults:
        return ToyResults(doc["rows_read"], doc["rows_used"], doc["dropped"], tuple(doc["columns"]))

    def columns(self, config: Config) -> tuple[str, ...]:
        return ("verified_status",)

    def analysis_settings(self, config: Config) -> dict:
        return {}

    def analyse(self, dataset, config: Config, progress) -> ToyResults:
        s = dataset.summary
        assert s.rows_used == len(dataset.frame)
        return ToyResults(s.rows_read, s.rows_used, dict(s.dropped_reasons), tuple(dataset.frame.columns))

    def figures(self) -> tuple:
        return ()

    def document(self, results: ToyResults, config: Config, *, generated_at: str, versions: dict) -> Document:
        return Document("Toy", generated_at, (Section("rows", "Rows", (Paragraph(self.verdict(results)),)),))

    def summary(self, results: ToyResults, config: Config) -> ExecutiveSummary:
        sections = tuple(SummarySection(k, t, (Block(self.verdict(results)),)) for k, t in SECTION_TITLES.items())
        return ExecutiveSummary(config.report.audience, "Toy", "Rows", sections)

    def headline(self, results: ToyResults) -> list:
        return [("rows", "count", results.rows_used)]

    def verdict(self, results: ToyResults) -> str:
        return f"The toy study keeps {results.rows_used:,} of {results.rows_read:,} rows."


@pytest.fixture()
def toy():
    studies.register(ToyStudy())
    yield studies.get("toy")
    studies.unregister("toy")


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    """Synthetic claims with views missing alone in a few rows (beside the rows the generator leaves gappy)."""
    data = generate(rows=ROWS, seed=5)
    assert not data.loc[VIEWS_BLANKED, list(schema.OFTEN_MISSING)].isna().any().any()
    data.loc[VIEWS_BLANKED, "video_view_count"] = pd.NA
    return data


@pytest.fixture()
def data(tmp_path: Path, frame: pd.DataFrame) -> Path:
    path = tmp_path / "claims.csv"
    frame.to_csv(path, index=False)
    return path


def _gappy_rows(frame: pd.DataFrame) -> int:
    """Rows the regression must drop: a value missing in a column it reads (the text excepted)."""
    needed = [c for c in analysed_columns(Config()) if c != schema.TRANSCRIPTION]
    return int(frame[needed].isna().any(axis=1).sum())


def _counting_reads(monkeypatch) -> list[tuple[str, ...]]:
    """Record the columns of every parse of the CSV's rows."""
    calls: list[tuple[str, ...]] = []
    real = parse.read_rows

    def counted(path, header, columns):
        calls.append(tuple(columns))
        return real(path, header, columns)

    monkeypatch.setattr(parse, "read_rows", counted)
    return calls


# --- Through a build ----------------------------------------------------------------------


def test_a_study_keeps_rows_missing_a_column_it_does_not_read_and_the_file_is_read_once(toy, data, frame, tmp_path, monkeypatch):
    from reportgen.builder import build

    reads = _counting_reads(monkeypatch)
    report = build(data, tmp_path / "out", Config(), studies=["toy", "regression"])

    assert len(reads) == 1  # one parse for the two studies
    assert set(reads[0]) == set(schema.REQUIRED)  # the union of their columns
    toy_results = report.study("toy").results
    assert toy_results.rows_read == toy_results.rows_used == ROWS
    assert toy_results.dropped == {}
    assert toy_results.columns == ("verified_status",)  # its own columns only

    regression = json.loads((tmp_path / "out" / "regression" / "results.json").read_text())["data"]
    gappy = _gappy_rows(frame)
    assert gappy >= len(VIEWS_BLANKED)
    assert regression["rows_read"] == ROWS
    assert regression["rows_used"] == ROWS - gappy
    assert regression["dropped_reasons"] == {"missing values": gappy}
    assert regression["missing_by_column"]["video_view_count"] >= len(VIEWS_BLANKED)
    assert sum(regression["target_counts"].values()) == regression["rows_used"]


def test_a_build_of_one_study_reads_only_its_columns(toy, data, tmp_path, monkeypatch):
    from reportgen.builder import build

    reads = _counting_reads(monkeypatch)
    build(data, tmp_path / "out", Config(), studies=["toy"])
    assert reads == [(schema.VIDEO_ID, "verified_status")]  # the id is read for the repeats


def test_an_unchanged_rebuild_reads_nothing(toy, data, tmp_path, monkeypatch):
    from reportgen.builder import build

    build(data, tmp_path / "out", Config(), studies=["toy"])
    reads = _counting_reads(monkeypatch)
    assert build(data, tmp_path / "out", Config(), studies=["toy"]).unchanged
    assert reads == []


def test_a_three_label_target_is_refused_when_the_regression_is_built_but_not_for_another_study(toy, data, tmp_path):
    from reportgen.builder import build

    three = Config.from_dict({"model": {"target": "author_ban_status", "positive_class": "banned",
                                        "predictors": ["video_duration_sec", "claim_status"], "extra_candidates": []}})
    with pytest.raises(InputError, match=r"the target has 3 labels .*the logistic regression needs exactly two"):
        build(data, tmp_path / "out", three, studies=["toy", "regression"])
    assert not (tmp_path / "out").exists()
    assert build(data, tmp_path / "out", three, studies=["toy"]).study("toy").results.rows_used == ROWS


# --- The table and its datasets -------------------------------------------------------------


def test_each_study_gets_what_a_reading_of_its_columns_alone_would_give(data):
    wide = read_table(data, schema.REQUIRED)
    for columns in [("verified_status",), ("claim_status", "video_view_count"), analysed_columns(Config())]:
        alone = read_table(data, columns).for_columns(columns)
        shared = wide.for_columns(columns)
        pd.testing.assert_frame_equal(shared.frame, alone.frame)
        assert shared.summary == alone.summary
    from reportgen.data import regression_dataset

    from_wide, direct = regression_dataset(wide, Config()), load_dataset(data, Config())
    pd.testing.assert_frame_equal(from_wide.frame, direct.frame)
    assert from_wide.summary == direct.summary


def test_rows_are_dropped_only_for_the_columns_asked_for(data, frame):
    table = read_table(data, schema.REQUIRED)
    status = table.for_columns(["verified_status"])
    assert status.summary.rows_used == ROWS and status.summary.dropped_reasons == {}
    assert list(status.frame.columns) == ["verified_status"]
    assert status.summary.missing_by_column == {"verified_status": 0}

    views = table.for_columns(["video_view_count", "verified_status"])
    missing_views = int(frame["video_view_count"].isna().sum())
    assert views.summary.dropped_reasons == {"missing values": missing_views}
    assert views.summary.rows_used == ROWS - missing_views
    assert list(views.frame.columns) == ["verified_status", "video_view_count"]  # schema order

    text = table.for_columns([schema.TRANSCRIPTION, "verified_status"])
    assert text.summary.rows_used == ROWS  # a missing transcription never drops a row


def test_repeats_are_dropped_for_every_study_even_one_that_does_not_read_the_id(tmp_path, frame):
    clean = frame.dropna().head(50).reset_index(drop=True)
    again = clean.iloc[[3]].copy()  # an exact repeat
    other = clean.iloc[[5]].copy()
    other["video_like_count"] = 1  # the same id with other values
    path = tmp_path / "repeats.csv"
    pd.concat([clean, again, other], ignore_index=True).to_csv(path, index=False)

    table = read_table(path, schema.REQUIRED)
    for columns in [("verified_status",), analysed_columns(Config())]:
        s = table.for_columns(columns).summary
        assert s.rows_read == 52 and s.rows_used == 50
        assert sum(s.dropped_reasons.values()) == 2
    assert table.for_columns(analysed_columns(Config())).summary.dropped_reasons == {"duplicate row": 1, "duplicate video_id": 1}


def test_target_counts_are_those_of_the_target_asked_for(data):
    table = read_table(data, schema.REQUIRED)
    counted = table.for_columns(["claim_status", "verified_status"], target="claim_status").summary
    assert set(counted.target_counts) == {"claim", "opinion"}
    assert sum(counted.target_counts.values()) == counted.rows_used
    assert table.for_columns(["verified_status"]).summary.target_counts == {}


def test_a_column_not_read_or_not_in_the_schema_is_refused(data, toy):
    table = read_table(data, ["verified_status"])
    with pytest.raises(ValueError, match="video_view_count"):
        table.for_columns(["video_view_count"])
    with pytest.raises(InputError, match="not in the schema"):
        table.for_columns(["views"])

    class Typo(ToyStudy):
        id = "typo"

        def columns(self, config):
            return ("verified_stat",)

    with pytest.raises(InputError, match="study 'typo' reads column\\(s\\) not in the schema: \\['verified_stat'\\]"):
        columns_for([Typo()], Config())


def test_load_studies_reads_once_for_several_studies(data, toy, monkeypatch):
    reads = _counting_reads(monkeypatch)
    datasets = load_studies(data, [toy, studies.get("regression")], Config())
    assert len(reads) == 1 and list(datasets) == ["toy", "regression"]
    assert datasets["toy"].summary.rows_used == ROWS > datasets["regression"].summary.rows_used


# --- validate -------------------------------------------------------------------------------


def test_validate_checks_every_study_from_one_reading(data, frame, toy, monkeypatch, capsys):
    from reportgen.cli import main

    reads = _counting_reads(monkeypatch)
    assert main(["validate", "--data", str(data)]) == 0
    lines = capsys.readouterr().out.splitlines()
    gappy = _gappy_rows(frame)
    assert len(reads) == 1
    assert lines[0] == f"claims.csv: {ROWS:,} rows read"
    assert f"regression: {ROWS:,} rows read, {ROWS - gappy:,} usable, {gappy:,} dropped" in lines
    assert f"toy: {ROWS:,} rows read, {ROWS:,} usable, 0 dropped" in lines
    assert "duplicate rows: 0; repeated video_id: 0" in lines


def test_validate_refuses_a_bad_value_in_any_column_read(data, frame, toy, tmp_path, capsys):
    from reportgen.cli import main

    bad = frame.copy()
    bad["video_share_count"] = bad["video_share_count"].astype(object)
    bad.loc[2, "video_share_count"] = -4
    path = tmp_path / "bad.csv"
    bad.to_csv(path, index=False)
    assert main(["validate", "--data", str(path), "--quiet"]) == 2
    assert capsys.readouterr().err.strip() == f"error: {path}, column 'video_share_count', row 3: negative count (e.g. -4)"

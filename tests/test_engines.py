"""The engines agree: the pandas and DuckDB engines read, check and clean the same data alike.

On the same small synthetic files, both give every study the same summary
(rows used, drops by reason, missing values, repeats, labels) and, with
``sample_rows`` above the row count, the same frame, so the same results; both
refuse the same bad files with the same error line (the bad-input catalogue of
``test_bad_inputs.py``). With fewer ``sample_rows`` than usable rows, the DuckDB
engine's frame is a seeded sample stratified on the target, and the summary
still counts every row.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from catalogue import engine_neutral_cases

from reportgen import engines, schema
from reportgen.config import Config
from reportgen.errors import InputError
from reportgen.studies import chosen
from reportgen.synthetic import generate, write_csv

duckdb = pytest.importorskip("duckdb", reason="the DuckDB engine is optional: pip install 'reportgen[duckdb]'")

ROWS = 2_000


def _load(engine: str, path: Path, config: Config | None = None) -> dict:
    config = config or Config()
    return engines.load_studies(engine, path, chosen(None, config), config)


def _messy(folder: Path) -> Path:
    """Synthetic rows with what the data layer must count: #N/A and empty fields, repeats, a repeated id, odd spellings."""
    frame = generate(rows=ROWS, seed=7).astype(object)
    frame.loc[3, "claim_status"] = None
    frame.loc[4, "video_view_count"] = "#N/A"
    frame.loc[5, schema.TRANSCRIPTION] = ""
    frame.loc[6, "verified_status"] = " Verified "
    frame = pd.concat([frame, frame.iloc[[10, 11]], frame.iloc[[12]].assign(video_duration_sec=1)], ignore_index=True)
    frame.loc[len(frame) - 1, "video_id"] = "00" + str(frame.loc[12, "video_id"]) + ".0"  # the same id, spelled otherwise
    path = folder / "messy.csv"
    frame.to_csv(path, index=False)
    return path


def test_both_engines_give_every_study_the_same_summary_and_frame(tmp_path: Path) -> None:
    path = _messy(tmp_path)
    pandas_, duck = _load("pandas", path), _load("duckdb", path)
    assert list(pandas_) == list(duck)
    for study_id in pandas_:
        a, b = pandas_[study_id], duck[study_id]
        assert a.summary == b.summary, study_id
        pd.testing.assert_frame_equal(a.frame, b.frame)
    regression = duck["regression"].summary
    assert regression.dropped_reasons["duplicate row"] == 2 and regression.dropped_reasons["duplicate video_id"] == 1
    assert regression.sample is None
    assert any("' Verified ' as 'verified'" in w for w in regression.warnings)


def test_the_same_results_json_from_either_engine(tmp_path: Path) -> None:
    data = tmp_path / "demo.csv"
    write_csv(data, rows=ROWS, seed=0)
    results = {}
    for engine in ("pandas", "duckdb"):
        out = tmp_path / engine
        done = subprocess.run(
            [sys.executable, "-m", "reportgen", "build", "--data", str(data), "--out", str(out), "--engine", engine],
            capture_output=True, text=True, check=False, timeout=600,
        )
        assert done.returncode == 0, done.stderr
        assert f"data read by the {engine} engine" in done.stdout
        assert json.loads((out / "manifest.json").read_text())["engine"] == engine
        results[engine] = {p.parent.name: _without_timings(json.loads(p.read_text())) for p in sorted(out.glob("*/results.json"))}
    assert len(results["pandas"]) == 4
    assert results["pandas"] == results["duckdb"]


def _without_timings(doc):
    """A results document without the seconds a search took (they differ from run to run, whatever the engine)."""
    if isinstance(doc, dict):
        return {k: _without_timings(v) for k, v in doc.items() if not k.endswith("_seconds")}
    if isinstance(doc, list):
        return [_without_timings(v) for v in doc]
    return doc


def test_a_sample_is_seeded_stratified_and_recorded_while_the_summary_counts_every_row(tmp_path: Path) -> None:
    data = tmp_path / "demo.csv"
    write_csv(data, rows=6_000, seed=0)
    small = Config.from_dict({"data": {"sample_rows": 1_000}})
    full = _load("pandas", data)["regression"]
    first, again = _load("duckdb", data, small)["regression"], _load("duckdb", data, small)["regression"]
    other_seed = _load("duckdb", data, small.with_overrides(seed=7))["regression"]
    assert len(first.frame) == 1_000
    assert first.summary.sample.rows == 1_000 and first.summary.sample.rows_usable == full.summary.rows_used
    assert first.summary.sample.stratified_by == "verified_status" and first.summary.sample.seed == 42
    assert first.summary.rows_used == full.summary.rows_used and first.summary.target_counts == full.summary.target_counts
    pd.testing.assert_frame_equal(first.frame, again.frame)
    assert not first.frame.equals(other_seed.frame)
    share = full.frame["verified_status"].value_counts(normalize=True)
    sampled = first.frame["verified_status"].value_counts(normalize=True)
    assert (sampled - share).abs().max() < 1 / 1_000 + 1e-9  # stratified: each label's share kept to one row


@pytest.mark.parametrize("case", engine_neutral_cases(), ids=lambda c: c.name)
def test_both_engines_refuse_a_bad_file_with_the_same_error_line(case, tmp_path: Path) -> None:
    path = case.make(tmp_path, generate(rows=ROWS, seed=7))
    said = {}
    for engine in ("pandas", "duckdb"):
        try:
            said[engine] = {i: d.summary for i, d in _load(engine, path).items()}
        except InputError as exc:
            said[engine] = exc.message()
    assert said["pandas"] == said["duckdb"]


def test_an_engine_asked_for_and_not_installed_is_named_with_its_pip_command(tmp_path: Path) -> None:
    data = tmp_path / "demo.csv"
    write_csv(data, rows=500, seed=0)
    probe = (
        "import importlib.util, sys; real = importlib.util.find_spec;"
        "importlib.util.find_spec = lambda name, *a: None if name == 'duckdb' else real(name, *a);"
        "from reportgen.cli import main; sys.exit(main(sys.argv[1:]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, "validate", "--data", str(data), "--engine", "duckdb"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 2
    assert done.stderr.strip() == "error: the duckdb engine needs duckdb, which is not installed (pip install 'reportgen[duckdb]', or choose another engine with --engine or [data] engine)"


def test_auto_picks_pandas_for_a_small_file_and_duckdb_above_the_limit(tmp_path: Path, monkeypatch) -> None:
    data = tmp_path / "demo.csv"
    write_csv(data, rows=500, seed=0)
    assert engines.choose("auto", data) == "pandas"
    monkeypatch.setattr(engines, "AUTO_LIMIT_BYTES", 1_000)
    assert engines.choose("auto", data) == "duckdb"
    monkeypatch.setattr(engines, "installed", lambda engine: engine != "duckdb")
    assert engines.choose("auto", data) == "pandas"


def test_a_default_build_imports_no_duckdb(tmp_path: Path) -> None:
    data = tmp_path / "demo.csv"
    write_csv(data, rows=300, seed=0)
    probe = (
        "import sys; from reportgen.builder import build; from reportgen.config import Config;"
        f"build({str(data)!r}, {str(tmp_path / 'out')!r}, Config(), studies=['hypothesis']);"
        "print(sorted(m for m in ('duckdb', 'pyspark') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=False, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_the_missing_spellings_are_those_of_pandas() -> None:
    from reportgen.engines.sql import NA_TEXT

    assert set(NA_TEXT) == set(pd._libs.parsers.STR_NA_VALUES)


def test_a_sampled_study_can_query_every_usable_row_left_in_duckdb(tmp_path: Path) -> None:
    data = _messy(tmp_path)
    full = _load("pandas", data)["regression"]
    assert full.all_rows is None  # the pandas frame is every usable row
    sampled = _load("duckdb", data, Config.from_dict({"data": {"sample_rows": 1_000}}))
    regression, classifier = sampled["regression"], sampled["classifier"]
    assert _load("duckdb", data)["regression"].all_rows is None  # no sample, nothing left behind
    rows = regression.all_rows
    assert rows.rows == full.summary.rows_used == rows.query("SELECT COUNT(*) FROM {rows}")[0][0] > len(regression.frame)
    # The repeats and the rows missing a value the study reads are not among them, whatever the next study dropped.
    assert rows.query("SELECT COUNT(*) FROM {rows} WHERE video_view_count IS NULL")[0][0] == 0
    mean = rows.query("SELECT AVG(video_view_count), COUNT(DISTINCT _row) FROM {rows}")[0]
    assert mean[0] == pytest.approx(full.frame["video_view_count"].mean(), rel=1e-12) and mean[1] == rows.rows
    assert classifier.all_rows.query("SELECT COUNT(*) FROM {rows}")[0][0] == classifier.summary.rows_used

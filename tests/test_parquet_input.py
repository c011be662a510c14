"""The pandas engine reads Parquet as it reads the CSV: the same checks, the same errors, the same results (issue 18)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from reportgen.config import Config
from reportgen.data import load_studies, read_table
from reportgen.errors import InputError
from reportgen.studies import chosen
from reportgen.synthetic import write_csv

pytest.importorskip("pyarrow", reason="reading Parquet needs pyarrow: pip install 'reportgen[parquet]'")


def _as_parquet(csv: Path) -> Path:
    """The CSV's rows in a Parquet file, typed as pandas reads them (numbers as numbers, #N/A and empty as null)."""
    path = csv.with_suffix(".parquet")
    pd.read_csv(csv).to_parquet(path, index=False)
    return path


def _without(doc, keys=("source", "sha256")):
    """A results document without what names the file and the seconds a step took."""
    if isinstance(doc, dict):
        return {k: _without(v, keys) for k, v in doc.items() if k not in keys and not k.endswith("_seconds")}
    if isinstance(doc, list):
        return [_without(v, keys) for v in doc]
    return doc


def test_the_same_rows_as_csv_and_as_parquet_give_the_same_results_json(tmp_path: Path) -> None:
    csv = write_csv(tmp_path / "demo.csv", rows=2_000, seed=0)
    parquet = _as_parquet(csv)
    assert parquet.read_bytes()[:4] == b"PAR1"
    results = {}
    for path in (csv, parquet):
        out = tmp_path / path.suffix[1:]
        done = subprocess.run(
            [sys.executable, "-m", "reportgen", "build", "--data", str(path), "--out", str(out), "--engine", "pandas"],
            capture_output=True, text=True, check=False, timeout=600,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        docs = {p.parent.name: json.loads(p.read_text()) for p in sorted(out.glob("*/results.json"))}
        assert {d["data"]["source"] for d in docs.values()} == {path.name}
        results[path.suffix] = _without(docs)
    assert len(results[".csv"]) == 4
    assert results[".parquet"] == results[".csv"]


def test_parquet_summaries_and_frames_equal_the_csv_ones(tmp_path: Path) -> None:
    csv = write_csv(tmp_path / "demo.csv", rows=800, seed=4)
    parquet = _as_parquet(csv)
    config = Config()
    ours, theirs = load_studies(parquet, chosen(None, config), config), load_studies(csv, chosen(None, config), config)
    for study, dataset in ours.items():
        assert _without(dataset.summary.__dict__) == _without(theirs[study].summary.__dict__)
        pd.testing.assert_frame_equal(dataset.frame, theirs[study].frame)
    assert sum(ours["regression"].summary.missing_by_column.values()) > 0  # the demo's gaps came through as gaps


@pytest.mark.parametrize(
    ("column", "value", "words"),
    [
        ("video_view_count", -3, "column 'video_view_count', rows 3, 8: negative count (e.g. -3)"),
        ("video_like_count", "many", "column 'video_like_count', rows 3, 8: text where a number belongs (e.g. 'many')"),
        ("author_ban_status", "gone", "column 'author_ban_status', rows 3, 8: unknown value(s) 'gone'"),
    ],
)
def test_a_bad_value_in_parquet_is_refused_in_the_csv_words(tmp_path: Path, column, value, words) -> None:
    frame = pd.read_csv(write_csv(tmp_path / "demo.csv", rows=300, seed=2))
    frame[column] = frame[column].astype(object)
    frame.loc[[2, 7], column] = value
    said = {}
    for suffix in (".csv", ".parquet"):
        path = tmp_path / f"bad{suffix}"
        frame.to_csv(path, index=False) if suffix == ".csv" else frame.astype({column: str}).replace({"nan": None}).to_parquet(path)
        with pytest.raises(InputError) as caught:
            read_table(path, (column,))
        said[suffix] = caught.value.message().replace(str(path), "FILE")
    assert said[".parquet"] == said[".csv"]
    assert said[".csv"].startswith(f"error: FILE, {words}")


def test_a_parquet_file_without_a_column_read_is_refused_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "short.parquet"
    pd.read_csv(write_csv(tmp_path / "demo.csv", rows=50, seed=1)).drop(columns=["claim_status"]).to_parquet(path)
    with pytest.raises(InputError) as caught:
        read_table(path, ("claim_status",))
    assert caught.value.message().startswith(f"error: {path}, column 'claim_status': required column(s) missing: claim_status")

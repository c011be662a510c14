"""Input that must be refused, or read right (issue 11): each case through the real command line where it can be.

A refusal is exit 2 and one exact ``error:`` line naming the file (and the
column and rows where there are some); a file read right keeps every distinct
row. Loader-only cases run ``validate``, which reads and checks like a build
without its cost; ``build`` runs where the bullet is about the report.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from reportgen import schema
from reportgen.config import Config
from reportgen.errors import InputError
from reportgen.synthetic import generate

ROWS = 2_000
_ONE_THREAD = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "reportgen", *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, **_ONE_THREAD, **(env or {})},
    )


def refused(done: subprocess.CompletedProcess) -> str:
    """The one error line of a refused run (exit 2, no traceback)."""
    assert "Traceback" not in done.stderr
    assert done.returncode == 2, done.stderr
    line = done.stderr.strip()
    assert "\n" not in line
    return line


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return generate(rows=ROWS, seed=7)


def write(frame: pd.DataFrame, path: Path) -> Path:
    frame.to_csv(path, index=False)
    return path


def with_values(frame: pd.DataFrame, column: str, values: dict[int, object]) -> pd.DataFrame:
    """A copy of ``frame`` with ``values`` (0-based row -> value) in ``column``, written as given."""
    frame = frame.copy()
    frame[column] = frame[column].astype(object)
    for row, value in values.items():
        frame.loc[row, column] = value
    return frame


def all_values(results: dict) -> list:
    """Every leaf value of a JSON document."""
    if isinstance(results, dict):
        return [v for value in results.values() for v in all_values(value)]
    if isinstance(results, list):
        return [v for value in results for v in all_values(value)]
    return [results]


# --- A target with three labels ---------------------------------------------------------


def test_a_target_with_three_labels_is_refused_naming_them_and_no_report_is_written(tmp_path, frame):
    data = write(frame, tmp_path / "data.csv")
    config = tmp_path / "three.toml"
    config.write_text(
        '[model]\ntarget = "author_ban_status"\npositive_class = "banned"\n'
        'predictors = ["video_duration_sec", "claim_status", "verified_status", "video_view_count"]\n'
        "extra_candidates = []\n"
    )
    done = cli("build", "--data", str(data), "--config", str(config), "--out", str(tmp_path / "out"), "--quiet")
    assert refused(done) == (
        f"error: {data}, column 'author_ban_status': the target has 3 labels ('active', 'under review', 'banned'); "
        "the logistic regression needs exactly two (set model.target to a column with two labels, such as claim_status "
        "or verified_status)"
    )
    assert not (tmp_path / "out").exists()


def test_a_target_whose_rows_hold_two_of_its_three_labels_is_modelled(tmp_path, frame):
    from reportgen.data import load_dataset

    two = frame[frame["author_ban_status"] != "under review"]
    config = Config.from_dict({"model": {"target": "author_ban_status", "positive_class": "banned",
                                         "predictors": ["video_duration_sec", "claim_status"], "extra_candidates": []}})
    summary = load_dataset(write(two, tmp_path / "two.csv"), config).summary
    assert set(summary.target_counts) == {"active", "under review", "banned"} and summary.target_counts["under review"] == 0


# --- Ids read as integers or text, never floats -----------------------------------------


def test_19_digit_ids_that_differ_in_the_last_digit_are_two_videos(tmp_path, frame):
    from reportgen.data import load_dataset

    ids = {0: "1234567890123456781", 1: "1234567890123456782"}  # one float: 1.2345678901234568e18
    data = write(with_values(frame, "video_id", ids), tmp_path / "data.csv")
    done = cli("validate", "--data", str(data))
    assert done.returncode == 0, done.stderr
    assert "duplicate rows: 0; repeated video_id: 0" in done.stdout.splitlines()
    assert "dropped for duplicate video_id" not in done.stdout
    loaded = load_dataset(data, Config()).frame[schema.VIDEO_ID]
    assert str(loaded.dtype) == "Int64"
    assert {1234567890123456781, 1234567890123456782} <= set(loaded.tolist())


def test_ids_beyond_int64_are_kept_as_text_and_stay_distinct(tmp_path, frame):
    from reportgen.data import load_dataset

    ids = {0: "99999999999999999991", 1: "99999999999999999992", 2: "0099999999999999999993"}
    data = write(with_values(frame, "video_id", ids), tmp_path / "data.csv")
    done = cli("validate", "--data", str(data))
    assert done.returncode == 0, done.stderr
    assert "duplicate rows: 0; repeated video_id: 0" in done.stdout.splitlines()
    loaded = load_dataset(data, Config()).frame[schema.VIDEO_ID]
    assert str(loaded.dtype) == "string"
    assert {"99999999999999999991", "99999999999999999992", "99999999999999999993"} <= set(loaded.tolist())
    kept = frame.dropna().index[3]
    assert str(frame.loc[kept, "video_id"]) in set(loaded.tolist())  # the short ids are the text of their digits


def test_an_id_a_spreadsheet_wrote_in_exponent_notation_is_refused(tmp_path, frame):
    data = write(with_values(frame, "video_id", {3: "1.23457E+18"}), tmp_path / "data.csv")
    assert refused(cli("validate", "--data", str(data))) == (
        f"error: {data}, column 'video_id', row 4: an id not written in digits (e.g. '1.23457E+18') "
        "(a spreadsheet that shows ids as 1.23E+18 has rounded them; format the column as text and export again)"
    )


# --- The bytes analysed are the bytes hashed -------------------------------------------------


def _append_while_reading(monkeypatch, data: Path) -> None:
    """Make the loader's reader find rows appended to the file while a build is under way."""
    from reportgen.data import parse

    real_read = parse.read_rows
    extra = data.read_text().splitlines()[1]

    def read(path, header, columns):
        with data.open("a") as fh:
            fh.write(extra.replace(extra.split(",")[2], "1111111111", 1) + "\n")
        return real_read(path, header, columns)

    monkeypatch.setattr(parse, "read_rows", read)


CHANGED = "error: {file}: the file changed while it was being read (run again when it is complete)"


def test_a_file_appended_to_after_hashing_is_refused(tmp_path, frame, monkeypatch):
    from reportgen.data import fingerprint, load_dataset

    data = write(frame, tmp_path / "data.csv")
    digest = fingerprint(data)  # what a build does first
    _append_while_reading(monkeypatch, data)
    with pytest.raises(InputError) as caught:
        load_dataset(data, Config(), digest)
    assert caught.value.message() == CHANGED.format(file=data)


def test_a_file_appended_to_while_validate_reads_it_is_refused(tmp_path, frame, monkeypatch, capsys):
    from reportgen.cli import main

    data = write(frame, tmp_path / "data.csv")
    _append_while_reading(monkeypatch, data)
    assert main(["validate", "--data", str(data), "--quiet"]) == 2
    assert capsys.readouterr().err.strip() == CHANGED.format(file=data)


def test_a_build_of_a_file_appended_to_mid_build_is_refused_and_writes_nothing(tmp_path, frame, monkeypatch):
    from reportgen.builder import build

    data = write(frame, tmp_path / "data.csv")
    _append_while_reading(monkeypatch, data)
    with pytest.raises(InputError) as caught:
        build(data, tmp_path / "out", Config())
    assert caught.value.message() == CHANGED.format(file=data)
    assert not (tmp_path / "out").exists()


# --- Implausible magnitudes; nothing infinite reaches results.json ----------------------------


@pytest.mark.parametrize(
    ("column", "value", "shown", "limit"),
    [
        ("video_view_count", "1e308", "1e+308", "1,000,000,000,000"),
        ("video_comment_count", "2000000000000", "2000000000000", "1,000,000,000,000"),
        ("video_duration_sec", "86401", "86401", "43,200"),
    ],
)
def test_implausibly_large_counts_are_refused_naming_column_and_rows(tmp_path, frame, column, value, shown, limit):
    data = write(with_values(frame, column, {3: value, 4: value}), tmp_path / "data.csv")
    assert refused(cli("validate", "--data", str(data))) == (
        f"error: {data}, column '{column}', rows 4, 5: implausibly large value (e.g. {shown}) "
        f"(this column holds at most {limit}; a larger value is a corrupt field or a unit error)"
    )


def test_a_build_of_counts_at_their_bounds_writes_only_finite_numbers_and_the_hash_of_its_input(tmp_path, frame):
    edited = frame.copy()
    usable = frame.dropna().index
    for i, column in enumerate(schema.COUNTS):  # each at its bound in rows of its own: extreme, not collinear
        edited = with_values(edited, column, {row: int(schema.COUNT_LIMITS[column]) for row in usable[2 * i : 2 * i + 2]})
    data = write(edited, tmp_path / "data.csv")
    out = tmp_path / "out"
    done = cli("build", "--data", str(data), "--out", str(out), "--quiet")
    assert done.returncode == 0, done.stderr

    def no_constant(name: str):
        raise AssertionError(f"{name} in results.json")

    results = json.loads((out / "regression" / "results.json").read_text(), parse_constant=no_constant)
    assert not [v for v in all_values(results) if isinstance(v, str) and v.lower() in ("inf", "-inf", "nan")]
    for manifest_path in (out / "manifest.json", out / "regression" / "manifest.json"):  # the build's and the study's
        manifest = json.loads(manifest_path.read_text())
        assert manifest["input"]["sha256"] == hashlib.sha256(data.read_bytes()).hexdigest() == results["data"]["sha256"]


# --- True/False in a count is text -------------------------------------------------------------


def test_true_and_false_in_a_count_are_text_where_a_number_belongs(tmp_path, frame):
    flags = frame.assign(video_share_count=[i % 2 == 0 for i in range(ROWS)])
    data = write(flags, tmp_path / "data.csv")
    assert refused(cli("validate", "--data", str(data))) == (
        f"error: {data}, column 'video_share_count', rows 1, 2, 3, 4, 5 and {ROWS - 5} more: "
        "text where a number belongs (e.g. 'True')"
    )


# --- Exit 2, not 1, naming the path -------------------------------------------------------------


def _deny(monkeypatch, path: Path) -> None:
    """Reading ``path`` fails as for a file without read permission (tests run as root, where chmod stops nothing)."""
    import builtins
    import pathlib

    denied = PermissionError(errno.EACCES, "Permission denied", str(path))
    real_open, real_path_open = builtins.open, pathlib.Path.open

    def guarded_open(file, *args, **kwargs):
        if str(file) == str(path):
            raise denied
        return real_open(file, *args, **kwargs)

    def guarded_path_open(self, *args, **kwargs):
        if str(self) == str(path):
            raise denied
        return real_path_open(self, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded_open)
    monkeypatch.setattr(pathlib.Path, "open", guarded_path_open)


@pytest.mark.parametrize("command", ["validate", "build"])
def test_an_unreadable_csv_is_exit_2_naming_the_path(tmp_path, frame, monkeypatch, capsys, command):
    from reportgen.cli import main

    data = write(frame, tmp_path / "data.csv")
    _deny(monkeypatch, data)
    where = ["--out", str(tmp_path / "out")] if command == "build" else []
    assert main([command, "--data", str(data), "--quiet", *where]) == 2
    expected = f"error: {data}: the file cannot be read: Permission denied (check that your user may read it)"
    assert capsys.readouterr().err.strip() == expected


def test_a_header_field_of_1_5_mb_is_exit_2_naming_the_path(tmp_path, frame):
    data = tmp_path / "data.csv"
    data.write_text("x" * 1_500_000 + "," + frame.to_csv(index=False))
    assert refused(cli("validate", "--data", str(data))) == (
        f"error: {data}: the first line is longer than 1.0 MiB: this is not the claims CSV's header "
        f"(its header names {len(schema.COLUMNS)} columns in a few hundred bytes; check that this is the right file)"
    )


def test_a_header_field_above_the_csv_modules_limit_but_within_a_mib_is_read(tmp_path, frame):
    wide = frame.copy()
    wide.insert(0, "x" * 500_000, 1)  # csv's default field limit is 128 KiB
    data = write(wide, tmp_path / "data.csv")
    done = cli("validate", "--data", str(data))
    assert done.returncode == 0, done.stderr
    assert f"warning: column(s) not in the claims schema were ignored: '{'x' * 40}'." in done.stdout.splitlines()


@pytest.mark.parametrize("value", ["inf", "nan", "-5", "1.5G", "1e9", "0", "2X", "G"])
def test_a_size_limit_that_is_not_a_whole_size_is_exit_2_naming_the_variable(tmp_path, frame, value):
    data = write(frame, tmp_path / "data.csv")
    done = cli("validate", "--data", str(data), env={"REPORTGEN_MAX_INPUT_BYTES": value})
    expected = f"error: REPORTGEN_MAX_INPUT_BYTES must be a size such as 2G, 500M or a number of bytes, not {value!r}"
    assert refused(done) == expected


@pytest.mark.parametrize("value", ["1073741824", "2G", "2GB", "2GiB", "500M", "4096 K", " 1t "])
def test_a_whole_size_with_an_optional_unit_is_accepted(tmp_path, frame, value):
    data = write(frame, tmp_path / "data.csv")
    done = cli("validate", "--data", str(data), "--quiet", env={"REPORTGEN_MAX_INPUT_BYTES": value})
    assert done.returncode == 0, done.stderr

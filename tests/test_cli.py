"""The command line, run as a user runs it: a subprocess, exit codes, stderr."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "reportgen", *args], capture_output=True, text=True, cwd=cwd, timeout=300)


def test_help_lists_the_commands():
    done = run("--help")
    assert done.returncode == 0
    for command in ("build", "demo", "validate"):
        assert command in done.stdout


def test_bad_usage_exits_2_with_an_error_line():
    done = run("build")
    assert done.returncode == 2
    assert done.stderr.startswith("error: the following arguments are required: --data")
    assert "Traceback" not in done.stderr


def test_demo_at_2000_rows_builds_from_synthetic_data(tmp_path):
    done = run("demo", "--rows", "2000", "--seed", "3", "--out", str(tmp_path / "demo"))
    assert done.returncode == 0, done.stderr
    results = json.loads((tmp_path / "demo" / "regression" / "results.json").read_text())
    assert results["data"]["rows_read"] == 2000
    assert (tmp_path / "demo.csv").is_file()
    assert (tmp_path / "demo" / "index.html").is_file()
    assert results["model"]["positive_class"] == "verified"
    assert "regression (analysed): " in done.stdout and "accuracy" in done.stdout


def test_validate_prints_the_checks(real_data):
    done = run("validate", "--data", str(real_data))
    assert done.returncode == 0, done.stderr
    assert "19,382 rows read, 19,084 usable, 298 dropped" in done.stdout
    assert "dropped for missing values: 298" in done.stdout


def test_missing_file_names_the_file(tmp_path):
    done = run("validate", "--data", str(tmp_path / "nope.csv"))
    assert done.returncode == 2
    assert done.stderr.strip() == f"error: {tmp_path / 'nope.csv'}: file not found (check the path passed to --data)"


def test_a_failed_build_leaves_the_previous_outputs_untouched(tmp_path, small_frame):
    out = tmp_path / "out"
    good = tmp_path / "good.csv"
    small_frame.to_csv(good, index=False)
    assert run("build", "--data", str(good), "--out", str(out), "--quiet").returncode == 0
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    bad = tmp_path / "bad.csv"
    bad.write_text(good.read_text().replace(",verified,", ",verifed,", 1))
    done = run("build", "--data", str(bad), "--out", str(out))
    assert done.returncode == 2 and "column 'verified_status'" in done.stderr
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["good.csv", "bad.csv", "out", ".out.lock"])


HEAVY = ("pandas", "numpy", "scipy", "sklearn", "statsmodels", "matplotlib", "weasyprint", "pptx", "jinja2")


def test_importing_the_command_line_loads_no_heavy_library():
    probe = f"import sys, reportgen.cli, reportgen.builder; print(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


class _Terminal:
    """A stream that says it is a terminal, recording what it is sent."""

    def __init__(self, tty: bool) -> None:
        self.tty, self.text = tty, ""

    def isatty(self) -> bool:
        return self.tty

    def write(self, text: str) -> None:
        self.text += text

    def flush(self) -> None:
        pass


def test_progress_names_each_stage_with_its_rows_only_on_a_terminal_and_never_when_quiet():
    from reportgen.progress import Progress

    shown = {}
    for label, stream, quiet in (("tty", _Terminal(True), False), ("pipe", _Terminal(False), False), ("quiet", _Terminal(True), True)):
        progress = Progress(quiet=quiet, stream=stream)
        with progress.stage("model", 14_313):
            pass
        shown[label] = stream.text
        assert set(progress.timings) == {"model"}  # timed whether or not anything is shown
    assert shown["tty"].startswith("model (14,313 rows)…") and shown["tty"].endswith("s\n")
    assert shown["pipe"] == "" and shown["quiet"] == ""


def test_version_names_the_package_version():
    from reportgen import __version__

    done = run("--version")
    assert (done.returncode, done.stdout) == (0, f"reportgen {__version__}\n")


def test_a_misspelt_command_or_flag_gets_a_did_you_mean(tmp_path):
    assert run("buidl").stderr.startswith("error: argument command: invalid choice: 'buidl'")
    assert "did you mean 'build' for 'buidl'?" in run("buidl").stderr
    forse = run("build", "--data", str(tmp_path / "x.csv"), "--forse")
    assert forse.returncode == 2 and "error: unrecognized arguments: --forse; did you mean '--force' for '--forse'?" in forse.stderr


def test_an_abbreviated_flag_is_not_taken_for_another():
    done = run("build", "--dat", "claims.csv")  # argparse would otherwise read this as --data
    assert done.returncode == 2
    assert done.stderr.startswith("error: the following arguments are required: --data; did you mean '--data' for '--dat'?")


def test_every_option_with_a_default_says_it_in_the_help():
    assert "(default: outputs/demo)" in run("demo", "--help").stdout
    assert "(default: 20000)" in run("demo", "--help").stdout
    assert "(default: localhost)" in run("email", "--help").stdout
    assert "(default: outputs/<data file stem>/)" in run("build", "--help").stdout
    assert "(default: None)" not in run("build", "--help").stdout


def test_every_public_name_stays_itself_on_a_second_access():
    """A submodule named like a public name would replace it once imported (``reportgen.build`` did, issue 17)."""
    probe = (
        "import importlib, pkgutil, reportgen\n"
        "first = {n: getattr(reportgen, n) for n in reportgen.__all__}\n"
        "for m in pkgutil.walk_packages(reportgen.__path__, 'reportgen.'):\n"
        "    if not m.name.endswith('__main__'):\n"
        "        importlib.import_module(m.name)\n"
        "second = {n: getattr(reportgen, n) for n in reportgen.__all__}\n"
        "print(sorted(n for n in first if first[n] is not second[n] or type(second[n]).__name__ == 'module'))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=300, check=False)
    assert (done.returncode, done.stdout.strip()) == (0, "[]"), done.stderr
    assert callable(__import__("reportgen").build)


def test_the_command_leaves_fast_yet_runs_its_exit_handlers(tmp_path):
    """``reportgen`` skips the interpreter's teardown, not the exit handlers: DuckDB's folder is removed, output is whole."""
    pytest.importorskip("duckdb", reason="the DuckDB engine is optional: pip install 'reportgen[duckdb]'")
    from reportgen.synthetic import write_csv

    data = write_csv(tmp_path / "demo.csv", rows=2_000, seed=0)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    command = [sys.executable, "-m", "reportgen", "build", "--data", str(data), "--out", str(tmp_path / "out"),
               "--study", "exploration", "--engine", "duckdb"]
    done = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "TMPDIR": str(scratch)}, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "exploration (analysed)" in done.stdout
    assert "data read by the duckdb engine" in done.stdout
    assert not list(scratch.glob("reportgen-duckdb-*"))  # removed by the handler weakref.finalize registered at exit

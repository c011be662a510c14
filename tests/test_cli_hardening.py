"""Issue 11, the command line: file-system failures the user causes are bad input naming the path;
nothing printed drives the terminal."""

from __future__ import annotations

import errno
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reportgen import capacity, cli
from reportgen.errors import ENVIRONMENT_ERRORS, printable
from reportgen.synthetic import write_csv

ESCAPES = "\x1b]0;pwned\x07"  # sets the terminal title, then rings the bell


def run(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "reportgen", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=300, env=env, cwd=cwd, check=False)


def line(problem_errno: int, path: Path | str) -> str:
    problem, hint = ENVIRONMENT_ERRORS[problem_errno]
    return f"error: {path}: {problem} ({hint})"


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_csv(tmp_path_factory.mktemp("data") / "claims.csv", rows=2_000, seed=7)


@pytest.fixture()
def tmpfs(tmp_path: Path):
    """Mount a small tmpfs with the given options; skipped where mounting is not permitted."""
    mounted: list[Path] = []

    def mount(options: str) -> Path:
        point = tmp_path / f"mnt{len(mounted)}"
        point.mkdir()
        if shutil.which("mount") is None:
            pytest.skip("no mount command")
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(point)], capture_output=True, text=True, check=False)
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here (not root, or no CAP_SYS_ADMIN): {done.stderr.strip()}")
        mounted.append(point)
        return point

    yield mount
    for point in mounted:
        subprocess.run(["umount", "-l", str(point)], check=False)


# --- bullet: a read-only, unwritable or too-long --out, a full disk: exit 2 naming the path ---


def test_an_out_below_a_regular_file_exits_2_naming_the_file(data, tmp_path):
    blocker = tmp_path / "report"
    blocker.write_text("a user's file, not a folder\n")
    done = run("build", "--data", str(data), "--out", str(blocker / "sub" / "out"))
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip() == line(errno.ENOTDIR, blocker / "sub")
    done = run("build", "--data", str(data), "--out", str(blocker / "out"))
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip() == line(errno.EEXIST, blocker)
    assert blocker.read_text() == "a user's file, not a folder\n"


def test_an_out_name_too_long_for_the_file_system_exits_2_naming_the_path(data, tmp_path):
    long_name = "x" * 300
    done = run("build", "--data", str(data), "--out", str(tmp_path / long_name))
    assert done.returncode == 2, done.stderr
    problem, hint = ENVIRONMENT_ERRORS[errno.ENAMETOOLONG]
    match = re.fullmatch(rf"error: (?P<path>.+): {re.escape(problem)} \({re.escape(hint)}\)", done.stderr.strip())
    assert match, done.stderr
    assert match["path"].startswith(str(tmp_path)) and long_name in match["path"]


def test_an_out_on_a_read_only_file_system_exits_2_naming_the_path(data, tmpfs):
    read_only = tmpfs("ro,size=1m")
    done = run("build", "--data", str(data), "--out", str(read_only / "out"))
    assert done.returncode == 2, done.stderr
    problem, hint = ENVIRONMENT_ERRORS[errno.EROFS]
    match = re.fullmatch(rf"error: (?P<path>.+): {re.escape(problem)} \({re.escape(hint)}\)", done.stderr.strip())
    assert match and match["path"].startswith(str(read_only)), done.stderr


def test_a_full_disk_exits_2_naming_the_out_folder(data, tmpfs):
    tiny = tmpfs("size=256k")
    out = tiny / "out"
    done = run("build", "--data", str(data), "--out", str(out))
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip() == line(errno.ENOSPC, out)


@pytest.mark.parametrize("code", sorted(ENVIRONMENT_ERRORS), ids=errno.errorcode.get)
def test_each_environment_error_is_one_error_line_naming_the_path(code, data, tmp_path, monkeypatch, capsys):
    import reportgen.builder

    target = tmp_path / "out" / "results.json"

    def fails(*_args, **_kwargs):
        raise OSError(code, "as the system says it", str(target))

    monkeypatch.setattr(reportgen.builder, "build", fails)
    assert cli.main(["build", "--data", str(data), "--out", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err == line(code, target) + "\n"


def test_a_permission_error_in_process_names_the_path(data, tmp_path, monkeypatch, capsys):
    import reportgen.builder

    def fails(*_args, **_kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(tmp_path / ".out.lock"))

    monkeypatch.setattr(reportgen.builder, "build", fails)
    assert cli.main(["build", "--data", str(data), "--out", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err == line(errno.EACCES, tmp_path / ".out.lock") + "\n"


def test_a_full_disk_without_a_file_name_names_the_out_folder_and_others_stay_unexpected(data, tmp_path, monkeypatch, capsys):
    """A write through an open file reports ENOSPC with no name; a disk error (EIO) or a nameless EACCES is no user error."""
    import reportgen.builder

    raised: list[OSError] = []

    def fails(*_args, **_kwargs):
        raise raised[-1]

    monkeypatch.setattr(reportgen.builder, "build", fails)
    out = tmp_path / "out"
    raised.append(OSError(errno.ENOSPC, "No space left on device"))
    assert cli.main(["build", "--data", str(data), "--out", str(out)]) == 2
    assert capsys.readouterr().err == line(errno.ENOSPC, out) + "\n"
    raised.append(OSError(errno.ENOSPC, "No space left on device"))
    assert cli.main(["build", "--data", str(data)]) == 2  # the default folder, outputs/<stem>
    assert capsys.readouterr().err == line(errno.ENOSPC, Path("outputs") / "claims") + "\n"
    for surprise in (OSError(errno.EIO, "Input/output error", str(out)), OSError(errno.EACCES, "Permission denied")):
        raised.append(surprise)
        assert cli.main(["build", "--data", str(data), "--out", str(out)]) == 1
        assert capsys.readouterr().err.startswith(f"error: unexpected failure: {type(surprise).__name__}: ")


def test_a_mapped_error_shows_its_traceback_with_reportgen_debug_and_still_exits_2(data, tmp_path, monkeypatch, capsys):
    import reportgen.builder

    def fails(*_args, **_kwargs):
        raise OSError(errno.EROFS, "Read-only file system", str(tmp_path / "out"))

    monkeypatch.setattr(reportgen.builder, "build", fails)
    monkeypatch.setenv("REPORTGEN_DEBUG", "1")
    assert cli.main(["build", "--data", str(data), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Traceback") and err.endswith(line(errno.EROFS, tmp_path / "out") + "\n")


def test_a_demo_beyond_the_input_limit_exits_2_at_once_writing_nothing(tmp_path):
    done = run("demo", "--rows", "200000000", "--out", str(tmp_path / "demo"))
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip() == (
        "error: --rows 200,000,000 would write a CSV of about 30.0 GB, above the input limit of 1.1 GB "
        "(REPORTGEN_MAX_INPUT_BYTES) (at most about 7,100,000 rows fit, or raise REPORTGEN_MAX_INPUT_BYTES)"
    )
    assert list(tmp_path.iterdir()) == []


def test_a_demo_beyond_the_memory_exits_2_at_once_saying_how_many_rows_fit(tmp_path):
    env = {**os.environ, "REPORTGEN_MAX_INPUT_BYTES": "1T"}  # let the memory be what binds
    done = run("demo", "--rows", "200000000", "--out", str(tmp_path / "demo"), env=env)
    assert done.returncode == 2, done.stderr
    assert re.fullmatch(
        r"error: --rows 200,000,000 needs about 200\.6 GB of memory to build, and [\d,.]+ GB is available "
        r"\(at most about [\d,]+ rows fit on this machine now\)",
        done.stderr.strip(),
    ), done.stderr
    assert list(tmp_path.iterdir()) == []


def test_the_rows_that_fit_follow_from_the_memory_available(monkeypatch):
    monkeypatch.setattr(capacity, "available_memory", lambda: 2_000_000_000)
    capacity.check_demo_rows(1_000_000)  # 1.6 GB: fits
    with pytest.raises(Exception) as refused:
        capacity.check_demo_rows(2_000_000)
    assert refused.value.message() == (
        "error: --rows 2,000,000 needs about 2.6 GB of memory to build, and 2.0 GB is available "
        "(at most about 1,400,000 rows fit on this machine now)"
    )
    monkeypatch.setattr(capacity, "available_memory", lambda: None)  # cannot tell: no refusal on a guess
    capacity.check_demo_rows(5_000_000)


def test_demo_rows_must_be_a_whole_number():
    done = run("demo", "--rows", "many")
    assert done.returncode == 2
    assert done.stderr.strip() == "error: argument --rows: not a whole number: 'many' (see 'reportgen demo --help')"


# --- bullet: control characters never reach the terminal raw ---


def _no_raw_controls(done: subprocess.CompletedProcess) -> None:
    for stream in (done.stdout, done.stderr):
        assert "\x1b" not in stream and "\x07" not in stream, stream
        assert all(ch.isprintable() or ch == "\n" for ch in stream), stream


def test_escape_codes_in_a_file_name_are_printed_escaped_by_validate_and_build(data, tmp_path):
    hostile = tmp_path / f"claims{ESCAPES}.csv"
    shutil.copy(data, hostile)
    assert printable(hostile.name) == "claims\\x1b]0;pwned\\x07.csv"

    done = run("validate", "--data", str(hostile))
    assert done.returncode == 0, done.stderr
    _no_raw_controls(done)
    assert done.stdout.startswith(f"{printable(hostile.name)}: 2,000 rows read")

    done = run("build", "--data", str(hostile), cwd=tmp_path)  # default --out: outputs/<the hostile stem>
    assert done.returncode == 0, done.stderr
    _no_raw_controls(done)
    lines = done.stdout.splitlines()
    assert lines[0].startswith("config: ")
    assert lines[1].startswith(f"wrote {printable(str(Path('outputs') / hostile.stem))}: index.html")

    broken = tmp_path / f"broken{ESCAPES}.csv"
    broken.write_text("not,the,claims\n1,2,3\n")
    done = run("build", "--data", str(broken), "--out", str(tmp_path / f"out{ESCAPES}"))
    assert done.returncode == 2
    _no_raw_controls(done)
    assert done.stderr.startswith(f"error: {printable(str(broken))}")


def test_watch_lines_are_escaped(tmp_path, capsys):
    from reportgen.delivery.watch import watch

    data = tmp_path / f"d{ESCAPES}.csv"
    data.write_text("x\n")

    def stop(_seconds):
        raise KeyboardInterrupt

    watch(data, lambda: f"rebuilt {ESCAPES}", 0.0, sleep=stop)
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    assert out.splitlines()[0] == f"watching {printable(str(data))} (every 0s; Ctrl-C stops)"
    assert out.splitlines()[1].endswith("rebuilt \\x1b]0;pwned\\x07")


class _Terminal:
    def __init__(self) -> None:
        self.text = ""

    def isatty(self) -> bool:
        return True

    def write(self, text: str) -> None:
        self.text += text

    def flush(self) -> None:
        pass


def test_progress_lines_on_a_terminal_are_escaped():
    from reportgen.progress import Progress

    terminal = _Terminal()
    with Progress(stream=terminal).stage(f"stage{ESCAPES}"):
        pass
    assert "\x1b" not in terminal.text and "\x07" not in terminal.text
    assert terminal.text.startswith("stage\\x1b]0;pwned\\x07…")

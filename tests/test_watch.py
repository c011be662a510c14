"""``reportgen watch`` rebuilds on each settled change and keeps the last good build on a bad one."""

from __future__ import annotations

import json
import queue
import signal
import subprocess
import sys
import threading
import time

from reportgen.synthetic import write_csv


def _lines(process: subprocess.Popen) -> queue.Queue:
    """Stdout lines as they come, read on a thread so the test can time out."""
    q: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [q.put(line) for line in process.stdout], daemon=True).start()
    return q


def _next(q: queue.Queue, containing: str, timeout: float = 120) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            line = q.get(timeout=deadline - time.monotonic())
        except queue.Empty:
            break
        if containing in line:
            return line
    raise AssertionError(f"no line containing {containing!r} within {timeout}s")


def _snapshot(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_two_changes_two_rebuilds_and_a_broken_file_keeps_the_last_good_build(tmp_path):
    data, out = tmp_path / "d.csv", tmp_path / "out"
    write_csv(data, rows=1_500, seed=1)
    process = subprocess.Popen(
        [sys.executable, "-m", "reportgen", "watch", "--data", str(data), "--out", str(out), "--interval", "0.2", "--study", "regression"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        q = _lines(process)
        assert _next(q, "rebuilt").rstrip().endswith(f"{out}: regression first build")
        for seed in (2, 3):
            write_csv(data, rows=1_500 + 100 * seed, seed=seed)
            line = _next(q, "rebuilt")
            rows = json.loads((out / "regression" / "results.json").read_text())["data"]["rows_used"]
            assert f"{out}: regression rows used" in line and line.rstrip().count("→") >= 1
            assert f"{rows:,}" in line
        good = _snapshot(out)
        data.write_text("this is not,the claims file\n1,2\n")
        assert "error:" in _next(q, "kept the last good build")
        assert _snapshot(out) == good
        process.send_signal(signal.SIGINT)
        assert "stopped watching" in _next(q, "stopped")
        assert process.wait(timeout=30) == 0
    finally:
        process.kill()


# --- in-process: a fake sleep drives the polls and changes the file, a bounded loop ends with Ctrl-C ---


def _polls(changes: dict[int, object], stop_after: int):
    """A ``sleep`` that runs ``changes[n]`` on its n-th call and presses Ctrl-C after ``stop_after`` calls."""
    calls = [0]

    def sleep(_seconds: float) -> None:
        calls[0] += 1
        if calls[0] > stop_after:
            raise KeyboardInterrupt
        if calls[0] in changes:
            changes[calls[0]]()

    return sleep


def _watch(data, rebuild, sleep) -> list[str]:
    from reportgen.delivery.watch import watch

    lines: list[str] = []
    watch(data, rebuild, 0.0, say=lines.append, sleep=sleep)
    return lines


def test_an_unexpected_rebuild_failure_is_one_line_and_watching_goes_on(tmp_path, monkeypatch, capsys):
    import numpy as np

    monkeypatch.delenv("REPORTGEN_DEBUG", raising=False)
    data = tmp_path / "d.csv"
    data.write_text("a,b\n1,2\n")
    outcomes = [np.linalg.LinAlgError("Singular matrix"), RuntimeError("something else"), "first build"]

    def rebuild() -> str:
        outcome = outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    def grow() -> None:
        data.write_text(data.read_text() + "3,4\n")

    lines = _watch(data, rebuild, _polls({1: grow, 4: grow}, stop_after=8))
    assert outcomes == []  # three rebuilds: the watcher outlived two failures
    assert len(lines) == 5, lines
    debug_hint = " (set REPORTGEN_DEBUG=1 for the traceback)"
    assert lines[1].endswith("kept the last good build: error: unexpected failure: LinAlgError: Singular matrix" + debug_hint)
    assert lines[2].endswith("kept the last good build: error: unexpected failure: RuntimeError: something else" + debug_hint)
    assert "rebuilt in" in lines[3] and lines[3].endswith("first build")
    assert lines[4] == "stopped watching"
    assert capsys.readouterr().err == ""


def test_with_reportgen_debug_a_failed_rebuild_prints_its_traceback_and_watching_goes_on(tmp_path, monkeypatch, capsys):
    import numpy as np

    monkeypatch.setenv("REPORTGEN_DEBUG", "1")
    data = tmp_path / "d.csv"
    data.write_text("a,b\n1,2\n")
    outcomes = [np.linalg.LinAlgError("Singular matrix"), "same figures"]

    def rebuild() -> str:
        outcome = outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    lines = _watch(data, rebuild, _polls({1: lambda: data.write_text("a,b\n5,6,\n")}, stop_after=4))
    assert lines[1].endswith("kept the last good build: error: unexpected failure: LinAlgError: Singular matrix")
    assert lines[2].endswith("same figures") and lines[3] == "stopped watching"
    err = capsys.readouterr().err
    assert err.startswith("Traceback (most recent call last):") and "LinAlgError: Singular matrix" in err


def test_a_same_size_copy_that_keeps_the_old_mtime_is_rebuilt(tmp_path):
    import os

    from reportgen.delivery.watch import FileState

    data = tmp_path / "d.csv"
    data.write_text("a,b\n1,2\n")
    before = os.stat(data)

    def copy_keeping_mtime() -> None:  # what `cp --preserve=timestamps` of a same-size file does
        data.write_text("a,b\n7,9\n")
        os.utime(data, ns=(before.st_atime_ns, before.st_mtime_ns))

    states: list[FileState | None] = []
    rebuilds = []

    def rebuild() -> str:
        rebuilds.append(data.read_text())
        states.append(FileState.of(data))
        return "rebuilt"

    _watch(data, rebuild, _polls({1: copy_keeping_mtime}, stop_after=5))
    assert rebuilds == ["a,b\n1,2\n", "a,b\n7,9\n"]
    assert (states[0].size, states[0].mtime_ns) == (states[1].size, states[1].mtime_ns)  # size and mtime said nothing


def test_a_status_change_without_new_bytes_rebuilds_nothing(tmp_path):
    import os
    import shutil

    data = tmp_path / "d.csv"
    data.write_text("a,b\n1,2\n")
    rebuilds = []

    def same_bytes_again() -> None:  # ctime and inode move, the bytes do not
        os.chmod(data, 0o600)
        shutil.copy2(data, tmp_path / "copy")  # a new inode, the old mtime
        os.replace(tmp_path / "copy", data)

    _watch(data, lambda: rebuilds.append(1) or "rebuilt", _polls({1: same_bytes_again}, stop_after=5))
    assert rebuilds == [1]

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
        [sys.executable, "-m", "reportgen", "watch", "--data", str(data), "--out", str(out), "--interval", "0.2"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        q = _lines(process)
        assert "first build" in _next(q, "rebuilt")
        for seed in (2, 3):
            write_csv(data, rows=1_500 + 100 * seed, seed=seed)
            line = _next(q, "rebuilt")
            rows = json.loads((out / "results.json").read_text())["data"]["rows_used"]
            assert "rows used" in line and line.rstrip().count("→") >= 1
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

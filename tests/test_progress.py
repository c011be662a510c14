"""Progress a person can see move: a stage longer than a second counts its time on the terminal, and only there."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time

import pytest

from reportgen.progress import LIVE_AFTER, Progress


class _Stream:
    def __init__(self, tty: bool) -> None:
        self.tty, self.text = tty, ""

    def isatty(self) -> bool:
        return self.tty

    def write(self, text: str) -> None:
        self.text += text

    def flush(self) -> None:
        pass


def _run_stage(stream, seconds: float, quiet: bool = False) -> Progress:
    progress = Progress(quiet=quiet, stream=stream)
    with progress.stage("model", 14_313):
        time.sleep(seconds)
    return progress


def test_a_long_stage_shows_its_elapsed_time_counting_on_a_terminal() -> None:
    stream = _Stream(tty=True)
    _run_stage(stream, LIVE_AFTER + 0.7)
    updates = re.findall(r"\rmodel \(14,313 rows\)… (\d+\.\d)s", stream.text)
    assert len(updates) >= 3, stream.text  # counted while running, then the final time
    assert [float(u) for u in updates] == sorted(float(u) for u in updates)
    assert float(updates[0]) >= LIVE_AFTER  # nothing moves in the first second
    assert stream.text.endswith("s\n") and stream.text.count("\n") == 1


def test_a_short_stage_prints_one_plain_line() -> None:
    stream = _Stream(tty=True)
    _run_stage(stream, 0.05)
    assert "\r" not in stream.text and re.fullmatch(r"model \(14,313 rows\)… 0\.\ds\n", stream.text), stream.text


@pytest.mark.parametrize(("tty", "quiet"), [(False, False), (True, True)])
def test_silent_when_piped_or_quiet_and_timed_all_the_same(tty: bool, quiet: bool) -> None:
    stream = _Stream(tty=tty)
    progress = _run_stage(stream, LIVE_AFTER + 0.3, quiet=quiet)
    assert stream.text == ""
    assert progress.timings["model"] >= LIVE_AFTER


def test_no_update_after_the_stage_ends() -> None:
    stream = _Stream(tty=True)
    _run_stage(stream, LIVE_AFTER + 0.3)
    done = stream.text
    time.sleep(0.5)
    assert stream.text == done


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="no pseudo-terminals on this system")
def test_on_a_real_pseudo_terminal_the_line_counts() -> None:
    """stderr a pty, as in a person's terminal: the same counting line arrives."""
    primary, secondary = os.openpty()
    code = "import time\nfrom reportgen.progress import Progress\nwith Progress().stage('load'):\n    time.sleep(1.6)\n"
    try:
        done = subprocess.run([sys.executable, "-c", code], stderr=secondary, stdout=subprocess.DEVNULL, timeout=60)
        os.close(secondary)
        received = b""
        while True:
            try:
                chunk = os.read(primary, 4096)
            except OSError:  # EIO: the writer is gone and everything is read
                break
            if not chunk:
                break
            received += chunk
    finally:
        os.close(primary)
    assert done.returncode == 0
    text = received.decode("utf-8").replace("\r\n", "\n")  # the terminal turns \n into \r\n
    assert re.search(r"\rload… 1\.\ds", text) and text.endswith("s\n"), text

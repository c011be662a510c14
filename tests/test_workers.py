"""The render worker and parallel documents: results come back, failures are raised in the caller."""

from __future__ import annotations

import os

import pytest

from reportgen.errors import InputError
from reportgen.workers import run_in_parallel


def _fail():
    raise InputError("refused in a child", file="x.csv", column="c", rows=[3])


def test_parallel_calls_run_in_other_processes_and_report_their_time(tmp_path):
    marker = tmp_path / "pid"
    outcomes = run_in_parallel([("here", lambda: 1), ("there", lambda: marker.write_text(str(os.getpid())) and os.getpid())])
    assert set(outcomes) == {"here", "there"}
    assert outcomes["here"][1] == 1
    assert outcomes["there"][1] == int(marker.read_text()) != os.getpid()


def test_a_failure_in_a_child_is_raised_in_the_caller_unchanged():
    with pytest.raises(InputError) as caught:
        run_in_parallel([("here", lambda: None), ("there", _fail)])
    assert caught.value.message() == "error: x.csv, column 'c', row 3: refused in a child"


def test_a_child_that_dies_is_an_error_not_a_hang():
    with pytest.raises(RuntimeError, match="stopped unexpectedly"):
        run_in_parallel([("here", lambda: None), ("there", lambda: os._exit(3))])

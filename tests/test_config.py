"""The config is checked whole before any work: file, keys, types, ranges, columns.

Every refusal is one ``error:`` line naming the file and the key, quoting the
value given (escaped, shortened) and saying what to do; the exact lines are
asserted here, in-process through ``Config`` and through the real command line.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reportgen.config import MAX_CONFIG_BYTES, Config
from reportgen.errors import InputError

SOURCE = "c.toml"


def _refusal(text: str, tmp_path: Path) -> str:
    """The error line of a config file holding ``text`` (read through from_file, as the CLI does)."""
    path = tmp_path / SOURCE
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        Config.from_file(path)
    return caught.value.message().replace(str(path), SOURCE)


def _cli(tmp_path: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """The real command line, from tmp_path, with a tiny data file (the config fails before it is read)."""
    (tmp_path / "d.csv").write_text("not read\n")
    return subprocess.run(
        [sys.executable, "-m", "reportgen", *args], cwd=tmp_path, capture_output=True, text=True, timeout=timeout
    )


# --- 2, 5. the file itself ------------------------------------------------------------

GIVE_A_FILE = "give the path of a reportgen.toml, or leave out --config for the defaults"


def test_a_device_exits_2_at_once_through_the_cli(tmp_path):
    started = time.monotonic()
    run = _cli(tmp_path, "validate", "--data", "d.csv", "--config", "/dev/zero", timeout=30)
    assert (run.returncode, run.stderr) == (2, f"error: /dev/zero: config file is a character device, not a regular file ({GIVE_A_FILE})\n")
    assert time.monotonic() - started < 20


def test_a_fifo_exits_2_without_blocking_through_the_cli(tmp_path):
    os.mkfifo(tmp_path / "pipe.toml")
    # Nobody writes to the FIFO: an open() that waits for a writer would hang, and the timeout fails the test.
    run = _cli(tmp_path, "validate", "--data", "d.csv", "--config", "pipe.toml", timeout=30)
    assert (run.returncode, run.stderr) == (2, f"error: pipe.toml: config file is a FIFO, not a regular file ({GIVE_A_FILE})\n")


def test_a_directory_is_refused(tmp_path):
    with pytest.raises(InputError) as caught:
        Config.from_file(tmp_path)
    assert caught.value.message() == f"error: {tmp_path}: config file is a directory, not a regular file ({GIVE_A_FILE})"


def test_a_file_over_the_size_cap_is_refused_before_it_is_read(tmp_path, monkeypatch):
    path = tmp_path / "big.toml"
    path.write_text("# padding\n" * (MAX_CONFIG_BYTES // 10 + 1))
    monkeypatch.setattr(os, "open", lambda *a, **k: pytest.fail("opened a file over the cap"))
    with pytest.raises(InputError) as caught:
        Config.from_file(path)
    assert caught.value.message() == (
        f"error: {path}: config file is 1,048,580 bytes, over the limit of 1,048,576 "
        "(a reportgen.toml is a few hundred bytes; check the path)"
    )


def test_a_file_just_under_the_cap_is_read(tmp_path):
    path = tmp_path / "padded.toml"
    path.write_text("[model]\nseed = 7\n" + "#" * (MAX_CONFIG_BYTES - 30) + "\n")
    assert path.stat().st_size <= MAX_CONFIG_BYTES
    assert Config.from_file(path).model.seed == 7


def test_an_unreadable_config_exits_2_naming_the_path(tmp_path, monkeypatch):
    path = tmp_path / "locked.toml"
    path.write_text("[model]\nseed = 1\n")

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "open", denied)  # chmod 000 does not stop root, who runs the tests
    with pytest.raises(InputError) as caught:
        Config.from_file(path)
    assert caught.value.message() == f"error: {path}: config file cannot be read: permission denied (check its permissions)"


def test_a_path_through_a_file_exits_2_through_the_cli(tmp_path):
    run = _cli(tmp_path, "validate", "--data", "d.csv", "--config", "d.csv/reportgen.toml")
    assert (run.returncode, run.stderr) == (
        2,
        f"error: d.csv/reportgen.toml: config file cannot be read: a folder in its path is a file ({GIVE_A_FILE})\n",
    )


def test_a_missing_config_names_the_path(tmp_path):
    with pytest.raises(InputError) as caught:
        Config.from_file(tmp_path / "nowhere.toml")
    assert caught.value.message() == f"error: {tmp_path / 'nowhere.toml'}: config file not found ({GIVE_A_FILE})"


def test_invalid_utf8_exits_2_through_the_cli(tmp_path):
    (tmp_path / SOURCE).write_bytes(b'[report]\ntitle = "caf\xe9"\n')
    run = _cli(tmp_path, "validate", "--data", "d.csv", "--config", SOURCE)
    assert (run.returncode, run.stderr) == (2, "error: c.toml: config file is not UTF-8 text: byte 0xe9 at offset 21 (save it as UTF-8)\n")


def test_toml_nested_past_the_recursion_limit_is_bad_toml_not_a_crash(tmp_path):
    assert _refusal("a = " + "[" * 100_000, tmp_path) == (
        "error: c.toml: config file is not valid TOML: nested too deeply (a reportgen.toml nests two tables at most)"
    )


def test_bad_toml_names_line_and_column(tmp_path):
    assert _refusal("[model\n", tmp_path) == (
        "error: c.toml: config file is not valid TOML: Expected ']' at the end of a table declaration (at line 1, column 7) "
        "(see https://toml.io for the syntax)"
    )

"""Atomic output: a killed, interrupted or concurrent run never touches the previous deliverables."""

from __future__ import annotations

import fcntl
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_bad_inputs import checksums

from reportgen import staging, synthetic
from reportgen.builder import build
from reportgen.config import Config

BIG_ROWS = 20_000  # a few seconds of build: time to be caught midway, quick to write


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synthetic.write_csv(tmp_path_factory.mktemp("big") / "big.csv", rows=BIG_ROWS, seed=5)


@pytest.fixture(scope="module")
def finished(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One finished build of small data, copied for each test."""
    folder = tmp_path_factory.mktemp("finished")
    build(synthetic.write_csv(folder / "small.csv", rows=2_000, seed=1), folder / "out", Config())
    return folder


@pytest.fixture()
def previous(finished: Path, tmp_path: Path) -> Path:
    """A finished build in ``tmp_path/out``, its data in ``tmp_path/small.csv``."""
    shutil.copy(finished / "small.csv", tmp_path / "small.csv")
    return Path(shutil.copytree(finished / "out", tmp_path / "out"))


def start_build(data: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "reportgen", "build", "--data", str(data), "--out", str(out), "--quiet"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def stages(out: Path) -> list[Path]:
    return sorted(out.parent.glob(f".{out.name}.building-*"))


def wait_for(condition, proc: subprocess.Popen, timeout: float = 120) -> None:
    """Poll until ``condition()`` holds; fail if the build ends first."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert proc.poll() is None, f"the build ended before it could be interrupted: {proc.communicate()}"
        assert time.monotonic() < deadline, "the build never reached the point to interrupt"
        time.sleep(0.01)


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "reportgen", *args], capture_output=True, text=True, timeout=300, check=False)


def test_sigkill_while_writing_figures_leaves_the_previous_build_and_the_next_build_cleans_up(previous, big_csv, tmp_path):
    before = checksums(previous)
    proc = start_build(big_csv, previous)
    # Midway: the stage already holds a figure of the new build when the kill lands.
    wait_for(lambda: any(p.suffix == ".png" for s in stages(previous) for p in s.rglob("*")), proc)
    proc.kill()
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert checksums(previous) == before
    assert len(stages(previous)) == 1  # a kill leaves its stage behind; the next run removes it
    build(tmp_path / "small.csv", previous, Config())  # in-process: the same staging, without a second start-up
    assert stages(previous) == []
    assert set(checksums(previous)) == set(before)  # the same files, rebuilt


def test_ctrl_c_exits_130_removes_its_stage_and_leaves_the_previous_build(previous, big_csv):
    before = checksums(previous)
    proc = start_build(big_csv, previous)
    wait_for(lambda: bool(stages(previous)), proc)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130
    assert err.strip() == "error: interrupted; the output folder is as it was before this run"
    assert checksums(previous) == before
    assert stages(previous) == []


def test_a_second_run_into_the_same_folder_is_refused_while_the_first_runs(previous, big_csv, tmp_path):
    before = checksums(previous)
    first = start_build(big_csv, previous)
    try:
        wait_for(lambda: bool(stages(previous)), first)
        second = cli("build", "--data", str(tmp_path / "small.csv"), "--out", str(previous))
        assert second.returncode == 2
        assert second.stderr.strip() == (
            f"error: {previous}: another reportgen run is writing to this folder (wait for it to finish, or use another --out)"
        )
        assert checksums(previous) == before  # the refused run wrote nothing, the first has not swapped yet
    finally:
        first.kill()
        first.wait()


def test_a_held_lock_refuses_even_an_unchanged_rebuild(previous, tmp_path):
    lock_path = previous.parent / f".{previous.name}.lock"
    with lock_path.open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        done = cli("build", "--data", str(tmp_path / "small.csv"), "--out", str(previous))
    assert done.returncode == 2 and "another reportgen run is writing to this folder" in done.stderr
    done = cli("build", "--data", str(tmp_path / "small.csv"), "--out", str(previous))
    assert done.returncode == 0 and done.stdout.splitlines()[1].startswith("unchanged:")  # released: the same data reuse the build


def _tree(folder: Path, marker: str) -> Path:
    (folder / "figures").mkdir(parents=True)
    (folder / "results.json").write_text(marker)
    return folder


def test_recover_restores_a_backup_left_by_a_swap_killed_between_its_renames(tmp_path):
    out = tmp_path / "out"
    backup = _tree(tmp_path / ".out.previous", "old")  # out renamed away; the stage never renamed in
    stale = _tree(tmp_path / ".out.building-abc", "half")
    staging.recover(out)
    assert (out / "results.json").read_text() == "old"
    assert not backup.exists() and not stale.exists()


def test_recover_drops_the_backup_once_the_new_build_is_in(tmp_path):
    out = _tree(tmp_path / "out", "new")
    _tree(tmp_path / ".out.previous", "old")  # killed after the second rename, before the clean-up
    staging.recover(out)
    assert (out / "results.json").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_failing_build_inside_the_stage_leaves_the_folder_as_it_was(previous):
    before = checksums(previous)
    with pytest.raises(RuntimeError), staging.staged_folder(previous) as stage:
        (stage / "results.json").write_text("half")
        raise RuntimeError("a renderer failed")
    assert checksums(previous) == before
    assert stages(previous) == []


def test_a_folder_of_other_files_is_never_replaced_by_a_build(tmp_path):
    """`--out .` in a project would otherwise swap the whole project away."""
    project = tmp_path / "project"
    project.mkdir()
    data = synthetic.write_csv(project / "week.csv", rows=200, seed=1)
    (project / "notes.txt").write_text("mine")
    before = checksums(project)
    command = [sys.executable, "-m", "reportgen", "build", "--data", "week.csv", "--out", "."]
    done = subprocess.run(command, capture_output=True, text=True, cwd=project, check=False)
    assert done.returncode == 2
    assert done.stderr.strip() == (
        f"error: {project}/notes.txt: reportgen did not write this file (there is no manifest.json in {project}), "
        "and a build replaces the whole folder (choose a new or empty folder for --out)"
    )
    assert checksums(project) == before and data.is_file()


def test_a_file_given_as_the_output_folder_is_refused(tmp_path):
    target = tmp_path / "report.pdf"
    target.write_bytes(b"%PDF-1.7 mine")
    data = synthetic.write_csv(tmp_path / "d.csv", rows=2_000, seed=1)
    done = cli("build", "--data", str(data), "--out", str(target))
    assert done.returncode == 2
    assert done.stderr.strip() == f"error: {target}: exists and is not a folder (choose a folder path for --out)"
    assert target.read_bytes() == b"%PDF-1.7 mine"


def test_an_empty_folder_is_a_fine_output_folder(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    build(synthetic.write_csv(tmp_path / "d.csv", rows=2_000, seed=1), out, Config())
    assert (out / "manifest.json").is_file()

"""Files that are not ours are never deleted or overwritten (issue 11), through the real command line.

A build replaces its output folder whole, so a folder counts as reportgen's
only when its manifest says reportgen wrote it and lists every file in it.
Everything else (another tool's folder with its own manifest.json, a user's
notes saved beside last week's report, a real claims.csv where ``demo``
writes its data) survives every command, and a refusal leaves no lock file.
A swap killed between its two renames is put back by whichever command reads
the build next, and finished folders keep the user's umask.
"""

from __future__ import annotations

import fcntl
import json
import os
import queue
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from test_bad_inputs import checksums, cli

from reportgen import schema, staging, synthetic
from reportgen.builder import build
from reportgen.config import Config
from reportgen.errors import InputError

ROWS = 2_000
USER_FILE_HINT = "(move the file out of the folder, or choose another --out)"


@pytest.fixture(scope="module")
def finished(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One finished build of small data (``out``), its data (``d.csv``) and other data (``d2.csv``)."""
    folder = tmp_path_factory.mktemp("finished").resolve()
    synthetic.write_csv(folder / "d2.csv", rows=ROWS, seed=2)
    build(synthetic.write_csv(folder / "d.csv", rows=ROWS, seed=1), folder / "out", Config())
    return folder


@pytest.fixture()
def tmp(tmp_path: Path) -> Path:
    return tmp_path.resolve()  # messages name resolved paths


@pytest.fixture()
def previous(finished: Path, tmp: Path) -> Path:
    """A copy of the finished build in ``tmp/out``, its data beside it."""
    for name in ("d.csv", "d2.csv"):
        shutil.copy(finished / name, tmp / name)
    return Path(shutil.copytree(finished / "out", tmp / "out"))


def _extension(folder: Path, manifest: dict) -> Path:
    """A folder of another tool's: its own manifest.json and files."""
    folder.mkdir()
    (folder / "manifest.json").write_text(json.dumps(manifest))
    (folder / "background.js").write_text("chrome.runtime.onInstalled.addListener(() => {});\n")
    (folder / "icons").mkdir()
    (folder / "icons" / "icon.png").write_bytes(b"\x89PNG not really")
    return folder


WEB_EXTENSION = {"manifest_version": 3, "name": "My extension", "background": {"service_worker": "background.js"}}
# Another tool's record that even looks like ours: an "outputs" table listing every file, but no mark of reportgen.
LOOKALIKE = {"outputs": {"background.js": "0" * 64, "icons/icon.png": "0" * 64}, "keys": {"analysis": "a", "render": "r"}}


def _lock_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".lock"))


# --- 1. a folder with someone else's manifest.json -------------------------------------------------------------


@pytest.mark.parametrize("manifest", [WEB_EXTENSION, LOOKALIKE], ids=["web-extension", "lookalike-outputs"])
@pytest.mark.parametrize("force", [False, True], ids=["build", "build-force"])
def test_a_folder_with_a_foreign_manifest_is_refused_naming_its_first_foreign_file(previous, tmp, manifest, force):
    ext = _extension(tmp / "ext", manifest)
    before = checksums(ext)
    done = cli("build", "--data", str(tmp / "d.csv"), "--out", str(ext), *(["--force"] if force else []))
    assert done.returncode == 2
    assert done.stderr.strip() == (
        f"error: {ext}/background.js: reportgen did not write this file "
        f"({ext}/manifest.json does not say reportgen wrote it), "
        "and a build replaces the whole folder (choose a new or empty folder for --out)"
    )
    assert checksums(ext) == before
    assert _lock_files(tmp) == []


def test_a_build_marks_its_manifest_as_written_by_reportgen(previous):
    assert json.loads((previous / "manifest.json").read_text())["written_by"] == {"tool": "reportgen", "manifest_version": 1}


# --- 2. a user's file saved into a build folder -----------------------------------------------------------------


def _watch_line(data: Path, out: Path, containing: str) -> str:
    """Start ``reportgen watch``, return its first line containing ``containing``, stop it."""
    process = subprocess.Popen(
        [sys.executable, "-m", "reportgen", "watch", "--data", str(data), "--out", str(out), "--interval", "0.2"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True).start()
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                break
            if containing in line:
                return line.rstrip("\n")
        raise AssertionError(f"watch said no line containing {containing!r}")
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_a_user_file_in_a_build_folder_is_refused_by_a_rebuild_and_named(previous, tmp):
    (previous / "notes.docx").write_bytes(b"PK my notes")
    before = checksums(previous)
    done = cli("build", "--data", str(tmp / "d2.csv"), "--out", str(previous))  # other data: a rebuild is due
    assert done.returncode == 2
    assert done.stderr.strip() == (
        f"error: {previous}/notes.docx: reportgen did not write this file (the build's manifest.json does not list it), "
        f"and a build replaces the whole folder, with --force too {USER_FILE_HINT}"
    )
    assert checksums(previous) == before


@pytest.mark.parametrize("kind", ["user-file-in-build", "foreign-manifest-folder"])
def test_files_that_are_not_ours_survive_every_command(previous, tmp, kind):
    if kind == "user-file-in-build":
        folder = previous
        (folder / "notes.docx").write_bytes(b"PK my notes")
        first, email_status = folder / "notes.docx", 0
    else:
        folder = _extension(tmp / "ext", WEB_EXTENSION)
        first, email_status = folder / "background.js", 2
    before = checksums(folder)
    data, other = str(tmp / "d.csv"), str(tmp / "d2.csv")

    for args, status in [
        (("build", "--data", other, "--out", str(folder)), 2),
        (("build", "--data", data, "--out", str(folder), "--force"), 2),
        (("demo", "--rows", "500", "--out", str(folder)), 2),
        (("email", "--out", str(folder), "--to", "boss@example.com", "--eml", str(tmp / "summary.eml")), email_status),
    ]:
        done = cli(*args)
        assert done.returncode == status, (args, done.stderr)
        if args[0] != "email":
            assert done.stderr.startswith(f"error: {first}: reportgen did not write this file"), (args, done.stderr)
        assert checksums(folder) == before, args

    line = _watch_line(tmp / "d2.csv", folder, "kept the last good build")
    assert f"error: {first}: reportgen did not write this file" in line
    assert checksums(folder) == before
    assert not (tmp / f"{folder.name}.csv").exists()  # demo wrote no data for a refused --out


def test_an_unchanged_build_beside_a_user_file_deletes_nothing(previous, tmp):
    """The fast path writes and deletes nothing, so it may say unchanged; only a swap must refuse."""
    (previous / "notes.docx").write_bytes(b"PK my notes")
    before = checksums(previous)
    done = cli("build", "--data", str(tmp / "d.csv"), "--out", str(previous))
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[1].startswith(f"unchanged: {previous}")
    assert checksums(previous) == before


def test_a_file_saved_into_the_folder_during_a_build_is_not_swapped_away(previous, tmp):
    """The target is checked again just before the swap, not only when the build starts."""
    before = checksums(previous)
    saved_meanwhile = pytest.raises(InputError, match="notes.docx: reportgen did not write this file")
    with saved_meanwhile, staging.staged_folder(previous) as stage:
        (stage / "results.json").write_text("new")
        (previous / "notes.docx").write_bytes(b"saved while the build ran")
    assert (previous / "notes.docx").read_bytes() == b"saved while the build ran"
    assert {k: v for k, v in checksums(previous).items() if k != "notes.docx"} == before


# --- 3. demo and the user's CSV ---------------------------------------------------------------------------------


def _user_csvs(tmp: Path) -> dict[str, bytes]:
    """CSVs that demo did not write, though some look like its own."""
    frame = synthetic.generate(rows=300, seed=7)
    real = frame.copy()
    real[schema.TRANSCRIPTION] = [f"my own transcript number {i}" for i in range(len(real))]
    appended = frame.copy()
    appended.loc[len(appended) - 1, schema.TRANSCRIPTION] = "a real row added at the end by hand"
    return {
        "real-rows": real.to_csv(index=False, lineterminator="\n").encode(),
        "demo-with-a-real-row": appended.to_csv(index=False, lineterminator="\n").encode(),
        "not-a-csv": b"%PDF-1.7 not data at all",
        "empty": b"",
    }


@pytest.mark.parametrize("kind", ["real-rows", "demo-with-a-real-row", "not-a-csv", "empty"])
def test_demo_refuses_to_replace_a_csv_it_did_not_write(tmp, kind):
    claims = tmp / "claims.csv"
    claims.write_bytes(_user_csvs(tmp)[kind])
    done = cli("demo", "--rows", "500", "--out", str(tmp / "claims"))
    assert done.returncode == 2
    assert done.stderr.strip() == (
        f"error: {claims}: this file is not a demo CSV that reportgen wrote, "
        "and demo would replace it with synthetic rows "
        "(choose another --out; demo writes its data beside the folder as <out>.csv)"
    )
    assert claims.read_bytes() == _user_csvs(tmp)[kind]
    assert sorted(p.name for p in tmp.iterdir()) == ["claims.csv"]  # no folder, no lock, no partial file


def test_demo_replaces_its_own_demo_csv_which_reads_as_ordinary_data(tmp):
    claims = synthetic.write_csv(tmp / "claims.csv", rows=300, seed=3)
    assert synthetic.is_demo_csv(claims)
    done = cli("demo", "--rows", "2000", "--seed", "5", "--out", str(tmp / "claims"), "--quiet")
    assert done.returncode == 0, done.stderr
    expected = synthetic.generate(rows=2_000, seed=5).to_csv(index=False, lineterminator="\n").encode()
    assert claims.read_bytes() == expected  # the loader read it as data: the build ran on it
    assert json.loads((tmp / "claims" / "regression" / "results.json").read_text())["data"]["rows_read"] == 2_000


def test_a_demo_csv_is_recognised_by_content_not_name(tmp):
    renamed = synthetic.write_csv(tmp / "anything.txt", rows=50, seed=1)
    assert synthetic.is_demo_csv(renamed)
    assert not synthetic.is_demo_csv(tmp)  # a folder
    assert not synthetic.is_demo_csv(tmp / "missing.csv")
    real = tmp / "real.csv"
    real.write_bytes(_user_csvs(tmp)["real-rows"])
    assert not synthetic.is_demo_csv(real)


# --- 4. refused targets leave no lock file ----------------------------------------------------------------------


@pytest.mark.parametrize("target", ["plain-file", "folder-of-foreign-files"])
@pytest.mark.parametrize("command", ["build", "demo"])
def test_a_refused_target_leaves_no_lock_file(previous, tmp, target, command):
    parent = tmp / "parent"
    parent.mkdir()
    if target == "plain-file":
        out = parent / "etc"
        out.write_text("a file, like /etc/passwd")
    else:
        out = parent / "project"
        out.mkdir()
        (out / "notes.txt").write_text("mine")
    names_before, files_before = sorted(p.name for p in parent.iterdir()), checksums(parent)
    args = ["--data", str(tmp / "d.csv")] if command == "build" else ["--rows", "500"]
    done = cli(command, *args, "--out", str(out))
    assert done.returncode == 2
    assert done.stderr.startswith(f"error: {out}")
    assert sorted(p.name for p in parent.iterdir()) == names_before  # no .etc.lock, no demo CSV
    assert checksums(parent) == files_before


def test_a_refusal_of_a_huge_folder_stops_at_its_first_foreign_file(tmp, monkeypatch):
    """`--out /` must not walk the whole disk to be refused."""
    out = tmp / "big"
    for sub in ("a", "b", "c"):
        (out / sub).mkdir(parents=True)
        (out / sub / "x.txt").write_text(sub)
    listed = []
    real_listing = staging._listing
    monkeypatch.setattr(staging, "_listing", lambda folder: listed.append(folder) or real_listing(folder))
    with pytest.raises(InputError, match="a/x.txt: reportgen did not write this file"):
        staging.check_target(out)
    assert listed == [out, out / "a"]


# --- 5. a swap killed between its two renames --------------------------------------------------------------------


def _kill_between_renames(out: Path) -> Path:
    """What a kill between the swap's two renames leaves: the old build renamed to the backup, nothing at ``out``."""
    backup = out.parent / f".{out.name}.previous"
    out.rename(backup)
    return backup


def test_build_restores_a_half_swapped_build_and_says_unchanged(previous, tmp):
    before = checksums(previous)
    backup = _kill_between_renames(previous)
    done = cli("build", "--data", str(tmp / "d.csv"), "--out", str(previous))
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[1].startswith(f"unchanged: {previous} already holds this build")
    assert checksums(previous) == before and not backup.exists()


def test_email_reads_a_half_swapped_build_after_restoring_it(previous, tmp):
    before = checksums(previous)
    backup = _kill_between_renames(previous)
    eml = tmp / "summary.eml"
    done = cli("email", "--out", str(previous), "--to", "boss@example.com", "--eml", str(eml))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"wrote {eml}")
    assert checksums(previous) == before and not backup.exists()


def test_watch_restores_a_half_swapped_build_and_says_unchanged(previous, tmp):
    before = checksums(previous)
    _kill_between_renames(previous)
    assert _watch_line(tmp / "d.csv", previous, "rebuilt").endswith(f"{previous}: unchanged")
    assert checksums(previous) == before


def test_restore_leaves_the_folder_to_a_run_that_holds_the_lock(previous):
    """restore needs no lock held: it never undoes the swap of a run that is still writing."""
    backup = _kill_between_renames(previous)
    with (previous.parent / f".{previous.name}.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        staging.restore(previous)
        assert backup.is_dir() and not previous.exists()
        fcntl.flock(lock, fcntl.LOCK_UN)
    staging.restore(previous)
    assert previous.is_dir() and not backup.exists()


def test_restore_with_nothing_to_restore_makes_no_lock_file(tmp):
    staging.restore(tmp / "never-built")
    assert list(tmp.iterdir()) == []


# --- 6. the user's umask --------------------------------------------------------------------------------------


@pytest.mark.parametrize("umask", [0o022, 0o027], ids=["umask-022", "umask-027"])
def test_build_folders_follow_the_umask(finished, tmp, umask):
    out = tmp / "out"
    done = subprocess.run(
        [sys.executable, "-m", "reportgen", "build", "--data", str(finished / "d.csv"), "--out", str(out), "--quiet"],
        capture_output=True, text=True, timeout=300, check=False, preexec_fn=lambda: os.umask(umask),
    )
    assert done.returncode == 0, done.stderr
    folders = [out, *(p for p in out.rglob("*") if p.is_dir())]
    files = [p for p in out.rglob("*") if p.is_file()]
    assert len(folders) >= 2 and files
    assert {p: stat.S_IMODE(p.stat().st_mode) for p in folders} == {p: 0o777 & ~umask for p in folders}
    assert {p: stat.S_IMODE(p.stat().st_mode) for p in files} == {p: 0o666 & ~umask for p in files}


def test_a_child_of_a_killed_build_does_not_keep_the_folder_locked(tmp_path):
    """A build's forked children die with it, but not at the same instant: the lock must not wait for them."""
    out = tmp_path / "out"
    script = (
        "import os, signal, sys, time\n"
        "from pathlib import Path\n"
        "from reportgen.staging import staged_folder\n"
        f"with staged_folder(Path({str(out)!r})):\n"
        "    child = os.fork()\n"
        "    if child == 0:\n"
        "        null = os.open(os.devnull, os.O_RDWR)\n"
        "        os.dup2(null, 1), os.dup2(null, 2)  # let the test read the parent's output to its end now\n"
        "        time.sleep(30)\n"
        "        os._exit(0)\n"
        "    print(child, flush=True)\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    orphan = int(done.stdout.split()[0])
    try:
        assert done.returncode == -signal.SIGKILL
        with staging.staged_folder(out):  # the orphan still runs: it must not hold the lock
            pass
    finally:
        os.kill(orphan, signal.SIGKILL)

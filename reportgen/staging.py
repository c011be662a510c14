"""Build into a temporary folder beside the output folder, then swap it in.

A failed or interrupted run never touches the previous deliverables: until
the swap, they are not opened; the swap itself is two renames on one file
system, and a leftover backup from a killed swap is restored on the next run
(and by every command that reads a build, before it reads: ``restore``).
Because the swap replaces the whole folder, only a folder that holds nothing
but a previous build is replaced: its manifest must say reportgen wrote it and
list every file in it. Anything else (``--out .`` in a project, another tool's
folder with its own manifest.json, a user's notes saved beside the report) is
refused, never replaced, and refused before any lock file is made beside it.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from reportgen.artifacts import MANIFEST, read_json, written_by_reportgen
from reportgen.errors import InputError

_LOCK = ".{name}.lock"
_BACKUP = ".{name}.previous"
_STAGE_PREFIX = ".{name}.building-"
#: A manifest.json larger than this is nobody's build record: it is not read at all.
_MANIFEST_MAX_BYTES = 16 * 1024 * 1024
#: The descriptors of the output-folder locks this process holds (see ``_unlocked_in_child``).
_HELD: set[int] = set()


def _unlocked_in_child() -> None:
    """In a forked child, point every held lock's descriptor at /dev/null: the lock stays the parent's alone.

    A flock is released only when every descriptor sharing it is closed, and a fork shares them all: a child
    that outlives a killed build by a moment (it dies with its parent, but not at the same instant) kept the
    folder locked, and the next run was refused. The descriptor number stays valid (its file object is never
    closed in a child, which leaves by ``os._exit``), so nothing else can be closed by mistake.
    """
    if not _HELD:
        return
    null = os.open(os.devnull, os.O_RDWR)
    for fd in _HELD:
        os.dup2(null, fd)
    os.close(null)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_unlocked_in_child)


@contextmanager
def staged_folder(out: Path) -> Iterator[Path]:
    """Yield an empty folder; on success it replaces ``out``, on failure it vanishes."""
    out = out.resolve()
    check_target(out)  # before the lock: a refused target gets no lock file beside it
    out.parent.mkdir(parents=True, exist_ok=True)
    with _exclusive(out):
        recover(out)
        check_target(out)  # again under the lock: recover may have put a build back, another run may have written
        stage = _new_stage(out)
        try:
            yield stage
            check_target(out)  # a build takes a while: a file saved into the folder meanwhile is not ours either
            _swap(stage, out)
        finally:
            shutil.rmtree(stage, ignore_errors=True)


@contextmanager
def _exclusive(out: Path) -> Iterator[None]:
    """One build per output folder at a time: a second one is refused, never interleaved."""
    import fcntl

    lock_path = out.parent / _LOCK.format(name=out.name)
    with lock_path.open("a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise InputError(
                "another reportgen run is writing to this folder", file=out, hint="wait for it to finish, or use another --out"
            ) from None
        _HELD.add(lock.fileno())
        try:
            yield
        finally:
            _HELD.discard(lock.fileno())
            fcntl.flock(lock, fcntl.LOCK_UN)


def check_target(out: Path) -> None:
    """Refuse an ``out`` that a build may not replace whole.

    A missing or empty folder, or one holding a build and nothing else, may
    be replaced. A build is a folder whose ``manifest.json`` says reportgen
    wrote it and lists every file in it (besides itself).

    Parameters
    ----------
    out : Path
        The output folder, as resolved by the caller.

    Raises
    ------
    InputError
        ``out`` is a file, cannot be read, or holds a file that reportgen did
        not write; the first such file in sorted order is named.
    """
    if not out.exists():
        return
    if not out.is_dir():
        raise InputError("exists and is not a folder", file=out, hint="choose a folder path for --out")
    manifest = _manifest(out)
    ours = written_by_reportgen(manifest)
    listed = {*manifest["outputs"], MANIFEST} if ours else set()
    # The walk stops at the first foreign file: `--out /` must not read the whole disk to be refused.
    first = next((name for name in _files(out) if name not in listed), None)
    if first is None:
        return  # empty (or empty subfolders only), or a build and nothing else
    if not ours:
        manifest_path = out / MANIFEST
        why = f"{manifest_path} does not say reportgen wrote it" if _exists(manifest_path) else f"there is no {MANIFEST} in {out}"
        raise InputError(
            f"reportgen did not write this file ({why}), and a build replaces the whole folder",
            file=out / first,
            hint="choose a new or empty folder for --out",
        )
    raise InputError(
        f"reportgen did not write this file (the build's {MANIFEST} does not list it), "
        "and a build replaces the whole folder, with --force too",
        file=out / first,
        hint="move the file out of the folder, or choose another --out",
    )


def _files(folder: Path) -> Iterator[str]:
    """Every entry of ``folder`` but its subfolders, as relative paths in sorted order, lazily.

    Sorted by name within each folder, depth first; a symlink is an entry
    like a file and never followed.
    """
    stack = [(_listing(folder), "")]  # a stack, not recursion: any depth of folders is walked
    while stack:
        entries, prefix = stack[-1]
        entry = next(entries, None)
        if entry is None:
            stack.pop()
        elif entry.is_dir(follow_symlinks=False):
            stack.append((_listing(Path(entry.path)), f"{prefix}{entry.name}/"))
        else:
            yield prefix + entry.name


def _listing(folder: Path) -> Iterator[os.DirEntry]:
    """A folder's entries sorted by name; an unreadable folder is refused, as what it holds cannot be checked."""
    try:
        with os.scandir(folder) as listing:
            return iter(sorted(listing, key=lambda e: e.name))
    except OSError as exc:
        raise InputError(
            f"cannot be read ({exc.strerror}), so whether it holds only a build cannot be checked",
            file=folder,
            hint="choose another --out",
        ) from None


def _exists(path: Path) -> bool:
    """Present in any form, a dangling symlink included."""
    return path.exists() or path.is_symlink()


def _manifest(folder: Path) -> object:
    """The folder's manifest.json, read only if it is a regular file of sane size (a FIFO would hang the read)."""
    path = folder / MANIFEST
    try:
        if not path.is_file() or path.stat().st_size > _MANIFEST_MAX_BYTES:
            return None
    except OSError:
        return None
    return read_json(path)


def _new_stage(out: Path) -> Path:
    """A new empty folder beside ``out``, made with the user's umask.

    ``tempfile.mkdtemp`` would make it 0700, and the swap would hand that on
    to the finished build, which teammates then cannot open.
    """
    stage = out.parent / (_STAGE_PREFIX.format(name=out.name) + secrets.token_hex(8))
    stage.mkdir(mode=0o777)
    return stage


def _swap(stage: Path, out: Path) -> None:
    """Move the finished build into place, keeping the old one until the new one is in."""
    backup = out.parent / _BACKUP.format(name=out.name)
    if out.exists():
        out.rename(backup)
    stage.rename(out)
    shutil.rmtree(backup, ignore_errors=True)


def recover(out: Path) -> None:
    """Undo a swap that was killed between its two renames; clear stale stages. Call it under the lock."""
    backup = out.parent / _BACKUP.format(name=out.name)
    if backup.exists():
        if out.exists():
            shutil.rmtree(backup, ignore_errors=True)
        else:
            backup.rename(out)
    for stale in out.parent.glob(_STAGE_PREFIX.format(name=out.name) + "*"):
        shutil.rmtree(stale, ignore_errors=True)


def tidy(out: Path) -> None:
    """Clear what a killed run left beside ``out``; refused, like a build, while another run holds it."""
    out = out.resolve()
    with _exclusive(out):
        recover(out)


def restore(out: Path) -> None:
    """Put back a build whose swap was killed between its two renames, so that it can be read.

    Every command that reads a build calls this first; it needs no lock held.
    It acts only when ``out`` is missing and its backup is there, and then
    under the lock, taken without waiting: a run holding the lock owns the
    folder and finishes or undoes its own swap. Nothing else is touched (stale
    stages are left to the next build), and no lock file is made when there
    is nothing to restore.

    Parameters
    ----------
    out : Path
        The output folder.
    """
    out = Path(out).resolve()
    backup = out.parent / _BACKUP.format(name=out.name)
    if out.exists() or not backup.is_dir():
        return
    try:
        with _exclusive(out):
            if not out.exists() and backup.is_dir():
                backup.rename(out)
    except InputError:
        pass  # another run is writing here: its swap is not ours to undo
    except OSError:
        pass  # cannot lock or rename here (a read-only parent): the reader then reports that no build is there

"""Build into a temporary folder beside the output folder, then swap it in.

A failed or interrupted run never touches the previous deliverables: until
the swap, they are not opened; the swap itself is two renames on one file
system, and a leftover backup from a killed swap is restored on the next run.
Because the swap replaces the whole folder, a folder holding anything but a
previous build (``--out .`` in a project, say) is refused, never replaced.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from reportgen.artifacts import MANIFEST
from reportgen.errors import InputError

_LOCK = ".{name}.lock"
_BACKUP = ".{name}.previous"
_STAGE_PREFIX = ".{name}.building-"


@contextmanager
def staged_folder(out: Path) -> Iterator[Path]:
    """Yield an empty folder; on success it replaces ``out``, on failure it vanishes."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    with _exclusive(out):
        recover(out)
        _check_replaceable(out)
        stage = Path(tempfile.mkdtemp(prefix=_STAGE_PREFIX.format(name=out.name), dir=out.parent))
        try:
            yield stage
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
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _check_replaceable(out: Path) -> None:
    """The swap replaces ``out`` whole: refuse a file, or a folder of files that a build did not write."""
    if out.exists() and not out.is_dir():
        raise InputError("exists and is not a folder", file=out, hint="choose a folder path for --out")
    if out.is_dir() and any(out.iterdir()) and not (out / MANIFEST).is_file():
        raise InputError(
            f"this folder holds files that reportgen did not write (there is no {MANIFEST}), "
            "and a build replaces the whole folder",
            file=out,
            hint="choose a new or empty folder for --out",
        )


def _swap(stage: Path, out: Path) -> None:
    """Move the finished build into place, keeping the old one until the new one is in."""
    backup = out.parent / _BACKUP.format(name=out.name)
    if out.exists():
        out.rename(backup)
    stage.rename(out)
    shutil.rmtree(backup, ignore_errors=True)


def recover(out: Path) -> None:
    """Undo a swap that was killed between its two renames; clear stale stages."""
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

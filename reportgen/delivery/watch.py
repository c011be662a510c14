"""``reportgen watch``: rebuild when the data file changes, keep the last good build when a rebuild fails.

Polling (stdlib only) rather than OS notifications: it works the same on
network shares and in containers, and a 1-second poll costs nothing. A change
is acted on only once the file has stopped changing (the same state over two
polls), so a half-copied export is never read.

A poll reads only the file's status. Size and mtime are what a writer moves;
but a copy that keeps the old mtime (``cp --preserve=timestamps``, ``rsync
-t``, an ``os.utime`` back) of a file of the same size moves neither, only the
ctime or the inode. Then, and only then, the file is hashed and compared with
the hash taken when it was last built (one read per rebuild, beside the
build's own; none per poll).
"""

from __future__ import annotations

import hashlib
import os
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from reportgen.errors import InputError, explain, printable, unexpected_line


@dataclass(frozen=True)
class FileState:
    """What a poll sees of the file: enough to notice any rewrite."""

    size: int
    mtime_ns: int
    ctime_ns: int = 0
    inode: int = 0

    @classmethod
    def of(cls, path: Path) -> FileState | None:
        """The state now, or None while the file is absent."""
        try:
            st = os.stat(path)
        except OSError:
            return None
        return cls(st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)

    def same_size_and_mtime(self, other: FileState | None) -> bool:
        """Size and mtime agree: a writer that kept the mtime may still have changed the bytes."""
        return other is not None and (self.size, self.mtime_ns) == (other.size, other.mtime_ns)


def content_hash(path: Path) -> str | None:
    """sha256 of the file's bytes, or None when it cannot be read now."""
    try:
        with open(path, "rb") as f:
            return hashlib.file_digest(f, "sha256").hexdigest()
    except OSError:
        return None


def settled_changes(path: Path, interval: float, sleep: Callable[[float], None] = time.sleep) -> Iterator[FileState | None]:
    """Yield once at start and then after every change that has settled."""
    seen = FileState.of(path)
    built = content_hash(path)
    yield seen
    while True:
        sleep(interval)
        now = FileState.of(path)
        if now == seen or now is None:
            continue
        if now.same_size_and_mtime(seen) and content_hash(path) == built:
            seen = now  # a chmod, a touch -m back, the same bytes copied over: nothing to rebuild
            continue
        while True:  # wait until two polls agree: the writer has finished
            sleep(interval)
            later = FileState.of(path)
            if later == now:
                break
            now = later
        seen, built = now, content_hash(path)
        yield seen


def watch(
    data: Path,
    rebuild: Callable[[], str],
    interval: float = 1.0,
    say: Callable[[str], None] | None = None,
    *,
    out: Path | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """Run ``rebuild`` at start and after each settled change, one line per rebuild.

    A rebuild that fails, for any reason, leaves the last good deliverables in
    place (builds are atomic) and says why in one line; the watch goes on.
    With ``REPORTGEN_DEBUG`` set, the traceback of a failure that is not bad
    input is printed on stderr too. Ctrl-C ends the watch.

    Parameters
    ----------
    data : Path
        The file watched.
    rebuild : callable
        Builds; returns the line that says what changed.
    interval : float
        Seconds between polls.
    say : callable, optional
        Where the lines go; printed, control characters escaped, by default.
    out : Path, optional
        The output folder, named when a full disk reports no file name.
    sleep : callable
        Waits between polls (a test passes one that changes the file).
    """
    say = say or _print
    say(f"watching {data} (every {interval:g}s; Ctrl-C stops)")
    try:
        for _ in settled_changes(data, interval, sleep):
            start = time.perf_counter()
            stamp = time.strftime("%H:%M:%S")
            try:
                what = rebuild()
                say(f"[{stamp}] rebuilt in {time.perf_counter() - start:.1f}s: {what}")
            except Exception as exc:  # noqa: BLE001 - any failure, expected or not, must not end the watch
                say(f"[{stamp}] kept the last good build: {_failure_line(exc, out)}")
    except KeyboardInterrupt:
        say("stopped watching")


def _failure_line(exc: Exception, out: Path | None) -> str:
    """The ``error:`` line of a failed rebuild, as the command line would print it; the traceback on stderr when debugging."""
    debug = bool(os.environ.get("REPORTGEN_DEBUG"))
    if debug and not isinstance(exc, InputError):  # bad data needs no traceback; anything else might
        for line in traceback.format_exc().rstrip("\n").split("\n"):
            print(printable(line), file=sys.stderr, flush=True)
    bad_input = explain(exc, out)
    if bad_input is not None:
        return bad_input.message()
    return unexpected_line(exc) + ("" if debug else " (set REPORTGEN_DEBUG=1 for the traceback)")


def _print(line: str) -> None:
    """The default ``say``: one escaped line on stdout."""
    print(printable(line), flush=True)

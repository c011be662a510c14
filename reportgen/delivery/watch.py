"""``reportgen watch``: rebuild when the data file changes, keep the last good build when a rebuild fails.

Polling (stdlib only) rather than OS notifications: it works the same on
network shares and in containers, and a 1-second poll costs nothing. A change
is acted on only once the file has stopped changing (size and mtime the same
over two polls), so a half-copied export is never read.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from reportgen.errors import InputError


@dataclass(frozen=True)
class FileState:
    """What a poll sees of the file: enough to notice any rewrite."""

    size: int
    mtime_ns: int

    @classmethod
    def of(cls, path: Path) -> FileState | None:
        """The state now, or None while the file is absent."""
        try:
            st = os.stat(path)
        except OSError:
            return None
        return cls(st.st_size, st.st_mtime_ns)


def settled_changes(path: Path, interval: float, sleep: Callable[[float], None] = time.sleep):
    """Yield once at start and then after every change that has settled."""
    seen = FileState.of(path)
    yield seen
    while True:
        sleep(interval)
        now = FileState.of(path)
        if now == seen or now is None:
            continue
        while True:  # wait until two polls agree: the writer has finished
            sleep(interval)
            later = FileState.of(path)
            if later == now:
                break
            now = later
        seen = now
        yield seen


def watch(data: Path, rebuild: Callable[[], str], interval: float = 1.0, say: Callable[[str], None] = print) -> None:
    """Run ``rebuild`` at start and after each settled change, one line per rebuild.

    A rebuild that fails with bad input leaves the last good deliverables in
    place (builds are atomic) and says why; the watch goes on. Ctrl-C ends it.
    """
    say(f"watching {data} (every {interval:g}s; Ctrl-C stops)")
    try:
        for _ in settled_changes(data, interval):
            start = time.perf_counter()
            stamp = time.strftime("%H:%M:%S")
            try:
                what = rebuild()
                say(f"[{stamp}] rebuilt in {time.perf_counter() - start:.1f}s: {what}")
            except InputError as exc:
                say(f"[{stamp}] kept the last good build: {exc.message()}")
    except KeyboardInterrupt:
        say("stopped watching")

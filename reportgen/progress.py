"""Progress on stderr (only to a terminal, never with --quiet) and stage timings.

A stage that runs longer than a second shows its elapsed time counting on the
terminal (a small thread rewrites the line with ``\\r`` a few times a second);
no library is needed for one line. Nothing is written when the stream is not a
terminal or the run is quiet, and the timings are recorded either way.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from reportgen.errors import printable

#: A stage shows its elapsed time once it has run this long (seconds), then every TICK.
LIVE_AFTER = 1.0
TICK = 0.2

# Lines from every Progress and their tickers go through one lock, and only the stage started last ticks:
# a stage started inside another (a study's stages within a build) takes the line over.
_lock = threading.Lock()
_ticking: list[threading.Event] = []


class Progress:
    """Announces stages and records how long each took (for the manifest)."""

    def __init__(self, quiet: bool = False, stream=None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = not quiet and _is_terminal(self.stream)
        self.timings: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str, rows: int | None = None) -> Iterator[None]:
        """Time a stage; tell the terminal when it starts, how long it has run (after a second), and how long it took."""
        size = f" ({rows:,} rows)" if rows is not None else ""
        start = time.perf_counter()
        line = printable(f"{name}{size}…")
        ticker = self._tick(line, start) if self.enabled else None
        self._write(line)
        try:
            yield
        finally:
            took = time.perf_counter() - start
            if ticker is not None:
                ticker.set()
            self.timings[name] = self.timings.get(name, 0.0) + round(took, 4)
            self._write(f"\r{line} {took:.1f}s\n" if took >= LIVE_AFTER else f" {took:.1f}s\n")

    def say(self, text: str, end: str = "\n") -> None:
        """A line for a person at a terminal, control characters escaped; nothing otherwise."""
        self._write(printable(text) + end)

    def _write(self, text: str) -> None:
        if self.enabled:
            with _lock:
                print(text, end="", file=self.stream, flush=True)

    def _tick(self, line: str, start: float) -> threading.Event:
        """Start the thread that rewrites ``line`` with the elapsed time; set the returned event to stop it."""
        stop = threading.Event()
        with _lock:
            for outer in _ticking:
                outer.set()  # the newer stage has the line now
            _ticking.append(stop)

        def run() -> None:
            try:
                if stop.wait(LIVE_AFTER):
                    return
                while True:
                    with _lock:
                        if stop.is_set():
                            return
                        print(f"\r{line} {time.perf_counter() - start:.1f}s", end="", file=self.stream, flush=True)
                    if stop.wait(TICK):
                        return
            finally:
                with _lock:
                    if stop in _ticking:
                        _ticking.remove(stop)

        threading.Thread(target=run, name="reportgen-progress", daemon=True).start()
        return stop


def _is_terminal(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False

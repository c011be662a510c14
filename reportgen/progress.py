"""Progress on stderr (only to a terminal, never with --quiet) and stage timings."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

from reportgen.errors import printable


class Progress:
    """Announces stages and records how long each took (for the manifest)."""

    def __init__(self, quiet: bool = False, stream=None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = not quiet and self.stream.isatty()
        self.timings: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str, rows: int | None = None) -> Iterator[None]:
        """Time a stage; tell the terminal when it starts and how long it took."""
        size = f" ({rows:,} rows)" if rows is not None else ""
        self.say(f"{name}{size}…", end="")
        start = time.perf_counter()
        try:
            yield
        finally:
            took = time.perf_counter() - start
            self.timings[name] = self.timings.get(name, 0.0) + round(took, 4)
            self.say(f" {took:.1f}s")

    def say(self, text: str, end: str = "\n") -> None:
        """A line for a person at a terminal, control characters escaped; nothing otherwise."""
        if self.enabled:
            print(printable(text), end=end, file=self.stream, flush=True)

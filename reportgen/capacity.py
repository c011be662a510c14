"""What this machine can hold: refuse a demo size before writing a row of it.

``reportgen demo --rows 200000000`` would spend minutes writing a 30 GB file
and then exhaust memory; the check below says so at once, with the number of
rows that would fit. Figures measured on this project's benchmark (README,
"Performance"): a 1,000,000-row build peaks at about 1.2 GB in the main
process and 0.3 GB in the render worker, a 100,000-row one at 0.36 GB, so
about 1 KB a row above some 0.6 GB of libraries; the demo CSV takes about 150
bytes a row.
"""

from __future__ import annotations

import os
from pathlib import Path

from reportgen.errors import InputError

BUILD_BYTES_PER_ROW = 1_000
BUILD_FIXED_BYTES = 600_000_000
CSV_BYTES_PER_ROW = 150


def build_memory(rows: int) -> int:
    """Bytes of memory a build of ``rows`` rows needs at its peak (both processes)."""
    return BUILD_FIXED_BYTES + BUILD_BYTES_PER_ROW * rows


def available_memory() -> int | None:
    """Bytes of memory free for a new process now, or None where that cannot be told.

    ``MemAvailable`` from ``/proc/meminfo`` (what can be had without swapping),
    else the physical memory; either capped by the cgroup v2 limit that a
    container sees at ``/sys/fs/cgroup``, which is what binds there.
    """
    free = _meminfo_available()
    if free is None:
        try:
            free = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        except (AttributeError, ValueError, OSError):
            return None
    room = _cgroup_room()
    return min(free, room) if room is not None else free


def check_demo_rows(rows: int) -> None:
    """Refuse a demo too large for this machine's memory or the input size limit.

    Parameters
    ----------
    rows : int
        Rows asked for with ``--rows``.

    Raises
    ------
    InputError
        The build of that many rows would not fit in the memory available
        now, or its CSV would exceed ``REPORTGEN_MAX_INPUT_BYTES``; the
        message says how many rows would fit.
    """
    from reportgen.data import MAX_INPUT_ENV, max_input_bytes

    limit = max_input_bytes()
    if rows * CSV_BYTES_PER_ROW > limit:
        fit = limit // CSV_BYTES_PER_ROW
        raise InputError(
            f"--rows {rows:,} would write a CSV of about {_gb(rows * CSV_BYTES_PER_ROW)}, "
            f"above the input limit of {_gb(limit)} ({MAX_INPUT_ENV})",
            hint=f"at most about {_round_down(fit):,} rows fit, or raise {MAX_INPUT_ENV}",
        )
    free = available_memory()
    if free is not None and build_memory(rows) > free:
        fit = max(0, (free - BUILD_FIXED_BYTES) // BUILD_BYTES_PER_ROW)
        raise InputError(
            f"--rows {rows:,} needs about {_gb(build_memory(rows))} of memory to build, and {_gb(free)} is available",
            hint=f"at most about {_round_down(fit):,} rows fit on this machine now",
        )


def _meminfo_available() -> int | None:
    """MemAvailable in bytes (Linux), or None."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def _cgroup_room() -> int | None:
    """What this process's cgroup v2 still allows, or None when there is no limit."""
    base = Path("/sys/fs/cgroup")
    try:
        limit = (base / "memory.max").read_text().strip()
        if limit == "max":
            return None
        return max(0, int(limit) - int((base / "memory.current").read_text()))
    except (OSError, ValueError):
        return None


def _gb(n: int) -> str:
    """Bytes in GB (10^9, as the benchmark reports), one decimal."""
    return f"{n / 1e9:,.1f} GB"


def _round_down(rows: int) -> int:
    """Two significant figures, rounded down: an estimate should not promise more than it knows."""
    if rows < 100:
        return rows
    step = 10 ** (len(str(rows)) - 2)
    return rows // step * step

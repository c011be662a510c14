"""Benchmark reportgen against the bare cost of importing its libraries.

Run from the repository root, after the README's install::

    python bench/run.py [--quick] [--huge] [--data PATH] [--json OUT]

Method
------
- **Fresh processes.** Every measurement is a new process started with the
  interpreter running this script (``sys.executable``) and the installed
  package (``python -m reportgen ...``), so nothing is warm inside Python:
  each case pays for its own imports, exactly as a user or a scheduler does.
  This script itself imports only the standard library.
- **Alternation.** Cases run round-robin within each repeat (floor, cold,
  unchanged, help, validate, 100k, 1M, then again), so a slow drift of the
  machine (thermal, other load, page cache) touches every case alike instead
  of one case's block. Before the first repeat, each small case runs once
  untimed so that no case pays alone for ``.pyc`` compilation or a cold disk
  cache. 5 repeats (3 for the 100k and 1M builds); 1 with ``--quick``.
- **Bytecode.** The libraries come compiled (pip writes their ``.pyc`` at
  install), and so, first, does reportgen (``compileall`` on the installed
  package): an editable install is not compiled, and where
  ``PYTHONDONTWRITEBYTECODE`` is set (as on the machine the README's numbers
  come from) nothing would ever write its ``.pyc``, so every build, and every
  process a build forks, compiled reportgen's modules again (about 0.3 s of
  CPU a build of every study) while the floor's libraries never pay that.
- **Cases.** (1) the import floor: a fresh Python that imports the project's
  heavy libraries and does nothing else; (2) a cold build of the real data
  (the regression study, as the floor's libraries are its own)
  into a new empty folder every repeat; (3) the same build again into the
  folder of that repeat's cold build, nothing changed; (4) builds of 100,000
  and 1,000,000 synthetic rows (``reportgen.synthetic.write_csv(path, rows=N,
  seed=0)``, written once and cached under the system temp folder, never in
  the repository), each into a new empty folder, the regression study; (5) ``reportgen --help`` and
  ``reportgen validate`` on the real data; (6) the cold build of every study
  that exists (``--study`` for each id the registry lists, asked of the
  installed package), against its own floor: a fresh Python that imports
  every library the studies use (``HEAVY`` and ``STUDY_LIBRARIES``).
- **Huge** (``--huge``): (7) a cold build of every study from 10,000,000
  synthetic rows (written once like the other scale files, about 1.5 GB),
  with the engine ``auto`` picks (DuckDB at that size), once; the table names
  the engine each build used (read from its manifest).
- **Wall time** is ``time.perf_counter`` around ``subprocess.run`` of the
  command, measured inside a tiny wrapper process, so the wrapper's own start
  is not counted.
- **Peak memory** is the wrapper's ``getrusage(RUSAGE_CHILDREN).ru_maxrss``
  after its one child has exited: the peak resident set of the *largest
  single process* in the case's process tree (every descendant that was
  waited for), not the sum of processes that ran at the same time. MB here
  means 10^6 bytes; the 1.5 GB target is 1,500 MB.
- **Ratios** divide medians. The per-row ratio is (median seconds at 1M /
  1,000,000) over (median seconds at 100k / 100,000); both include the fixed
  start-up cost, so the table also shows it with the import floor taken off.

A case that exits non-zero aborts the benchmark and shows its stderr. The
benchmark is not part of the test suite: it measures, it does not assert;
it exits 0 whether or not the targets are met.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO.parent / "shared" / "data" / "tiktok_dataset.csv"
CACHE = Path(tempfile.gettempdir()) / "reportgen-bench"
HEAVY = "pandas, sklearn.linear_model, sklearn.pipeline, sklearn.compose, sklearn.preprocessing, statsmodels.api, matplotlib.pyplot, weasyprint, pptx, jinja2"
#: Beside HEAVY, what the other studies import (the classifier: forests, boosting, search, text; scipy's ranks).
#: A study that imports another heavy library adds it here, so the all-studies floor stays the honest one
#: (and one that stops importing a library takes it out: the permutation importance no longer uses sklearn.inspection).
STUDY_LIBRARIES = "sklearn.ensemble, sklearn.model_selection, sklearn.feature_extraction.text, sklearn.metrics, scipy.stats, threadpoolctl"
REPEATS, LARGE_REPEATS = 5, 3
SCALE_ROWS = (100_000, 1_000_000)
HUGE_ROWS = 10_000_000

# Runs one command as its only child, times it and reports the child tree's
# peak RSS as one JSON line. Kept minimal: its own start is not timed.
WRAPPER = """\
import json, resource, subprocess, sys, time
cmd = json.loads(sys.argv[1])
start = time.perf_counter()
done = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
wall = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"wall_s": wall, "maxrss_kib": peak, "returncode": done.returncode,
                  "stdout": done.stdout.decode(errors="replace")[-2000:],
                  "stderr": done.stderr.decode(errors="replace")[-4000:]}))
"""


@dataclass
class Case:
    """One thing to measure: a command line built fresh for every repeat."""

    key: str
    label: str
    command: Callable[[int], list[str]]
    repeats: int
    warm_up: bool = True
    before: Callable[[int], None] = lambda i: None
    after: Callable[[int], None] = lambda i: None
    engine: str = ""  # the engine its builds used (from their manifest), "" for a case that builds nothing
    wall_s: list[float] = field(default_factory=list)
    maxrss_kib: list[int] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.wall_s)

    @property
    def peak_mb(self) -> float:
        return max(self.maxrss_kib) * 1024 / 1e6

    def summary(self) -> dict:
        """The case as JSON: every sample and the aggregates the table shows."""
        return {
            "label": self.label,
            "command": self.command(0),
            "n": len(self.wall_s),
            "wall_s": [round(w, 4) for w in self.wall_s],
            "median_s": round(self.median, 4),
            "min_s": round(min(self.wall_s), 4),
            "max_s": round(max(self.wall_s), 4),
            "maxrss_kib": self.maxrss_kib,
            "peak_rss_mb": round(self.peak_mb, 1),
            "engine": self.engine,
        }


@dataclass(frozen=True)
class Check:
    """A measured figure beside its target from the issue (target None: for information)."""

    name: str
    value: float
    unit: str
    target: float | None

    @property
    def passed(self) -> bool | None:
        return None if self.target is None else self.value <= self.target

    def row(self) -> str:
        """Name, measured, target and verdict as one printed line."""
        target = "—" if self.target is None else f"≤ {_with_unit(self.target, self.unit)}"
        verdict = {True: "PASS", False: "FAIL", None: "(info)"}[self.passed]
        return f"{self.name:<42}{_with_unit(self.value, self.unit):>10}{target:>12}  {verdict}"

    def summary(self) -> dict:
        """The check as JSON."""
        return {"name": self.name, "value": round(self.value, 4), "unit": self.unit, "target": self.target, "pass": self.passed}


class CaseFailed(Exception):
    """A measured command exited non-zero."""


def main(argv: Sequence[str] | None = None) -> int:
    args = _arguments(argv)
    data = args.data.resolve()
    if not data.is_file():
        print(f"error: the real data is missing: {data} (give its path with --data)", file=sys.stderr)
        return 2
    repeats = (1, 1) if args.quick else (REPEATS, LARGE_REPEATS)
    work = Path(tempfile.mkdtemp(prefix="reportgen-bench-run-"))
    try:
        scale = {rows: _synthetic_csv(rows) for rows in (*SCALE_ROWS, *((HUGE_ROWS,) if args.huge else ()))}
        cases = _cases(data, scale, work, *repeats)
        _measure(cases)
    except CaseFailed as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report = _report(cases, data, scale, quick=args.quick)
    print(_table(report))
    out = args.json or Path(tempfile.gettempdir()) / f"reportgen-bench-{report['meta']['date'][:19].replace(':', '')}.json"
    out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"\nJSON: {out}")
    return 0


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description="Time reportgen against the import floor of its libraries.")
    parser.add_argument("--quick", action="store_true", help="one repeat of every case (checks that it all runs)")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the real claims CSV (default ../shared/data/tiktok_dataset.csv)")
    parser.add_argument("--huge", action="store_true", help=f"add a build of every study from {HUGE_ROWS:,} rows (about 1.5 GB, written once)")
    parser.add_argument("--json", type=Path, help="where to write the results as JSON (default: a file in the temp folder)")
    return parser.parse_args(argv)


# --- Cases ---------------------------------------------------------------


def _cases(data: Path, scale: dict[int, Path], work: Path, repeats: int, large: int) -> list[Case]:
    """The cases in the order they alternate within a repeat."""
    reportgen = [sys.executable, "-m", "reportgen"]

    def fresh(name: str) -> Callable[[int], None]:
        return lambda i: _folder(work, name, i).mkdir()

    def remove(name: str) -> Callable[[int], None]:
        return lambda i: _remove(_folder(work, name, i))

    def engine_then_remove(name: str) -> Callable[[int], None]:
        def after(i: int) -> None:
            manifest = _folder(work, name, i) / "manifest.json"
            if manifest.is_file():
                by[name].engine = json.loads(manifest.read_text(encoding="utf-8")).get("engine", "pandas")
            _remove(_folder(work, name, i))

        return after

    def build_studies(csv: Path, name: str, ids: Sequence[str]) -> Callable[[int], list[str]]:
        chosen = [arg for study_id in ids for arg in ("--study", study_id)]
        return lambda i: [*reportgen, "build", "--data", str(csv), *chosen, "--out", str(_folder(work, name, i)), "--quiet"]

    every = _every_study()
    cases = [
        Case("floor", "import floor", lambda i: [sys.executable, "-c", f"import {HEAVY}"], repeats),
        Case("cold", "cold build", build_studies(data, "cold", ["regression"]), repeats, before=fresh("cold")),
        # The same command into the folder the cold build of this repeat just wrote.
        Case("unchanged", "unchanged rebuild", build_studies(data, "cold", ["regression"]), repeats, after=remove("cold")),
        Case("help", "reportgen --help", lambda i: [*reportgen, "--help"], repeats),
        Case("validate", "reportgen validate", lambda i: [*reportgen, "validate", "--data", str(data), "--quiet"], repeats),
        Case("floor_all", "import floor, all studies", lambda i: [sys.executable, "-c", f"import {HEAVY}, {STUDY_LIBRARIES}"], repeats),
        Case("cold_all", f"cold build, {len(every)} studies", build_studies(data, "cold_all", every), repeats, before=fresh("cold_all"), after=remove("cold_all")),
    ]
    for rows, csv in scale.items():
        name = f"build_{rows}"
        if rows == HUGE_ROWS:  # every study, once, with the engine auto picks
            cases.append(Case(name, f"build {rows:,} rows, all", build_studies(csv, name, every), 1, warm_up=False, before=fresh(name), after=engine_then_remove(name)))
            continue
        # The regression alone, as when the scale targets were set: the classifier's search grows with the rows (see the README).
        cases.append(Case(name, f"build {rows:,} rows", build_studies(csv, name, ["regression"]), large, warm_up=False, before=fresh(name), after=engine_then_remove(name)))
    by = {case.key: case for case in cases}
    return cases


def _every_study() -> list[str]:
    """Every study id the installed reportgen knows, in project order (asked in a child: this script imports no reportgen)."""
    code = "from reportgen.studies import available; print(' '.join(available()))"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()


def _folder(work: Path, name: str, i: int) -> Path:
    """The build folder of a case's repeat ``i`` (-1: the untimed warm-up)."""
    return work / (f"{name}-warm-up" if i < 0 else f"{name}-{i + 1}")


def _remove(folder: Path) -> None:
    """Delete a build folder and the lock file reportgen leaves beside it, to keep the disk small."""
    shutil.rmtree(folder, ignore_errors=True)
    (folder.parent / f".{folder.name}.lock").unlink(missing_ok=True)


def _synthetic_csv(rows: int) -> Path:
    """The cached synthetic CSV of ``rows`` rows, written once (in a child process) if missing.

    The file name carries a hash of ``reportgen/synthetic.py``, so a changed
    generator writes a new file instead of reusing stale data.
    """
    spec = importlib.util.find_spec("reportgen.synthetic")
    if spec is None or spec.origin is None:
        raise SystemExit("error: reportgen is not installed; run `pip install -e .` first")
    tag = hashlib.sha256(Path(spec.origin).read_bytes()).hexdigest()[:10]
    path = CACHE / f"synthetic-{rows}-seed0-{tag}.csv"
    if not path.is_file():
        print(f"writing {rows:,} synthetic rows to {path} (once; cached for later runs)", file=sys.stderr)
        code = f"from reportgen.synthetic import write_csv; write_csv({str(path)!r}, rows={rows}, seed=0)"
        subprocess.run([sys.executable, "-c", code], check=True)
    return path


# --- Measuring -----------------------------------------------------------


def _compile_reportgen() -> None:
    """Write the ``.pyc`` of the installed reportgen, as pip does for every installed library (see Method)."""
    where = subprocess.run(
        [sys.executable, "-c", "import os, reportgen; print(os.path.dirname(reportgen.__file__))"], capture_output=True, text=True, check=True
    )
    subprocess.run([sys.executable, "-m", "compileall", "-q", where.stdout.strip()], check=True, stdout=subprocess.DEVNULL)


def _measure(cases: list[Case]) -> None:
    """Compile reportgen, warm up the small cases once, then run every case round-robin, repeat by repeat."""
    _compile_reportgen()
    print("warming up (untimed)…", file=sys.stderr)
    for case in cases:
        if case.warm_up:
            case.before(-1)
            _run(case, -1)
    for case in cases:
        if case.warm_up:
            case.after(-1)
    for i in range(max(case.repeats for case in cases)):
        for case in cases:
            if i < case.repeats:
                case.before(i)
                wall, rss = _run(case, i)
                case.wall_s.append(wall)
                case.maxrss_kib.append(rss)
                print(f"  repeat {i + 1}: {case.label:<22} {wall:7.2f} s {rss * 1024 / 1e6:7.0f} MB", file=sys.stderr)
        for case in cases:
            if i < case.repeats:
                case.after(i)


def _run(case: Case, i: int) -> tuple[float, int]:
    """One fresh run of a case through the wrapper: (wall seconds, peak RSS KiB)."""
    command = case.command(i)
    done = subprocess.run([sys.executable, "-c", WRAPPER, json.dumps(command)], capture_output=True, text=True, cwd=REPO)
    if done.returncode != 0:
        raise CaseFailed(f"the benchmark wrapper failed on {case.label}:\n{done.stderr}")
    sample = json.loads(done.stdout.strip().splitlines()[-1])
    if sample["returncode"] != 0:
        raise CaseFailed(
            f"{case.label} exited with status {sample['returncode']}: {' '.join(command)}\n"
            f"--- its stderr ---\n{sample['stderr'] or '(empty)'}\n--- end of stderr; benchmark aborted"
        )
    return sample["wall_s"], sample["maxrss_kib"]


# --- Reporting -----------------------------------------------------------


def _checks(by: dict[str, Case]) -> list[Check]:
    """Every ratio and limit the issue sets, measured against its target."""
    floor = by["floor"].median
    small, big = by[f"build_{SCALE_ROWS[0]}"], by[f"build_{SCALE_ROWS[1]}"]
    per_row = (big.median / SCALE_ROWS[1]) / (small.median / SCALE_ROWS[0])
    checks = [
        Check("cold build / floor", by["cold"].median / floor, "×", 1.5),
        Check("unchanged rebuild / floor", by["unchanged"].median / floor, "×", 0.3),
        Check("reportgen --help / floor", by["help"].median / floor, "×", 0.3),
        Check("reportgen validate / floor", by["validate"].median / floor, "×", None),
        Check("cold build, every study / its floor", by["cold_all"].median / by["floor_all"].median, "×", 2.5),
        Check("1M-row build, median wall", big.median, "s", 30.0),
        Check("1M-row build, peak RSS", big.peak_mb, "MB", 1500.0),
        Check("per-row time 1M / 100k", per_row, "×", 1.25),
    ]
    if f"build_{HUGE_ROWS}" in by:
        huge = by[f"build_{HUGE_ROWS}"]
        checks += [Check("10M-row build, every study, wall", huge.median, "s", 150.0), Check("10M-row build, peak RSS", huge.peak_mb, "MB", 3000.0)]
    if small.median > floor:  # the same ratio without the fixed start-up cost, which flatters the 100k side
        net = ((big.median - floor) / SCALE_ROWS[1]) / ((small.median - floor) / SCALE_ROWS[0])
        checks.append(Check("per-row time 1M / 100k, floor taken off", net, "×", None))
    return checks


def _report(cases: list[Case], data: Path, scale: dict[int, Path], quick: bool) -> dict:
    """Everything measured, with the machine and versions, as one JSON-ready dict."""
    by = {case.key: case for case in cases}
    checks = _checks(by)
    return {
        "meta": {
            "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
            "platform": platform.platform(),
            "cpu_count": os.cpu_count(),
            "python": platform.python_version(),
            "reportgen": _version(),
            "commit": _commit(),
            "quick": quick,
            "data": str(data),
            "synthetic": {str(rows): str(path) for rows, path in scale.items()},
            "peak_rss_means": "largest single process of the case's process tree (ru_maxrss of RUSAGE_CHILDREN); MB = 1e6 bytes",
        },
        "cases": {case.key: case.summary() for case in cases},
        "checks": [check.summary() for check in checks],
        "all_pass": all(c.passed is not False for c in checks),
    }


def _table(report: dict) -> str:
    """The printed table: one row per case, then each ratio against its target."""
    meta = report["meta"]
    floor = report["cases"]["floor"]["median_s"]
    lines = [
        f"reportgen {meta['reportgen']} ({meta['commit'] or 'no git'}) · {meta['date']} · {meta['platform']} · "
        f"{meta['cpu_count']} CPUs · Python {meta['python']}" + (" · --quick" if meta["quick"] else ""),
        "",
        f"{'case':<30}{'n':>3}{'median s':>10}{'min–max s':>16}{'peak MB':>10}{'× floor':>9}  engine",
    ]
    for c in report["cases"].values():
        span = f"{c['min_s']:.2f}–{c['max_s']:.2f}"
        lines.append(
            f"{c['label']:<30}{c['n']:>3}{c['median_s']:>10.2f}{span:>16}{c['peak_rss_mb']:>10.0f}{c['median_s'] / floor:>9.2f}  {c.get('engine', '')}"
        )
    lines += ["", f"{'check':<42}{'measured':>10}{'target':>12}  result"]
    lines += [Check(c["name"], c["value"], c["unit"], c["target"]).row() for c in report["checks"]]
    lines += [
        "",
        "peak MB: the largest single process in the case's process tree (ru_maxrss), 1 MB = 10^6 bytes.",
        "all targets met" if report["all_pass"] else "NOT all targets met",
    ]
    return "\n".join(lines)


def _with_unit(value: float, unit: str) -> str:
    """A figure with as many decimals as its size deserves; '×' closes up, words follow a space."""
    number = f"{value:.0f}" if abs(value) >= 100 else f"{value:.2f}"
    return number + unit if unit == "×" else f"{number} {unit}"


def _version() -> str:
    """The installed reportgen's version, without importing it."""
    try:
        return importlib.metadata.version("reportgen")
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def _commit() -> str | None:
    """The repository's short commit, with '+dirty' when it has uncommitted changes (None outside git)."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain"], cwd=REPO, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return head + ("+dirty" if dirty else "")


if __name__ == "__main__":
    sys.exit(main())

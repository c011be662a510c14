"""``reportgen build``: analyses, figures, documents and records, swapped in whole.

An earlier build in the output folder is reused as far as it still holds:
all of it when nothing changed (no heavy library is even imported), its
results and figures when only the report settings or templates changed.
"""

from __future__ import annotations

import dataclasses
import shutil
from dataclasses import dataclass
from pathlib import Path

from reportgen.config import Config
from reportgen.progress import Progress
from reportgen.results import AnalysisResults


@dataclass(frozen=True)
class BuildReport:
    """What a build wrote and what it reused."""

    out: Path
    results: AnalysisResults
    written: tuple[str, ...]
    timings: dict[str, float]
    reused: tuple[str, ...] = ()
    unchanged: bool = False


def default_out(data: Path) -> Path:
    """``outputs/<data file stem>/`` (SPEC.md)."""
    return Path("outputs") / Path(data).stem


def build(
    data: Path | str, out: Path | str | None, config: Config, progress: Progress | None = None, *, force: bool = False
) -> BuildReport:
    """Run the pipeline and write every deliverable into ``out`` atomically.

    Parameters
    ----------
    data : Path or str
        The claims CSV.
    out : Path or str, optional
        The output folder; ``outputs/<data stem>/`` when None.
    config : Config
    progress : Progress, optional
    force : bool
        Recompute and re-render everything, even when an earlier build holds.

    Returns
    -------
    BuildReport

    Raises
    ------
    InputError
        Bad data or config, or an ``out`` holding anything that reportgen did
        not write (``--force`` too); ``out`` is left exactly as it was.
    """
    from reportgen.artifacts import RESULTS, load_results
    from reportgen.incremental import PreviousBuild, build_keys
    from reportgen.io import check_file, fingerprint
    from reportgen.staging import check_target, restore, tidy

    data = Path(data)
    out = Path(out) if out is not None else default_out(data)
    progress = progress or Progress(quiet=True)
    check_file(data)  # before hashing: a missing, foreign or oversized file is refused at once
    input_sha256 = fingerprint(data)  # the digest, and the file's state: the loader refuses the file if it changed since
    keys = build_keys(input_sha256, config)
    restore(out)  # a swap killed midway: put the build back before reading it, so that it can count as unchanged
    previous = None if force else PreviousBuild.read(out)
    if previous and previous.keys == keys and previous.intact():
        # Nothing is written or deleted here, so a user's file beside the build may stay; a rebuild refuses it.
        tidy(out)
        results = load_results(out / RESULTS)
        return BuildReport(out, results, (), {}, tuple(previous.manifest["outputs"]), unchanged=True)
    reusable = previous if previous and previous.keys and previous.keys.analysis == keys.analysis else None
    if reusable and not reusable.intact(reusable.analysis_files()):
        reusable = None
    check_target(out.resolve())  # refuse before any work; the swap checks again under the lock
    return _build_into(data, input_sha256, out, config, progress, keys, previous, reusable)


def _build_into(data, input_sha256, out, config, progress, keys, previous, reusable) -> BuildReport:
    """Compute (or reuse) the results, render in the worker, record; all in a staged folder."""
    from reportgen.artifacts import write_manifest, write_results
    from reportgen.staging import staged_folder
    from reportgen.workers import render_worker

    with render_worker() as worker, staged_folder(out) as stage:
        results = _reuse_analysis(reusable, stage, progress) if reusable else _analyse(data, input_sha256, config, progress, previous)
        with progress.stage("figures and documents"):
            outcome = worker.render(results, config, stage, draw_figures=not reusable)
        results = outcome.results
        if not reusable:
            write_results(stage, results)
        reused = tuple(reusable.analysis_files()) if reusable else ()
        timings = {**progress.timings, **outcome.timings}
        extra = {"keys": dataclasses.asdict(keys), "reused": list(reused)}
        write_manifest(stage, results, config, timings, extra)
    return BuildReport(out, results, outcome.written, timings, reused)


def _analyse(data: Path, input_sha256: str, config: Config, progress: Progress, previous) -> AnalysisResults:
    """Fit from scratch; compare with the earlier build when there is one."""
    from reportgen.artifacts import RESULTS, load_results
    from reportgen.comparison import compare
    from reportgen.pipeline import analyse_file
    from reportgen.studies import get

    results = analyse_file(data, config, progress, input_sha256)
    if previous and (previous.folder / RESULTS).is_file():
        try:
            earlier = load_results(previous.folder / RESULTS)
            results = dataclasses.replace(results, previous=compare(get("regression"), earlier, results, earlier.data))
        except (KeyError, TypeError, ValueError):
            pass  # an earlier build from another schema: nothing to compare with
    return results


def _reuse_analysis(previous, stage: Path, progress: Progress) -> AnalysisResults:
    """Copy results.json and the figures of the earlier build; re-render only."""
    from reportgen.artifacts import RESULTS, load_results

    with progress.stage("reuse results"):
        for name in previous.analysis_files():
            target = stage / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(previous.folder / name, target)
        return load_results(stage / RESULTS)

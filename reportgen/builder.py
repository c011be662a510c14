"""``reportgen build``: every chosen study's analyses, figures and documents, the project page, swapped in whole.

The output folder holds ``index.html``, one ``manifest.json`` for the build and
one folder a study (SPEC.md, layout 2). An earlier build in it is reused study
by study as far as it still holds: a study whose inputs and settings did not
change is copied byte for byte; one whose report settings or templates changed
is re-rendered from its saved results; a study not asked for this time is
carried over. When every chosen study is unchanged, nothing is written and no
heavy library is even imported.
"""

from __future__ import annotations

import importlib
import shutil
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from reportgen.config import Config
from reportgen.progress import Progress

if TYPE_CHECKING:
    from reportgen.core.study import Study, StudyResults
    from reportgen.incremental import BuildKeys, Plan, PreviousBuild
    from reportgen.data import Dataset

#: What happened to a study in a build.
Status = Literal["analysed", "re-rendered", "unchanged", "carried over"]


@dataclass(frozen=True)
class StudyOutcome:
    """One study of a build: its results and what this build did with it."""

    id: str
    results: StudyResults
    status: Status
    written: tuple[str, ...] = ()  # documents written this time, relative to the study folder


@dataclass(frozen=True)
class BuildReport:
    """What a build holds, study by study, and what it did."""

    out: Path
    studies: tuple[StudyOutcome, ...]
    timings: dict[str, float]
    unchanged: bool = False
    engine: str = ""  # the engine that read the data ("" when nothing was read: an unchanged build)

    def study(self, study_id: str) -> StudyOutcome:
        """The outcome of one study (KeyError when the build holds no such study)."""
        for outcome in self.studies:
            if outcome.id == study_id:
                return outcome
        raise KeyError(study_id)


@dataclass(frozen=True)
class _Job:
    """One chosen study with its keys and what the build must do for it."""

    study: Study
    keys: BuildKeys
    plan: Plan


def default_out(data: Path) -> Path:
    """``outputs/<data file stem>/`` (SPEC.md)."""
    return Path("outputs") / Path(data).stem


def build(
    data: Path | str,
    out: Path | str | None,
    config: Config,
    progress: Progress | None = None,
    *,
    force: bool = False,
    studies: Sequence[str] | None = None,
) -> BuildReport:
    """Build the chosen studies and write every deliverable into ``out`` atomically.

    Parameters
    ----------
    data : Path or str
        The claims CSV.
    out : Path or str, optional
        The output folder; ``outputs/<data stem>/`` when None.
    config : Config
    progress : Progress, optional
    force : bool
        Recompute and re-render the chosen studies, even when an earlier build holds.
    studies : sequence of str, optional
        Study ids to build; by default those of ``config.project.studies``.
        Studies of an earlier build in ``out`` that are not chosen are carried over.

    Returns
    -------
    BuildReport

    Raises
    ------
    InputError
        Bad data, config or study id, or an ``out`` holding anything that
        reportgen did not write (``--force`` too); ``out`` is left exactly as it was.
    """
    from reportgen import engines
    from reportgen.incremental import PreviousBuild, study_keys
    from reportgen.data import check_file, fingerprint
    from reportgen.staging import check_target, restore, tidy
    from reportgen.studies import chosen

    from reportgen.workers import one_thread_per_process

    one_thread_per_process()  # before any numerical library loads
    data = Path(data)
    out = Path(out) if out is not None else default_out(data)
    progress = progress or Progress(quiet=True)
    selected = chosen(studies, config)
    engine = engines.choose(config.data.engine, data)  # an engine asked for and not installed is refused at once
    check_file(data, engines.size_limit(engine))  # before hashing: a missing, foreign or oversized file is refused at once
    input_sha256 = fingerprint(data)  # the digest, and the file's state: the loader refuses the file if it changed since
    restore(out)  # a swap killed midway: put the build back before reading it, so that it can count as unchanged
    previous = PreviousBuild.read(out)
    jobs = []
    for study in selected:
        keys = study_keys(study, input_sha256, config, engine)
        jobs.append(_Job(study, keys, "analyse" if force or previous is None else previous.plan(study.id, keys)))
    if previous and all(job.plan == "unchanged" for job in jobs) and previous.intact():
        # Nothing is written or deleted here, so a user's file beside the build may stay; a rebuild refuses it.
        tidy(out)
        kept = [i for i in previous.study_ids if _known(i)]
        return BuildReport(out, _carried(previous, kept, "unchanged"), {}, unchanged=True)
    check_target(out.resolve())  # refuse before any work; the swap checks again under the lock
    return _build_into(data, input_sha256, out, config, progress, jobs, previous, engine)


def _carried(previous: PreviousBuild, ids: Sequence[str], status: Status) -> tuple[StudyOutcome, ...]:
    """The outcomes of studies kept from ``previous`` as they are (their results read back, nothing heavy)."""
    from reportgen.artifacts import RESULTS, read_json
    from reportgen.studies import get

    return tuple(StudyOutcome(i, get(i).results_from_json(read_json(previous.folder / i / RESULTS) or {}), status) for i in ids)


def _build_into(
    data: Path, input_sha256: str, out: Path, config: Config, progress: Progress, jobs: list[_Job], previous, engine: str
) -> BuildReport:
    """Analyse, reuse or carry over each study, render in the worker, write the project page and manifest: staged."""
    from reportgen.artifacts import write_build_manifest
    from reportgen.render.index import prepare as prepare_project_page
    from reportgen.render.index import write_project_page
    from reportgen.staging import staged_folder
    from reportgen.workers import render_worker

    chosen_ids = [job.study.id for job in jobs]
    others = [i for i in (previous.study_ids if previous else ()) if i not in chosen_ids and _known(i)]
    # The worker is forked before the stage's lock is taken: a process holding the lock's file would keep the
    # folder locked past a kill of the build.
    with render_worker() as worker, staged_folder(out) as stage:
        try:
            # One reading of the file for every study analysed this time, each given its own rows; all checked before any analysis.
            analysed = [job.study for job in jobs if job.plan == "analyse"]
            datasets = _load(engine, data, input_sha256, analysed, config, progress) if analysed else {}
            # Each study is handed to the render worker as soon as it is analysed, and the next one is analysed
            # while the worker draws and lays out the last; a study analysed apart runs meanwhile in a process of its own.
            with _analyses_apart(analysed, datasets, config) as apart:
                pending, analysed_so_far = [], {}
                for i, job in enumerate(jobs):
                    dataset = datasets.pop(job.study.id, None)
                    last = all(later.plan == "unchanged" for later in jobs[i + 1 :])  # no render after this one
                    step = _study(job, dataset, config, progress, worker, stage, previous, analysed_so_far, apart.get(job.study.id), last)
                    analysed_so_far[job.study.id] = step.results
                    pending.append(step)
            prepare_project_page()  # while the worker renders: the page's template is ready when the last document is
            outcomes = [step.finish(config, progress) for step in pending]
            for study_id in others:
                _copy(previous, previous.files(study_id), stage)
            carried = _carried(previous, others, "carried over") if others else ()
            ordered = _in_project_order((*outcomes, *carried))
            source = {"source": data.name, "sha256": str(input_sha256), "modified": _modified(data)}
            write_project_page(ordered, config, source, stage)
            write_build_manifest(stage, source, config, progress.timings, {o.id: _record(o, jobs) for o in ordered}, engine)
        except BaseException:
            # The worker may still be drawing a study's preview figures into the stage: stop it before the stage
            # is thrown away, so that nothing writes there once it is gone.
            worker.close()
            raise
    return BuildReport(out, ordered, dict(progress.timings), engine=engine)


def _modified(data: Path) -> str:
    """The data file's date, as the studies' results record it."""
    import datetime as dt

    return dt.date.fromtimestamp(data.stat().st_mtime).isoformat()


def _known(study_id: str) -> bool:
    """Whether a study of an earlier build still exists (a plug-in may have been removed since)."""
    from reportgen.studies import available

    return study_id in available()


def _in_project_order(outcomes: Sequence[StudyOutcome]) -> tuple[StudyOutcome, ...]:
    """Studies in the order the project runs them (the registry's), whatever order they were built in."""
    from reportgen.studies import available

    rank = {study_id: i for i, study_id in enumerate(available())}
    return tuple(sorted(outcomes, key=lambda o: rank.get(o.id, len(rank))))


def _record(outcome: StudyOutcome, jobs: list[_Job]) -> dict[str, Any]:
    """What the build manifest says of one study: its keys (for the next build) and what this build did."""
    from dataclasses import asdict

    job = next((j for j in jobs if j.study.id == outcome.id), None)
    return {"status": outcome.status, **({"keys": asdict(job.keys)} if job else {})}


def _load(engine: str, data: Path, input_sha256: str, studies: Sequence[Study], config: Config, progress: Progress) -> dict[str, Dataset]:
    """Read and check the data once with ``engine``, in the columns ``studies`` read together; each study's rows from that reading."""
    from reportgen.engines import load_studies

    with progress.stage("load"):
        return load_studies(engine, data, studies, config, input_sha256)


@dataclass(frozen=True)
class _Step:
    """A study handed to the render worker: finished (results.json, manifest) once the worker answers."""

    job: _Job
    results: Any  # as analysed or read back; the worker adds the figures
    folder: Path
    render: Any = None  # the worker's pending answer (a Future); None for a study copied as it was
    timings: Progress | None = None
    preview: Any = None  # the worker's answer to the study's preview figures (a Future), when it has a preview

    def finish(self, config: Config, progress: Progress) -> StudyOutcome:
        """Wait for the worker, then write the study's results.json and manifest."""
        from reportgen.artifacts import write_results, write_study_manifest

        study = self.job.study
        if self.render is None:
            return StudyOutcome(study.id, self.results, "unchanged")
        if self.preview is not None:
            self.preview.result()  # a failure drawing the preview figures is raised here, not lost
        outcome = self.render.result()
        if self.job.plan == "analyse":
            write_results(self.folder, outcome.results)
        timings = {**self.timings.timings, "figures and documents": outcome.seconds, **outcome.timings}
        progress.timings.update({f"{study.id}: {stage}": seconds for stage, seconds in timings.items()})
        write_study_manifest(self.folder, outcome.results, config, timings, {"study": study.id, "analysis_settings": study.analysis_settings(config)})
        status: Status = "analysed" if self.job.plan == "analyse" else "re-rendered"
        return StudyOutcome(study.id, outcome.results, status, outcome.written)


@contextmanager
def _analyses_apart(studies: Sequence[Study], datasets: dict[str, Dataset], config: Config) -> Iterator[dict[str, Callable[[], Any]]]:
    """Start the analyses of the studies that ask to be analysed apart, each in a forked process: {id: wait for it}.

    Such a study (``analysed_apart``, see ``core.study``) is long and reads no other study's results, so the
    second core analyses it while this process analyses the others: on the real data the classifier's search
    and audit no longer wait behind three studies. Only when another study is analysed too (alone, it gains
    nothing), only where processes fork and no OpenMP runtime may have threads (``workers.openmp_threads``:
    the command line loads it under one thread), and never for rows left in DuckDB or Spark
    (``all_rows``): their connection is not to be shared with a forked copy. Leaving the block ends a
    process still running.
    """
    from reportgen.workers import CAN_FORK, in_background, openmp_threads

    apart = [s for s in studies if getattr(s, "analysed_apart", False) and not hasattr(s, "preview")]
    apart = [s for s in apart if datasets[s.id].all_rows is None] if len(studies) > 1 else []
    if not CAN_FORK or (apart and openmp_threads()):
        apart = []
    for module in sorted({m for s in apart for m in getattr(s, "libraries", ())}):
        importlib.import_module(module)  # once, here: the other studies import most of them too, a fork shares them
    with ExitStack() as stack:
        yield {s.id: stack.enter_context(in_background(f"{s.id} analysis", partial(_analyse, s, datasets[s.id], config))) for s in apart}


def _analyse(study: Study, dataset, config: Config) -> tuple[Any, dict[str, float]]:
    """``study.analyse`` with its stages timed but not shown (two processes would write over each other's line)."""
    timings = Progress(quiet=True)
    return study.analyse(dataset, config, timings), timings.timings


def _study(
    job: _Job, dataset, config: Config, progress: Progress, worker, stage: Path, previous, related: dict[str, Any], apart=None, last: bool = True
) -> _Step:
    """One chosen study into ``stage/<id>/``: copied, or re-rendered from saved results, or analysed; then submitted to render.

    ``apart`` waits for the study's analysis run in another process (``_analyses_apart``), when it is. The
    ``last`` study's render is spread over two processes (``workers.render_outputs``); the others' are not.
    """
    from reportgen.artifacts import RESULTS, read_json

    study, folder = job.study, stage / job.study.id
    if job.plan == "unchanged":
        _copy(previous, previous.files(study.id), stage)
        return _Step(job, study.results_from_json(read_json(folder / RESULTS) or {}), folder)
    timings = Progress(quiet=not progress.enabled, stream=progress.stream)
    preview = None
    if job.plan == "re-render":
        with timings.stage("reuse results"):
            _copy(previous, previous.analysis_files(study.id), stage)
            results = study.results_from_json(read_json(folder / RESULTS) or {})
    else:
        analysed, preview = _analysed(study, dataset, config, timings, worker, folder, apart)
        results = _with_comparison(study, analysed, previous)
        uses = {i: r for i, r in related.items() if i in getattr(study, "uses", ())}
        if uses:
            results = study.with_related(results, uses)
    render = worker.submit(study.id, results, config, folder, draw_figures=job.plan == "analyse", spread=last)
    return _Step(job, results, folder, render, timings, preview)


def _analysed(study: Study, dataset, config: Config, progress: Progress, worker, folder: Path, apart=None) -> tuple[Any, Any]:
    """``study.analyse``, and the worker's answer to its preview figures (None for a study without a ``preview`` hook).

    A study with a preview computes it first and hands it to the worker, which draws those figures
    while the rest of the analysis runs; ``analyse`` then takes the preview rather than compute it again.
    A study analysed apart is waited for (``apart``), its stages' timings taken from its process.
    """
    if apart is not None:
        with progress.stage("analysis, in a process of its own"):
            analysed, stages = apart()
        progress.timings.update(stages)
        return analysed, None
    if not hasattr(study, "preview"):
        return study.analyse(dataset, config, progress), None
    preview = study.preview(dataset, config, progress)
    drawing = worker.preview(study.id, preview, folder)
    return study.analyse(dataset, config, progress, preview=preview), drawing


def _with_comparison(study: Study, results, previous):
    """``results`` with "what changed since the last build" when the earlier build holds this study."""
    import dataclasses

    from reportgen.artifacts import RESULTS, read_json
    from reportgen.comparison import compare

    earlier_doc = read_json(previous.folder / study.id / RESULTS) if previous else None
    if not earlier_doc or not hasattr(results, "data"):
        return results
    try:
        earlier = study.results_from_json(earlier_doc)
        return dataclasses.replace(results, previous=compare(study, earlier, results, earlier.data))
    except (KeyError, TypeError, ValueError, AttributeError):
        return results  # an earlier build from another schema: nothing to compare with


def _copy(previous: PreviousBuild, names: list[str], stage: Path) -> None:
    """Copy files of the earlier build into the stage, byte for byte, at the same relative paths."""
    for name in names:
        target = stage / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(previous.folder / name, target)

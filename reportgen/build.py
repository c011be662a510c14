"""``reportgen build``: analyses, figures, documents and records, swapped in whole."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from reportgen.config import Config
from reportgen.progress import Progress
from reportgen.results import AnalysisResults


@dataclass(frozen=True)
class BuildReport:
    """What a build wrote, and what it could not write yet."""

    out: Path
    results: AnalysisResults
    written: tuple[str, ...]
    not_built: tuple[str, ...]
    timings: dict[str, float]


def default_out(data: Path) -> Path:
    """``outputs/<data file stem>/`` (SPEC.md)."""
    return Path("outputs") / Path(data).stem


def build(data: Path | str, out: Path | str | None, config: Config, progress: Progress | None = None) -> BuildReport:
    """Run the pipeline and write every deliverable into ``out`` atomically.

    Parameters
    ----------
    data : Path or str
        The claims CSV.
    out : Path or str, optional
        The output folder; ``outputs/<data stem>/`` when None.
    config : Config
    progress : Progress, optional

    Returns
    -------
    BuildReport

    Raises
    ------
    InputError
        Bad data or config; ``out`` is left exactly as it was.
    """
    from reportgen.artifacts import write_manifest, write_results
    from reportgen.figures import draw_all
    from reportgen.pipeline import analyse_file
    from reportgen.render import DOCUMENTS, PROMISED
    from reportgen.staging import staged_folder

    data = Path(data)
    out = Path(out) if out is not None else default_out(data)
    progress = progress or Progress(quiet=True)
    with staged_folder(out) as stage:
        results = analyse_file(data, config, progress)
        with progress.stage("figures"):
            results = dataclasses.replace(results, figures=draw_all(results, stage / "figures"))
        write_results(stage, results)
        written = []
        for files, render in DOCUMENTS:
            with progress.stage("render " + ", ".join(files)):
                render(results, config, stage)
            written += files
        not_built = tuple(f for f in PROMISED if f not in written)
        write_manifest(stage, results, config, dict(progress.timings), {"not_built": list(not_built)})
    return BuildReport(out, results, tuple(written), not_built, dict(progress.timings))

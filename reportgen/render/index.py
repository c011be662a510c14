"""``index.html``: the project page of a build, one section a study with its verdict, numbers and links."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reportgen.formatters import fmt_value

INDEX = "index.html"

#: Files a study folder may hold that a person opens, with the words of their link.
LINKS: tuple[tuple[str, str], ...] = (
    ("executive_summary.pdf", "Executive summary (PDF)"),
    ("executive_summary.pptx", "Executive summary (PowerPoint)"),
    ("technical_report.html", "Technical report (HTML)"),
    ("technical_report.pdf", "Technical report (PDF)"),
    ("dashboard.html", "Dashboard"),
    ("results.json", "All numbers (results.json)"),
)


@dataclass(frozen=True)
class StudyEntry:
    """One study as the project page shows it."""

    id: str
    title: str
    question: str
    verdict: str
    headline: tuple[tuple[str, str], ...]  # (label, formatted value)
    links: tuple[tuple[str, str], ...]  # (label, relative href)


@dataclass(frozen=True)
class IndexPage:
    """The whole project page."""

    title: str
    source: str
    sha256_short: str
    generated_at: str
    studies: tuple[StudyEntry, ...]


def study_entry(study, results, folder: Path) -> StudyEntry:
    """The entry of ``study`` whose files are in ``folder`` (links only to files that exist)."""
    return StudyEntry(
        id=study.id,
        title=study.title,
        question=study.question,
        verdict=study.verdict(results),
        headline=tuple((label, fmt_value(value, kind)) for label, kind, value in study.headline(results)),
        links=tuple((label, f"{study.id}/{name}") for name, label in LINKS if (folder / name).is_file()),
    )


def write_index(page: IndexPage, folder: Path) -> Path:
    """Write ``index.html`` (self-contained: the stylesheet inline) into ``folder``."""
    from markupsafe import Markup

    from reportgen.render.jinja import render_template
    from reportgen.resources import assets_dir

    css = Markup((assets_dir() / "index.css").read_text(encoding="utf-8"))  # our own file: trusted
    path = folder / INDEX
    path.write_text(render_template("project/index.html.j2", page=page, css=css), encoding="utf-8")
    return path


def prepare() -> None:
    """Load what writing the page needs (its template, compiled, and the clock's module) ahead of time.

    The build calls this while it waits for the render worker: the page is written after the last
    document, and compiling its template then (a tenth of a second) would add to every build's wall time.
    """
    import reportgen.render.html  # noqa: F401  (generated_at)
    from reportgen.render.jinja import environment

    environment().get_template("project/index.html.j2")


def write_project_page(outcomes, config, source: dict[str, str], folder: Path) -> Path:
    """Write ``index.html`` for a build whose study folders are all in ``folder``.

    Parameters
    ----------
    outcomes : sequence of StudyOutcome
        Each study of the build with its results, in project order.
    config : Config
        The project's name heads the page.
    source : dict
        The build's input: ``source`` (file name) and ``sha256``.
    folder : Path
        The (staged) build folder.
    """
    from reportgen.render.html import generated_at
    from reportgen.studies import get

    entries = tuple(study_entry(get(o.id), o.results, folder / o.id) for o in outcomes)
    page = IndexPage(
        title=config.report.project,
        source=source["source"],
        sha256_short=source["sha256"][:12],
        generated_at=generated_at(),
        studies=entries,
    )
    return write_index(page, folder)

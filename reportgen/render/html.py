"""The technical report as HTML (self-contained) and, from the same HTML, as PDF.

The content is written once by ``reportgen.narrative.technical``; this module
only lays it out through ``templates/technical/`` with ``assets/report.css``.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from reportgen.config import Config
from reportgen.narrative.technical import TechnicalReport, technical_report
from reportgen.render.jinja import render_template
from reportgen.resources import assets_dir
from reportgen.results import AnalysisResults

HTML_FILE = "technical_report.html"
PDF_FILE = "technical_report.pdf"

#: Section partials in ``templates/technical/``, in order, with their headings.
SECTIONS: tuple[tuple[str, str], ...] = (
    ("glance", "Results at a glance"),
    ("changes", "What changed since the last build"),
    ("data", "Data and quality"),
    ("exploration", "Exploration"),
    ("assumptions", "Assumption checks"),
    ("model", "The model"),
    ("evaluation", "Evaluation"),
    ("interpretation", "Interpretation"),
    ("method_note", "Method note: why the test set is not balanced"),
    ("reproducibility", "Reproducibility"),
)


def generated_at() -> str:
    """Now in UTC to the minute, or ``SOURCE_DATE_EPOCH`` when set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch else dt.datetime.now(dt.UTC)
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def build_content(results: AnalysisResults, config: Config, when: str | None = None) -> TechnicalReport:
    """The report's content for these results (package versions read from metadata)."""
    from reportgen.artifacts import package_versions

    return technical_report(results, config, generated_at=when or generated_at(), versions=package_versions())


def render_html(report: TechnicalReport, folder: Path, *, embed: bool = True) -> str:
    """Lay the report out as one HTML document.

    Parameters
    ----------
    report : TechnicalReport
        From ``build_content``.
    folder : Path
        The build folder; figures are read from ``folder / "figures"``.
    embed : bool
        True: figures as ``data:`` URIs (the HTML needs nothing beside it).
        False: relative ``figures/<file>`` links (the PDF renderer resolves them
        in the build folder).

    Returns
    -------
    str
    """
    from markupsafe import Markup

    # Our own stylesheet is trusted text; escaping it would break CSS strings and selectors.
    css = Markup((assets_dir() / "report.css").read_text(encoding="utf-8"))
    return render_template(
        "technical/base.html.j2",
        report=report,
        sections=tuple((key, heading) for key, heading in SECTIONS if getattr(report, key) is not None),
        css=css,
        embed=embed,
        figures_dir=str(folder / "figures"),
    )


def write_technical_html(report: TechnicalReport, folder: Path) -> Path:
    """Write ``technical_report.html`` (figures embedded) into ``folder``."""
    out = folder / HTML_FILE
    out.write_text(render_html(report, folder, embed=True), encoding="utf-8")
    return out


def write_technical_pdf(report: TechnicalReport, folder: Path) -> Path:
    """Write ``technical_report.pdf`` into ``folder`` from the same templates, print rules applied."""
    from reportgen.render.pdf import write_pdf

    return write_pdf(render_html(report, folder, embed=False), folder / PDF_FILE, folder)


def write_technical_report(results: AnalysisResults, config: Config, folder: Path) -> None:
    """The ``DOCUMENTS`` renderer: technical_report.html and technical_report.pdf.

    Parameters
    ----------
    results : AnalysisResults
        With figures already drawn into ``folder / "figures"``.
    config : Config
    folder : Path
        The (staged) build folder.
    """
    report = build_content(results, config)
    write_technical_html(report, folder)
    write_technical_pdf(report, folder)

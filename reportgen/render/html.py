"""Any study's technical report as HTML (self-contained) and, from the same HTML, as PDF.

A study writes its report once, as a ``reportgen.core.document.Document``;
this module only lays it out through ``templates/technical/`` (one macro a
kind of block) with ``assets/report.css``. The sections, their order, anchors
and headings all come from the document.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportgen.config import Config
from reportgen.core.document import Document
from reportgen.render.jinja import render_template
from reportgen.resources import assets_dir

if TYPE_CHECKING:
    from reportgen.core.study import Study

HTML_FILE = "technical_report.html"
PDF_FILE = "technical_report.pdf"

def generated_at() -> str:
    """Now in UTC to the minute, or ``SOURCE_DATE_EPOCH`` when set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch else dt.datetime.now(dt.UTC)
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def build_content(study: Study, results: Any, config: Config, when: str | None = None) -> Document:
    """A study's report for these results (package versions read from metadata)."""
    from reportgen.artifacts import package_versions

    return study.document(results, config, generated_at=when or generated_at(), versions=package_versions())


def render_html(document: Document, folder: Path, *, embed: bool = True) -> str:
    """Lay a study's report out as one HTML document, section by section, block by block.

    Parameters
    ----------
    document : Document
        From the study's ``document`` (``build_content``).
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
        document=document,
        css=css,
        embed=embed,
        figures_dir=str(folder / "figures"),
    )


def write_technical_html(document: Document, folder: Path) -> Path:
    """Write ``technical_report.html`` (figures embedded) into ``folder``."""
    out = folder / HTML_FILE
    out.write_text(render_html(document, folder, embed=True), encoding="utf-8")
    return out


def write_technical_pdf(document: Document, folder: Path) -> Path:
    """Write ``technical_report.pdf`` into ``folder`` from the same templates, print rules applied."""
    from reportgen.render.pdf import write_pdf

    return write_pdf(render_html(document, folder, embed=False), folder / PDF_FILE, folder)


def write_technical_report(study: Study, results: Any, config: Config, folder: Path) -> None:
    """The ``DOCUMENTS`` renderer: technical_report.html and technical_report.pdf.

    Parameters
    ----------
    study : Study
        Writes the report's content (``study.document``).
    results : StudyResults
        With figures already drawn into ``folder / "figures"``.
    config : Config
    folder : Path
        The (staged) study folder.
    """
    report = build_content(study, results, config)
    write_technical_html(report, folder)
    write_technical_pdf(report, folder)

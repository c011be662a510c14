"""The executive summary: one page, as a PPTX slide and as a PDF, from one fitted layout.

The summary is written once by the study (``reportgen.core.summary``), fitted to
the page once (``reportgen.render.exec_layout``), then drawn twice: by
python-pptx and by WeasyPrint from ``templates/executive/summary.html.j2``.
Both read the same boxes, so the two files cannot disagree.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportgen.config import Config

if TYPE_CHECKING:
    from reportgen.core.study import Study
    from reportgen.render.exec_layout import PageLayout

__all__ = ["FILES", "write_executive_summary", "write_summary_pdf"]

#: The slide, the same page as PDF, and its words as data (the e-mail's bodies and subject come from these).
FILES = ("executive_summary.pptx", "executive_summary.pdf", "executive_summary.json")


def write_executive_summary(study: Study, results: Any, config: Config, folder: Path) -> None:
    """Write ``executive_summary.pptx`` and ``executive_summary.pdf`` into ``folder``.

    Parameters
    ----------
    study : Study
        Writes the summary's content (``study.summary``).
    results : StudyResults
        With figures drawn: the summary's picture, if it has one, must be in ``folder/figures/``.
    config : Config
        Title, subtitle and audience (``config.report``).
    folder : Path
        The build folder.

    Raises
    ------
    LayoutError
        The summary cannot fit one page at 10 pt even fully shortened.
    """
    from reportgen.artifacts import write_json
    from reportgen.render.exec_layout import layout_page
    from reportgen.render.pptx import write_pptx

    summary = study.summary(results, config)
    picture = folder / "figures" / summary.figure.file if summary.figure else None
    page = layout_page(summary, picture)
    write_pptx(page, folder / FILES[0])
    write_summary_pdf(page, folder / FILES[1], folder)
    write_json(folder / FILES[2], summary.to_json())


def write_summary_pdf(page: PageLayout, out: Path, folder: Path) -> Path:
    """Lay the fitted ``page`` out as a one-page, tagged PDF at ``out``.

    Parameters
    ----------
    page : PageLayout
    out : Path
    folder : Path
        The build folder (the only place besides our assets the PDF may read).

    Returns
    -------
    Path
    """
    from reportgen.render.jinja import render_template
    from reportgen.render.pdf import write_pdf
    from reportgen.resources import assets_dir

    html = render_template("executive/summary.html.j2", page=page, css_url=(assets_dir() / "executive.css").resolve().as_uri())
    return write_pdf(html, out, folder)

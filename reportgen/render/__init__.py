"""Renderers: one per document format. They read a study's content and lay it out; they never compute.

``DOCUMENTS`` lists what a build writes into a study's folder beside
results.json, in order; each entry names its files and the function that
writes them. Every study gets the same documents: a technical report laid out
from its ``Document`` and an executive summary from its ``ExecutiveSummary``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportgen.config import Config

if TYPE_CHECKING:
    from reportgen.core.study import Study

Renderer = Callable[["Study", Any, Config, Path], None]


def write_technical_report(study: Study, results: Any, config: Config, folder: Path) -> None:
    """technical_report.html and .pdf (imported when called: keeps this module light)."""
    from reportgen.render.html import write_technical_report as write

    write(study, results, config, folder)


def write_executive_summary(study: Study, results: Any, config: Config, folder: Path) -> None:
    """executive_summary.pptx and .pdf (imported when called: keeps this module light)."""
    from reportgen.render.executive import write_executive_summary as write

    write(study, results, config, folder)


#: (files it writes, renderer), in the order a build writes them.
DOCUMENTS: list[tuple[tuple[str, ...], Renderer]] = [
    (("technical_report.html", "technical_report.pdf"), write_technical_report),
    (("executive_summary.pptx", "executive_summary.pdf", "executive_summary.json"), write_executive_summary),
]

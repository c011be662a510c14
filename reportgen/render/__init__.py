"""Renderers: one per document format. They read results and lay them out; they never compute.

``DOCUMENTS`` lists what a build writes beside results.json, in order; each
entry names its files and the function that writes them into the build folder.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from reportgen.config import Config
from reportgen.results import AnalysisResults

Renderer = Callable[[AnalysisResults, Config, Path], None]


def write_technical_report(results: AnalysisResults, config: Config, folder: Path) -> None:
    """technical_report.html and .pdf (imported when called: keeps this module light)."""
    from reportgen.render.html import write_technical_report as write

    write(results, config, folder)


def write_executive_summary(results: AnalysisResults, config: Config, folder: Path) -> None:
    """executive_summary.pptx and .pdf (imported when called: keeps this module light)."""
    from reportgen.render.executive import write_executive_summary as write

    write(results, config, folder)


#: (files it writes, renderer), in the order a build writes them.
DOCUMENTS: list[tuple[tuple[str, ...], Renderer]] = [
    (("technical_report.html", "technical_report.pdf"), write_technical_report),
    (("executive_summary.pptx", "executive_summary.pdf"), write_executive_summary),
]

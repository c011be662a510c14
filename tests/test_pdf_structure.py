"""The PDFs' structure trees, read with pypdf: what a screen reader is given.

Every Figure has alternative text, every table header cell a /Scope (a column
header under /THead, a row header otherwise), headings start at H1, never skip
a level and never contain another heading; the executive summary's decorative
chevrons are artifacts (not Figures) and its four band headings are single H2s.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reportgen.builder import build
from reportgen.config import Config
from reportgen.synthetic import write_csv

STUDIES = ("exploration", "regression")
HEADINGS = {f"/H{n}": n for n in range(1, 7)}


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("pdf-structure")
    build(write_csv(tmp / "claims.csv", rows=1_500, seed=5), tmp / "out", Config(), studies=list(STUDIES))
    return tmp / "out"


def _elements(path: Path) -> list[tuple[dict, list[str]]]:
    """Every structure element in reading order, each with the tags of its ancestors."""
    from pypdf import PdfReader

    reader = PdfReader(path)
    found: list[tuple[dict, list[str]]] = []

    def walk(node, ancestors: list[str]) -> None:
        node = node.get_object()
        if isinstance(node, list):
            for kid in node:
                walk(kid, ancestors)
            return
        if not hasattr(node, "get"):  # a marked-content id
            return
        if "/S" in node:
            found.append((node, ancestors))
            ancestors = [*ancestors, str(node["/S"])]
        kids = node.get("/K")
        if kids is not None:
            walk(kids, ancestors)

    walk(reader.trailer["/Root"]["/StructTreeRoot"], [])
    return found


def _pdfs(out: Path) -> list[Path]:
    return [out / study / name for study in STUDIES for name in ("technical_report.pdf", "executive_summary.pdf")]


def test_every_figure_has_alt_text(out: Path) -> None:
    for pdf in _pdfs(out):
        figures = [node for node, _ in _elements(pdf) if node["/S"] == "/Figure"]
        assert all(str(node.get("/Alt", "")).strip() for node in figures), pdf


def test_every_table_header_cell_has_a_scope(out: Path) -> None:
    for study in STUDIES:
        pdf = out / study / "technical_report.pdf"
        cells = [(node, ancestors) for node, ancestors in _elements(pdf) if node["/S"] == "/TH"]
        assert cells, f"{pdf}: no table header cell"
        for node, ancestors in cells:
            scope = node["/A"].get_object().get("/Scope")
            assert scope == ("/Column" if "/THead" in ancestors else "/Row"), (pdf, ancestors[-3:], scope)


def test_headings_start_at_h1_skip_no_level_and_do_not_nest(out: Path) -> None:
    for pdf in _pdfs(out):
        levels = []
        for node, ancestors in _elements(pdf):
            if node["/S"] in HEADINGS:
                assert not any(a in HEADINGS for a in ancestors), f"{pdf}: {node['/S']} inside {ancestors}"
                levels.append(HEADINGS[node["/S"]])
        assert levels and levels[0] == 1 and levels.count(1) == 1, (pdf, levels)
        skips = [(a, b) for a, b in zip(levels, levels[1:]) if b > a + 1]
        assert not skips, (pdf, skips)


def test_the_summary_chevrons_are_artifacts_and_each_band_is_one_h2(out: Path) -> None:
    import json

    from pypdf import PdfReader

    for study in STUDIES:
        pdf = out / study / "executive_summary.pdf"
        summary = json.loads((out / study / "executive_summary.json").read_text(encoding="utf-8"))
        elements = _elements(pdf)
        figures = [node for node, _ in elements if node["/S"] == "/Figure"]
        assert len(figures) == (1 if summary.get("figure") else 0), (pdf, len(figures))  # the picture, no chevron
        assert sum(node["/S"] == "/H2" for node, _ in elements) == 4  # OVERVIEW, PROJECT STATUS, KEY INSIGHTS, NEXT STEPS
        content = PdfReader(pdf).pages[0].get_contents().get_data()
        assert content.count(b"/Artifact") >= 4  # the chevrons (and the bands' fills) are drawn as artifacts

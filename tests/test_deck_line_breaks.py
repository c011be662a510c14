"""The deck, drawn by LibreOffice, breaks its lines exactly where the summary PDF does.

The slide names Arial; LibreOffice draws it with Liberation Sans (fontconfig's
metric-compatible alias), the file the layout measured with and the PDF embeds,
so every text line of the slide is a line of the PDF. Skipped, saying why,
where LibreOffice is not installed (``.ci/run`` installs it as root).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from reportgen.builder import build
from reportgen.config import Config
from reportgen.synthetic import write_csv

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed (apt-get install libreoffice-impress-nogui)")


def _lines(pdf: Path) -> Counter:
    """The page's text lines, bullets and spacing aside."""
    from pypdf import PdfReader

    text = PdfReader(pdf).pages[0].extract_text()
    lines = (re.sub(r"\s+", " ", line.replace("•", " ")).strip() for line in text.splitlines())
    return Counter(line for line in lines if line)


def _baselines(pdf: Path) -> dict[str, list[float]]:
    """Each column's text baselines, in points down from the first line (lines closer than 1.5 pt are one)."""
    from pypdf import PdfReader

    page = PdfReader(pdf).pages[0]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    found: list[tuple[float, float]] = []

    def visit(text, cm, tm, font, size) -> None:
        if text.strip():
            found.append((cm[4] + tm[4] * cm[0], height - (cm[5] + tm[5] * cm[3])))

    page.extract_text(visitor_text=visit)
    top = min(y for _, y in found)
    columns: dict[str, list[float]] = {"left": [], "right": []}
    for x, y in sorted(found, key=lambda p: p[1]):
        ys = columns["left" if x < width / 2 else "right"]
        if not ys or y - top - ys[-1] > 1.5:
            ys.append(y - top)
    return columns


@pytest.mark.parametrize("audience", ["leadership", "technical"])
def test_libreoffice_breaks_the_slides_lines_where_the_pdf_does(tmp_path: Path, audience: str) -> None:
    out = tmp_path / "out"
    config = Config().with_overrides(audience=audience)
    build(write_csv(tmp_path / "claims.csv", rows=1_500, seed=8), out, config, studies=["regression"])
    folder = out / "regression"
    converted = tmp_path / "lo"
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless", "--convert-to", "pdf",
         "--outdir", str(converted), str(folder / "executive_summary.pptx")],
        check=True, capture_output=True, timeout=300,
    )
    from_deck, from_pdf = _lines(converted / "executive_summary.pdf"), _lines(folder / "executive_summary.pdf")
    assert sum(from_pdf.values()) > 20
    assert from_deck == from_pdf, {"only in LibreOffice's": from_deck - from_pdf, "only in the PDF": from_pdf - from_deck}
    # and at the same heights: no line of its own for a wrapped space, no drift (the slide sits on the sheet as it prints)
    deck_rows, pdf_rows = _baselines(converted / "executive_summary.pdf"), _baselines(folder / "executive_summary.pdf")
    for column in ("left", "right"):
        assert len(deck_rows[column]) == len(pdf_rows[column]), column
        assert max(abs(a - b) for a, b in zip(deck_rows[column], pdf_rows[column])) < 2.0, (column, deck_rows[column], pdf_rows[column])

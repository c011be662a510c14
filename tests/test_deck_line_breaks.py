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

from reportgen.build import build
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

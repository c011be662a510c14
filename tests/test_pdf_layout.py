"""The technical reports' PDF layout, read from WeasyPrint's own boxes: nothing runs off the page.

A table whose cells cannot wrap is laid out wider than the text column, and what
lies past the page's edge is cut off in the PDF (it happened to the exploration's
engineered variables, whose intervals were kept on one line).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reportgen.builder import build
from reportgen.config import Config

STUDIES = ("exploration", "hypothesis", "regression", "classifier")


@pytest.fixture(scope="module")
def real_build(real_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("layout") / "out"
    build(real_data, out, Config(), studies=list(STUDIES))
    return out


def _boxes(box):
    yield box
    for child in getattr(box, "children", ()):
        yield from _boxes(child)


@pytest.mark.parametrize("study", STUDIES)
def test_no_table_runs_off_the_page(real_build: Path, study: str) -> None:
    from weasyprint import HTML

    from reportgen.render.pdf import _fetcher_class
    from reportgen.resources import assets_dir

    folder = real_build / study
    html = (folder / "technical_report.html").read_text(encoding="utf-8")  # the same page, its figures inline
    document = HTML(string=html, base_url=str(folder.resolve()) + "/", url_fetcher=_fetcher_class()((assets_dir(), folder))).render()
    for number, page in enumerate(document.pages, start=1):
        tables = [b for b in _boxes(page._page_box) if type(b).__name__ == "TableBox"]
        for table in tables:
            right = table.position_x + table.margin_width()
            assert right <= page.width + 0.5, f"{study}, page {number}: a table ends {right - page.width:.0f} px past the page's edge"

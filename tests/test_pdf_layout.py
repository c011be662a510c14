"""The PDFs' layout on the real data: nothing runs off the page, and the narrowed user-agent sheet changes nothing.

A table whose cells cannot wrap is laid out wider than the text column, and what
lies past the page's edge is cut off in the PDF (it happened to the exploration's
engineered variables, whose intervals were kept on one line). The user-agent
stylesheet without the rules for what our documents never hold
(``render.pdf.NARROWED_UA_RULES``) must give the same PDFs, byte for byte.
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


def _both_ways(monkeypatch: pytest.MonkeyPatch, write) -> tuple[bytes, bytes]:
    """What ``write(out)`` writes with the narrowed user-agent sheet, then with WeasyPrint's own."""
    import io

    from reportgen.render import pdf

    narrowed = io.BytesIO()
    write(narrowed)
    with monkeypatch.context() as patch:
        patch.setattr(pdf, "narrowed_user_agent_sheet", lambda: None)
        own = io.BytesIO()
        write(own)
    return narrowed.getvalue(), own.getvalue()


@pytest.mark.parametrize("study", STUDIES)
def test_the_narrowed_user_agent_sheet_gives_the_same_pdfs(real_build: Path, study: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from reportgen.artifacts import read_json
    from reportgen.render.exec_layout import layout_page
    from reportgen.render.executive import write_summary_pdf
    from reportgen.render.pdf import narrowed_user_agent_sheet, write_pdf
    from reportgen.studies import get

    assert narrowed_user_agent_sheet() is not None, "this WeasyPrint keeps its own sheet: the PDFs are the same, only slower"
    folder = real_build / study
    html = (folder / "technical_report.html").read_text(encoding="utf-8")
    narrowed, own = _both_ways(monkeypatch, lambda out: write_pdf(html, out, folder))
    assert narrowed == own
    summary = get(study).summary(get(study).results_from_json(read_json(folder / "results.json")), Config())
    page = layout_page(summary, folder / "figures" / summary.figure.file if summary.figure else None)
    narrowed, own = _both_ways(monkeypatch, lambda out: write_summary_pdf(page, out, folder))
    assert narrowed == own


def test_no_document_of_ours_has_what_the_narrowed_rules_left_out() -> None:
    """Footnotes, notes, or markers on anything but a list item: the narrowed sheet would style them differently."""
    from reportgen.resources import assets_dir, templates_dir

    sources = [*assets_dir().glob("*.css"), *templates_dir().rglob("*.j2")]
    assert len(sources) >= 6
    for source in sources:
        text = source.read_text(encoding="utf-8")
        for word in ("footnote", "note-call", "note-marker", "float: note", "list-item", "::marker"):
            assert word not in text, f"{source.name} uses {word!r}: see render.pdf.NARROWED_UA_RULES"


def test_a_weasyprint_without_those_rules_keeps_its_own_sheet(monkeypatch: pytest.MonkeyPatch) -> None:
    import weasyprint

    from reportgen.render import pdf

    text = weasyprint.html.UA
    monkeypatch.setattr(weasyprint.html, "UA", text.replace("::footnote-call {", "::some-other-call {"))
    pdf.narrowed_user_agent_sheet.cache_clear()
    try:
        assert pdf.narrowed_user_agent_sheet() is None
        document = pdf._html_class()(string="<p>x</p>")
        assert document._ua_stylesheets() == [weasyprint.UA_STYLESHEET]
    finally:
        pdf.narrowed_user_agent_sheet.cache_clear()

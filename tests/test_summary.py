"""The shared executive-summary content (core/summary.py): a summary without a picture still lays out to one page."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportgen.core.summary import SECTION_TITLES, Block, ExecutiveSummary, Section, SummaryFigure


def _summary(figure: SummaryFigure | None = None) -> ExecutiveSummary:
    """A small hand-written summary, as a study with no summary picture would write it."""
    blocks = {
        "overview": (Block("The toy study counts rows by class."), Block("It read 2,000 rows.", optional=True)),
        "status": (Block("Done.", lead="Status:"), Block("Two classes, evenly split.", bullet=True)),
        "insights": (
            Block("Class a and class b are the same size.", lead="Balance:", bullet=True),
            Block("Nothing else stands out.", bullet=True, optional=True),
        ),
        "next": (Block("Build the next study.", lead="Recommendation:"),),
    }
    sections = tuple(Section(key, title, blocks[key]) for key, title in SECTION_TITLES.items())
    return ExecutiveSummary("leadership", "Executive Summary: Toy", "A study without a picture", sections, figure)


def test_a_summary_without_a_figure_lays_out_on_one_page_without_a_picture(tmp_path: Path) -> None:
    from pypdf import PdfReader
    from pptx import Presentation

    from reportgen.render.exec_layout import layout_page
    from reportgen.render.executive import write_summary_pdf
    from reportgen.render.pptx import write_pptx

    page = layout_page(_summary())
    assert [b for b in page.boxes if b.kind == "picture"] == []
    insights = [b for b in page.boxes_for("insights") if b.kind == "text"]
    assert len(insights) == 1  # the insights text and nothing else: no caption, no cells
    assert [p.text for p in insights[0].paras] == [b.text for b in _summary().section("insights").blocks]
    bottom = (page.spec["page"]["height"] - page.spec["page"]["margin"]) * 72
    assert all(b.y + b.h <= bottom + 1e-6 for b in page.boxes)
    assert page.dropped == 0

    write_pptx(page, tmp_path / "executive_summary.pptx")
    shapes = Presentation(str(tmp_path / "executive_summary.pptx")).slides[0].shapes
    assert not any(s.shape_type == 13 for s in shapes)  # MSO_SHAPE_TYPE.PICTURE
    assert "Class a and class b are the same size." in " ".join(s.text_frame.text.replace("\v", " ") for s in shapes if s.has_text_frame)  # \v: a measured line break

    pdf = write_summary_pdf(page, tmp_path / "executive_summary.pdf", tmp_path)
    reader = PdfReader(pdf)
    assert len(reader.pages) == 1
    assert "Nothing else stands out." in reader.pages[0].extract_text()


def test_text_and_html_bodies_without_a_figure() -> None:
    summary = _summary()
    text, html = summary.to_text(), summary.to_html()
    assert "KEY INSIGHTS\n- Balance: Class a and class b are the same size.\n- Nothing else stands out.\n\nNEXT STEPS" in text
    assert "confusion matrix" not in html.lower() and "<img" not in html


def test_a_figure_without_its_picture_is_refused() -> None:
    from reportgen.render.exec_layout import layout_page

    figure = SummaryFigure("toy.png", "Bars.", "Rows by class", (Block("a: 1,000.", lead="Left"),))
    with pytest.raises(ValueError, match="toy.png"):
        layout_page(_summary(figure))


# --- executive_summary.json and the e-mail bodies ---------------------------------

HOSTILE = "<script>alert(1)</script> & \"quotes\" 'too' {{ 7*7 }} <img src=x onerror=alert(2)>"


def _figure(text: str = "a: 1,000.") -> SummaryFigure:
    return SummaryFigure("toy.png", "Bars of rows by class.", "Rows by class", (Block(text, lead="Left"), Block("b: 1,000.")))


@pytest.mark.parametrize("figure", [None, _figure()], ids=["without-figure", "with-figure"])
def test_to_json_and_from_json_round_trip_exactly(figure: SummaryFigure | None) -> None:
    import json

    summary = _summary(figure)
    doc = summary.to_json()
    back = ExecutiveSummary.from_json(json.loads(json.dumps(doc)))  # through the file's JSON text
    assert back == summary
    assert back.to_json() == doc
    # the same types, not just equal values: tuples stay tuples, the figure stays a SummaryFigure (or None)
    assert isinstance(back.sections, tuple) and all(isinstance(s.blocks, tuple) for s in back.sections)
    assert all(isinstance(b, Block) for s in back.sections for b in s.blocks)
    if figure is None:
        assert back.figure is None
    else:
        assert isinstance(back.figure, SummaryFigure) and isinstance(back.figure.cells, tuple)
    assert (back.to_text(), back.to_html()) == (summary.to_text(), summary.to_html())


def test_to_json_round_trips_hostile_and_unusual_text() -> None:
    import dataclasses
    import json

    odd = HOSTILE + " naïve – ü\nsecond line\t\u2028"
    summary = dataclasses.replace(_summary(_figure(odd)), title=odd, subtitle=odd)
    assert ExecutiveSummary.from_json(json.loads(json.dumps(summary.to_json()))) == summary


def test_body_html_escapes_hostile_text() -> None:
    import dataclasses
    from html.parser import HTMLParser

    class Page(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.tags: list[str] = []
            self.attrs: list[tuple[str, str | None]] = []
            self.text: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self.tags.append(tag)
            self.attrs += attrs

        def handle_data(self, data: str) -> None:
            self.text.append(data)

    blocks = (Block(HOSTILE, lead=HOSTILE), Block(HOSTILE, bullet=True), Block(HOSTILE, lead=HOSTILE, bullet=True))
    sections = tuple(Section(s.key, HOSTILE, blocks) for s in _summary().sections)
    figure = SummaryFigure("toy.png", HOSTILE, HOSTILE, (Block(HOSTILE, lead=HOSTILE),))
    summary = dataclasses.replace(_summary(), title=HOSTILE, subtitle=HOSTILE, sections=sections, figure=figure)

    for html in (summary.body_html(), summary.to_html()):
        page = Page()
        page.feed(html)
        page.close()
        assert "script" not in page.tags and "img" not in page.tags
        assert set(page.tags) <= {"html", "head", "meta", "title", "body", "h1", "h2", "p", "ul", "li", "strong"}
        assert not any(name.startswith("on") for name, _ in page.attrs)
        assert "<script>" not in html and "<img" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        # the reader sees the hostile text exactly as written, template syntax included
        text = "".join(page.text)
        assert text.count(HOSTILE) >= 1 + 1 + 4 * (1 + 3 + 2) + 1 + 2  # title, subtitle, 4 sections (heading, 3 texts, 2 leads), caption, cell
        assert "49" not in text

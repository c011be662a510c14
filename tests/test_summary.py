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
    assert "Class a and class b are the same size." in " ".join(s.text_frame.text for s in shapes if s.has_text_frame)

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

"""The executive summary as one PowerPoint slide, drawn from a fitted ``PageLayout``.

The deck is built from python-pptx's own default template (its "Title Only"
layout, so the slide has a real title for screen readers) and the numbers in
``templates/executive/layout.toml``; no binary template is kept. Every run
names Arial, whose metrics the layout measured (with the shipped Liberation Sans,
metric-compatible), with kerning off as measured; each measured line ends in a line
break (as the PDF's ``<br>``), every line has an exact pitch and no frame autofits,
so PowerPoint, LibreOffice and the PDF break the same lines at the same words. Shapes carry no theme
style: fill, outline and text colour are explicit, so no reader adds a shadow. The
picture's alt text goes in the ``descr`` attribute of its ``cNvPr``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reportgen.render.exec_layout import PT_PER_IN, Box, PageLayout, Para

__all__ = ["write_pptx"]

_BULLET = "•"


def write_pptx(page: PageLayout, out: Path) -> Path:
    """Write ``page`` as a one-slide, portrait US Letter deck at ``out``.

    Parameters
    ----------
    page : PageLayout
        The fitted page (``reportgen.render.exec_layout.layout_page``).
    out : Path
        Where the ``.pptx`` goes.

    Returns
    -------
    Path
        ``out``.
    """
    from pptx import Presentation
    from pptx.util import Pt

    spec = page.spec
    deck = Presentation()
    deck.slide_width = Pt(spec["page"]["width"] * PT_PER_IN)
    deck.slide_height = Pt(spec["page"]["height"] * PT_PER_IN)
    deck.core_properties.title = page.summary.title
    deck.core_properties.subject = page.summary.subtitle
    slide = deck.slides.add_slide(deck.slide_layouts[5])  # "Title Only": the title is the slide's title
    for box in page.boxes:
        if box.key == "title":
            _text(slide.shapes.title, box, spec)
        elif box.kind == "text":
            _text(slide.shapes.add_textbox(*_emu(box)), box, spec)
        elif box.kind == "band":
            _band(slide, box, spec)
        elif box.kind == "rule":
            _rule(slide, box)
        elif box.kind == "picture":
            picture = slide.shapes.add_picture(box.path, *_emu(box))
            picture.name = "Confusion matrix"
            picture._element.nvPicPr.cNvPr.set("descr", box.alt)
    deck.save(out)
    return out


def _emu(box: Box) -> tuple[Any, Any, Any, Any]:
    """A box's left, top, width and height as python-pptx lengths."""
    from pptx.util import Pt

    return Pt(box.x), Pt(box.y), Pt(box.w), Pt(box.h)


def _text(shape: Any, box: Box, spec: dict[str, Any]) -> None:
    """Fill ``shape`` with the box's paragraphs: exact line pitch, no autofit, insets from the layout."""
    from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE
    from pptx.util import Pt

    f = spec["font"]
    shape.left, shape.top, shape.width, shape.height = _emu(box)
    shape.name = f"{box.key} text"
    frame = shape.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.vertical_anchor = MSO_ANCHOR.TOP
    frame.margin_left = frame.margin_right = Pt(f["inset_x"] * PT_PER_IN)
    frame.margin_top = frame.margin_bottom = Pt(f["inset_y"] * PT_PER_IN)
    for i, para in enumerate(box.paras):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        _paragraph(paragraph, para, f, last=i == len(box.paras) - 1)


def _paragraph(paragraph: Any, para: Para, f: dict[str, Any], last: bool) -> None:
    """One paragraph: bold lead-in run, text run, bullet or none."""
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Pt

    paragraph.alignment = PP_ALIGN.CENTER if para.align == "center" else PP_ALIGN.LEFT
    paragraph.line_spacing = Pt(para.size * f["line_spacing"])
    paragraph.space_before = Pt(0)
    paragraph.space_after = Pt(0 if last else para.size * f["paragraph_after"])
    _bullet(paragraph, para.bullet, f)
    lines = para.lines or ((para.lead, para.text) if not para.bold else (" ".join(filter(None, (para.lead, para.text))), ""),)
    for i, (bold, plain) in enumerate(lines):
        if i:
            _line_break(paragraph, para)  # where the layout measured it, as the PDF breaks (<br>)
        # no space before the break: LibreOffice wraps a trailing space that overhangs onto a line of its own
        if bold:
            _run(paragraph, bold + (" " if plain else ""), para, f, bold=True)
        if plain:
            _run(paragraph, plain, para, f, bold=False)


def _run(paragraph: Any, text: str, para: Para, f: dict[str, Any], bold: bool) -> None:
    """A run in the deck's font."""
    from pptx.dml.color import RGBColor
    from pptx.util import Pt

    run = paragraph.add_run()
    run.text = text
    run.font.name = f["family"]
    run.font.size = Pt(para.size)
    run.font.bold = bold
    run.font.color.rgb = RGBColor.from_string(para.color)
    _no_kerning(run)


def _line_break(paragraph: Any, para: Para) -> None:
    """An ``<a:br>`` sized like the text (a bare one takes the master's 18 pt in some readers)."""
    from lxml import etree
    from pptx.oxml.ns import qn

    paragraph.add_line_break()
    br = paragraph._p.findall(qn("a:br"))[-1]
    etree.SubElement(br, qn("a:rPr"), sz=str(round(para.size * 100)), kern="0")


def _no_kerning(run: Any) -> None:
    """Kerning off, as measured (PowerPoint's default master kerns text of 12 pt and above)."""
    run._r.get_or_add_rPr().set("kern", "0")


def _bullet(paragraph: Any, bullet: bool, f: dict[str, Any]) -> None:
    """A hanging bullet, or explicitly none (placeholders would otherwise inherit one)."""
    from lxml import etree
    from pptx.oxml.ns import qn
    from pptx.util import Pt

    ppr = paragraph._p.get_or_add_pPr()
    if bullet:
        indent = int(Pt(f["bullet_indent"] * PT_PER_IN))
        ppr.set("marL", str(indent))
        ppr.set("indent", str(-indent))
        etree.SubElement(ppr, qn("a:buFont"), typeface=f["family"])
        etree.SubElement(ppr, qn("a:buChar"), char=_BULLET)
    else:
        ppr.set("marL", "0")
        ppr.set("indent", "0")
        etree.SubElement(ppr, qn("a:buNone"))


def _band(slide: Any, box: Box, spec: dict[str, Any]) -> None:
    """A section header: a filled tab carrying the title, and a chevron at its right end."""
    from pptx.dml.color import RGBColor
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
    from pptx.util import Pt

    band, f, c = spec["band"], spec["font"], spec["colors"]
    tab = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, *_emu(box))
    tab.name = f"{box.title} header"
    _fill(tab, box.fill, None)
    frame = tab.text_frame
    frame.word_wrap = False
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.vertical_anchor = MSO_ANCHOR.MIDDLE
    frame.margin_left = Pt(0.1 * PT_PER_IN)
    frame.margin_top = frame.margin_bottom = Pt(0)
    frame.paragraphs[0].alignment = PP_ALIGN.LEFT  # shapes centre their text unless told
    run = frame.paragraphs[0].add_run()
    run.text = box.title
    run.font.name, run.font.size, run.font.bold = f["family"], Pt(f["header_size"]), True
    run.font.color.rgb = RGBColor.from_string(c["band_text"])
    _no_kerning(run)

    width = band["chevron_width"] * PT_PER_IN
    left = box.x + box.w - band["chevron_overlap"] * PT_PER_IN
    chevron = slide.shapes.add_shape(MSO_SHAPE.CHEVRON, Pt(left), Pt(box.y), Pt(width), Pt(box.h))
    chevron.name = f"{box.title} chevron (decorative)"
    chevron._element.spPr.get_or_add_xfrm().set("flipH", "1")  # point back at the title, as the course template does
    _fill(chevron, box.tint, box.fill)


def _rule(slide: Any, box: Box) -> None:
    """One line of the double rule, as a thin filled rectangle."""
    from pptx.enum.shapes import MSO_SHAPE

    line = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, *_emu(box))
    line.name = "rule (decorative)"
    _fill(line, box.fill, None)


def _fill(shape: Any, fill: str, outline: str | None) -> None:
    """Solid fill, an outline or none, and no effect at all.

    python-pptx gives an autoshape a theme ``<p:style>`` whose ``effectRef idx="2"``
    LibreOffice draws as a shadow even beside an empty ``<a:effectLst/>``; every
    colour here is explicit, so the style goes.
    """
    from pptx.dml.color import RGBColor
    from pptx.oxml.ns import qn
    from pptx.util import Pt

    shape.fill.solid()
    shape.fill.fore_color.rgb = RGBColor.from_string(fill)
    if outline:
        shape.line.color.rgb = RGBColor.from_string(outline)
        shape.line.width = Pt(1.5)
    else:
        shape.line.fill.background()
    shape.shadow.inherit = False  # an empty <a:effectLst/>
    style = shape._element.find(qn("p:style"))
    if style is not None:
        shape._element.remove(style)

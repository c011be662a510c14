"""Where everything goes on the one-page executive summary, measured with the real font.

``layout_page`` places the summary on the page described by
``templates/executive/layout.toml`` and measures every text box with Pillow
and the font files shipped in ``assets/fonts`` (Liberation Sans, metric-compatible with
Arial, the font the deck names so PowerPoint needs no substitute). When
the page does not fit, it shortens by rule: drop the last optional block of
the largest section that can help (the overview, or a section in an
overflowing column), re-measure, repeat, so the smallest sections are
shortened last; only when nothing optional is left does it try the next
smaller body size, never below the minimum (10 pt).

The result, a ``PageLayout`` of boxes in points from the page's top-left
corner, is what both the PPTX and the PDF renderer draw, so the two
documents show the same page.
"""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from reportgen.core.summary import SECTION_TITLES, Block, ExecutiveSummary
from reportgen.resources import assets_dir, templates_dir

__all__ = ["Para", "Box", "PageLayout", "LayoutError", "Metrics", "layout_spec", "metrics", "measured", "layout_page"]

PT_PER_IN = 72.0
_COLUMNS = {"left": ("status", "next"), "right": ("insights",)}
#: Pillow measures at this pixel size; widths scale linearly to the point size.
_MEASURE_PX = 1000


class LayoutError(RuntimeError):
    """The summary cannot fit one page at the smallest allowed size."""


@dataclass(frozen=True)
class Para:
    """A paragraph as drawn: lead-in in bold, text, size in points."""

    text: str
    size: float
    lead: str = ""
    bullet: bool = False
    bold: bool = False
    color: str = "1A1A1A"
    align: Literal["left", "center"] = "left"
    #: The measured lines, each as (bold part, regular part); the PDF breaks exactly here.
    lines: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Box:
    """One thing on the page; position and size in points from the top-left corner."""

    kind: Literal["text", "band", "rule", "picture"]
    x: float
    y: float
    w: float
    h: float
    key: str = ""  # section key, or "title", "subtitle", "caption", "cells"
    paras: tuple[Para, ...] = ()
    fill: str = ""
    tint: str = ""  # the chevron of a band
    title: str = ""  # a band's heading
    path: str = ""  # a picture's file
    alt: str = ""

    def css(self) -> str:
        """The box's position as an inline style (the PDF draws boxes where the deck does)."""
        return f"left:{self.x:.2f}pt;top:{self.y:.2f}pt;width:{self.w:.2f}pt;height:{self.h:.2f}pt"


@dataclass(frozen=True)
class PageLayout:
    """The fitted page: the (possibly shortened) summary and every box on it."""

    summary: ExecutiveSummary
    body_size: float
    caption_size: float
    title_size: float
    boxes: tuple[Box, ...]
    dropped: int  # optional blocks left out to fit
    spec: dict[str, Any]

    def boxes_for(self, key: str) -> tuple[Box, ...]:
        """The boxes of one section (or role), in drawing order."""
        return tuple(b for b in self.boxes if b.key == key)


@lru_cache(maxsize=1)
def layout_spec() -> dict[str, Any]:
    """``templates/executive/layout.toml``, read once."""
    return tomllib.loads((templates_dir() / "executive" / "layout.toml").read_text(encoding="utf-8"))


class Metrics:
    """Text widths and wrapped heights from the font files themselves."""

    def __init__(self, regular: Path, bold: Path) -> None:
        from PIL import ImageFont

        # BASIC layout: no kerning, so widths are never smaller than a kerning renderer's.
        load = lambda p: ImageFont.truetype(str(p), _MEASURE_PX, layout_engine=ImageFont.Layout.BASIC)  # noqa: E731
        self._fonts = {False: load(regular), True: load(bold)}

    def width(self, text: str, size: float, bold: bool = False) -> float:
        """Advance width of ``text`` in points."""
        return self._fonts[bold].getlength(text) * size / _MEASURE_PX

    def lines(self, para: Para, width: float) -> list[str]:
        """Greedy word wrap of ``para`` into lines no wider than ``width`` points."""
        return [" ".join(w for w, _ in line) for line in self.wrap(para, width)]

    def wrap(self, para: Para, width: float) -> list[list[tuple[str, bool]]]:
        """Greedy word wrap: lines of (word, bold), each no wider than ``width`` points."""
        words = [(w, True) for w in para.lead.split()] + [(w, para.bold) for w in para.text.split()]
        lines: list[list[tuple[str, bool]]] = []
        line: list[tuple[str, bool]] = []
        used = 0.0
        for word, bold in words:
            for piece in self._pieces(word, bold, para.size, width):
                gap = self.width(" ", para.size, bold) if line else 0.0
                w = self.width(piece, para.size, bold)
                if line and used + gap + w > width:
                    lines.append(line)
                    line, used, gap = [], 0.0, 0.0
                line.append((piece, bold))
                used += gap + w
        return lines + ([line] if line or not lines else [])

    def _pieces(self, word: str, bold: bool, size: float, width: float) -> list[str]:
        """A word too wide for a line, cut into pieces that fit (as renderers break it)."""
        if self.width(word, size, bold) <= width:
            return [word]
        pieces, piece = [], ""
        for ch in word:
            if piece and self.width(piece + ch, size, bold) > width:
                pieces.append(piece)
                piece = ""
            piece += ch
        return pieces + [piece]


@lru_cache(maxsize=1)
def metrics() -> Metrics:
    """The measuring fonts named in the layout, loaded once."""
    font = layout_spec()["font"]
    return Metrics(assets_dir() / font["regular"], assets_dir() / font["bold"])


def text_width(box_w: float, para: Para, spec: dict[str, Any]) -> float:
    """The width a paragraph wraps to inside a box of width ``box_w`` points."""
    f = spec["font"]
    indent = f["bullet_indent"] * PT_PER_IN if para.bullet else 0.0
    return (box_w - 2 * f["inset_x"] * PT_PER_IN - indent) * (1 - f["wrap_slack"])


def measured(paras: tuple[Para, ...], box_w: float, spec: dict[str, Any] | None = None) -> tuple[tuple[Para, ...], float]:
    """``paras`` with their measured lines filled in, and their height in points, insets included."""
    spec = spec or layout_spec()
    f = spec["font"]
    m = metrics()
    height = 2 * f["inset_y"] * PT_PER_IN
    done = []
    for i, p in enumerate(paras):
        lines = m.wrap(p, text_width(box_w, p, spec))
        split = tuple(
            (" ".join(w for w, bold in line if bold), " ".join(w for w, bold in line if not bold)) for line in lines
        )
        done.append(dataclasses.replace(p, lines=split))
        height += len(lines) * p.size * f["line_spacing"]
        if i < len(paras) - 1:
            height += p.size * f["paragraph_after"]
    return tuple(done), height


def _text_box(x: float, y: float, w: float, key: str, paras: tuple[Para, ...], spec: dict[str, Any]) -> Box:
    """A text box exactly as tall as its measured text."""
    paras, h = measured(paras, w, spec)
    return Box("text", x, y, w, h, key, paras)


def layout_page(summary: ExecutiveSummary, picture: Path | None = None) -> PageLayout:
    """Fit ``summary`` and its picture onto one page, shortening by rule.

    Parameters
    ----------
    summary : ExecutiveSummary
        The full summary; optional blocks may be dropped.
    picture : Path, optional
        The PNG of ``summary.figure`` (its pixel size sets its height on the
        page). Without a summary figure there is no picture, and the insights
        text has the column to itself.

    Returns
    -------
    PageLayout

    Raises
    ------
    LayoutError
        Even the shortest summary at the minimum size does not fit.
    """
    from PIL import Image

    spec = layout_spec()
    if summary.figure is not None and picture is None:
        raise ValueError(f"the summary shows {summary.figure.file}, but no picture was given")
    aspect = 0.0
    if summary.figure is not None:
        with Image.open(picture) as image:
            aspect = image.height / image.width
    sizes = [s for s in spec["font"]["body_sizes"] if s >= spec["font"]["min_size"]]
    for size in sizes:
        current, dropped = summary, 0
        while True:
            page = _place(current, size, picture, aspect, spec, dropped)
            over = _overflowing(page, spec)
            if not over:
                return page
            key = _to_shorten(current, page, over)
            if key is None:
                break
            current, dropped = current.without_last_optional(key), dropped + 1
    raise LayoutError(f"the executive summary does not fit one page even at {sizes[-1]:g} pt with every optional sentence left out")


def _overflowing(page: PageLayout, spec: dict[str, Any]) -> set[str]:
    """The columns whose last box ends below the bottom margin."""
    limit = (spec["page"]["height"] - spec["page"]["margin"]) * PT_PER_IN + 1e-6
    mid = spec["page"]["width"] * PT_PER_IN / 2
    return {
        "left" if b.x < mid else "right"
        for b in page.boxes
        if b.y + b.h > limit
    }


def _to_shorten(summary: ExecutiveSummary, page: PageLayout, over: set[str]) -> str | None:
    """The largest section, by measured height, whose shortening can help the overflowing columns."""
    helpful = ["overview"] + [k for column in sorted(over) for k in _COLUMNS[column]]
    candidates = [k for k in helpful if summary.section(k).optional_count]
    if not candidates:
        return None
    height = {k: sum(b.h for b in page.boxes_for(k) if b.kind == "text") for k in candidates}
    return max(candidates, key=lambda k: (height[k], -helpful.index(k)))


def _paras(blocks: tuple[Block, ...], size: float, color: str) -> tuple[Para, ...]:
    """Summary blocks as paragraphs of one size."""
    return tuple(Para(b.text, size, lead=b.lead, bullet=b.bullet, color=color) for b in blocks)


def _place(
    summary: ExecutiveSummary, size: float, picture: Path | None, aspect: float, spec: dict[str, Any], dropped: int
) -> PageLayout:
    """Every box of the page at body ``size``, top to bottom, columns side by side."""
    pg, f, c, band, rule = spec["page"], spec["font"], spec["colors"], spec["band"], spec["rule"]
    inch = PT_PER_IN
    x0, width = pg["margin"] * inch, (pg["width"] - 2 * pg["margin"]) * inch
    gap = pg["gap"] * inch
    caption_size = max(f["min_size"], size - 1.0)
    boxes: list[Box] = []

    title_size, title = _title(summary.title, width, spec)
    y = pg["margin"] * inch
    for key, paras in (("title", title), ("subtitle", (Para(summary.subtitle, f["subtitle_size"], color=c["muted"], align="center"),))):
        boxes.append(_text_box(x0, y, width, key, paras, spec))
        y += boxes[-1].h
    y += gap
    for thickness, after in ((rule["thick"], rule["between"]), (rule["thin"], 0.0)):
        boxes.append(Box("rule", x0, y, width, thickness * inch, "rule", fill=c["rule"]))
        y += (thickness + after) * inch
    y += 2 * gap

    def section(key: str, x: float, y: float, w: float, band_w: float) -> float:
        boxes.append(Box("band", x, y, band_w * inch, band["height"] * inch, key, fill=c[key], tint=c[key + "_tint"], title=SECTION_TITLES[key]))
        y += band["height"] * inch + gap
        boxes.append(_text_box(x, y, w, key, _paras(summary.section(key).blocks, size, c["text"]), spec))
        return y + boxes[-1].h

    y = section("overview", x0, y, width, band["overview_width"]) + 2 * gap
    col_w = (width - pg["gutter"] * inch) / 2
    left_y = y
    for i, key in enumerate(_COLUMNS["left"]):
        left_y = section(key, x0, left_y + (2 * gap if i else 0.0), col_w, band["column_width"])
    right = x0 + col_w + pg["gutter"] * inch
    ry = section("insights", right, y, col_w, band["column_width"]) + gap
    fig = summary.figure
    if fig is None:  # no picture: the insights text is all the column holds
        return PageLayout(summary, size, caption_size, title_size, tuple(boxes), dropped, spec)
    boxes.append(_text_box(right, ry, col_w, "insights", (Para(fig.caption, caption_size, color=c["muted"]),), spec))
    ry += boxes[-1].h
    fw = min(spec["figure"]["width"] * inch, col_w)
    boxes.append(Box("picture", right + (col_w - fw) / 2, ry, fw, fw * aspect, "insights", path=str(picture), alt=fig.alt))
    ry += fw * aspect + gap / 2
    boxes.append(_text_box(right, ry, col_w, "insights", _paras(fig.cells, caption_size, c["text"]), spec))
    return PageLayout(summary, size, caption_size, title_size, tuple(boxes), dropped, spec)


def _title(title: str, width: float, spec: dict[str, Any]) -> tuple[float, tuple[Para, ...]]:
    """The largest title size that keeps the title on one line, else on two, else the smallest size."""
    m = metrics()
    colour = spec["colors"]["text"]
    sizes = spec["font"]["title_sizes"]
    for most in (1, 2):
        for size in sizes:
            para = Para(title, size, bold=True, color=colour, align="center")
            if len(m.lines(para, text_width(width, para, spec))) <= most:
                return size, (para,)
    return sizes[-1], (Para(title, sizes[-1], bold=True, color=colour, align="center"),)


def contrast(foreground: str, background: str) -> float:
    """WCAG contrast ratio of two RGB hex colours."""

    def luminance(hex_: str) -> float:
        channels = [int(hex_[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        lin = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in channels]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


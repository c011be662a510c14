"""The one-page executive summary of any study, in words: format-neutral, shared by every study.

A study writes its summary as an :class:`ExecutiveSummary`: a title, a
subtitle, the four sections of the course layout (overview, project status,
key insights, next steps) made of :class:`Block` paragraphs and bullets, and
optionally one picture with its captions for the key-insights column. The PPTX
and PDF renderers (``reportgen.render.exec_layout``) walk that same structure,
so the two documents cannot disagree; ``to_text`` and ``to_html`` give it as an
e-mail's plain-text and HTML bodies.

Blocks marked ``optional`` may be dropped, last first, to fit the page.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

__all__ = ["Block", "Section", "SummaryFigure", "ExecutiveSummary", "SECTION_TITLES"]

#: Section keys in page order, with the heading each shows.
SECTION_TITLES = {
    "overview": "OVERVIEW",
    "status": "PROJECT STATUS",
    "insights": "KEY INSIGHTS",
    "next": "NEXT STEPS",
}


#: The inline style of an e-mail body (mail readers drop style sheets): near-black text, a readable measure.
BODY_STYLE = "font-family: 'DejaVu Sans', Verdana, sans-serif; color: #1A1A1A; max-width: 40em"


@dataclass(frozen=True)
class Block:
    """One paragraph or bullet: an optional bold lead-in, then text."""

    text: str
    lead: str = ""
    bullet: bool = False
    optional: bool = False  # may be dropped to fit the page

    @property
    def plain(self) -> str:
        """The block as one line of text."""
        return f"{self.lead} {self.text}" if self.lead else self.text


@dataclass(frozen=True)
class Section:
    """A headed section of the page."""

    key: str
    title: str
    blocks: tuple[Block, ...]

    @property
    def optional_count(self) -> int:
        """How many blocks may still be dropped."""
        return sum(b.optional for b in self.blocks)


@dataclass(frozen=True)
class SummaryFigure:
    """A picture for the key-insights column (``figures/<file>``), a caption above it and words for what it shows below."""

    file: str
    alt: str
    caption: str
    cells: tuple[Block, ...]


@dataclass(frozen=True)
class ExecutiveSummary:
    """The whole page, format-neutral; change it only by copying."""

    audience: str
    title: str
    subtitle: str
    sections: tuple[Section, ...]
    #: None: the study has no picture for the page and the insights text takes its place.
    figure: SummaryFigure | None = None

    def to_json(self) -> dict:
        """Plain data for ``executive_summary.json`` (the mail reads it back, checked by the manifest)."""
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, doc: dict) -> ExecutiveSummary:
        """The inverse of ``to_json``."""
        from reportgen.typed_json import from_plain

        return from_plain(cls, doc)

    def section(self, key: str) -> Section:
        """The section with ``key``."""
        return next(s for s in self.sections if s.key == key)

    def without_last_optional(self, key: str) -> ExecutiveSummary:
        """A copy with the last optional block of section ``key`` dropped (the shortening rule's step)."""
        section = self.section(key)
        drop = max((i for i, b in enumerate(section.blocks) if b.optional), default=None)
        if drop is None:
            return self
        blocks = section.blocks[:drop] + section.blocks[drop + 1 :]
        sections = tuple(dataclasses.replace(s, blocks=blocks) if s.key == key else s for s in self.sections)
        return dataclasses.replace(self, sections=sections)

    def to_text(self) -> str:
        """The page as plain text: headings in capitals, bullets as dashes."""
        lines = [self.title, self.subtitle, ""]
        for section in self.sections:
            lines.append(section.title)
            lines += [("- " if b.bullet else "") + b.plain for b in section.blocks]
            if section.key == "insights" and self.figure is not None:
                lines += ["", self.figure.caption + ":"] + ["- " + c.plain for c in self.figure.cells]
            lines.append("")
        return "\n".join(lines).rstrip() + "\n"

    def to_html(self) -> str:
        """The page as a small, self-contained HTML document (an e-mail body): headings, paragraphs, lists."""
        from html import escape

        head = [
            '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">',
            f"<title>{escape(self.title)}</title></head>",
            f'<body style="{BODY_STYLE}">',
        ]
        return "\n".join([*head, self.body_html(), "</body></html>"]) + "\n"

    def body_html(self) -> str:
        """The page's content as HTML elements, for a document that holds several summaries."""
        from html import escape

        def block(b: Block) -> str:
            lead = f"<strong>{escape(b.lead)}</strong> " if b.lead else ""
            return lead + escape(b.text)

        def blocks(items: tuple[Block, ...]) -> list[str]:
            out: list[str] = []
            for i, b in enumerate(items):
                if b.bullet and (i == 0 or not items[i - 1].bullet):
                    out.append("<ul>")
                out.append(f"<li>{block(b)}</li>" if b.bullet else f"<p>{block(b)}</p>")
                if b.bullet and (i == len(items) - 1 or not items[i + 1].bullet):
                    out.append("</ul>")
            return out

        parts = [f"<h1>{escape(self.title)}</h1>", f'<p style="color: #404040">{escape(self.subtitle)}</p>']
        for section in self.sections:
            parts.append(f"<h2>{escape(section.title)}</h2>")
            parts += blocks(section.blocks)
            if section.key == "insights" and self.figure is not None:
                parts.append(f"<p>{escape(self.figure.caption)} (the picture is in the attached PDF):</p>")
                parts += blocks(tuple(dataclasses.replace(c, bullet=True) for c in self.figure.cells))
        return "\n".join(parts)


def sample_blocks(
    section: str, data: Any, audience: str = "technical", covers: str | None = None, plain: str | None = None
) -> tuple[Block, ...]:
    """What the overview of every summary adds when the study analysed a sample (``DataSummary.sample``): nothing otherwise.

    Leadership reads it in plain words (no seed, no column names); the technical tone gets ``sample_sentence``.
    ``covers`` and ``plain`` are a study's own words for what covers every usable row (technical, leadership).
    """
    if section != "overview" or getattr(data, "sample", None) is None:
        return ()
    return (Block(sample_sentence(data, covers) if audience == "technical" else _plain_sample(data, plain), lead="Sample:"),)


#: What a stratified sample keeps in proportion, as a leadership reader says it.
_MIX = {"claim_status": "claims and opinions", "verified_status": "verified and unverified accounts"}


def _plain_sample(data: Any, covers: str | None = None) -> str:
    """The sample for a leadership reader: how many of how many videos, what it keeps, what still covers every video.

    ``covers`` is the study's own sentence for the last, when more than the counts cover every video.
    """
    from reportgen.formatters import plain_name

    s = data.sample
    mix = _MIX.get(s.stratified_by or "", plain_name(s.stratified_by or ""))
    keeps = f"; it keeps the mix of {mix}" if s.stratified_by else ""
    return (
        f"We studied a random sample of {s.rows:,} of the {s.rows_usable:,} usable videos{keeps}. "
        + (covers or "The counts of videos and of missing details cover every video.")
    )


def of_sample(data: Any, words: str = " of the sample") -> str:
    """``words`` when the study analysed a sample (``DataSummary.sample``), else nothing: a count from the rows analysed says so."""
    return words if getattr(data, "sample", None) is not None else ""


def sample_sentence(data: Any, covers: str | None = None) -> str:
    """The sample a study analysed, in a sentence (both the technical report and the summaries say it).

    ``covers`` is the study's own clause for what covers every usable row, when more than the data counts do.
    """
    s = data.sample
    strata = f", keeping the shares of {s.stratified_by}" if s.stratified_by else ""
    return (
        f"the analyses ran on a random sample of {s.rows:,} of the {s.rows_usable:,} usable rows (seed {s.seed}{strata}); "
        + (covers or "the counts of rows, gaps, repeats and labels cover every row.")
    )

"""The technical report of any study, format-neutral: sections made of a few kinds of block.

A study writes its report as a :class:`Document`; the HTML template walks
``document.sections`` and draws each block with the one macro of its kind
(``templates/technical/_blocks.html.j2``), and the PDF is printed from that
HTML. So a new study needs no template of its own, and every study's report
reads the same way.

The set of blocks is closed: :class:`Paragraph`, :class:`Heading`,
:class:`Table`, :class:`Facts`, :class:`FigureBlock`, :class:`BulletList`,
:class:`Quotes` and :class:`Group` (children side by side). A section refuses
anything else, so no renderer meets a block it cannot draw.

Every text is a plain ``str``, data text included (example transcriptions):
the templates escape it, so markup or template syntax in the data is shown,
never run. The ``css`` fields are style hooks only; a renderer without styles
may ignore them and lose nothing but looks.

Examples
--------
>>> doc = Document(
...     title="Toy: technical report",
...     subtitle="One table and one paragraph",
...     sections=(
...         Section("counts", "Counts", (Paragraph("Two rows."), Table("Rows", ("Class", "Rows"), (("a", "1"), ("b", "1")), numeric=(1,)))),
...     ),
... )
>>> doc.section("counts").first(Table).rows[0]
('a', '1')
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Literal, TypeVar, Union

if TYPE_CHECKING:
    from reportgen.results import DataSummary, FigureInfo

__all__ = [
    "Block",
    "BulletList",
    "Document",
    "Fact",
    "Facts",
    "FigureBlock",
    "Group",
    "Heading",
    "Paragraph",
    "Quotes",
    "Section",
    "Table",
    "build_record",
]


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of text; ``css="lead"`` sets it as the opening line of what follows."""

    kind: ClassVar[str] = "paragraph"
    text: str
    css: str = ""


@dataclass(frozen=True)
class Heading:
    """A sub-heading inside a section (level 3 below the section's own heading)."""

    kind: ClassVar[str] = "heading"
    text: str
    level: int = 3


@dataclass(frozen=True)
class Table:
    """A captioned table of display strings.

    The first cell of each row heads the row. ``numeric`` columns are set
    right-aligned. ``status`` gives each row a status word (pass, warn, fail)
    that styles the cell in ``status_column``, beside the symbol and word that
    cell already shows (colour is never the only cue). ``tight`` only keeps the
    HTML source as it was written before the document model (no blank line
    after the table); the page looks the same either way.
    """

    kind: ClassVar[str] = "table"
    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[int, ...] = ()
    css: str = ""
    status: tuple[str, ...] = ()
    status_column: int | None = None
    tight: bool = False

    def __post_init__(self) -> None:
        if self.status and len(self.status) != len(self.rows):
            raise ValueError(f"table '{self.caption}': {len(self.status)} statuses for {len(self.rows)} rows")


@dataclass(frozen=True)
class Fact:
    """A labelled value, with one line saying what it means."""

    label: str
    value: str
    meaning: str = ""


@dataclass(frozen=True)
class Facts:
    """Labelled values: a definition list (``layout="definitions"``) or the headline numbers, value first (``"glance"``)."""

    kind: ClassVar[str] = "facts"
    items: tuple[Fact, ...]
    css: str = "facts"
    layout: Literal["definitions", "glance"] = "definitions"


@dataclass(frozen=True)
class FigureBlock:
    """A drawn figure with its title, caption and alt text (``results.FigureInfo``)."""

    kind: ClassVar[str] = "figure"
    figure: FigureInfo
    css: str = ""


@dataclass(frozen=True)
class BulletList:
    """Items one a line; ``ordered`` when their order is a ranking."""

    kind: ClassVar[str] = "list"
    items: tuple[str, ...]
    css: str = ""
    ordered: bool = False


@dataclass(frozen=True)
class Quotes:
    """Raw data text quoted as it is (example transcriptions), under a label."""

    kind: ClassVar[str] = "quotes"
    label: str
    texts: tuple[str, ...]
    css: str = "examples"
    quote_css: str = ""


@dataclass(frozen=True)
class Group:
    """Blocks laid out together, side by side where the page is wide (``css="pair"``)."""

    kind: ClassVar[str] = "group"
    blocks: tuple[Block, ...]
    css: str = ""

    def __post_init__(self) -> None:
        _check_blocks(self.blocks, f"group '{self.css}'")


Block = Union[Paragraph, Heading, Table, Facts, FigureBlock, BulletList, Quotes, Group]
_KINDS = (Paragraph, Heading, Table, Facts, FigureBlock, BulletList, Quotes, Group)
B = TypeVar("B", Paragraph, Heading, Table, Facts, FigureBlock, BulletList, Quotes, Group)


def _check_blocks(blocks: tuple[Block, ...], where: str) -> None:
    """Refuse anything outside the closed set of blocks (a renderer could not draw it)."""
    for block in blocks:
        if not isinstance(block, _KINDS):
            raise TypeError(f"{where}: {type(block).__name__} is not a document block")


@dataclass(frozen=True)
class Section:
    """A numbered section of the report: ``id`` is its anchor, ``heading`` its title."""

    id: str
    heading: str
    blocks: tuple[Block, ...]

    def __post_init__(self) -> None:
        _check_blocks(self.blocks, f"section '{self.id}'")

    def walk(self) -> tuple[Block, ...]:
        """Every block in reading order, the children of groups included."""
        out: list[Block] = []
        for block in self.blocks:
            out.append(block)
            if isinstance(block, Group):
                out += Section(self.id, self.heading, block.blocks).walk()
        return tuple(out)

    def all(self, kind: type[B]) -> tuple[B, ...]:
        """Every block of one kind, in reading order."""
        return tuple(b for b in self.walk() if isinstance(b, kind))

    def first(self, kind: type[B]) -> B:
        """The first block of one kind (``StopIteration`` if there is none)."""
        return next(b for b in self.walk() if isinstance(b, kind))


@dataclass(frozen=True)
class Document:
    """A study's technical report: a title block, then numbered sections in order.

    ``facts`` sit under the title (data file, date, generated-at); the
    subtitle doubles as the page's description.
    """

    title: str
    subtitle: str
    sections: tuple[Section, ...]
    facts: tuple[Fact, ...] = ()
    lang: str = "en"

    def section(self, id: str) -> Section:
        """The section with anchor ``id`` (``KeyError`` if there is none)."""
        for s in self.sections:
            if s.id == id:
                return s
        raise KeyError(id)


def build_record(
    settings: tuple[tuple[str, str], ...],
    data: DataSummary,
    generated_at: str,
    versions: dict[str, str],
    covers: str | None = None,
) -> tuple[Table, Table]:
    """The two tables every report ends with: the build's settings, then its input and time; the package versions.

    ``settings`` are the study's own (setting, value) rows; the input file, its
    SHA-256, the data's date and the generation time follow them, so every
    study records its provenance alike. ``covers`` is the study's clause for
    what covers every usable row when it analysed a sample (``sample_sentence``).
    """
    provenance = (("Input file", data.source), ("Input SHA-256", data.sha256), ("Date of the data", data.modified), ("Generated", generated_at))
    if getattr(data, "sample", None) is not None:  # an out-of-core engine's sample: the report says which rows it analysed
        from reportgen.core.summary import sample_sentence

        sentence = sample_sentence(data, covers)  # first letter up; capitalize() would lower a name such as VIF
        provenance = (("Rows analysed", sentence[:1].upper() + sentence[1:]), *provenance)
    return (
        Table("Settings of this build", ("Setting", "Value"), (*settings, *provenance), css="settings"),
        Table("Package versions", ("Package", "Version"), tuple(versions.items()), css="versions"),
    )

"""The format-neutral document model and its HTML: every kind of block drawn, in order, escaped."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from reportgen.core.document import (
    BulletList,
    Document,
    Fact,
    Facts,
    FigureBlock,
    Group,
    Heading,
    Paragraph,
    Quotes,
    Section,
    Table,
)
from reportgen.render.html import render_html
from reportgen.results import FigureInfo

HOSTILE = "<script>alert(1)</script> {{ 7*7 }}"
FIGURE = FigureInfo(file="toy.png", title="Toy figure", alt="Bars of two classes: a 1, b 2.", caption="Rows by class.")


def _document() -> Document:
    """One section holding every kind of block once (a group wraps a table and a figure), and a second, short section."""
    everything = Section(
        "everything",
        "Every block",
        (
            Paragraph("Opening line.", css="lead"),
            Heading("A sub-heading"),
            Table(
                "Checks",
                ("Check", "Status", "Value"),
                (("first", "✔ pass", "1"), ("second", "⚠ warn", "2,000")),
                numeric=(2,),
                css="checks",
                status=("pass", "warn"),
                status_column=1,
            ),
            Facts((Fact("Rows", "19,084", "usable rows"),), css="facts inline"),
            Facts((Fact("ROC AUC", "0.664", "Weak discrimination."),), css="glance", layout="glance"),
            FigureBlock(FIGURE, css="small"),
            BulletList(("First effect.", "Second effect."), css="effects", ordered=True),
            Quotes("claim", (HOSTILE, "plain text"), quote_css="transcription"),
            Group((Table("Left", ("Class", "Rows"), (("a", "1"),), numeric=(1,)), Paragraph("Right.")), css="pair"),
            BulletList(("A warning.",), css="warnings"),
        ),
    )
    short = Section("short", "A short one", (Paragraph(HOSTILE),))
    return Document(
        title="Toy: technical report",
        subtitle="Every block once",
        facts=(Fact("Data file", "toy.csv"),),
        sections=(everything, short),
        lang="en",
    )


def _name(tag: str, attrs: dict[str, str | None]) -> str:
    """'div.pair.figures' for <div class="pair figures">."""
    return tag + ("." + attrs["class"].replace(" ", ".") if attrs.get("class") else "")


class Tree(HTMLParser):
    """Each start tag with its attributes and its ancestors, and the text inside each element path."""

    VOID = {"img", "meta", "br", "link"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None], tuple[str, ...]]] = []
        self.stack: list[str] = []
        self.text: list[tuple[tuple[str, ...], str]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = _name(tag, attrs) + ("#" + attrs["id"] if attrs.get("id") else "")
        self.elements.append((tag, attrs, tuple(self.stack)))
        if tag not in self.VOID:
            self.stack.append(name)

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1].split(".")[0].split("#")[0] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()

    def handle_data(self, data):
        if data.strip():
            self.text.append((tuple(self.stack), data))

    def children(self, parent: str) -> list[str]:
        """The element names directly inside the innermost element named ``parent``."""
        out = []
        for tag, attrs, ancestors in self.elements:
            if ancestors and ancestors[-1] == parent:
                out.append(_name(tag, attrs))
        return out


@pytest.fixture(scope="module")
def html(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("document")
    return render_html(_document(), Path(folder), embed=False)


@pytest.fixture(scope="module")
def tree(html: str) -> Tree:
    parsed = Tree()
    parsed.feed(html)
    parsed.close()
    assert parsed.stack == []
    return parsed


def test_every_block_is_drawn_in_order(tree: Tree) -> None:
    assert tree.children("section#everything") == [
        "h2",
        "p.lead",
        "h3",
        "div.table-wrap",
        "dl.facts.inline",
        "ul.glance",
        "figure.small",
        "ol.effects",
        "div.examples",
        "div.pair",
        "ul.warnings",
    ]
    assert tree.children("section#short") == ["h2", "p"]


def test_a_group_wraps_its_children(tree: Tree) -> None:
    assert tree.children("div.pair") == ["div.table-wrap", "p"]
    caption = next(ancestors for ancestors, text in tree.text if text == "Left")
    assert "div.pair" in caption


def test_sections_are_numbered_from_two_with_anchors_and_contents(html: str) -> None:
    assert '<li><a href="#everything">2. Every block</a></li>' in html
    assert '<li><a href="#short">3. A short one</a></li>' in html
    assert '<section id="everything" aria-labelledby="everything-title">' in html
    assert '<h2 id="short-title">3. A short one</h2>' in html
    assert '<html lang="en">' in html and "<title>Toy: technical report</title>" in html
    assert '<meta name="description" content="Every block once">' in html
    assert "<div><dt>Data file</dt><dd>toy.csv</dd></div>" in html


def test_tables_have_scoped_headers_numeric_cells_and_status_cells(html: str) -> None:
    assert '<table class="checks">' in html and "<caption>Checks</caption>" in html
    header = '<th scope="col">Check</th><th scope="col">Status</th><th scope="col" class="num">Value</th>'
    assert f"<thead><tr>{header}</tr></thead>" in html
    assert '<tr><th scope="row">second</th><td class="status status-warn">⚠ warn</td><td class="num">2,000</td></tr>' in html
    assert '<tr><th scope="row">a</th><td class="num">1</td></tr>' in html


def test_figure_has_its_alt_text_and_caption(html: str, tree: Tree) -> None:
    images = [attrs for tag, attrs, _ in tree.elements if tag == "img"]
    assert images == [{"src": "figures/toy.png", "alt": FIGURE.alt}]
    assert "<figcaption><strong>Toy figure.</strong> Rows by class.</figcaption>" in html


def test_facts_lists_and_quotes(html: str) -> None:
    assert '<div><dt>Rows</dt><dd>19,084 <span class="meaning">usable rows</span></dd></div>' in html
    glance = (
        '<span class="glance-value">0.664</span> <span class="glance-label">ROC AUC</span> '
        '<span class="glance-meaning">Weak discrimination.</span>'
    )
    assert f"<li>{glance}</li>" in html
    assert '<ol class="effects">\n<li>First effect.</li>\n<li>Second effect.</li>\n</ol>' in html
    assert '<ul class="warnings">\n<li>A warning.</li>\n</ul>' in html
    assert '<div class="examples">\n<h4>claim</h4>\n' in html
    assert '<blockquote class="transcription">plain text</blockquote>' in html


def test_data_text_is_escaped_and_never_runs(html: str, tree: Tree) -> None:
    assert not any(tag == "script" for tag, _, _ in tree.elements)
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }}"
    assert f'<blockquote class="transcription">{escaped}</blockquote>' in html
    assert f"<p>{escaped}</p>" in html


def test_the_set_of_blocks_is_closed() -> None:
    with pytest.raises(TypeError, match="not a document block"):
        Section("x", "X", (Paragraph("fine"), "a bare string"))
    with pytest.raises(TypeError, match="not a document block"):
        Group(({"kind": "paragraph"},), css="pair")
    with pytest.raises(ValueError, match="2 statuses for 1 rows"):
        Table("t", ("a",), (("1",),), status=("pass", "warn"))


def test_lookup_helpers() -> None:
    doc = _document()
    section = doc.section("everything")
    assert section.first(Table).caption == "Checks"
    assert [t.caption for t in section.all(Table)] == ["Checks", "Left"]  # the group's table too
    assert section.all(Paragraph)[-1].text == "Right."
    with pytest.raises(KeyError):
        doc.section("missing")

"""The technical report: every headline number as displayed, in the HTML and the PDF; alt text; safety; layout limits."""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from reportgen.config import Config
from reportgen.formatters import fmt_int, fmt_pct, fmt_rate
from reportgen.core.document import BulletList, Facts, Paragraph
from reportgen.narrative.wording import STATUS_LABELS
from reportgen.render.html import build_content, render_html, write_technical_html, write_technical_pdf
from reportgen.studies import get
from reportgen.studies.regression.technical import technical_report

PAYLOAD = "<script>alert(1)</script> and {{ 7*7 }} in a transcription"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Page(HTMLParser):
    """Text, start tags, table rows and nesting errors of an HTML document."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.rows: list[list[str]] = []
        self.blockquotes: list[str] = []
        self.errors: list[str] = []
        self.doctype = ""
        self._stack: list[str] = []
        self._cell: list[str] | None = None
        self._row: list[str] | None = None
        self._quote: list[str] | None = None

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in VOID:
            self._stack.append(tag)
        if tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "blockquote":
            self._quote = []

    def handle_endtag(self, tag: str) -> None:
        if not self._stack or self._stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self._stack[-1] if self._stack else 'nothing'}>")
        else:
            self._stack.pop()
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None
        elif tag == "blockquote" and self._quote is not None:
            self.blockquotes.append("".join(self._quote))
            self._quote = None

    def handle_data(self, data: str) -> None:
        if self._stack and self._stack[-1] == "style":
            return
        self.text.append(data)
        for part in (self._cell, self._quote):
            if part is not None:
                part.append(data)


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    return page


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(p.extract_text() for p in PdfReader(path).pages)


def expected_rows(results: dict) -> dict[str, list[str]]:
    """What the confusion-matrix and metric rows must read, from results.json through the formatters."""
    e, cm = results["evaluation"], results["evaluation"]["confusion_matrix"]
    neg, pos = [k for k in results["data"]["target_counts"] if k != results["model"]["positive_class"]][0], results["model"]["positive_class"]
    return {
        "actual negative": [neg, fmt_int(cm["tn"]), fmt_int(cm["fp"]), fmt_int(cm["tn"] + cm["fp"])],
        "actual positive": [pos, fmt_int(cm["fn"]), fmt_int(cm["tp"]), fmt_int(cm["fn"] + cm["tp"])],
        "accuracy": ["Accuracy", fmt_pct(e["accuracy"])],
        "precision": ["Precision", fmt_pct(e["precision"])],
        "recall": ["Recall", fmt_pct(e["recall"])],
        "f1": ["F1", fmt_pct(e["f1"])],
        "roc_auc": ["ROC AUC", fmt_rate(e["roc_auc"])],
    }


@pytest.fixture(scope="module")
def results(real_build) -> dict:
    return json.loads((real_build.out / "results.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def html(real_build) -> str:
    return (real_build.out / "technical_report.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def page(html) -> Page:
    return parse(html)


@pytest.fixture(scope="module")
def pdf(real_build):
    from pypdf import PdfReader

    return PdfReader(real_build.out / "technical_report.pdf")


@pytest.fixture(scope="module")
def injected(real_build, tmp_path_factory):
    """The real results with a hostile transcription, rendered to HTML and PDF in a folder of their own."""
    r = real_build.results
    examples = {label: (PAYLOAD, *texts[1:]) for label, texts in r.exploration.examples.items()}
    results = dataclasses.replace(r, exploration=dataclasses.replace(r.exploration, examples=examples))
    folder = tmp_path_factory.mktemp("injected")
    shutil.copytree(real_build.out / "figures", folder / "figures")
    report = build_content(get("regression"), results, Config(), "2025-01-01 00:00 UTC")
    return write_technical_html(report, folder), write_technical_pdf(report, folder)


def test_build_writes_both_files(real_build):
    written = real_build.report.study("regression").written
    assert {"technical_report.html", "technical_report.pdf"} <= set(written)
    assert all((real_build.out / name).stat().st_size > 0 for name in written)


def test_html_shows_every_headline_number_as_displayed(results, page):
    for name, row in expected_rows(results).items():
        assert any(r[: len(row)] == row for r in page.rows), f"{name}: no table row starts {row}"


def test_pdf_shows_every_headline_number_as_displayed(results, real_build):
    lines = [" ".join(line.split()) for line in pdf_text(real_build.out / "technical_report.pdf").splitlines()]
    for name, row in expected_rows(results).items():
        assert any(line.startswith(" ".join(row)) for line in lines), f"{name}: no PDF line starts {' '.join(row)!r}"


def test_html_is_self_contained_html5_for_phones(html, page):
    assert page.doctype.lower() == "doctype html"
    assert page.errors == []
    html_tag = next(attrs for tag, attrs in page.tags if tag == "html")
    assert html_tag.get("lang")
    assert any(tag == "meta" and attrs.get("name") == "viewport" and "width=device-width" in (attrs.get("content") or "") for tag, attrs in page.tags)
    assert any(tag == "title" for tag, _ in page.tags)
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//|file:)""", html)
    assert not any(tag == "link" for tag, _ in page.tags)


def test_every_image_is_embedded_with_the_alt_text_of_results(results, page):
    images = [attrs for tag, attrs in page.tags if tag == "img"]
    assert len(images) == len(results["figures"])
    assert all((a.get("alt") or "").strip() for a in images)
    assert all((a.get("src") or "").startswith("data:image/png;base64,") for a in images)
    assert {a["alt"] for a in images} == {f["alt"] for f in results["figures"]}


def test_pdf_page_count_and_tagged_alt_text(results, pdf):
    assert 4 <= len(pdf.pages) <= 15
    root = pdf.trailer["/Root"]
    assert root.get("/Lang") and root["/MarkInfo"]["/Marked"]
    alts: list[str] = []

    def walk(node) -> None:
        node = node.get_object()
        if isinstance(node, list):
            for child in node:
                walk(child)
        elif hasattr(node, "get"):
            if node.get("/S") == "/Figure":
                alts.append(str(node.get("/Alt") or ""))
            if node.get("/K") is not None:
                walk(node["/K"])

    walk(root["/StructTreeRoot"])
    assert sorted(alts) == sorted(f["alt"] for f in results["figures"])


def test_no_pdf_image_is_placed_beyond_its_page_box(results, pdf):
    placed = 0
    for number, pg in enumerate(pdf.pages, start=1):
        box = pg.mediabox
        xobjects = pg["/Resources"].get("/XObject", {})
        found: list[tuple[str, list[float]]] = []

        def visit(op, args, cm, tm, found=found):
            if op == b"Do":
                found.append((args[0], list(cm)))

        pg.extract_text(visitor_operand_before=visit)
        for name, (a, b, c, d, e, f) in found:
            if xobjects[name].get_object().get("/Subtype") != "/Image":
                continue
            # the image is the unit square mapped by the current transformation matrix
            xs, ys = [e, e + a, e + c, e + a + c], [f, f + b, f + d, f + b + d]
            assert min(xs) >= float(box.left) - 0.5 and max(xs) <= float(box.right) + 0.5, f"page {number}: image wider than the page"
            assert min(ys) >= float(box.bottom) - 0.5 and max(ys) <= float(box.top) + 0.5, f"page {number}: image taller than the page"
            placed += 1
    assert placed == len(results["figures"])


def test_status_symbols_and_fonts_in_the_pdf(results, real_build, pdf):
    text = pdf_text(real_build.out / "technical_report.pdf")
    for status in {c["status"] for c in results["assumptions"]}:
        assert STATUS_LABELS[status] in text
    fonts = {
        str(font.get_object().get("/BaseFont"))
        for pg in pdf.pages
        for font in pg["/Resources"].get("/Font", {}).values()
    }
    # one family for all text, symbols included: no fallback font had to stand in for a missing glyph
    assert fonts and all("DejaVu-Sans" in f for f in fonts), fonts


def test_hostile_transcription_is_escaped_and_inert_in_html(injected):
    html = injected[0].read_text(encoding="utf-8")
    page = parse(html)
    assert not any(tag == "script" for tag, _ in page.tags)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert PAYLOAD in page.blockquotes
    assert "{{ 7*7 }}" in "".join(page.text)


def test_hostile_transcription_is_literal_text_in_pdf(injected):
    text = " ".join(pdf_text(injected[1]).split())
    assert "<script>alert(1)</script>" in text
    assert "{{ 7*7 }}" in text


def test_wording_follows_the_numbers(real_build):
    r = real_build.results
    report = technical_report(r, Config(), generated_at="now", versions={})
    accuracy = next(i for i in report.section("glance").first(Facts).items if i.label == "Accuracy")
    side = "Below" if r.evaluation.accuracy < r.evaluation.baseline_accuracy else "Above"
    assert accuracy.meaning.startswith(side)
    better = dataclasses.replace(r, evaluation=dataclasses.replace(r.evaluation, accuracy=0.987654, baseline_accuracy=0.5))
    flipped = technical_report(better, Config(), generated_at="now", versions={})
    item = next(i for i in flipped.section("glance").first(Facts).items if i.label == "Accuracy")
    assert item.value == fmt_pct(0.987654) and item.meaning.startswith("Above")
    assert any("at or above the baseline" in p.text for p in flipped.section("evaluation").all(Paragraph))


def test_effect_sentences_read_direction_from_the_interval(real_build):
    r = real_build.results
    report = technical_report(r, Config(), generated_at="now", versions={})
    for term, sentence in zip(r.model.ranked_effects(), report.section("interpretation").first(BulletList).items):
        low, high = (term.or_per_sd_ci_low, term.or_per_sd_ci_high) if term.kind == "continuous" else (term.or_ci_low, term.or_ci_high)
        expected = "multiplies the odds" if low > 1 else "lowers the odds" if high < 1 else "no effect distinguishable"
        assert expected in sentence


def test_title_block_and_reproducibility(results, page, real_build):
    from reportgen.artifacts import package_versions

    text = " ".join("".join(page.text).split())
    d = results["data"]
    for value in (Config().report.project, d["source"], d["modified"], d["sha256"][:12], d["sha256"]):
        assert value in text
    versions = package_versions()
    assert ["pandas", versions["pandas"]] in page.rows
    assert ["Seed", str(Config().model.seed)] in page.rows


def test_importing_the_render_registry_stays_light():
    code = "import sys, reportgen.render; print(sorted(m for m in ('pandas', 'jinja2', 'weasyprint', 'matplotlib', 'sklearn') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"


def test_html_renders_from_results_without_a_build(real_build, tmp_path):
    report = build_content(get("regression"), real_build.results, Config(), "2025-01-01 00:00 UTC")
    (tmp_path / "figures").mkdir()
    # with no figure files the HTML cannot embed them: render with links instead
    html = render_html(report, tmp_path, embed=False)
    assert "2025-01-01 00:00 UTC" in html and 'src="figures/roc_curve.png"' in html

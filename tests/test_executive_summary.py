"""The executive summary as read back from its files: one slide and one PDF page, same numbers, text that fits."""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

import pytest

from reportgen.config import Config
from reportgen.formatters import fmt_ci, fmt_int, fmt_num, fmt_or, fmt_p, fmt_pct, fmt_rate, fmt_value
from reportgen.narrative.wording import in_words, odds_range_words
from reportgen.resources import assets_dir, templates_dir

SECTIONS = ("OVERVIEW", "PROJECT STATUS", "KEY INSIGHTS", "NEXT STEPS")
NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?%?")
EMU_PER_PT = 12_700
MIN_PT = 10.0


# --- builds -------------------------------------------------------------------


@pytest.fixture(scope="module")
def small_build(tmp_path_factory: pytest.TempPathFactory):
    """The regression study of a full build of 3,000 demo rows at another seed than the tests' usual one."""
    from conftest import study_build
    from reportgen.builder import build
    from reportgen.synthetic import write_csv

    folder = tmp_path_factory.mktemp("exec_small")
    return study_build(build(write_csv(folder / "demo.csv", 3_000, 11), folder / "out", Config(), studies=["regression"]))


def _render(build, audience: str, folder: Path) -> Path:
    """Render the summary of a finished build in another tone, into a copy of its figures."""
    from reportgen.render.executive import write_executive_summary
    from reportgen.studies import get

    shutil.copytree(build.out / "figures", folder / "figures")
    write_executive_summary(get("regression"), build.results, Config().with_overrides(audience=audience), folder)
    return folder


@pytest.fixture(scope="module")
def decks(real_build, small_build, tmp_path_factory):
    """(data, audience) -> (folder with the summary files, that build's results.json)."""
    out = {}
    for name, build in (("real", real_build), ("small", small_build)):
        results = json.loads((build.out / "results.json").read_text())
        out[(name, "leadership")] = (build.out, results)
        out[(name, "technical")] = (_render(build, "technical", tmp_path_factory.mktemp(f"tech_{name}")), results)
    return out


CASES = [("real", "leadership"), ("real", "technical"), ("small", "leadership"), ("small", "technical")]


@pytest.fixture(params=CASES, ids=["-".join(c) for c in CASES])
def case(request, decks):
    return decks[request.param]


# --- reading back ------------------------------------------------------------


def open_deck(folder: Path):
    from pptx import Presentation

    return Presentation(str(folder / "executive_summary.pptx"))


def slide_text(folder: Path) -> str:
    shapes = open_deck(folder).slides[0].shapes
    return "\n".join(s.text_frame.text for s in shapes if s.has_text_frame)


def pdf_text(folder: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(p.extract_text() for p in PdfReader(str(folder / "executive_summary.pdf")).pages)


def numbers(text: str) -> set[str]:
    return set(NUMBER.findall(text))


def allowed_numbers(results: dict) -> set[str]:
    """Every number results.json holds, as the formatters display it (and the 95 % interval level)."""
    d, m, e = results["data"], results["model"], results["evaluation"]
    shown = [fmt_int(v) for v in (d["rows_read"], d["rows_used"], d["rows_dropped"], m["n_train"], m["n_test"])]
    shown += [fmt_int(v) for group in (d["dropped_reasons"], d["target_counts"], e["confusion_matrix"]) for v in group.values()]
    rates = [e[k] for k in ("accuracy", "precision", "recall", "specificity", "baseline_accuracy", "f1")]
    shares = list(results["exploration"]["class_shares"].values())
    shares += [v for row in results["exploration"]["crosstab_row_shares"].values() for v in row.values()]
    shown += [fmt_pct(v) for v in rates + shares]
    shown += [fmt_rate(v) for v in (e["f1"], e["roc_auc"], e["average_precision"], m["pseudo_r2"])]
    shown += [in_words(v) for v in rates] + [in_words(v, 100) for v in shares]
    shown += [fmt_num(e["threshold"]), "95%", str(sum(c["status"] != "pass" for c in results["assumptions"]))]
    for t in m["terms"]:
        shown += [fmt_or(t[k]) for k in ("odds_ratio", "or_ci_low", "or_ci_high", "or_per_sd", "or_per_sd_ci_low", "or_per_sd_ci_high") if t.get(k) is not None]
        shown.append(fmt_p(t["p_value"]))
        if t.get("p_holm") is not None:
            shown.append(fmt_p(t["p_holm"]))
        low, high = (t["or_per_sd_ci_low"], t["or_per_sd_ci_high"]) if t.get("or_per_sd") is not None else (t["or_ci_low"], t["or_ci_high"])
        shown.append(odds_range_words(low, high))
    shown += [in_words(1 - e["specificity"])]
    shown += [fmt_num(r, 2) for *_, r in results["collinearity"]["high_pairs"]]
    v = results.get("model_value")
    if v:
        for i in v["intervals"]:
            shown += [fmt_pct(i["low"]), fmt_pct(i["high"]), fmt_rate(i["low"]), fmt_rate(i["high"])]
        shown += [fmt_rate(x) for x in (v["baseline_roc_auc"], v["baseline_roc_auc_low"], v["baseline_roc_auc_high"], v["cv_roc_auc_mean"], v["cv_roc_auc_sd"]) if x is not None]
        shown += [str(v["cv_folds"]), str(v["lr_df"]), fmt_pct(v["mean_score"]), fmt_pct(v["train_positive_share"])]
        if v["lr_p_value"] is not None:
            shown += [fmt_num(v["lr_statistic"]), fmt_p(v["lr_p_value"])]
        shown += [fmt_pct(t[k]) for t in v["thresholds"] for k in ("precision", "recall") if t["share_flagged"] > 0]
    for c in (results.get("previous") or {}).get("changes", []):
        shown += [fmt_value(c["before"], c["kind"]), fmt_value(c["after"], c["kind"])]
    return set().union(*(numbers(s) for s in shown))


# --- independent text measurement (Pillow, the shipped font, our own wrap) -------


@lru_cache(maxsize=None)
def font(bold: bool, size_pt: float):
    from PIL import ImageFont

    name = "LiberationSans-Bold.ttf" if bold else "LiberationSans-Regular.ttf"
    return ImageFont.truetype(str(assets_dir() / "fonts" / name), size=round(size_pt * 20))  # 20 px per pt


def width_pt(text: str, bold: bool, size_pt: float) -> float:
    return font(bold, size_pt).getlength(text) / 20


def wrapped_lines(paragraph, width: float) -> int:
    """Greedy wrap of a paragraph's runs at spaces; a word wider than the line gets its own line(s)."""
    words = [(w, bool(r.font.bold), r.font.size.pt) for r in paragraph.runs for w in r.text.split()]
    lines, used = 1, 0.0
    for word, bold, size in words:
        w = width_pt(word, bold, size)
        space = width_pt(" ", bold, size) if used else 0.0
        if used and used + space + w > width:
            lines, used, space = lines + 1, 0.0, 0.0
        while w > width:  # split an over-long word
            lines, w = lines + 1, w - width
        used += space + w
    return lines


def needed_height_pt(shape) -> float:
    frame = shape.text_frame
    inner = (shape.width - frame.margin_left - frame.margin_right) / EMU_PER_PT
    height = (frame.margin_top + frame.margin_bottom) / EMU_PER_PT
    paragraphs = frame.paragraphs
    for i, p in enumerate(paragraphs):
        ppr = p._p.pPr
        indent = int(ppr.get("marL", "0")) / EMU_PER_PT if ppr is not None else 0.0
        assert p.line_spacing is not None and not isinstance(p.line_spacing, float), "exact line pitch expected"
        height += wrapped_lines(p, inner - indent) * p.line_spacing.pt
        if i < len(paragraphs) - 1 and p.space_after is not None:
            height += p.space_after.pt
    return height


def contrast(a: str, b: str) -> float:
    def lum(h: str) -> float:
        c = [int(h[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        c = [x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4 for x in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


# --- the deck -------------------------------------------------------------------


def test_deck_is_one_portrait_letter_slide_with_the_four_sections(case):
    folder, _ = case
    deck = open_deck(folder)
    assert len(deck.slides) == 1
    assert (deck.slide_width, deck.slide_height) == (int(7.5 * 914_400), int(10 * 914_400))
    slide = deck.slides[0]
    texts = [s.text_frame.text for s in slide.shapes if s.has_text_frame]
    for title in SECTIONS:
        assert title in texts
    assert slide.shapes.title.text_frame.text == Config().report.title
    assert Config().report.subtitle in texts


def test_picture_carries_the_alt_text_of_results_json(case):
    folder, results = case
    alt = next(f["alt"] for f in results["figures"] if f["file"] == "confusion_matrix.png")
    pictures = [s for s in open_deck(folder).slides[0].shapes if s.shape_type == 13]  # MSO_SHAPE_TYPE.PICTURE
    assert len(pictures) == 1
    assert pictures[0]._element.nvPicPr.cNvPr.get("descr") == alt


def test_every_number_on_the_slide_is_a_number_of_results_json(case):
    folder, results = case
    shown = numbers(slide_text(folder))
    assert shown - allowed_numbers(results) == set()
    e, m = results["evaluation"], results["model"]
    must = {fmt_int(v) for v in e["confusion_matrix"].values()} | {fmt_int(m["n_test"]), fmt_pct(e["recall"]), fmt_pct(e["precision"])}
    assert must <= shown


def test_no_text_frame_overflows_its_box_and_nothing_is_below_ten_points(case):
    folder, _ = case
    deck = open_deck(folder)
    slide = deck.slides[0]
    for shape in slide.shapes:
        assert 0 <= shape.left and shape.left + shape.width <= deck.slide_width, shape.name
        assert 0 <= shape.top and shape.top + shape.height <= deck.slide_height, shape.name
        if not shape.has_text_frame or not shape.text_frame.text:
            continue
        sizes = [r.font.size.pt for p in shape.text_frame.paragraphs for r in p.runs]
        assert sizes and min(sizes) >= MIN_PT, shape.name
        assert all(r.font.name == "Arial" for p in shape.text_frame.paragraphs for r in p.runs)
        assert all(r._r.rPr.get("kern") == "0" for p in shape.text_frame.paragraphs for r in p.runs)  # measured unkerned
        if shape.text_frame.word_wrap is False:  # a header band: one line
            run = shape.text_frame.paragraphs[0].runs[0]
            inner = (shape.width - shape.text_frame.margin_left - shape.text_frame.margin_right) / EMU_PER_PT
            assert width_pt(run.text, True, run.font.size.pt) <= inner, shape.name
        else:
            assert needed_height_pt(shape) <= shape.height / EMU_PER_PT + 0.01, shape.name


def test_text_boxes_and_picture_do_not_overlap(case):
    folder, _ = case
    shapes = [s for s in open_deck(folder).slides[0].shapes if s.shape_type == 13 or (s.has_text_frame and s.text_frame.word_wrap)]
    boxes = [(s.name, s.left, s.top, s.left + s.width, s.top + s.height) for s in shapes]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            apart = a[3] <= b[1] or b[3] <= a[1] or a[4] <= b[2] or b[4] <= a[2]
            assert apart, (a[0], b[0])


def test_header_bands_have_words_and_readable_contrast(case):
    folder, _ = case
    bands = [s for s in open_deck(folder).slides[0].shapes if s.has_text_frame and s.text_frame.text in SECTIONS]
    assert sorted(s.text_frame.text for s in bands) == sorted(SECTIONS)
    fills = set()
    for band in bands:
        fill = str(band.fill.fore_color.rgb)
        ink = str(band.text_frame.paragraphs[0].runs[0].font.color.rgb)
        assert contrast(fill, ink) >= 4.5, band.text_frame.text
        fills.add(fill)
    assert len(fills) == 4
    shapes = open_deck(folder).slides[0].shapes
    body = [r for s in shapes if s.has_text_frame and s.text_frame.text not in SECTIONS for p in s.text_frame.paragraphs for r in p.runs]
    assert body
    assert all(contrast(str(r.font.color.rgb), "FFFFFF") >= 4.5 for r in body)


def test_the_deck_names_the_shipped_font_and_its_licence_ships_with_it():
    from reportgen.render.exec_layout import layout_spec

    spec = layout_spec()
    assert spec["font"]["family"] == "Arial"  # the font Office has; measured with its metric-compatible twin
    for key in ("regular", "bold"):
        assert (assets_dir() / spec["font"][key]).is_file()
        assert "Liberation Sans" in _font_family(assets_dir() / spec["font"][key])
    assert "Liberation" in (assets_dir() / "fonts" / "LICENSE-LiberationSans").read_text()
    assert (templates_dir() / "executive" / "summary.html.j2").is_file()


# --- the PDF --------------------------------------------------------------------


def test_pdf_is_one_letter_page_with_the_slides_numbers(case):
    from pypdf import PdfReader

    folder, results = case
    reader = PdfReader(str(folder / "executive_summary.pdf"))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
    text = pdf_text(folder)
    assert numbers(text) == numbers(slide_text(folder))
    assert numbers(text) - allowed_numbers(results) == set()
    for title in SECTIONS:
        assert title in text


def test_pdf_carries_the_pictures_alt_text(case):
    from pypdf import PdfReader

    folder, results = case
    alt = next(f["alt"] for f in results["figures"] if f["file"] == "confusion_matrix.png")
    reader = PdfReader(str(folder / "executive_summary.pdf"))
    found, seen, todo = [], set(), [reader.trailer["/Root"]["/StructTreeRoot"]]
    while todo:
        node = todo.pop()
        node = node.get_object() if hasattr(node, "get_object") else node
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, dict):
            if "/Alt" in node:
                found.append(str(node["/Alt"]))
            todo += [v for k, v in node.items() if k in ("/K", "/Kids")]
        elif isinstance(node, list):
            todo += list(node)
    assert alt in found


# --- tones and data --------------------------------------------------------------


@pytest.mark.parametrize("data", ["real", "small"])
def test_technical_deck_and_pdf_quote_metrics_and_odds_ratios_with_intervals(decks, data):
    folder, results = decks[(data, "technical")]
    e = results["evaluation"]
    for text in (slide_text(folder), pdf_text(folder)):
        flat = " ".join(text.split())
        assert f"Accuracy: {fmt_pct(e['accuracy'])}" in flat
        assert f"precision {fmt_pct(e['precision'])}" in flat and f"recall {fmt_pct(e['recall'])}" in flat
        intervals = re.findall(r"OR (\S+) \(95% CI (\S+)–([^)\s]+)\)", flat)
        assert len(intervals) >= 2
        terms = results["model"]["terms"]
        legal = {(fmt_or(t["odds_ratio"]), fmt_ci(t["or_ci_low"], t["or_ci_high"])) for t in terms}
        legal |= {(fmt_or(t["or_per_sd"]), fmt_ci(t["or_per_sd_ci_low"], t["or_per_sd_ci_high"])) for t in terms if t.get("or_per_sd") is not None}
        assert all((odds, f"{low}–{high}") in legal for odds, low, high in intervals)


@pytest.mark.parametrize("audience", ["leadership", "technical"])
def test_other_data_change_the_numbers_on_both_documents(decks, audience):
    (real, real_results), (small, small_results) = decks[("real", audience)], decks[("small", audience)]
    for read in (slide_text, pdf_text):
        real_numbers, small_numbers = numbers(read(real)), numbers(read(small))
        assert real_numbers != small_numbers
        cm = small_results["evaluation"]["confusion_matrix"]
        assert {fmt_int(cm["tn"]), fmt_int(cm["tp"]), fmt_int(small_results["model"]["n_test"])} <= small_numbers
        assert fmt_int(real_results["model"]["n_test"]) not in small_numbers


def test_leadership_deck_has_no_jargon(decks):
    from test_leadership_narrative import JARGON

    for data in ("real", "small"):
        folder, _ = decks[(data, "leadership")]
        text = slide_text(folder).replace(Config().report.subtitle, "").lower()
        assert [w for w in JARGON if re.search(rf"(?<![a-z]){re.escape(w)}(?![a-z])", text)] == []


# --- the fitting rule -------------------------------------------------------------


def _summary(real_build, overview=(), status=(), next_=(), title=None):
    """The real leadership summary with some sections replaced (for the fitting rule)."""
    from reportgen.core.summary import Block
    from reportgen.studies.regression.summary import build_summary

    summary = build_summary(real_build.results, Config())
    replace = {"overview": overview, "status": status, "next": next_}
    sections = tuple(
        dataclasses.replace(s, blocks=tuple(replace[s.key])) if replace.get(s.key) else s for s in summary.sections
    )
    summary = dataclasses.replace(summary, sections=sections)
    if title:
        summary = dataclasses.replace(summary, title=title)
    return summary, Block


def test_shortening_takes_from_the_largest_section_first(real_build):
    from reportgen.core.summary import Block
    from reportgen.render.exec_layout import layout_page

    long = "Each of these sentences is optional and only here to make the overview far too long for its box. " * 2
    overview = [Block("The overview starts here.")] + [Block(long.strip(), optional=True) for _ in range(14)]
    nexts = [Block("Keep this.", lead="Recommendation:"), Block("A small optional line.", optional=True)]
    summary, _ = _summary(real_build, overview=overview, next_=nexts)
    summary = summary
    for key in ("insights",):  # nothing optional left in insights, so only the overview can give
        while summary.section(key).optional_count:
            summary = summary.without_last_optional(key)
    page = layout_page(summary, real_build.out / "figures" / "confusion_matrix.png")
    kept = page.summary.section("overview").blocks
    assert 1 < len(kept) < len(overview) and page.dropped == len(overview) - len(kept)
    assert page.summary.section("next").blocks == tuple(nexts)  # the small section kept all it had
    assert page.body_size == max(page.spec["font"]["body_sizes"])


def test_a_page_that_cannot_fit_at_ten_points_is_refused(real_build):
    from reportgen.core.summary import Block
    from reportgen.render.exec_layout import LayoutError, layout_page

    huge = [Block("This required sentence will not go away, however small the type. " * 60)]
    summary, _ = _summary(real_build, status=huge)
    with pytest.raises(LayoutError):
        layout_page(summary, real_build.out / "figures" / "confusion_matrix.png")


def test_a_long_title_is_set_smaller_or_wrapped_and_still_fits(real_build, tmp_path):
    from reportgen.render.exec_layout import layout_page
    from reportgen.render.pptx import write_pptx

    title = "Executive Summary: " + "A Very Long Title That Keeps Going " * 3
    summary, _ = _summary(real_build, title=title.strip())
    page = layout_page(summary, real_build.out / "figures" / "confusion_matrix.png")
    assert page.title_size < max(page.spec["font"]["title_sizes"]) or page.boxes_for("title")[0].h > 40
    write_pptx(page, tmp_path / "executive_summary.pptx")
    title_shape = open_deck(tmp_path).slides[0].shapes.title
    assert title_shape.text_frame.text.replace("\v", " ") == title.strip()  # \v: a measured line break (<a:br>)
    assert "\v" in title_shape.text_frame.text or page.title_size < max(page.spec["font"]["title_sizes"])
    assert needed_height_pt(title_shape) <= title_shape.height / EMU_PER_PT + 0.01


def test_importing_the_renderers_stays_light():
    code = "import sys, reportgen.render as r; print(sorted(m for m in ('pptx', 'PIL', 'weasyprint', 'jinja2') if m in sys.modules)); print([f for f, _ in r.DOCUMENTS])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.splitlines()
    assert out[0] == "[]"
    assert "('executive_summary.pptx', 'executive_summary.pdf', 'executive_summary.json')" in out[1]


def _font_family(path: Path) -> str:
    from fontTools.ttLib import TTFont

    return TTFont(path)["name"].getDebugName(1)


def test_liberation_sans_has_arials_advance_widths_where_it_matters():
    """The metric compatibility the deck relies on: Liberation Sans's widths are Arial's (2048 units a em)."""
    from fontTools.ttLib import TTFont

    regular = TTFont(assets_dir() / "fonts" / "LiberationSans-Regular.ttf")
    widths = {ch: regular["hmtx"][regular.getBestCmap()[ord(ch)]][0] for ch in " aeimW0%"}
    # Arial's published advance widths (hmtx of arial.ttf, 2048 units per em)
    assert widths == {" ": 569, "a": 1139, "e": 1139, "i": 455, "m": 1706, "W": 1933, "0": 1139, "%": 1821}


def test_the_deck_shapes_have_no_effects_and_the_pdf_embeds_the_measured_font(case):
    folder, _ = case
    from pypdf import PdfReader

    slide = open_deck(folder).slides[0]
    for shape in slide.shapes:
        assert shape._element.find("{http://schemas.openxmlformats.org/presentationml/2006/main}style") is None, shape.name
    for shape in slide.shapes:
        sp_pr = shape._element.find("{http://schemas.openxmlformats.org/presentationml/2006/main}spPr")
        effects = sp_pr.find("{http://schemas.openxmlformats.org/drawingml/2006/main}effectLst") if sp_pr is not None else None
        if shape.shape_type == 1:  # autoshapes: bands, chevrons, rules
            assert effects is not None and len(effects) == 0, shape.name
    page = PdfReader(folder / "executive_summary.pdf").pages[0]
    fonts = {str(f.get_object()["/BaseFont"]).split("+")[-1] for f in page["/Resources"]["/Font"].values()}
    assert fonts == {"Liberation-Sans", "Liberation-Sans-Bold"}, fonts

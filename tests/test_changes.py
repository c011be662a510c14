"""'What changed since the last build' in results.json and in every document, after two demo builds."""

from __future__ import annotations

import json
import re

import pytest

from conftest import study_build
from reportgen.builder import build
from reportgen.config import Config
from reportgen.formatters import fmt_delta, fmt_value
from reportgen.synthetic import write_csv
from test_executive_summary import allowed_numbers, numbers, pdf_text, slide_text
from test_technical_report import pdf_text as report_pdf_text


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module", params=["leadership", "technical"])
def two_builds(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp("changes")
    config = Config().with_overrides(audience=request.param)
    first = study_build(build(write_csv(folder / "demo.csv", rows=3_000, seed=1), folder / "out", config))
    second = study_build(build(write_csv(folder / "demo.csv", rows=3_400, seed=2), folder / "out", config))
    return request.param, first, second


def test_results_json_records_the_previous_values_and_the_deltas(two_builds):
    _, first, second = two_builds
    recorded = json.loads((second.out / "results.json").read_text())["previous"]
    assert recorded["previous_sha256"] == first.results.data.sha256
    by_label = {c["label"]: c for c in recorded["changes"]}
    assert by_label["rows used"]["before"] == first.results.data.rows_used
    assert by_label["rows used"]["after"] == second.results.data.rows_used
    for name in ("accuracy", "precision", "recall", "f1", "roc_auc"):
        label = {"f1": "F1", "roc_auc": "ROC AUC"}.get(name, name)
        before, after = getattr(first.results.evaluation, name), getattr(second.results.evaluation, name)
        assert by_label[label]["before"] == before and by_label[label]["after"] == after
        assert by_label[label]["delta"] == pytest.approx(after - before)


def test_the_technical_report_shows_every_row_then_now_and_change(two_builds):
    _, _, second = two_builds
    html = _flat((second.out / "technical_report.html").read_text())
    pdf = _flat(report_pdf_text(second.out / "technical_report.pdf"))
    assert "What changed since the last build" in html and "What changed since the last build" in pdf
    for c in second.results.previous.changes:
        cells = [c.label, fmt_value(c.before, c.kind), fmt_value(c.after, c.kind), fmt_delta(c.delta, c.kind)]
        row = "".join(f"<td class=\"num\">{x}</td>" for x in cells[1:])
        assert f"<th scope=\"row\">{c.label}</th>{row}" in html
        assert " ".join(cells) in pdf


def test_the_summary_carries_a_since_last_build_line_with_the_moved_figures(two_builds):
    audience, _, second = two_builds
    moved = [c for c in second.results.previous.changes if fmt_delta(c.delta, c.kind) != "no change"]
    assert moved, "two different demo datasets should move some figure"
    results = json.loads((second.out / "results.json").read_text())
    for text in (slide_text(second.out), pdf_text(second.out)):
        flat = _flat(text)
        assert "Since the last build:" in flat
        line = flat.split("Since the last build:")[1].split(".")[0] + "."
        assert f"{fmt_value(second.results.data.rows_used, 'count')}" in line
        assert "→" in line
        assert numbers(flat) <= allowed_numbers(results)


def test_a_first_build_has_no_changes_section(tmp_path):
    first = study_build(build(write_csv(tmp_path / "d.csv", rows=2_000, seed=4), tmp_path / "out", Config()))
    assert first.results.previous is None
    assert "What changed since the last build" not in (first.out / "technical_report.html").read_text()
    assert "Since the last build" not in slide_text(first.out)

"""Reuse of an earlier build: unchanged is free and byte-identical; a change is noticed."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("pandas", "numpy", "sklearn", "statsmodels", "matplotlib", "weasyprint", "pptx")

PROBE = """
import sys
from reportgen.cli import main
status = main(sys.argv[1:])
print(sorted(m for m in {heavy} if m in sys.modules), status)
"""


def _files(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _build(*args):
    return subprocess.run([sys.executable, "-c", PROBE.format(heavy=HEAVY), "build", *args], capture_output=True, text=True, timeout=300)


@pytest.fixture()
def built(tmp_path, small_frame):
    data = tmp_path / "d.csv"
    small_frame.to_csv(data, index=False)
    out = tmp_path / "out"
    first = _build("--data", str(data), "--out", str(out))
    assert first.returncode == 0, first.stderr
    return data, out


def test_an_unchanged_rebuild_reuses_everything_without_heavy_imports(built):
    data, out = built
    before = _files(out)
    again = _build("--data", str(data), "--out", str(out))
    assert again.returncode == 0, again.stderr
    lines = again.stdout.splitlines()
    assert lines[0].startswith("config: ") and lines[1].startswith(f"unchanged: {out} already holds this build")
    assert again.stdout.strip().endswith("[] 0")  # no heavy module was imported
    assert _files(out) == before


def test_a_one_byte_change_to_the_data_rebuilds(built):
    data, out = built
    text = data.read_text()
    data.write_text(text.replace(",active,", ",banned,", 1))
    again = _build("--data", str(data), "--out", str(out))
    assert again.returncode == 0, again.stderr
    assert "unchanged" not in again.stdout
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["studies"]["regression"]["status"] == "analysed"
    assert "regression (analysed): " in again.stdout
    results = json.loads((out / "regression" / "results.json").read_text())
    assert results["data"]["sha256"] != results["previous"]["previous_sha256"]


def test_force_rebuilds_and_a_new_audience_re_renders_without_refitting(built):
    data, out = built
    forced = _build("--data", str(data), "--out", str(out), "--force")
    assert forced.returncode == 0 and "unchanged" not in forced.stdout
    assert json.loads((out / "manifest.json").read_text())["studies"]["regression"]["status"] == "analysed"
    before = json.loads((out / "manifest.json").read_text())["outputs"]
    technical = _build("--data", str(data), "--out", str(out), "--audience", "technical")
    assert technical.returncode == 0, technical.stderr
    assert "regression (re-rendered): " in technical.stdout
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["studies"]["regression"]["status"] == "re-rendered"
    after = manifest["outputs"]
    for reused in ("regression/results.json", "regression/figures/confusion_matrix.png"):  # not refitted: the same bytes
        assert after[reused] == before[reused]
    assert after["regression/executive_summary.json"] != before["regression/executive_summary.json"]  # the new tone
    assert json.loads((out / "regression" / "executive_summary.json").read_text())["audience"] == "technical"


def test_the_comparison_records_the_previous_values(tmp_path):
    from reportgen.builder import build
    from reportgen.config import Config
    from reportgen.formatters import fmt_pct
    from reportgen.synthetic import write_csv

    out = tmp_path / "out"
    first = build(write_csv(tmp_path / "a.csv", rows=3_000, seed=1), out, Config(), studies=["regression"]).study("regression")
    second = build(write_csv(tmp_path / "a.csv", rows=2_500, seed=2), out, Config(), studies=["regression"]).study("regression")
    assert second.status == "analysed"
    changes = {c.label: c for c in second.results.previous.changes}
    assert changes["rows used"].before == first.results.data.rows_used
    assert changes["rows used"].after == second.results.data.rows_used
    assert changes["rows used"].delta == second.results.data.rows_used - first.results.data.rows_used
    assert changes["accuracy"].delta == pytest.approx(second.results.evaluation.accuracy - first.results.evaluation.accuracy)
    assert fmt_pct(changes["recall"].before) == fmt_pct(first.results.evaluation.recall)

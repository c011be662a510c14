"""A study written outside reportgen, through the public protocol only, builds into every deliverable.

The toy study counts rows and the verified share: one table, one paragraph,
one summary box a section. Nothing in reportgen knows it; it is registered
here and built beside the regression, and a build of the regression alone
carries it over byte for byte.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from reportgen import studies
from reportgen.builder import build
from reportgen.config import Config
from reportgen.core.document import Document, Paragraph, Section, Table
from reportgen.core.summary import SECTION_TITLES, Block, ExecutiveSummary
from reportgen.core.summary import Section as SummarySection
from reportgen.synthetic import write_csv


@dataclass(frozen=True)
class ToyResults:
    rows: int
    verified_share: float
    figures: tuple = ()
    previous: object = None

    def to_json(self) -> dict:
        return {"schema_version": 1, "rows": self.rows, "verified_share": self.verified_share}


class ToyStudy:
    id = "toy"
    title = "Toy"
    question = "How many videos are there, and how many of them are from verified authors?"

    def results_from_json(self, doc: dict) -> ToyResults:
        return ToyResults(doc["rows"], doc["verified_share"])

    def columns(self, config: Config) -> tuple[str, ...]:
        return ("verified_status",)

    def analysis_settings(self, config: Config) -> dict:
        return {}

    def analyse(self, dataset, config: Config, progress) -> ToyResults:
        frame = dataset.frame
        return ToyResults(len(frame), round(float((frame["verified_status"] == "verified").mean()), 4))

    def figures(self) -> tuple:
        return ()

    def document(self, results: ToyResults, config: Config, *, generated_at: str, versions: dict) -> Document:
        table = Table("Rows", ("measure", "value"), (("rows", f"{results.rows:,}"), ("verified share", f"{results.verified_share:.2%}")), numeric=(1,))
        return Document("Toy report", f"Generated {generated_at}", (Section("count", "Count", (Paragraph(self.verdict(results)), table)),))

    def summary(self, results: ToyResults, config: Config) -> ExecutiveSummary:
        sections = tuple(SummarySection(key, title, (Block(f"{title.capitalize()}: {self.verdict(results)}"),)) for key, title in SECTION_TITLES.items())
        return ExecutiveSummary(config.report.audience, "Toy summary", "A study from a plug-in", sections)

    def headline(self, results: ToyResults) -> list:
        return [("rows", "count", results.rows), ("verified share", "share", results.verified_share)]

    def verdict(self, results: ToyResults) -> str:
        return f"The data hold {results.rows:,} usable videos."


@pytest.fixture()
def toy():
    studies.register(ToyStudy())
    yield
    studies.unregister("toy")


def _digests(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_plug_in_study_builds_into_every_document(toy, tmp_path: Path) -> None:
    from pptx import Presentation
    from pypdf import PdfReader

    data = write_csv(tmp_path / "d.csv", rows=1_500, seed=3)
    report = build(data, tmp_path / "out", Config(), studies=["toy"])
    folder = tmp_path / "out" / "toy"
    results = json.loads((folder / "results.json").read_text())
    rows = f"{results['rows']:,}"
    assert results["rows"] == report.study("toy").results.rows > 1_000
    assert rows in (folder / "technical_report.html").read_text()
    assert rows in "".join(page.extract_text() for page in PdfReader(folder / "technical_report.pdf").pages)
    summary_pdf = PdfReader(folder / "executive_summary.pdf")
    assert len(summary_pdf.pages) == 1 and rows in summary_pdf.pages[0].extract_text()
    deck = Presentation(folder / "executive_summary.pptx")
    assert len(deck.slides) == 1
    slide_text = " ".join(s.text_frame.text for s in deck.slides[0].shapes if s.has_text_frame)
    assert rows in slide_text and "KEY INSIGHTS" in slide_text
    index = (tmp_path / "out" / "index.html").read_text()
    assert 'href="toy/technical_report.html"' in index and "The data hold" in index and "regression/" not in index


def test_a_build_of_one_study_carries_the_others_over_byte_for_byte(toy, tmp_path: Path) -> None:
    data = write_csv(tmp_path / "d.csv", rows=1_500, seed=3)
    out = tmp_path / "out"
    build(data, out, Config(), studies=["toy", "regression"])
    toy_before = _digests(out / "toy")
    regression_before = json.loads((out / "regression" / "results.json").read_text())

    again = build(data, out, Config(), studies=["regression"], force=True)
    assert {o.id: o.status for o in again.studies} == {"regression": "analysed", "toy": "carried over"}
    assert _digests(out / "toy") == toy_before
    regression_after = json.loads((out / "regression" / "results.json").read_text())
    assert regression_after["evaluation"] == regression_before["evaluation"]  # refitted on the same data, the same numbers
    assert regression_before["previous"] is None and regression_after["previous"]["changes"]  # and compared with the last build
    manifest = json.loads((out / "manifest.json").read_text())
    assert set(manifest["studies"]) == {"regression", "toy"}
    assert all((out / name).is_file() for name in manifest["outputs"])
    index = (out / "index.html").read_text()
    assert 'href="toy/technical_report.html"' in index and 'href="regression/technical_report.html"' in index


def test_the_slide_of_a_plug_in_study_has_no_picture(toy, tmp_path: Path) -> None:
    data = write_csv(tmp_path / "d.csv", rows=1_500, seed=3)
    build(data, tmp_path / "out", Config(), studies=["toy"])
    with zipfile.ZipFile(tmp_path / "out" / "toy" / "executive_summary.pptx") as deck:
        assert not [n for n in deck.namelist() if n.startswith("ppt/media/")]

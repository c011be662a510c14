"""What the summary mail says, taken only from files the build's manifest checks.

``manifest.json`` lists every output with its sha256, but nothing checks the
manifest itself; so the subject and the bodies are never taken from it (the
config it records, say). The numbers come from ``results.json``; the title,
subtitle and tone from ``executive_summary.pptx``, drawn from the same
summary as the attached PDF. Each file's bytes are hashed as they are read,
so what is checked is what is used.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from xml.etree import ElementTree

from reportgen.artifacts import RESULTS
from reportgen.errors import InputError

if TYPE_CHECKING:
    from reportgen.incremental import PreviousBuild
    from reportgen.results import AnalysisResults

__all__ = ["SUMMARY_PDF", "SUMMARY_PPTX", "MailContents", "checked_bytes", "mail_contents"]

SUMMARY_PDF = "executive_summary.pdf"
SUMMARY_PPTX = "executive_summary.pptx"
AUDIENCES = ("leadership", "technical")
_DC = "{http://purl.org/dc/elements/1.1/}"
_DRAWING_TEXT = "{http://schemas.openxmlformats.org/drawingml/2006/main}t"


@dataclass(frozen=True)
class MailContents:
    """The attachment's bytes, the subject and the two bodies of the summary mail."""

    pdf: bytes
    subject: str
    text: str
    html: str


def checked_bytes(build: PreviousBuild, name: str) -> bytes:
    """The bytes of output ``name`` of ``build``, when they have the sha256 its manifest recorded.

    Parameters
    ----------
    build : PreviousBuild
        A build read from its folder.
    name : str
        An output listed in its manifest.

    Returns
    -------
    bytes

    Raises
    ------
    InputError
        The file is not listed, missing, or differs from what the manifest recorded.
    """
    expected = build.manifest["outputs"].get(name)
    try:
        data = (build.folder / name).read_bytes()
    except OSError:
        data = None
    if not expected or data is None or hashlib.sha256(data).hexdigest() != expected:
        raise InputError(f"{name} is missing or does not match the build's manifest", file=build.folder, hint="rebuild with 'reportgen build --force'")
    return data


def mail_contents(build: PreviousBuild) -> MailContents:
    """The summary mail of a finished build, from its checked files only.

    Parameters
    ----------
    build : PreviousBuild
        A complete build (``reportgen.delivery.mail.finished_build``).

    Returns
    -------
    MailContents

    Raises
    ------
    InputError
        A file differs from the manifest, the summary slide does not match the results,
        or the title would put a control character into the subject.
    """
    from reportgen.delivery.addresses import header_text
    from reportgen.studies.regression.summary import summary_html, summary_text
    from reportgen.results import AnalysisResults

    pdf = checked_bytes(build, SUMMARY_PDF)
    results = AnalysisResults.from_json(json.loads(checked_bytes(build, RESULTS)))
    config = _report_config(checked_bytes(build, SUMMARY_PPTX), results, build.folder / SUMMARY_PPTX)
    subject = header_text(f"{config.report.title} (data of {results.data.modified})", "the subject")
    return MailContents(pdf, subject, summary_text(results, config), summary_html(results, config))


def _report_config(pptx: bytes, results: AnalysisResults, where: Path):
    """A config holding the title, subtitle and tone the summary slide was written with."""
    from reportgen.config import Config
    from reportgen.delivery.addresses import header_text
    from reportgen.studies.regression.summary import build_summary

    try:
        with zipfile.ZipFile(io.BytesIO(pptx)) as deck:
            core = ElementTree.fromstring(deck.read("docProps/core.xml"))
            slide = "".join(t.text or "" for t in ElementTree.fromstring(deck.read("ppt/slides/slide1.xml")).iter(_DRAWING_TEXT))
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError) as exc:
        raise InputError(f"cannot read the summary slide: {exc}", file=where) from None
    title = header_text(core.findtext(f"{_DC}title") or "", "the report title (the mail's subject)")
    report = {"title": title, "subtitle": core.findtext(f"{_DC}subject") or ""}
    for audience in AUDIENCES:
        config = Config.from_dict({"report": {**report, "audience": audience}}, source=where)
        # the slide may drop optional blocks to fit; every other block of the right tone is on it
        if all(b.text in slide for s in build_summary(results, config).sections for b in s.blocks if not b.optional):
            return config
    raise InputError("the summary slide does not match results.json", file=where, hint="rebuild with 'reportgen build --force'")

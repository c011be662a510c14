"""What the summary mail says, taken only from files the build's manifest checks.

``manifest.json`` lists every output with its sha256, but nothing checks the
manifest itself; so the subject and the bodies are never taken from it (the
config it records, say). Each study's words come from its
``executive_summary.json`` (the content its one-page summary was laid out
from), its verdict from its ``results.json``, and the attachment is its
``executive_summary.pdf``. Each file's bytes are hashed as they are read, so
what is checked is what is used.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reportgen.artifacts import RESULTS
from reportgen.errors import InputError

if TYPE_CHECKING:
    from reportgen.incremental import PreviousBuild

__all__ = ["SUMMARY_JSON", "SUMMARY_PDF", "MailContents", "checked_bytes", "mail_contents"]

SUMMARY_PDF = "executive_summary.pdf"
SUMMARY_JSON = "executive_summary.json"


@dataclass(frozen=True)
class MailContents:
    """The attachments (file name, bytes), the subject and the two bodies of the summary mail."""

    attachments: tuple[tuple[str, bytes], ...]
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
        An output listed in its manifest (relative to the build folder).

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


@dataclass(frozen=True)
class _StudyMail:
    """One study's part of the mail."""

    title: str
    verdict: str
    summary: object  # ExecutiveSummary
    modified: str
    pdf: bytes


def mail_contents(build: PreviousBuild, study_ids: Sequence[str]) -> MailContents:
    """The summary mail of a finished build for the chosen studies, from its checked files only.

    The bodies open with each study's verdict in one sentence, then give each
    study's one-page summary as text; each summary PDF is attached.

    Parameters
    ----------
    build : PreviousBuild
        A complete build (``reportgen.delivery.mail.finished_build``).
    study_ids : sequence of str
        The studies to send, in order; each must be in the build.

    Returns
    -------
    MailContents

    Raises
    ------
    InputError
        A file differs from the manifest, or the title would put a control character into the subject.
    """
    from reportgen.delivery.addresses import header_text

    parts = [_study_mail(build, study_id) for study_id in study_ids]
    dates = ", ".join(dict.fromkeys(p.modified for p in parts if p.modified))
    # The subject leads with the answer, as the body does: a reader of the inbox learns it without opening.
    lead = f"{parts[0].verdict} " if len(parts) == 1 else ""
    titles = parts[0].summary.title if len(parts) == 1 else "Executive summaries: " + ", ".join(p.title for p in parts)
    subject = header_text(f"{lead}[{titles}" + (f", data of {dates}]" if dates else "]"), "the report title (the mail's subject)")
    attachments = tuple((f"{study_id}_{SUMMARY_PDF}", p.pdf) for study_id, p in zip(study_ids, parts))
    return MailContents(attachments, subject, _text(parts), _html(parts))


def _study_mail(build: PreviousBuild, study_id: str) -> _StudyMail:
    """A study's verdict, summary and PDF, each from a checked file."""
    from reportgen.core.summary import ExecutiveSummary
    from reportgen.studies import get

    study = get(study_id)
    try:
        results = study.results_from_json(json.loads(checked_bytes(build, f"{study_id}/{RESULTS}")))
        summary = ExecutiveSummary.from_json(json.loads(checked_bytes(build, f"{study_id}/{SUMMARY_JSON}")))
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(f"cannot read the {study_id} study's results or summary: {exc}", file=build.folder, hint="rebuild with 'reportgen build --force'") from None
    data = getattr(results, "data", None)
    pdf = checked_bytes(build, f"{study_id}/{SUMMARY_PDF}")
    return _StudyMail(study.title, study.verdict(results), summary, data.modified if data else "", pdf)


def _text(parts: list[_StudyMail]) -> str:
    """The plain-text body: the verdicts first, then each summary."""
    verdicts = [f"{p.title}: {p.verdict}" for p in parts]
    return "\n".join(verdicts) + "\n\n" + "\n\n".join(p.summary.to_text() for p in parts)


def _html(parts: list[_StudyMail]) -> str:
    """The HTML body: the verdicts as a list, then each summary's own HTML body."""
    from html import escape

    from reportgen.core.summary import BODY_STYLE

    verdicts = "".join(f"<li><strong>{escape(p.title)}:</strong> {escape(p.verdict)}</li>" for p in parts)
    summaries = "\n".join(p.summary.body_html() for p in parts)
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{escape(parts[0].summary.title)}</title></head>\n'
        f'<body style="{BODY_STYLE}">\n'
        f"<ul>{verdicts}</ul>\n{summaries}\n</body></html>\n"
    )

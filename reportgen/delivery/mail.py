"""Mail the executive-summary PDF of a finished build over SMTP.

Credentials come from the environment only (REPORTGEN_SMTP_USER,
REPORTGEN_SMTP_PASSWORD) and are never printed. Temporary refusals (4xx) are
retried a bounded number of times; a permanent one (5xx) is an error that
quotes the server's reply.
"""

from __future__ import annotations

import os
import smtplib
import ssl
import time
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from reportgen.artifacts import MANIFEST, RESULTS, read_json
from reportgen.errors import InputError

SUMMARY_PDF = "executive_summary.pdf"
RETRIES = 3
RETRY_DELAY_SEC = 0.5


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to send; ``implicit_tls`` for port 465 style servers."""

    host: str = "localhost"
    port: int = 25
    starttls: bool = False
    implicit_tls: bool = False
    user: str | None = None
    password: str | None = None
    cafile: str | None = None
    timeout: float = 30.0

    @classmethod
    def from_env(cls, host: str, port: int | None, starttls: bool) -> SmtpSettings:
        """Settings from the command line, secrets from the environment."""
        port = port or (587 if starttls else 25)
        return cls(
            host=host,
            port=port,
            starttls=starttls,
            implicit_tls=port == 465 and not starttls,
            user=os.environ.get("REPORTGEN_SMTP_USER") or None,
            password=os.environ.get("REPORTGEN_SMTP_PASSWORD") or None,
            cafile=os.environ.get("REPORTGEN_SMTP_CAFILE") or None,
        )

    def sender(self) -> str:
        """REPORTGEN_SMTP_FROM, else the login, else a local address."""
        return os.environ.get("REPORTGEN_SMTP_FROM") or self.user or "reportgen@localhost"


def finished_build(folder: Path) -> Path:
    """The summary PDF of a complete, untouched build in ``folder``.

    Raises
    ------
    InputError
        No finished build there, or a file differs from what the manifest recorded.
    """
    from reportgen.incremental import PreviousBuild
    from reportgen.staging import restore

    restore(folder)  # a swap killed between its two renames: put the build back before reading it

    build = PreviousBuild.read(folder)
    if build is None or SUMMARY_PDF not in build.manifest["outputs"]:
        raise InputError("no finished build here (manifest.json or executive_summary.pdf missing)", file=folder, hint="run 'reportgen build' first")
    if not build.intact():
        raise InputError("the build's files do not match its manifest (changed or missing since the build)", file=folder, hint="rebuild with 'reportgen build --force'")
    return folder / SUMMARY_PDF


def compose(pdf: Path, recipients: list[str], sender: str, subject: str, text: str, html: str) -> EmailMessage:
    """A multipart message: plain text and HTML bodies, the summary PDF (from ``finished_build``) attached."""
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain="reportgen.local")
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    message.add_attachment(pdf.read_bytes(), maintype="application", subtype="pdf", filename=pdf.name)
    return message


def send(message: EmailMessage, settings: SmtpSettings, *, sleep=time.sleep) -> None:
    """Send, retrying temporary failures; raise InputError with the server's reply otherwise."""
    for attempt in range(1, RETRIES + 1):
        try:
            _send_once(message, settings)
            return
        except smtplib.SMTPResponseException as exc:
            reply = f"{exc.smtp_code} {_text(exc.smtp_error)}"
            if 400 <= exc.smtp_code < 500 and attempt < RETRIES:
                sleep(RETRY_DELAY_SEC * attempt)
                continue
            raise InputError(f"the mail server refused the message: {reply}", file=f"{settings.host}:{settings.port}") from None
        except smtplib.SMTPRecipientsRefused as exc:
            replies = "; ".join(f"{addr}: {code} {_text(msg)}" for addr, (code, msg) in exc.recipients.items())
            temporary = all(400 <= code < 500 for code, _ in exc.recipients.values())
            if temporary and attempt < RETRIES:
                sleep(RETRY_DELAY_SEC * attempt)
                continue
            raise InputError(f"the mail server refused the recipients: {replies}", file=f"{settings.host}:{settings.port}") from None
        except (OSError, smtplib.SMTPException) as exc:
            raise InputError(f"could not send: {exc}", file=f"{settings.host}:{settings.port}", hint="check --smtp-host, --smtp-port and TLS options") from None


def _send_once(message: EmailMessage, settings: SmtpSettings) -> None:
    """One connection: TLS as asked, login when credentials are set, one message."""
    context = ssl.create_default_context(cafile=settings.cafile)
    if settings.implicit_tls:
        client = smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout, context=context)
    else:
        client = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    with client:
        if settings.starttls:
            client.starttls(context=context)
        if settings.user and settings.password:
            client.login(settings.user, settings.password)
        client.send_message(message)


def _text(reply: bytes | str) -> str:
    """A server reply as text."""
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)


def write_eml(message: EmailMessage, path: Path) -> Path:
    """The message as an .eml file, for review or another mailer."""
    path.write_bytes(bytes(message))
    return path


def mail_summary(folder: Path, recipients: list[str], settings: SmtpSettings, eml: Path | None = None) -> str:
    """Compose the summary mail of the build in ``folder``; send it, or write it to ``eml``.

    Returns
    -------
    str
        One line saying what was done.
    """
    from reportgen.artifacts import load_results
    from reportgen.config import Config
    from reportgen.narrative.leadership import summary_html, summary_text

    pdf = finished_build(folder)  # checked before anything is read from the build
    results = load_results(folder / RESULTS)
    config = Config.from_dict((read_json(folder / MANIFEST) or {}).get("config", {}), source=folder / MANIFEST)
    subject = f"{config.report.title} (data of {results.data.modified})"
    message = compose(pdf, recipients, settings.sender(), subject, summary_text(results, config), summary_html(results, config))
    if eml is not None:
        return f"wrote {write_eml(message, eml)} for {len(recipients)} recipient(s)"
    send(message, settings)
    return f"sent '{subject}' to {len(recipients)} recipient(s) via {settings.host}:{settings.port}"

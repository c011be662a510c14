"""Mail the executive-summary PDF of a finished build over SMTP.

Credentials come from the environment only (REPORTGEN_SMTP_USER,
REPORTGEN_SMTP_PASSWORD), are sent only over TLS (STARTTLS or port 465) and
are never printed: no error message quotes any part of the password.
Temporary refusals (4xx) are retried a bounded number of times; a permanent
one (5xx) is an error that quotes the server's reply. The subject and the
bodies come only from files the build's manifest checks (``contents``).
"""

from __future__ import annotations

import os
import smtplib
import ssl
import time
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import TYPE_CHECKING

from reportgen.delivery.addresses import header_text, one_address
from reportgen.delivery.contents import MailContents, mail_contents
from reportgen.errors import InputError

if TYPE_CHECKING:
    from reportgen.incremental import PreviousBuild

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
        """REPORTGEN_SMTP_FROM (one address), else the login, else a local address."""
        if os.environ.get("REPORTGEN_SMTP_FROM"):
            return one_address(os.environ["REPORTGEN_SMTP_FROM"], "REPORTGEN_SMTP_FROM")
        # a login need not be an address (servers take "robot"), but it must not break the From header
        return header_text(self.user, "REPORTGEN_SMTP_USER") if self.user else "reportgen@localhost"

    def check_login(self) -> None:
        """Refuse, before connecting, credentials that would cross the wire in clear or cannot be sent.

        Raises
        ------
        InputError
            A login without TLS, or a user or password smtplib cannot encode (it sends ASCII only).
        """
        if not self.user:
            return
        if not (self.starttls or self.implicit_tls):
            raise InputError(
                "REPORTGEN_SMTP_USER is set but the connection is not encrypted, so the password would be sent in clear",
                file=f"{self.host}:{self.port}",
                hint="add --starttls, or use --smtp-port 465 for implicit TLS",
            )
        for name, value in (("REPORTGEN_SMTP_USER", self.user), ("REPORTGEN_SMTP_PASSWORD", self.password or "")):
            if not value.isascii():
                # said without the value: smtplib's own error would quote the character and its position
                raise InputError(f"{name} holds characters outside ASCII, which SMTP login cannot send (the value is not shown)", hint="use an ASCII password, such as an app password")


def finished_build(folder: Path) -> PreviousBuild:
    """The complete, untouched build in ``folder``.

    Raises
    ------
    InputError
        No finished build there, or a file differs from what the manifest recorded.
    """
    from reportgen.incremental import PreviousBuild
    from reportgen.staging import restore

    restore(folder)  # a swap killed between its two renames: put the build back before reading it

    build = PreviousBuild.read(folder)
    if build is None or not build.study_ids:
        raise InputError("no finished build here (no manifest.json of a build with studies)", file=folder, hint="run 'reportgen build' first")
    if not build.intact():
        raise InputError("the build's files do not match its manifest (changed or missing since the build)", file=folder, hint="rebuild with 'reportgen build --force'")
    return build


def compose(contents: MailContents, recipients: list[str], sender: str) -> EmailMessage:
    """A multipart message: plain text and HTML bodies, each summary PDF's checked bytes attached."""
    message = EmailMessage()
    message["Subject"] = header_text(contents.subject, "the subject")
    message["From"] = header_text(sender, "the sender")
    message["To"] = header_text(", ".join(recipients), "the recipients")
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain="reportgen.local")
    message.set_content(contents.text)
    message.add_alternative(contents.html, subtype="html")
    for name, pdf in contents.attachments:
        message.add_attachment(pdf, maintype="application", subtype="pdf", filename=name)
    return message


def send(message: EmailMessage, settings: SmtpSettings, *, sleep=time.sleep) -> None:
    """Send, retrying temporary failures; raise InputError with the server's reply otherwise."""
    settings.check_login()
    for attempt in range(1, RETRIES + 1):
        try:
            _send_once(message, settings)
            return
        except smtplib.SMTPResponseException as exc:
            reply = f"{exc.smtp_code} {_without(settings.password, _text(exc.smtp_error))}"
            if 400 <= exc.smtp_code < 500 and attempt < RETRIES:
                sleep(RETRY_DELAY_SEC * attempt)
                continue
            raise InputError(f"the mail server refused the message: {reply}", file=f"{settings.host}:{settings.port}") from None
        except smtplib.SMTPRecipientsRefused as exc:
            replies = "; ".join(f"{addr}: {code} {_without(settings.password, _text(msg))}" for addr, (code, msg) in exc.recipients.items())
            temporary = all(400 <= code < 500 for code, _ in exc.recipients.values())
            if temporary and attempt < RETRIES:
                sleep(RETRY_DELAY_SEC * attempt)
                continue
            raise InputError(f"the mail server refused the recipients: {replies}", file=f"{settings.host}:{settings.port}") from None
        except (OSError, smtplib.SMTPException) as exc:
            raise InputError(f"could not send: {_without(settings.password, str(exc))}", file=f"{settings.host}:{settings.port}", hint="check --smtp-host, --smtp-port and TLS options") from None


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
            _login(client, settings)
        client.send_message(message)


def _login(client: smtplib.SMTP, settings: SmtpSettings) -> None:
    """Log in; whatever fails, the error names the server's code or the failure's kind, never the password."""
    try:
        client.login(settings.user, settings.password)
    except Exception as exc:  # noqa: BLE001 - any error text may carry the password (UnicodeEncodeError quotes it)
        if isinstance(exc, smtplib.SMTPResponseException):
            what = f"{exc.smtp_code} {_without(settings.password, _text(exc.smtp_error))}"
        else:
            what = type(exc).__name__
        raise InputError(f"the login failed: {what}", file=f"{settings.host}:{settings.port}", hint="check REPORTGEN_SMTP_USER and REPORTGEN_SMTP_PASSWORD") from None


#: The shortest run of password characters that counts as quoting it (shorter runs occur in any text).
_QUOTE_RUN = 3


def _without(secret: str | None, text: str) -> str:
    """``text``, or a placeholder when it holds the password or any run of _QUOTE_RUN of its characters."""
    if not secret:
        return text
    run = min(_QUOTE_RUN, len(secret))
    folded = text.casefold()
    if any(secret[i : i + run].casefold() in folded for i in range(len(secret) - run + 1)):
        return "(text withheld: it quoted part of the password)"
    return text


def _text(reply: bytes | str) -> str:
    """A server reply as text."""
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)


def write_eml(message: EmailMessage, path: Path) -> Path:
    """The message as an .eml file, for review or another mailer.

    Raises
    ------
    InputError
        The folder does not exist, or the file cannot be written.
    """
    if not path.parent.is_dir():
        raise InputError("no such folder for --eml", file=path.parent, hint="create it first or choose another path")
    try:
        path.write_bytes(bytes(message))
    except OSError as exc:
        raise InputError(f"cannot write the message: {exc.strerror or exc}", file=path, hint="choose another --eml path") from None
    return path


def mail_summary(
    folder: Path, recipients: list[str], settings: SmtpSettings, eml: Path | None = None, studies: Sequence[str] | None = None
) -> str:
    """Compose the summary mail of the build in ``folder``; send it, or write it to ``eml``.

    Parameters
    ----------
    folder : Path
        A finished build.
    recipients : list of str
        Checked addresses (``addresses.recipients``).
    settings : SmtpSettings
    eml : Path, optional
        Write the message here instead of sending it.
    studies : sequence of str, optional
        The studies whose summaries to send; every study of the build by default.

    Returns
    -------
    str
        One line saying what was done.
    """
    build = finished_build(folder)  # checked before anything is read from the build
    contents = mail_contents(build, _studies(build, studies))  # never from manifest.json, which nothing checks
    message = compose(contents, recipients, settings.sender())
    if eml is not None:
        return f"wrote {write_eml(message, eml)} for {len(recipients)} recipient(s)"
    send(message, settings)
    return f"sent '{contents.subject}' to {len(recipients)} recipient(s) via {settings.host}:{settings.port}"


def _studies(build: PreviousBuild, requested: Sequence[str] | None) -> tuple[str, ...]:
    """The studies to mail: those asked for (each must be in the build), else all of the build's."""
    if not requested:
        return build.study_ids
    missing = [s for s in requested if s not in build.study_ids]
    if missing:
        raise InputError(
            f"the build holds no '{missing[0]}' study", file=build.folder, hint="studies in this build: " + ", ".join(build.study_ids)
        )
    return tuple(dict.fromkeys(requested))

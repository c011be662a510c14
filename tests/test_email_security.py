"""``reportgen email`` keeps credentials off the wire and out of messages, and sends only what was checked.

Every case runs the real command line in a subprocess against one demo build
(made once for the module). SMTP servers run in this process on 127.0.0.1
(aiosmtpd) and record every byte a client sends them, so a test can prove
that a password, an AUTH command or a message never arrived.
"""

from __future__ import annotations

import base64
import email
import hashlib
import json
import os
import shutil
import smtplib
import socket
import ssl
import subprocess
import sys
from email import policy
from pathlib import Path

import pytest

PASSWORD = "s3cret-hunter2"
SECRETS = ("REPORTGEN_SMTP_USER", "REPORTGEN_SMTP_PASSWORD", "REPORTGEN_SMTP_CAFILE", "REPORTGEN_SMTP_FROM")


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """The real CLI, with no SMTP settings from the outer environment."""
    base = {k: v for k, v in os.environ.items() if k not in SECRETS}
    return subprocess.run([sys.executable, "-m", "reportgen", *args], capture_output=True, text=True, env={**base, **(env or {})}, timeout=120)


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    """One finished demo build (leadership tone), shared by the module; tests copy it before changing it."""
    out = tmp_path_factory.mktemp("mailsec") / "demo"
    done = _run("demo", "--rows", "2000", "--out", str(out), "--quiet", "--study", "regression")
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="module")
def technical_demo(tmp_path_factory) -> Path:
    """A demo build written in the technical tone."""
    out = tmp_path_factory.mktemp("mailsec_tech") / "demo"
    done = _run("demo", "--rows", "2000", "--out", str(out), "--audience", "technical", "--quiet", "--study", "regression")
    assert done.returncode == 0, done.stderr
    return out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Wire:
    """Everything clients sent to one server: connections, raw bytes, logins, messages."""

    def __init__(self):
        self.connections = 0
        self.raw = b""
        self.logins: list[tuple[bytes, bytes]] = []
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"

    def authenticator(self, server, session, envelope, mechanism, auth_data):
        from aiosmtpd.smtp import AuthResult

        self.logins.append((auth_data.login, auth_data.password))
        return AuthResult(success=True)


@pytest.fixture()
def smtp_server():
    """Start aiosmtpd servers that record the raw bytes they receive; stopped after the test."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import SMTP

    class RecordingController(Controller):
        def factory(self):
            wire = self.handler

            class Recording(SMTP):
                def connection_made(self, transport):
                    wire.connections += 1
                    super().connection_made(transport)

                def data_received(self, data):
                    wire.raw += data
                    super().data_received(data)

            return Recording(self.handler, **self.SMTP_kwargs)

    controllers = []

    def start(**options) -> tuple[Wire, int]:
        wire = Wire()
        controller = RecordingController(wire, hostname="127.0.0.1", port=_free_port(), authenticator=wire.authenticator, **options)
        controller.start()
        controllers.append(controller)
        wire.connections, wire.raw = 0, b""  # start() connects once itself to see the server is up
        return wire, controller.port

    yield start
    for c in controllers:
        c.stop()


@pytest.fixture()
def tls(tmp_path):
    """A server TLS context for 127.0.0.1 and the CA file a client needs to trust it (trustme)."""
    import trustme

    ca = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    return context, ca_file


def _commands(wire: Wire) -> bytes:
    """What a client said before its message (DATA), in capitals (smtplib writes some in lower case)."""
    return wire.raw.upper().split(b"\r\nDATA\r\n")[0]


def _secret_traces(password: str) -> list[bytes]:
    """The password as it could cross the wire: plain, and base64 in AUTH PLAIN and AUTH LOGIN."""
    return [password.encode(), base64.b64encode(f"\0robot\0{password}".encode()), base64.b64encode(password.encode())]


def _message(path: Path) -> email.message.EmailMessage:
    return email.message_from_bytes(path.read_bytes(), policy=policy.default)


def _eml(folder: Path, eml: Path, *extra: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return _run("email", "--out", str(folder), "--to", "ops@example.com", "--eml", str(eml), *extra, env=env)


# --- credentials never cross an unencrypted connection ---------------------------------------------


def test_a_login_without_tls_is_refused_before_connecting(demo, smtp_server):
    wire, port = smtp_server(auth_require_tls=False)  # offers AUTH in clear, as a careless server would
    done = _run("email", "--out", str(demo), "--to", "ops@example.com", "--smtp-host", "127.0.0.1", "--smtp-port", str(port),
                env={"REPORTGEN_SMTP_USER": "robot", "REPORTGEN_SMTP_PASSWORD": PASSWORD})
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith(f"error: 127.0.0.1:{port}: REPORTGEN_SMTP_USER is set but the connection is not encrypted")
    assert "--starttls" in done.stderr and "--smtp-port 465" in done.stderr
    assert wire.connections == 0 and wire.raw == b"" and wire.logins == [] and wire.messages == []  # not even connected
    assert PASSWORD not in done.stdout + done.stderr

    # the same server does see a client that has nothing to hide, so the silence above is the refusal's
    done = _run("email", "--out", str(demo), "--to", "ops@example.com", "--smtp-host", "127.0.0.1", "--smtp-port", str(port))
    assert done.returncode == 0, done.stderr
    assert wire.connections == 1 and b"MAIL FROM" in _commands(wire) and b"AUTH" not in _commands(wire)
    assert not any(trace in wire.raw for trace in _secret_traces(PASSWORD))


def test_a_login_over_starttls_still_works(demo, smtp_server, tls):
    context, ca_file = tls
    wire, port = smtp_server(tls_context=context, require_starttls=True, auth_require_tls=True)
    done = _run("email", "--out", str(demo), "--to", "ops@example.com", "--smtp-host", "127.0.0.1", "--smtp-port", str(port), "--starttls",
                env={"REPORTGEN_SMTP_USER": "robot", "REPORTGEN_SMTP_PASSWORD": PASSWORD, "REPORTGEN_SMTP_CAFILE": str(ca_file)})
    assert done.returncode == 0, done.stderr
    assert wire.logins == [(b"robot", PASSWORD.encode())]
    assert b"AUTH" not in wire.raw.upper().split(b"STARTTLS")[0]  # nothing of the login before the upgrade


# --- no message reveals any part of the password ---------------------------------------------------


def test_a_non_ascii_password_is_refused_without_quoting_it(demo, smtp_server, tls):
    context, ca_file = tls
    wire, port = smtp_server(tls_context=context, require_starttls=True, auth_require_tls=True)
    password = "hunter2-é€ü"
    done = _run("email", "--out", str(demo), "--to", "ops@example.com", "--smtp-host", "127.0.0.1", "--smtp-port", str(port), "--starttls",
                env={"REPORTGEN_SMTP_USER": "robot", "REPORTGEN_SMTP_PASSWORD": password, "REPORTGEN_SMTP_CAFILE": str(ca_file)})
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("error: REPORTGEN_SMTP_PASSWORD holds characters outside ASCII, which SMTP login cannot send (the value is not shown)")
    said = done.stdout + done.stderr
    assert password not in said and "hunter2" not in said
    for ch in "é€ü":
        assert ch not in said and ascii(ch)[1:-1] not in said  # neither the character nor its escape
    assert "position" not in said
    assert wire.logins == []


class _FakeSMTP:
    """Stands in for smtplib.SMTP: connects, then fails the login with ``failure``."""

    failure: BaseException = AssertionError("set by the test")

    def __init__(self, *args, **kwargs):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def starttls(self, context=None):
        pass

    def login(self, user, password):
        raise self.failure

    def send_message(self, message):  # pragma: no cover - never reached
        raise AssertionError("sent after a failed login")


@pytest.mark.parametrize(
    "failure",
    [
        UnicodeEncodeError("ascii", "\0robot\0" + PASSWORD, 9, 10, "ordinal not in range(128)"),
        smtplib.SMTPAuthenticationError(535, f"5.7.8 password {PASSWORD} is wrong".encode()),
        smtplib.SMTPAuthenticationError(535, b"5.7.8 rejected: ...hunter2..."),
        smtplib.SMTPException(f"No suitable authentication method found for {PASSWORD[3:9]}"),
        OSError(f"connection reset while sending {PASSWORD}"),
        ValueError(PASSWORD[-4:]),
    ],
    ids=["unicode", "reply-echoes-password", "reply-echoes-part", "smtp-exception", "os-error", "value-error"],
)
def test_no_login_failure_quotes_any_part_of_the_password(demo, monkeypatch, capsys, failure):
    from reportgen.cli import main
    from reportgen.delivery import mail

    for name in SECRETS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("REPORTGEN_SMTP_USER", "robot")
    monkeypatch.setenv("REPORTGEN_SMTP_PASSWORD", PASSWORD)
    monkeypatch.setattr(mail, "RETRY_DELAY_SEC", 0.0)
    monkeypatch.setattr(_FakeSMTP, "failure", failure)
    monkeypatch.setattr(mail.smtplib, "SMTP", _FakeSMTP)
    status = main(["email", "--out", str(demo), "--to", "ops@example.com", "--smtp-host", "127.0.0.1", "--starttls"])
    captured = capsys.readouterr()
    said = (captured.out + captured.err).casefold()
    assert status == 2, captured.err
    assert captured.err.startswith("error: 127.0.0.1:587: the login failed: ")
    runs = {PASSWORD[i : i + 3].casefold() for i in range(len(PASSWORD) - 2)}
    assert not [run for run in runs if run in said]


# --- each recipient is exactly one address ----------------------------------------------------------


def test_a_to_with_two_addresses_is_refused_and_nothing_is_sent(demo, smtp_server):
    wire, port = smtp_server()
    done = _run("email", "--out", str(demo), "--to", "a@example.com, b@attacker.test", "--smtp-host", "127.0.0.1", "--smtp-port", str(port))
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("error: --to: 'a@example.com, b@attacker.test' is not exactly one address")
    assert wire.connections == 0 and wire.messages == [] and b"attacker" not in wire.raw


@pytest.mark.parametrize(
    "value",
    ["a@example.com; b@attacker.test", "a@example.com b@attacker.test", "alice@example.org)<bob@attacker.test>", "a@", "@example.com", "a@b@attacker.test"],
)
def test_a_to_that_is_not_one_clean_address_is_refused(demo, tmp_path, value):
    eml = tmp_path / "m.eml"
    done = _run("email", "--out", str(demo), "--to", value, "--eml", str(eml))
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("error: --to: ")
    assert not eml.exists()


def test_one_address_with_a_display_name_is_accepted(demo, tmp_path):
    eml = tmp_path / "m.eml"
    done = _run("email", "--out", str(demo), "--to", "Boss <boss@example.com>", "--to", '"Ops, Team" <ops@example.com>', "--eml", str(eml))
    assert done.returncode == 0, done.stderr
    assert [a.addr_spec for a in _message(eml)["To"].addresses] == ["boss@example.com", "ops@example.com"]


@pytest.mark.parametrize(
    "entry, shown",
    [('["ceo@example.com, evil@attacker.test"]', "[delivery.audiences] leadership: 'ceo@example.com, evil@attacker.test' is not exactly one address"),
     # The config's own check refuses the line break first, naming the key.
     ('["ceo@example.com", "evil@attacker.test\\r\\nBcc: x@attacker.test"]', "delivery.audiences.leadership[1]")],
    ids=["comma-joined", "line-break"],
)
def test_an_audience_entry_that_is_not_one_address_is_refused(demo, tmp_path, entry, shown):
    config = tmp_path / "reportgen.toml"
    config.write_text(f"[delivery.audiences]\nleadership = {entry}\n")
    eml = tmp_path / "m.eml"
    done = _run("email", "--out", str(demo), "--to", "leadership", "--config", str(config), "--eml", str(eml))
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("error: ") and done.stderr.count("\n") == 1
    assert shown in done.stderr
    assert not eml.exists()


def test_an_audience_given_as_a_string_is_not_mailed_letter_by_letter(demo, tmp_path):
    config = tmp_path / "reportgen.toml"
    config.write_text('[delivery.audiences]\nleadership = "ceo@example.com"\n')
    eml = tmp_path / "m.eml"
    done = _run("email", "--out", str(demo), "--to", "leadership", "--config", str(config), "--eml", str(eml))
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("error: ") and "leadership" in done.stderr
    assert not eml.exists()


# --- no control characters in headers -----------------------------------------------------------------


def test_a_line_break_in_to_exits_2_naming_the_field(demo, smtp_server):
    wire, port = smtp_server()
    done = _run("email", "--out", str(demo), "--to", "a@example.com\r\nBcc: evil@attacker.test", "--smtp-host", "127.0.0.1", "--smtp-port", str(port))
    assert done.returncode == 2, done.stderr
    assert done.stderr == "error: --to: control characters (such as a line break) in 'a@example.com\\r\\nBcc: evil@attacker.test' (give it on one line, without control characters)\n"
    assert wire.connections == 0


@pytest.mark.parametrize("value", ["me@example.com\r\nBcc: evil@attacker.test", "me@example.com\nX-Evil: 1", "me@example.com\x1b]0;pwned\x07", "me@example.com, evil@attacker.test"])
def test_a_bad_smtp_from_exits_2_naming_it(demo, tmp_path, value):
    eml = tmp_path / "m.eml"
    done = _eml(demo, eml, env={"REPORTGEN_SMTP_FROM": value})
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("error: REPORTGEN_SMTP_FROM: ")
    assert "\n" not in done.stderr.rstrip("\n") and "\r" not in done.stderr  # shown escaped, on one line
    assert not eml.exists()


def _rewrite(folder: Path, name: str, change) -> None:
    """Rewrite output ``name`` of a build and record its new sha256 in the build's manifest, as a careful hand would."""
    path = folder / name
    path.write_bytes(change(path.read_bytes()))
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["outputs"][name] = hashlib.sha256(path.read_bytes()).hexdigest()
    (folder / "manifest.json").write_text(json.dumps(manifest))


def _with_title(summary_json: bytes, title: str) -> bytes:
    """The summary's words (executive_summary.json) with another title."""
    doc = json.loads(summary_json)
    doc["title"] = title
    return json.dumps(doc).encode()


def test_a_line_break_in_the_title_exits_2_naming_the_subject(demo, tmp_path):
    # A title with a line break cannot come from a checked config, so the build is edited by hand,
    # consistently: the manifest's config, the summary the mail reads the title from, and its sha256.
    folder = tmp_path / "build"
    shutil.copytree(demo, folder)
    title = "Quarterly summary\r\nBcc: evil@attacker.test"
    _rewrite(folder, "regression/executive_summary.json", lambda data: _with_title(data, title))
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["config"]["report"]["title"] = title
    (folder / "manifest.json").write_text(json.dumps(manifest))
    eml = tmp_path / "m.eml"
    done = _eml(folder, eml)
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("error: the report title (the mail's subject): control characters (such as a line break) in '")
    assert "Quarterly summary\\r\\nBcc: evil@attacker.test" in done.stderr  # the subject: the answer, then the title and the data's date
    assert not eml.exists()


# --- the subject and bodies come only from checked files --------------------------------------------


def _what_is_said(message) -> tuple[str, str, str, bytes]:
    [attachment] = list(message.iter_attachments())
    return message["Subject"], message.get_body(("plain",)).get_content(), message.get_body(("html",)).get_content(), attachment.get_content()


def test_editing_manifest_json_alone_does_not_change_what_is_sent(demo, tmp_path):
    before = tmp_path / "before.eml"
    assert _eml(demo, before).returncode == 0
    folder = tmp_path / "build"
    shutil.copytree(demo, folder)
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["config"]["report"].update(title="URGENT: wire the money today", subtitle="Reply with your password", audience="technical")
    (folder / "manifest.json").write_text(json.dumps(manifest))
    after = tmp_path / "after.eml"
    done = _eml(folder, after)
    if done.returncode == 2:  # refusing the edited build is as good as ignoring the edit
        assert done.stderr.startswith("error: ")
        return
    assert done.returncode == 0, done.stderr
    assert _what_is_said(_message(after)) == _what_is_said(_message(before))
    assert "URGENT" not in after.read_text(errors="replace") and "password" not in after.read_text(errors="replace")


def test_the_tone_of_the_mail_is_the_tone_of_the_build(technical_demo, tmp_path):
    from reportgen.artifacts import load_results
    from reportgen.config import Config
    from reportgen.core.summary import ExecutiveSummary
    from reportgen.studies.regression.summary import summary_text

    eml = tmp_path / "m.eml"
    assert _eml(technical_demo, eml).returncode == 0
    text = _message(eml).get_body(("plain",)).get_content().replace("\r\n", "\n")
    summary = ExecutiveSummary.from_json(json.loads((technical_demo / "regression" / "executive_summary.json").read_text()))
    assert summary.audience == "technical"
    results = load_results(technical_demo / "regression" / "results.json")
    assert summary.to_text() == summary_text(results, Config().with_overrides(audience="technical"))  # the technical summary's words
    assert text.strip().endswith(summary.to_text().strip())  # after the verdict line, the words of the build's summary
    assert summary.to_text().strip() != summary_text(results, Config()).strip()  # which are not the leadership words


def test_an_executive_summary_json_edited_without_its_manifest_is_refused(demo, tmp_path):
    # the mail's words come from executive_summary.json, checked against the sha256 the manifest recorded
    folder = tmp_path / "build"
    shutil.copytree(demo, folder)
    path = folder / "regression" / "executive_summary.json"
    doc = json.loads(path.read_text())
    doc["subtitle"] = "Reply with your password"
    path.write_text(json.dumps(doc))
    eml = tmp_path / "m.eml"
    done = _eml(folder, eml)
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith(f"error: {folder}: the build's files do not match its manifest")
    assert "password" not in done.stderr and not eml.exists()


# --- --eml into a missing folder ---------------------------------------------------------------------


def test_eml_into_a_missing_folder_exits_2_naming_it(demo, tmp_path):
    missing = tmp_path / "no" / "such"
    done = _eml(demo, missing / "summary.eml")
    assert done.returncode == 2, done.stderr
    assert done.stderr == f"error: {missing}: no such folder for --eml (create it first or choose another path)\n"
    assert not missing.exists()


def test_eml_onto_a_folder_exits_2_naming_it(demo, tmp_path):
    done = _eml(demo, tmp_path)
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith(f"error: {tmp_path}: cannot write the message: ")

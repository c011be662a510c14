"""``reportgen email`` against a real SMTP server in the test process (aiosmtpd on 127.0.0.1)."""

from __future__ import annotations

import email
import socket
from email import policy

import pytest

from conftest import study_build
from reportgen.builder import build
from reportgen.cli import main
from reportgen.config import Config
from reportgen.delivery import mail
from reportgen.synthetic import write_csv


@pytest.fixture(scope="module")
def finished(tmp_path_factory):
    """The regression study of one build; ``finished.report.out`` is the build folder the mail is sent from."""
    folder = tmp_path_factory.mktemp("mail")
    return study_build(build(write_csv(folder / "d.csv", rows=2_000, seed=5), folder / "out", Config(), studies=["regression"]))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Recorder:
    """An SMTP handler that records messages and answers with the replies it is given."""

    def __init__(self, replies=("250 OK",)):
        self.replies = list(replies)
        self.received = []

    async def handle_DATA(self, server, session, envelope):
        reply = self.replies.pop(0) if len(self.replies) > 1 else self.replies[0]
        if reply.startswith("250"):
            self.received.append(envelope)
        return reply


@pytest.fixture()
def smtp_server(request):
    from aiosmtpd.controller import Controller

    controllers = []

    def start(handler, **options):
        controller = Controller(handler, hostname="127.0.0.1", port=_free_port(), **options)
        controller.start()
        controllers.append(controller)
        return controller

    yield start
    for c in controllers:
        c.stop()


@pytest.fixture()
def no_wait(monkeypatch):
    monkeypatch.setattr(mail, "RETRY_DELAY_SEC", 0.0)
    for name in ("REPORTGEN_SMTP_USER", "REPORTGEN_SMTP_PASSWORD", "REPORTGEN_SMTP_CAFILE", "REPORTGEN_SMTP_FROM"):
        monkeypatch.delenv(name, raising=False)


def _parsed(envelope):
    return email.message_from_bytes(envelope.content, policy=policy.default)


def _check_message(message, finished, to):
    from reportgen.studies import get
    from reportgen.studies.regression.summary import summary_text

    assert message["To"] == ", ".join(to)
    verdict = get("regression").verdict(finished.results)
    assert message["Subject"] == f"{verdict} [{Config().report.title}, data of {finished.results.data.modified}]"  # the answer first
    text = message.get_body(("plain",)).get_content().replace("\r\n", "\n")  # SMTP carries CRLF
    html = message.get_body(("html",)).get_content()
    verdict = get("regression").verdict(finished.results)
    assert text.strip() == f"Regression: {verdict}\n\n{summary_text(finished.results, Config())}".strip()
    assert "<html" in html.lower()
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == "regression_executive_summary.pdf"
    assert attachment.get_content() == (finished.out / "executive_summary.pdf").read_bytes()


def test_plain_smtp_delivers_both_bodies_and_the_identical_pdf(finished, smtp_server, no_wait, capsys):
    recorder = Recorder()
    server = smtp_server(recorder)
    to = ["ops@example.com", "lead@example.com"]
    status = main(["email", "--out", str(finished.report.out), "--to", to[0], "--to", to[1], "--smtp-host", "127.0.0.1", "--smtp-port", str(server.port)])
    assert status == 0, capsys.readouterr().err
    [envelope] = recorder.received
    assert envelope.rcpt_tos == to
    _check_message(_parsed(envelope), finished, to)


def test_starttls_with_login_and_a_self_signed_certificate(finished, smtp_server, no_wait, monkeypatch, tmp_path, capsys):
    import ssl

    import trustme
    from aiosmtpd.smtp import AuthResult

    ca = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    logins = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        logins.append((auth_data.login, auth_data.password))
        return AuthResult(success=auth_data.login == b"robot" and auth_data.password == b"s3cret")

    recorder = Recorder()
    server = smtp_server(recorder, tls_context=context, require_starttls=True, authenticator=authenticator, auth_require_tls=True)
    monkeypatch.setenv("REPORTGEN_SMTP_USER", "robot")
    monkeypatch.setenv("REPORTGEN_SMTP_PASSWORD", "s3cret")
    monkeypatch.setenv("REPORTGEN_SMTP_CAFILE", str(ca_file))
    status = main(["email", "--out", str(finished.report.out), "--to", "ops@example.com", "--smtp-host", "127.0.0.1", "--smtp-port", str(server.port), "--starttls"])
    captured = capsys.readouterr()
    assert status == 0, captured.err
    assert logins == [(b"robot", b"s3cret")]
    assert "s3cret" not in captured.out + captured.err
    _check_message(_parsed(recorder.received[0]), finished, ["ops@example.com"])


def test_a_temporary_failure_is_retried(finished, smtp_server, no_wait, capsys):
    recorder = Recorder(replies=("451 4.3.0 try again later", "250 OK"))
    server = smtp_server(recorder)
    status = main(["email", "--out", str(finished.report.out), "--to", "ops@example.com", "--smtp-host", "127.0.0.1", "--smtp-port", str(server.port)])
    assert status == 0, capsys.readouterr().err
    assert len(recorder.received) == 1


def test_a_permanent_failure_exits_2_with_the_reply(finished, smtp_server, no_wait, capsys):
    server = smtp_server(Recorder(replies=("550 5.1.1 mailbox unavailable",)))
    status = main(["email", "--out", str(finished.report.out), "--to", "ops@example.com", "--smtp-host", "127.0.0.1", "--smtp-port", str(server.port)])
    err = capsys.readouterr().err
    assert status == 2
    assert err.startswith("error: 127.0.0.1:") and "550 5.1.1 mailbox unavailable" in err


def test_eml_and_audiences_from_the_config(finished, tmp_path, no_wait):
    config = tmp_path / "reportgen.toml"
    config.write_text('[delivery.audiences]\nleadership = ["ceo@example.com", "coo@example.com"]\n')
    eml = tmp_path / "summary.eml"
    assert main(["email", "--out", str(finished.report.out), "--to", "leadership", "--config", str(config), "--eml", str(eml)]) == 0
    message = email.message_from_bytes(eml.read_bytes(), policy=policy.default)
    _check_message(message, finished, ["ceo@example.com", "coo@example.com"])


def test_refuses_a_folder_without_a_finished_or_intact_build(finished, tmp_path, capsys, no_wait):
    assert main(["email", "--out", str(tmp_path), "--to", "a@example.com", "--eml", str(tmp_path / "x.eml")]) == 2
    assert "no finished build here" in capsys.readouterr().err
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(finished.report.out, copy)
    (copy / "regression" / "executive_summary.pdf").write_bytes(b"%PDF-1.7 tampered")
    assert main(["email", "--out", str(copy), "--to", "a@example.com", "--eml", str(tmp_path / "y.eml")]) == 2
    assert "do not match its manifest" in capsys.readouterr().err


def test_study_picks_the_studies_to_mail_and_an_unknown_one_exits_2(finished, tmp_path, capsys, no_wait):
    from reportgen.studies import get

    folder = finished.report.out
    eml = tmp_path / "one.eml"
    assert main(["email", "--out", str(folder), "--to", "a@example.com", "--study", "regression", "--eml", str(eml)]) == 0, capsys.readouterr().err
    message = email.message_from_bytes(eml.read_bytes(), policy=policy.default)
    text = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert text.split("\n")[0] == f"Regression: {get('regression').verdict(finished.results)}"
    assert [a.get_filename() for a in message.iter_attachments()] == ["regression_executive_summary.pdf"]
    capsys.readouterr()

    nope = tmp_path / "nope.eml"
    assert main(["email", "--out", str(folder), "--to", "a@example.com", "--study", "nope", "--eml", str(nope)]) == 2
    err = capsys.readouterr().err
    assert err == f"error: {folder}: the build holds no 'nope' study (studies in this build: regression)\n"
    assert not nope.exists()

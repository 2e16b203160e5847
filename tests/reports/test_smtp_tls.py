"""SMTP with STARTTLS and with implicit TLS, and a login, against aiosmtpd on 127.0.0.1 using a certificate made for
the test (trusted through SSL_CERT_FILE, so certificate verification stays on as in production)."""

from __future__ import annotations

import shutil
import ssl
import subprocess
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from auditor.config import Email
from auditor.reports.email import Outgoing, SmtpTransport, build_message, deliver
from tests.reports.conftest import Inbox, free_port

PASSWORD = "correct horse battery staple"


@pytest.fixture
def certificate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed; TLS delivery tests skipped")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1"),
            *("-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)),
        ],
        check=True,
        capture_output=True,
    )
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    return cert, key


def authenticator(server: object, session: object, envelope: object, mechanism: str, data: object) -> AuthResult:
    ok = isinstance(data, LoginPassword) and data.login == b"auditor" and data.password == PASSWORD.encode()
    return AuthResult(success=ok, handled=False)


def server_context(cert: Path, key: Path) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


@pytest.fixture
def starttls_inbox(certificate: tuple[Path, Path]) -> Iterator[Inbox]:
    box = Inbox(free_port())
    controller = Controller(
        box,
        hostname="127.0.0.1",
        port=box.port,
        tls_context=server_context(*certificate),
        require_starttls=True,
        authenticator=authenticator,
        auth_required=True,
    )
    controller.start()
    try:
        yield box
    finally:
        controller.stop()


@pytest.fixture
def smtps_inbox(certificate: tuple[Path, Path]) -> Iterator[Inbox]:
    box = Inbox(free_port())
    context = server_context(*certificate)
    controller = Controller(
        box,
        hostname="127.0.0.1",
        port=box.port,
        ssl_context=context,
        authenticator=authenticator,
        auth_required=True,
        # aiosmtpd only knows of TLS it negotiated itself (STARTTLS); this connection is TLS from the first byte.
        auth_require_tls=False,
        server_hostname="127.0.0.1",
    )
    controller.start()
    try:
        yield box
    finally:
        controller.stop()


def message(cfg: Email) -> EmailMessage:
    return build_message(cfg, ["head.history@islwynhigh.co.uk"], "Audit", "text", "<p>html</p>")


def cfg(port: int, **kw: object) -> Email:
    values: dict[str, object] = {
        "host": "127.0.0.1",
        "port": port,
        "sender": "auditor@islwynhigh.co.uk",
        "username": "auditor",
        "retries": 0,
        "retry_delay": 0.0,
        "timeout": 10.0,
    }
    values.update(kw)
    return Email(**values)  # type: ignore[arg-type]


def test_starttls_and_login(starttls_inbox):
    email_cfg = cfg(starttls_inbox.port, starttls=True)
    transport = SmtpTransport(email_cfg, {"SMTP_PASSWORD": PASSWORD})
    transport.send(message(email_cfg), ["head.history@islwynhigh.co.uk"])
    assert [r.rcpt_tos for r in starttls_inbox.received] == [["head.history@islwynhigh.co.uk"]]


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")  # it is TLS, aiosmtpd cannot tell
def test_implicit_tls_and_login(smtps_inbox):
    email_cfg = cfg(smtps_inbox.port, ssl=True, starttls=False)
    transport = SmtpTransport(email_cfg, {"SMTP_PASSWORD": PASSWORD})
    transport.send(message(email_cfg), ["head.history@islwynhigh.co.uk"])
    assert len(smtps_inbox.received) == 1


def test_wrong_password_is_not_retried_and_never_recorded(starttls_inbox):
    email_cfg = cfg(starttls_inbox.port, starttls=True, retries=3)
    wrong = "hunter2-not-the-password"
    transport = SmtpTransport(email_cfg, {"SMTP_PASSWORD": wrong})
    item = Outgoing("school", ("slt@islwynhigh.co.uk",), message(email_cfg))
    waits: list[float] = []
    [result] = deliver([item], transport, email_cfg, None, "run", waits.append, secrets=[wrong])
    assert result.status == "failed" and result.attempts == 1 and waits == []
    assert "refused the login for auditor" in (result.error or "") and wrong not in (result.error or "")
    assert starttls_inbox.received == []

"""Issue 13, item 3: the server's mail goes out through the server's mailbox only.

An uploaded 设置 sheet is written by whoever uploads: it may choose recipients, never the host,
port, encryption or user the server's password is used with. Mail servers here are aiosmtpd on
127.0.0.1; the uploads name other ports, plain text, other users — and get nowhere.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from rectify_xl.errors import InputError
from rectify_xl.services.office_mail import MAIL_FAILED, OfficeMail, office_mail
from tests.conftest import free_port, sha256
from tests.mail_helpers import PASSWORD, USER, sent_settings, smtp_server, write_ledger
from tests.server_helpers import WEB, config, local_client


def _mail(client: Any, path: Path) -> dict[str, Any]:
    response = client.post("/api/mail", files={"file": (path.name, path.read_bytes())}, headers=WEB)
    assert response.status_code in (200, 400), response.text
    return dict(response.json())


def _configured(server: Any, **kw: Any) -> OfficeMail:
    return OfficeMail(server.host, server.port, kw.pop("security", "无"), kw.pop("user", ""),
                      kw.pop("sender", USER), **kw)


def test_mail_goes_through_the_servers_mailbox_not_the_one_the_upload_names(tmp_path: Path) -> None:
    with smtp_server() as office, smtp_server() as elsewhere:
        path = write_ledger(tmp_path / "政法委台账.xlsx", settings=sent_settings(elsewhere))
        before = sha256(path)
        answer = _mail(local_client(config(mail=_configured(office))), path)
    assert answer["ok"] and answer["sent"] and answer["files"] == []
    assert answer["message"].startswith("邮件已发送至：xcb@example.gov.cn")
    assert elsewhere.received == [] and len(office.received) == 1
    [received] = office.received
    assert received.message["From"].endswith(f"<{USER}>") or received.message["From"] == USER
    names = [a.get_filename() for a in received.message.iter_attachments()]
    assert names[0] == "县委政法委整改台账（截至2021年10月31日）.xlsx"
    assert sha256(path) == before


def test_an_upload_choosing_plain_text_port_and_user_never_gets_the_password(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The attack of the issue: 加密方式=无 and another port on the same host, a user name."""
    monkeypatch.setenv("RECTIFY_SMTP_PASSWORD", PASSWORD)
    with smtp_server(auth=True) as office, smtp_server(auth=True) as trap:
        upload = sent_settings(trap, security="无", user="attacker@example.com")
        path = write_ledger(tmp_path / "台账.xlsx", settings=upload)
        answer = _mail(local_client(config(mail=_configured(office, user=USER))), path)
    assert trap.logins == [] and trap.received == []
    assert office.logins == [USER] and len(office.received) == 1 and answer["sent"]
    assert PASSWORD not in str(answer)


def test_without_a_configured_mailbox_the_server_only_drafts(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RECTIFY_SMTP_PASSWORD", PASSWORD)
    with smtp_server() as named:
        path = write_ledger(tmp_path / "台账.xlsx", settings=sent_settings(named, user=USER))
        answer = _mail(local_client(config()), path)
    assert named.received == [] and named.logins == []
    assert answer["ok"] and not answer["sent"]
    assert answer["message"].startswith("服务器未配置发送邮箱")
    draft = next(f for f in answer["files"] if f["kind"] == "draft")
    assert draft["size"] > 0


def test_recipients_outside_the_configured_domains_are_refused(tmp_path: Path) -> None:
    with smtp_server() as office:
        settings = {**sent_settings(office), "收件人": "xcb@example.gov.cn; spy@evil.example"}
        path = write_ledger(tmp_path / "台账.xlsx", settings=settings)
        mail = _configured(office, domains=("example.gov.cn",))
        answer = _mail(local_client(config(mail=mail)), path)
    assert office.received == []
    assert "spy@evil.example" in answer["error"] and "example.gov.cn" in answer["error"]


@contextmanager
def _closed_port() -> Iterator[int]:
    yield free_port()


@contextmanager
def _silent_port() -> Iterator[int]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(8)
        yield int(s.getsockname()[1])


@contextmanager
def _talking_port() -> Iterator[int]:
    """A service that greets with a banner of its own (not SMTP) and hangs up."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(8)
    port = int(s.getsockname()[1])

    def serve() -> None:
        while True:
            try:
                conn, _ = s.accept()
            except OSError:
                return
            with conn:
                conn.sendall(b"SSH-2.0-OpenSSH_9.6 secret-banner\r\n")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield port
    finally:
        s.close()


@pytest.mark.parametrize("security", ["无", "SSL"])
def test_every_port_state_gives_the_same_answer(tmp_path: Path, security: str) -> None:
    path = write_ledger(tmp_path / "台账.xlsx", settings={"收件人": "xcb@example.gov.cn"})
    messages = []
    for port_state in (_closed_port, _silent_port, _talking_port):
        with port_state() as port:
            mail = OfficeMail("127.0.0.1", port, security, sender=USER, timeout=1.0)
            answer = _mail(local_client(config(mail=mail)), path)
        assert not answer["sent"] and not answer["ok"]
        messages.append(answer["message"])
    assert messages[0] == messages[1] == messages[2]
    assert messages[0].startswith(MAIL_FAILED)
    assert "SSH" not in messages[0] and "banner" not in messages[0]
    assert str(port) not in messages[0]


@pytest.mark.parametrize("smtp, kwargs", [
    (":25", {}),
    ("smtp.example.gov.cn:25", {"sender": "a@x.cn\r\nBcc: spy@evil.example"}),
    ("smtp.example.gov.cn:25", {"security": "明文"}),
    ("smtp.example.gov.cn:25", {}),  # no sender, no user
])
def test_a_configuration_that_cannot_work_is_refused_at_start(smtp: str, kwargs: Any) -> None:
    with pytest.raises(InputError):
        office_mail(smtp, **kwargs)


def test_options_give_the_configuration() -> None:
    mail = office_mail("mail.example.gov.cn:587", security="STARTTLS", user=USER,
                       domains=("@Example.gov.cn.",))
    assert (mail.host, mail.port, mail.security, mail.user) == (
        "mail.example.gov.cn", 587, "STARTTLS", USER)
    assert mail.allows("a@example.gov.cn") and mail.allows("b@sub.example.gov.cn")
    assert not mail.allows("c@example.gov.cn.evil.example") and not mail.allows("d@xexample.gov.cn")

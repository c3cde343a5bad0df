"""Sending the ledger through a real SMTP server on 127.0.0.1 (aiosmtpd), and every way it fails."""

from __future__ import annotations

import io
import logging
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest

from rectify_xl.adapters.secrets import Secret
from rectify_xl.core.schema import SHEETS
from rectify_xl.services.mail import prepare_mail, send_or_draft
from tests.mail_helpers import (
    PASSWORD,
    REFUSED,
    USER,
    make_tls,
    sent_settings,
    silent_server,
    smtp_server,
    write_ledger,
)

SUBJECT = "县委政法委巡察整改进展情况（截至2021年10月31日）"
XLSX_NAME = "县委政法委整改台账（截至2021年10月31日）.xlsx"


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    return make_tls(tmp_path_factory.mktemp("tls"))


def _sheet_values(data: bytes | Path, sheet: str) -> list[tuple[object, ...]]:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data) if isinstance(data, bytes) else data)
    return [tuple(r) for r in wb[sheet].iter_rows(values_only=True)]


def _attachments(message) -> dict[str, bytes]:  # type: ignore[no-untyped-def]
    return {part.get_filename(): part.get_content() for part in message.iter_attachments()}


class TestDelivery:
    def test_message_arrives_with_chinese_subject_and_attachment_names(self, tmp_path: Path) -> None:
        """Plain SMTP without AUTH: one message to To and Cc, subject and names decoded."""
        with smtp_server() as server:
            ledger = write_ledger(tmp_path / "台账.xlsx", settings=sent_settings(server))
            outcome = send_or_draft(prepare_mail(ledger), timeout=5)
        assert outcome.ok and outcome.sent and outcome.draft is None
        [received] = server.received
        assert sorted(received.rcpt_tos) == ["jw@example.gov.cn", "xcb@example.gov.cn",
                                             "zzb@example.gov.cn"]
        msg = received.message
        assert msg["Subject"] == SUBJECT
        assert msg["From"].addresses[0].display_name == "县委政法委办公室"
        names = list(_attachments(msg))
        assert names[0] == XLSX_NAME
        assert "县委政法委巡察整改进展情况公告.txt" in names
        assert "整改措施数：23" in msg.get_body(("plain",)).get_content()
        assert not (tmp_path / "台账_发送上级.eml").exists()

    def test_received_attachment_holds_the_same_ledger_rows(self, tmp_path: Path) -> None:
        """The .xlsx copy opens with openpyxl; 整改清单 equals the original, 进度汇总 is added."""
        with smtp_server() as server:
            ledger = write_ledger(tmp_path / "台账.xlsx", settings=sent_settings(server))
            send_or_draft(prepare_mail(ledger), timeout=5)
        data = _attachments(server.received[0].message)[XLSX_NAME]
        from openpyxl import load_workbook

        sheets = load_workbook(ledger).sheetnames
        assert SHEETS.LEDGER in sheets and SHEETS.SETTINGS in sheets
        for sheet in sheets:  # every sheet of the user's file, value for value
            assert _sheet_values(data, sheet) == _sheet_values(ledger, sheet), sheet
        summary = dict(r[:2] for r in _sheet_values(data, SHEETS.SUMMARY) if r[0])
        assert summary["整改措施数"] == 23

    def test_login_over_starttls_delivers(self, tmp_path: Path, tls) -> None:  # type: ignore[no-untyped-def]
        """AUTH required, STARTTLS required, certificate checked against the test CA."""
        with smtp_server(auth=True, starttls=tls) as server:
            settings = sent_settings(server, security="STARTTLS", user=USER)
            ledger = write_ledger(tmp_path / "台账.xlsx", settings=settings)
            outcome = send_or_draft(prepare_mail(ledger), password=Secret(PASSWORD),
                                    ssl_context=tls.client_context(), timeout=5)
        assert outcome.sent, outcome.message
        assert server.logins == [USER]
        assert len(server.received) == 1

    @pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
    def test_implicit_ssl_delivers(self, tmp_path: Path, tls) -> None:  # type: ignore[no-untyped-def]
        """SSL from the first byte (port 465 style) with AUTH."""
        with smtp_server(auth=True, implicit_tls=tls) as server:
            settings = sent_settings(server, security="SSL", user=USER)
            ledger = write_ledger(tmp_path / "台账.xlsx", settings=settings)
            outcome = send_or_draft(prepare_mail(ledger), password=Secret(PASSWORD),
                                    ssl_context=tls.client_context(), timeout=5)
        assert outcome.sent, outcome.message
        assert server.logins == [USER]

    def test_untrusted_certificate_is_refused_and_drafted(self, tmp_path: Path, tls) -> None:  # type: ignore[no-untyped-def]
        """Without the test CA the certificate does not verify: no silent downgrade."""
        with smtp_server(implicit_tls=tls) as server:
            ledger = write_ledger(tmp_path / "台账.xlsx", settings=sent_settings(server, security="SSL"))
            outcome = send_or_draft(prepare_mail(ledger), timeout=5)
        assert not outcome.sent and "加密连接失败" in (outcome.error or "")
        assert outcome.draft is not None and outcome.draft.exists()
        assert server.received == []


def _draft(path: Path):  # type: ignore[no-untyped-def]
    return BytesParser(policy=policy.default).parsebytes(path.read_bytes())


class TestFailuresKeepADraft:
    def test_refused_login_gives_clear_message_and_draft(self, tmp_path: Path, tls) -> None:  # type: ignore[no-untyped-def]
        with smtp_server(auth=True, starttls=tls) as server:
            settings = sent_settings(server, security="STARTTLS", user=USER)
            ledger = write_ledger(tmp_path / "台账.xlsx", settings=settings)
            outcome = send_or_draft(prepare_mail(ledger), password=Secret("wrong"),
                                    ssl_context=tls.client_context(), timeout=5)
        assert not outcome.ok and "拒绝登录" in (outcome.error or "")
        assert outcome.draft == tmp_path / "台账_发送上级.eml"
        assert _draft(outcome.draft)["Subject"] == SUBJECT
        assert _draft(outcome.draft)["X-Unsent"] == "1"
        assert server.received == []

    def test_server_down_gives_clear_message_and_draft(self, tmp_path: Path) -> None:
        from tests.mail_helpers import Server, free_port

        down = Server("127.0.0.1", free_port())
        ledger = write_ledger(tmp_path / "台账.xlsx", settings=sent_settings(down))
        outcome = send_or_draft(prepare_mail(ledger), timeout=5)
        assert outcome.error is not None and outcome.error.startswith("无法连接邮件服务器 127.0.0.1:")
        assert outcome.draft is not None and _attachments(_draft(outcome.draft))[XLSX_NAME]
        assert "邮件已保存为草稿" in outcome.message

    def test_all_recipients_refused(self, tmp_path: Path) -> None:
        with smtp_server() as server:
            settings = {**sent_settings(server), "收件人": REFUSED, "抄送": ""}
            ledger = write_ledger(tmp_path / "台账.xlsx", settings=settings)
            outcome = send_or_draft(prepare_mail(ledger), timeout=5)
        assert outcome.error == f"收件人地址被邮件服务器拒收：{REFUSED}"
        assert outcome.draft is not None and outcome.draft.exists()
        assert server.received == []

    def test_one_recipient_refused_is_reported_and_others_receive(self, tmp_path: Path) -> None:
        with smtp_server() as server:
            settings = {**sent_settings(server), "收件人": f"xcb@example.gov.cn;{REFUSED}"}
            ledger = write_ledger(tmp_path / "台账.xlsx", settings=settings)
            outcome = send_or_draft(prepare_mail(ledger), timeout=5)
        assert REFUSED in (outcome.error or "") and "部分收件人被拒收" in (outcome.error or "")
        assert server.received[0].rcpt_tos == ["xcb@example.gov.cn", "zzb@example.gov.cn"]

    def test_silent_server_times_out(self, tmp_path: Path) -> None:
        with silent_server() as port:
            settings = {**sent_settings(smtp_stub(port))}
            ledger = write_ledger(tmp_path / "台账.xlsx", settings=settings)
            outcome = send_or_draft(prepare_mail(ledger), timeout=0.5)
        assert outcome.error is not None and outcome.error.startswith(
            f"连接邮件服务器 127.0.0.1:{port} 超时（0.5秒内没有应答）")
        assert outcome.draft is not None and outcome.draft.exists()

    def test_starttls_asked_of_a_server_without_it_says_what_to_change(self, tmp_path: Path) -> None:
        with smtp_server() as server:
            ledger = write_ledger(tmp_path / "台账.xlsx",
                                  settings=sent_settings(server, security="STARTTLS"))
            outcome = send_or_draft(prepare_mail(ledger), timeout=5)
        assert outcome.error == (f"邮件服务器 {server.address} 不支持 STARTTLS 加密，"
                                 "请把“加密方式”改为 SSL（端口一般为 465），或向管理员确认")
        assert server.received == [] and outcome.draft is not None

    @pytest.mark.parametrize("password", ["ascii-only-9f3Kq", PASSWORD])
    def test_login_without_tls_where_the_server_wants_it_first(self, tmp_path: Path, tls,  # type: ignore[no-untyped-def]
                                                             password: str) -> None:
        """The server offers AUTH only after STARTTLS; ASCII or not, the advice is the same."""
        with smtp_server(auth=True, starttls=tls) as server:
            ledger = write_ledger(tmp_path / "台账.xlsx", settings=sent_settings(server, user=USER))
            outcome = send_or_draft(prepare_mail(ledger), password=Secret(password), timeout=5)
        assert "没有提供登录功能" in (outcome.error or "") and "加密方式" in (outcome.error or "")
        assert server.received == [] and outcome.draft is not None

    def test_missing_password_sends_nothing_and_drafts(self, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.delenv("RECTIFY_SMTP_PASSWORD", raising=False)
        with smtp_server() as server:
            ledger = write_ledger(tmp_path / "台账.xlsx", settings=sent_settings(server, user=USER))
            outcome = send_or_draft(prepare_mail(ledger), timeout=5)
        assert "未提供邮箱密码" in (outcome.error or "")
        assert server.received == [] and outcome.draft is not None


def smtp_stub(port: int):  # type: ignore[no-untyped-def]
    from tests.mail_helpers import Server

    return Server("127.0.0.1", port)


def test_no_password_in_any_output_or_log(tmp_path: Path, tls, caplog: pytest.LogCaptureFixture,  # type: ignore[no-untyped-def]
                                          capsys: pytest.CaptureFixture[str]) -> None:
    """Env password, a refused and an accepted login: the password is nowhere we write or log."""
    caplog.set_level(logging.DEBUG)
    with smtp_server(auth=True, starttls=tls) as server:
        settings = sent_settings(server, security="STARTTLS", user=USER)
        ledger = write_ledger(tmp_path / "台账.xlsx", settings=settings)
        prepared = prepare_mail(ledger, encrypt=True)
        failed = send_or_draft(prepared, password=Secret(PASSWORD + "x"),
                               ssl_context=tls.client_context(), timeout=5)
        sent = send_or_draft(prepared, password=Secret(PASSWORD),
                             ssl_context=tls.client_context(), timeout=5)
    assert sent.sent and failed.draft is not None
    texts = [caplog.text, *capsys.readouterr(), repr(prepared), repr(sent), failed.message,
             sent.message, repr(Secret(PASSWORD)), f"{Secret(PASSWORD)}"]
    assert all(PASSWORD not in t for t in texts)
    needle = PASSWORD.encode("utf-8")
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert needle not in path.read_bytes(), path
    for a in prepared.attachments:
        assert needle not in a.data
    # the attachment password is shown once, in the outcome, and nowhere in the files either
    assert prepared.attachment_password and prepared.attachment_password in sent.message
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert prepared.attachment_password.encode() not in path.read_bytes()


def test_non_ascii_recipient_is_one_clear_line(tmp_path: Path) -> None:
    """smtplib cannot put 中文@ in RCPT TO: a MailError and a draft, never a UnicodeEncodeError."""
    with smtp_server() as server:
        settings = {**sent_settings(server), "收件人": "巡察办@example.gov.cn"}
        ledger = write_ledger(tmp_path / "台账.xlsx", settings=settings)
        outcome = send_or_draft(prepare_mail(ledger), timeout=5)
    assert "非英文字符" in (outcome.error or "") and outcome.draft is not None


def test_failure_without_a_writable_draft_folder_names_both_problems(tmp_path: Path) -> None:
    from rectify_xl.errors import OutputError
    from tests.mail_helpers import Server, free_port

    down = Server("127.0.0.1", free_port())
    ledger = write_ledger(tmp_path / "台账.xlsx", settings=sent_settings(down))
    prepared = prepare_mail(ledger, draft_path=tmp_path / "missing" / "d.eml")
    with pytest.raises(OutputError, match=r"^邮件发送失败：无法连接邮件服务器.*文件夹不存在"):
        send_or_draft(prepared, timeout=5)


def test_failure_with_the_draft_open_elsewhere_names_both_and_keeps_the_old_draft(
        tmp_path: Path) -> None:
    """A ~$ lock beside the draft: nothing overwritten, the send failure still reported."""
    from rectify_xl.errors import OutputError
    from tests.mail_helpers import Server, free_port

    down = Server("127.0.0.1", free_port())
    ledger = write_ledger(tmp_path / "台账.xlsx", settings=sent_settings(down))
    draft = tmp_path / "台账_发送上级.eml"
    draft.write_bytes(b"old draft")
    (tmp_path / "~$台账_发送上级.eml").write_bytes(b"")
    with pytest.raises(OutputError, match=r"^邮件发送失败：无法连接邮件服务器.*正在被.*打开"):
        send_or_draft(prepare_mail(ledger), timeout=5)
    assert draft.read_bytes() == b"old draft"

"""The 发送上级 button (buttons.send) run through xlwings' remote engine against aiosmtpd.

The remote engine (the server variant) has no file path, so the button must say so and send
nothing. A desktop click has the saved path; ``LiveBook.path`` is pointed at the file to run that
branch on the same engine, with the real mail service and a real SMTP server on 127.0.0.1.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from rectify_xl.core.schema import SHEETS
from rectify_xl.entrypoints import buttons
from tests.conftest import sha256
from tests.mail_helpers import REFUSED, USER, Server, free_port, sent_settings, smtp_server, write_ledger
from tests.xlwings_helpers import Replay, payload_from_file, remote_book, replay

TITLE = "发送上级"
XLSX_NAME = "县委政法委整改台账（截至2021年10月31日）.xlsx"


@pytest.fixture(autouse=True)
def _home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))  # the button's failure log stays in the test folder
    monkeypatch.delenv("RECTIFY_SMTP_PASSWORD", raising=False)
    monkeypatch.setattr("keyring.get_password", lambda service, account: None)  # nothing stored


def _click(path: Path, *, saved: Path | None = None) -> Replay:
    """A click on the remote engine; ``saved``: a desktop click, where the VBA Sub has saved the
    book so the button knows its file (the seam: Actions.saved)."""
    from rectify_xl.services.buttons import Actions, run_button

    book = remote_book(payload_from_file(path))
    if saved is None:
        buttons.send(book)
    else:
        run_button("send", book, Actions(saved=lambda live: saved))
    return replay(openpyxl.load_workbook(path), book.json()["actions"])


def _only_alert(rep: Replay) -> dict[str, Any]:
    assert rep.funcs == ["alert"], rep.funcs  # nothing is written into the workbook
    (alert,) = rep.alerts
    assert alert["title"] == TITLE and "Traceback" not in alert["prompt"]
    return alert


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.is_file())


class TestSendButton:
    def test_server_variant_points_to_the_web_page_and_sends_nothing(self, tmp_path: Path) -> None:
        """No file path on the remote engine: one critical alert naming the web page, no mail."""
        with smtp_server() as server:
            ledger = write_ledger(tmp_path / "台账.xlsx", settings=sent_settings(server))
            before = sha256(ledger)
            alert = _only_alert(_click(ledger))
        assert alert["mode"] == "critical"
        assert "无法发送" in alert["prompt"] and "网页" in alert["prompt"]
        assert "rectify-xl mail" not in alert["prompt"]  # no Python on a server-variant PC
        assert server.received == [] and _files(tmp_path) == ["台账.xlsx"]
        assert sha256(ledger) == before

    def test_saved_book_is_mailed_with_the_settings_of_its_sheet(
            self, tmp_path: Path) -> None:
        """Recipients and server from 设置; the received copy holds the same ledger rows."""
        with smtp_server() as server:
            ledger = write_ledger(tmp_path / "台账.xlsx", settings=sent_settings(server))
            before = sha256(ledger)
            alert = _only_alert(_click(ledger, saved=ledger))
        assert alert["mode"] == "info"
        assert alert["prompt"].startswith("邮件已发送至：xcb@example.gov.cn、jw@example.gov.cn、"
                                          "zzb@example.gov.cn（附件")
        [received] = server.received
        attachments = {p.get_filename(): p.get_content() for p in received.message.iter_attachments()}
        copy = openpyxl.load_workbook(io.BytesIO(attachments[XLSX_NAME]))
        original = openpyxl.load_workbook(ledger)
        assert (list(copy[SHEETS.LEDGER].iter_rows(values_only=True))
                == list(original[SHEETS.LEDGER].iter_rows(values_only=True)))
        assert SHEETS.SUMMARY in copy.sheetnames
        assert _files(tmp_path) == ["台账.xlsx"] and sha256(ledger) == before

    def test_server_down_alerts_critical_and_keeps_the_draft(
            self, tmp_path: Path) -> None:
        down = Server("127.0.0.1", free_port())
        ledger = write_ledger(tmp_path / "台账.xlsx", settings=sent_settings(down))
        before = sha256(ledger)
        alert = _only_alert(_click(ledger, saved=ledger))
        assert alert["mode"] == "critical"
        first, second = alert["prompt"].splitlines()[:2]
        assert first.startswith("邮件发送失败：无法连接邮件服务器 127.0.0.1:") and "连接被拒绝" in first
        assert second.startswith(f"邮件已保存为草稿：{tmp_path / '台账_发送上级.eml'}")
        assert _files(tmp_path) == ["台账.xlsx", "台账_发送上级.eml"] and sha256(ledger) == before

    def test_refused_recipient_is_named_and_the_draft_kept(
            self, tmp_path: Path) -> None:
        with smtp_server() as server:
            settings = {**sent_settings(server), "收件人": REFUSED, "抄送": ""}
            ledger = write_ledger(tmp_path / "台账.xlsx", settings=settings)
            alert = _only_alert(_click(ledger, saved=ledger))
        assert alert["mode"] == "critical" and REFUSED in alert["prompt"]
        assert server.received == [] and (tmp_path / "台账_发送上级.eml").is_file()

    def test_without_a_stored_password_the_button_names_only_what_it_can_use(
            self, tmp_path: Path) -> None:
        """A button cannot prompt: the message names the variable and the keyring command."""
        with smtp_server() as server:
            ledger = write_ledger(tmp_path / "台账.xlsx", settings=sent_settings(server, user=USER))
            alert = _only_alert(_click(ledger, saved=ledger))
        assert alert["mode"] == "critical" and "未提供邮箱密码" in alert["prompt"]
        assert "RECTIFY_SMTP_PASSWORD" in alert["prompt"]
        assert f"keyring set rectify-xl-smtp {USER}@127.0.0.1" in alert["prompt"]
        assert "提示" not in alert["prompt"]
        assert server.received == [] and (tmp_path / "台账_发送上级.eml").is_file()

    def test_missing_recipient_is_one_chinese_alert_and_nothing_written(
            self, tmp_path: Path) -> None:
        with smtp_server() as server:
            ledger = write_ledger(tmp_path / "台账.xlsx",
                                  settings={**sent_settings(server), "收件人": "", "抄送": ""})
            alert = _only_alert(_click(ledger, saved=ledger))
        assert alert["mode"] == "critical"
        assert alert["prompt"].startswith(f"{TITLE}未完成：未填写收件人")
        assert server.received == [] and _files(tmp_path) == ["台账.xlsx"]

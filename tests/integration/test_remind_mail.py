"""`rectify-xl remind --mail` (issue 17): each department gets its letter through the mail
machinery of `mail` / `chase` (aiosmtpd on 127.0.0.1), a draft when it cannot be sent, and 方式
in 催办记录 says which; the addresses come from the 联系人 table of the 设置 sheet."""

from __future__ import annotations

from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from rectify_xl.adapters.workbook_builder import build_workbook
from rectify_xl.core.parse import parse_contacts
from rectify_xl.core.records import LedgerRecords
from rectify_xl.core.schema import CONTACT_COLUMNS, CONTACT_TABLE, REMIND_COLUMNS, SHEETS
from rectify_xl.entrypoints.cli import cli
from rectify_xl.services.ledger import settings_of
from rectify_xl.services.source import FileSource
from tests.conftest import BASE_INFO
from tests.integration.test_remind import ROWS
from tests.mail_helpers import REFUSED, smtp_server

OFFICE, POLITICS = "办公室", "政治部"  # 督办 (overdue) and 提醒 (due soon) in ROWS
OFFICE_MAIL = "bgs@example.gov.cn"


def _ledger(folder: Path, contacts: list[tuple[str, str]], **mail: object) -> Path:
    """The ROWS ledger with a 联系人 table under the 设置 rows and the given 设置 values."""
    from openpyxl import load_workbook

    folder.mkdir(parents=True, exist_ok=True)
    path = build_workbook(folder / "台账.xlsm",
                          LedgerRecords(info=dict(BASE_INFO), measures=ROWS, texts=[]))
    wb = load_workbook(path, keep_vba=True)
    ws = wb[SHEETS.SETTINGS]
    labels = {str(c.value).rstrip("：:*＊"): c.row for c in ws["A"] if c.value}
    for label, value in mail.items():
        ws.cell(labels[label], 2, value)
    top = ws.max_row + 2
    ws.cell(top, 1, CONTACT_TABLE)
    ws.cell(top + 1, 1, CONTACT_COLUMNS[0])
    ws.cell(top + 1, 2, CONTACT_COLUMNS[1])
    for n, (dept, address) in enumerate(contacts, start=top + 2):
        ws.cell(n, 1, dept)
        ws.cell(n, 2, address)
    wb.save(path)
    return path


def _server_settings(port: int) -> dict[str, object]:
    return {"SMTP服务器": "127.0.0.1", "SMTP端口": port, "加密方式": "无",
            "发件人地址": "zgb@example.gov.cn", "发件人姓名": "整改办"}


def _log(path: Path) -> dict[str, tuple[object, ...]]:
    from openpyxl import load_workbook

    rows = list(load_workbook(path, read_only=True)[SHEETS.REMIND_LOG].iter_rows(values_only=True))
    assert rows[0] == REMIND_COLUMNS
    return {str(r[1]): r for r in rows[1:]}


def _how(row: tuple[object, ...]) -> object:
    return row[REMIND_COLUMNS.index("方式")]


def _run(ledger: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["remind", str(ledger), "-o", str(ledger.parent / "催办"),
                                      *args])
    return result.exit_code, result.output


def test_the_settings_reader_gives_the_contact_table(tmp_path: Path) -> None:
    ledger = _ledger(tmp_path, [(OFFICE, OFFICE_MAIL), (POLITICS, "")])
    assert settings_of(FileSource(ledger), contacts=True).contacts == ((OFFICE, OFFICE_MAIL),)
    assert settings_of(FileSource(ledger)).contacts == ()  # read only by the run that mails
    assert parse_contacts(None) == []


def test_each_addressed_department_gets_its_letter_attached(tmp_path: Path) -> None:
    with smtp_server() as server:
        ledger = _ledger(tmp_path, [(OFFICE, OFFICE_MAIL)], **_server_settings(server.port))
        code, out = _run(ledger, "--mail")
    assert code == 0, out
    assert len(server.received) == 1 and server.received[0].rcpt_tos == [OFFICE_MAIL]
    msg = server.received[0].message
    assert msg["To"] == OFFICE_MAIL and "督办函" in str(msg["Subject"])
    assert OFFICE in msg.get_body().get_content() and "整改办" in msg.get_body().get_content()
    (part,) = list(msg.iter_attachments())
    letter = next((tmp_path / "催办").glob(f"{OFFICE}-督办函-*.docx"))
    assert part.get_filename() == letter.name  # the Chinese file name survives
    assert part.get_content() == letter.read_bytes()
    assert f"已发送至 {OFFICE_MAIL}" in out
    assert f"未发送邮件（联系人中没有邮箱）：{POLITICS}" in out  # listed; its letter is written
    assert next((tmp_path / "催办").glob(f"{POLITICS}-提醒函-*.docx")).is_file()
    log = _log(ledger)
    assert _how(log[OFFICE]) == "邮件" and _how(log[POLITICS]) == "仅生成文书"


def test_a_failed_send_becomes_a_draft_with_the_letter(tmp_path: Path) -> None:
    with smtp_server() as server:
        ledger = _ledger(tmp_path, [(OFFICE, REFUSED), (POLITICS, "zzb@example.gov.cn")],
                         **_server_settings(server.port))
        code, out = _run(ledger, "--mail")
    assert code == 1, out  # a failure is a finding: the draft is there to send by hand
    assert [r.rcpt_tos for r in server.received] == [["zzb@example.gov.cn"]]
    draft = next((tmp_path / "催办").glob(f"{OFFICE}-督办函-*.eml"))
    msg = BytesParser(policy=policy.default).parsebytes(draft.read_bytes())
    assert msg["To"] == REFUSED and msg["X-Unsent"] == "1"
    assert [p.get_filename() for p in msg.iter_attachments()] == [draft.stem + ".docx"]
    assert "发送失败" in out
    log = _log(ledger)
    assert _how(log[OFFICE]) == "草稿" and _how(log[POLITICS]) == "邮件"


def test_no_server_or_eml_gives_drafts_only(tmp_path: Path) -> None:
    ledger = _ledger(tmp_path, [(OFFICE, OFFICE_MAIL)])  # no SMTP服务器 in 设置
    code, out = _run(ledger, "--mail", "--drafts", str(tmp_path / "草稿"))
    assert code == 0, out
    assert [p.name.split("-")[0] for p in (tmp_path / "草稿").glob("*.eml")] == [OFFICE]
    assert _how(_log(ledger)[OFFICE]) == "草稿"
    with smtp_server() as server:
        ledger = _ledger(tmp_path / "b", [(OFFICE, OFFICE_MAIL)], **_server_settings(server.port))
        code, out = _run(ledger, "--eml")
    assert code == 0 and not server.received
    assert _how(_log(ledger)[OFFICE]) == "草稿"


def test_without_mail_the_record_says_letter_only(tmp_path: Path) -> None:
    ledger = _ledger(tmp_path, [(OFFICE, OFFICE_MAIL)])
    code, out = _run(ledger)
    assert code == 0, out
    assert {_how(r) for r in _log(ledger).values()} == {"仅生成文书"}
    assert not list((tmp_path / "催办").glob("*.eml"))


@pytest.mark.parametrize("address", ["bgs@example.gov.cn\r\nBcc: x@evil.example", "办公室邮箱",
                                     "a@b.cn; c@d.cn"])
def test_a_malformed_address_is_refused_at_its_cell(tmp_path: Path, address: str) -> None:
    with smtp_server() as server:
        ledger = _ledger(tmp_path, [(OFFICE, address)], **_server_settings(server.port))
        before = ledger.read_bytes()
        code, out = _run(ledger, "--mail")
    assert code == 2 and not server.received
    assert f"“{SHEETS.SETTINGS}”表B" in out and "不是有效的邮件地址" in out
    assert "Traceback" not in out and ledger.read_bytes() == before


def test_a_malformed_address_does_not_stop_validate_or_summary(tmp_path: Path) -> None:
    """设置 is an optional sheet: only `remind --mail` depends on the 联系人 table."""
    ledger = _ledger(tmp_path, [(OFFICE, "办公室邮箱")])
    for command in ("validate", "summary"):
        result = CliRunner().invoke(cli, [command, str(ledger), "--as-of", "2021-10-31"])
        assert result.exit_code in (0, 1), result.output
        assert "不是有效的邮件地址" not in result.output

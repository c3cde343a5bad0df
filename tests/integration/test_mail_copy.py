"""The attachments: macro-free .xlsx copy, encryption, the .eml draft and its Chinese names."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from email import message_from_bytes, policy
from email.header import decode_header, make_header
from email.parser import BytesParser
from pathlib import Path

import pytest

from rectify_xl.adapters.crypto import decrypt_bytes, encrypt_bytes, is_encrypted
from rectify_xl.adapters.mail import (
    XLSX_TYPE,
    Attachment,
    build_message,
    encoded_word,
    message_bytes,
    write_eml,
)
from rectify_xl.adapters.sheet_file import apply_writes, write_sheet
from rectify_xl.adapters.xlsx_copy import macro_free_copy, save_atomic, workbook_bytes
from rectify_xl.core.findings import Finding, Report, Severity
from rectify_xl.core.output_sheets import findings_writes, summary_sheet
from rectify_xl.core.schema import SHEETS
from rectify_xl.core.sheet_spec import STYLES, Block, SheetSpec, SheetWrites
from rectify_xl.errors import LockedError
from rectify_xl.services.mail import prepare_mail, send_or_draft
from tests.conftest import sample_records_copy, sha256
from tests.mail_helpers import write_ledger


def _load(data: bytes):  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(data))


@pytest.fixture(scope="module")
def xlsm(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real macro-enabled ledger (VBA project, buttons, xlwings.conf, 设置)."""
    from rectify_xl.adapters.workbook_builder import build_workbook

    return build_workbook(tmp_path_factory.mktemp("xlsm") / "台账.xlsm", sample_records_copy())


class TestMacroFreeCopy:
    def test_xlsm_copy_has_no_vba_and_no_xlwings_conf(self, xlsm: Path) -> None:
        before = sha256(xlsm)
        assert "xl/vbaProject.bin" in zipfile.ZipFile(xlsm).namelist()
        data = workbook_bytes(macro_free_copy(xlsm))
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            assert "xl/vbaProject.bin" not in z.namelist()
            assert b"macroEnabled" not in z.read("[Content_Types].xml")
        names = _load(data).sheetnames
        assert SHEETS.XLWINGS_CONF not in names and SHEETS.SETTINGS in names
        assert sha256(xlsm) == before

    def test_xlsm_copy_has_no_buttons_and_no_name_pointing_at_xlwings_conf(self, xlsm: Path) -> None:
        """The form buttons (VML with FmlaMacro) of the original are gone with the macros."""
        with zipfile.ZipFile(xlsm) as z:
            assert any(b"FmlaMacro" in z.read(n) for n in z.namelist() if n.endswith(".vml"))
        wb = macro_free_copy(xlsm)
        assert not [n for n in wb.defined_names if SHEETS.XLWINGS_CONF in
                    str(wb.defined_names[n].attr_text)]
        with zipfile.ZipFile(io.BytesIO(workbook_bytes(wb))) as z:
            for name in z.namelist():
                part = z.read(name)
                assert b"FmlaMacro" not in part and b"ObjectType=\"Button\"" not in part, name
                assert b"vbaProject" not in part, name

    def test_password_typed_into_the_settings_of_the_real_xlsm_is_not_copied(
            self, xlsm: Path, tmp_path: Path) -> None:
        """A user who ignores the 注意 row and types the password into 设置: the copy is clean."""
        from openpyxl import load_workbook

        filled = tmp_path / "填写后.xlsm"
        wb = load_workbook(xlsm, keep_vba=True)
        ws = wb[SHEETS.SETTINGS]
        labels = [c.value for c in ws["A"]]
        ws.cell(labels.index("收件人") + 1, 2, "xcb@example.gov.cn")
        ws.append(["邮箱密码", "Pw-授权码-9f3Kq"])
        ws.append(["授权码：", "abcdEFGH1234"])
        wb.save(filled)
        before = sha256(filled)
        prepared = prepare_mail(filled)
        with zipfile.ZipFile(io.BytesIO(prepared.attachments[0].data)) as z:
            parts = b"".join(z.read(n) for n in z.namelist())
        assert "Pw-授权码-9f3Kq".encode() not in parts and b"abcdEFGH1234" not in parts
        values = [v for r in _load(prepared.attachments[0].data)[SHEETS.SETTINGS]
                  .iter_rows(values_only=True) for v in r]
        assert "xcb@example.gov.cn" in values and "邮箱密码" in values
        assert sha256(filled) == before

    def test_xlsm_copy_keeps_every_ledger_value(self, xlsm: Path) -> None:
        from openpyxl import load_workbook

        original = load_workbook(xlsm)[SHEETS.LEDGER]
        copy = _load(workbook_bytes(macro_free_copy(xlsm)))[SHEETS.LEDGER]
        assert list(copy.iter_rows(values_only=True)) == list(original.iter_rows(values_only=True))

    def test_credential_rows_in_settings_are_blanked(self, tmp_path: Path) -> None:
        ledger = write_ledger(tmp_path / "l.xlsx", settings={
            "收件人": "a@example.cn", "密码": "hunter2", "SMTP授权码": "abcd", "用户名": "u@x.cn"})
        ws = macro_free_copy(ledger)[SHEETS.SETTINGS]
        values = {r[0]: r[1] for r in ws.iter_rows(values_only=True)}
        assert values["密码"] is None and values["SMTP授权码"] is None
        assert values["收件人"] == "a@example.cn" and values["用户名"] == "u@x.cn"

    def test_formula_cells_become_their_cached_values(self, tmp_path: Path) -> None:
        import xlsxwriter

        path = tmp_path / "f.xlsx"
        wb = xlsxwriter.Workbook(str(path))
        ws = wb.add_worksheet(SHEETS.LEDGER)
        ws.write_number(0, 0, 2)
        ws.write_formula(0, 1, "=A1*21", None, 42)
        wb.close()
        cell = macro_free_copy(path)[SHEETS.LEDGER]["B1"]
        assert (cell.value, cell.data_type) == (42, "n")

    def test_summary_sheet_is_added_and_refreshed(self, tmp_path: Path) -> None:
        from openpyxl import load_workbook

        from rectify_xl.adapters.sample_data import sample_ledger
        from rectify_xl.core.progress import summarize

        summary = summarize(sample_ledger(), as_of=date(2021, 10, 31))
        ledger = write_ledger(tmp_path / "l.xlsx")
        stale = load_workbook(ledger)
        stale.create_sheet(SHEETS.SUMMARY)["Z99"] = "旧内容"
        stale.save(ledger)
        fresh = SheetWrites((summary_sheet(summary, SHEETS.LEDGER, now=datetime(2021, 11, 1)),))
        wb = _load(workbook_bytes(macro_free_copy(ledger, fresh)))
        assert wb[SHEETS.SUMMARY]["Z99"].value is None
        rows = {r[0]: r[1] for r in wb[SHEETS.SUMMARY].iter_rows(values_only=True) if r[0]}
        assert rows["项目"] == "数值" and rows["具体问题数"] == 10
        assert wb.sheetnames.count(SHEETS.SUMMARY) == 1


class TestAnnotatedCopy:
    def test_findings_fill_cells_and_fill_the_results_sheet(self, tmp_path: Path) -> None:
        ledger = write_ledger(tmp_path / "l.xlsx")
        report = Report.build("l.xlsx", [
            Finding("RX301", Severity.ERROR, SHEETS.LEDGER, "H2", "完成时限不是日期"),
            Finding("RX310", Severity.WARNING, SHEETS.LEDGER, "H2", "已逾期"),
            Finding("RX101", Severity.INFO, SHEETS.LEDGER, None, "=整表提示"),
        ])
        wb = macro_free_copy(ledger)
        writes = findings_writes(report, {n: None for n in wb.sheetnames},  # type: ignore[misc]
                                 now=datetime(2021, 11, 1))
        assert len(writes.marks) == 1
        apply_writes(wb, writes)
        out = save_atomic(wb, tmp_path / "annotated.xlsx")
        back = _load(out.read_bytes())
        cell = back[SHEETS.LEDGER]["H2"]
        assert cell.fill.fgColor.rgb.endswith(STYLES["error"].fill.lstrip("#").upper())
        assert "RX301" in cell.comment.text and "RX310" in cell.comment.text
        rows = list(back[SHEETS.RESULTS].iter_rows(min_row=4, values_only=True))
        assert [r[1] for r in rows] == ["RX301", "RX310", "RX101"]
        assert back[SHEETS.RESULTS]["D6"].data_type == "s"  # "=整表提示" stays text

    def test_text_that_looks_like_a_formula_is_written_as_text(self, tmp_path: Path) -> None:
        from openpyxl import Workbook

        wb = Workbook()
        write_sheet(wb, SheetSpec("x", (Block(1, 1, (("=HYPERLINK(\"http://x\")", "+1", "@SUM(A1)"),)),)))
        back = _load(workbook_bytes(wb))["x"]
        assert [c.data_type for c in back[1]] == ["s", "s", "s"]

    def test_locked_target_is_not_overwritten(self, tmp_path: Path) -> None:
        from openpyxl import Workbook

        target = tmp_path / "out.xlsx"
        target.write_bytes(b"old")
        (tmp_path / "~$out.xlsx").write_bytes(b"")
        with pytest.raises(LockedError):
            save_atomic(Workbook(), target)
        assert target.read_bytes() == b"old"


class TestEncryption:
    def test_encrypted_attachment_opens_only_with_the_password(self, tmp_path: Path) -> None:
        import msoffcrypto.exceptions

        ledger = write_ledger(tmp_path / "l.xlsx")
        prepared = prepare_mail(ledger, to=("a@example.cn",), encrypt=True)
        password = prepared.attachment_password
        assert password and len(password) >= 12
        xlsx = prepared.attachments[0]
        assert is_encrypted(xlsx.data)
        with pytest.raises(msoffcrypto.exceptions.InvalidKeyError):
            decrypt_bytes(xlsx.data, "wrong-password")
        wb = _load(decrypt_bytes(xlsx.data, password))
        assert SHEETS.LEDGER in wb.sheetnames
        assert f"附件密码：{password}" in send_or_draft(prepared).message
        assert "附件已加密，密码另行告知" in prepared.body and password not in prepared.body

    def test_given_password_is_used(self) -> None:
        from openpyxl import Workbook

        data = encrypt_bytes(workbook_bytes(Workbook()), "整改2021")
        assert _load(decrypt_bytes(data, "整改2021")).sheetnames == ["Sheet"]


class TestDraft:
    def test_eml_parses_and_shows_the_chinese_names(self, tmp_path: Path) -> None:
        ledger = write_ledger(tmp_path / "台账.xlsx")
        before = sha256(ledger)
        outcome = send_or_draft(prepare_mail(ledger, to=("xcb@example.gov.cn",)))
        assert outcome.ok and not outcome.sent
        raw = outcome.draft.read_bytes()  # type: ignore[union-attr]
        msg = BytesParser(policy=policy.default).parsebytes(raw)
        assert msg["Subject"] == "县委政法委巡察整改进展情况（截至2021年10月31日）"
        assert msg["X-Unsent"] == "1"
        names = [p.get_filename() for p in msg.iter_attachments()]
        assert names[0] == "县委政法委整改台账（截至2021年10月31日）.xlsx"
        assert "县委政法委巡察整改进展情况公告.txt" in names
        # Outlook reads name= in Content-Type, the others filename* in Content-Disposition
        assert b"name=\"=?UTF-8?B?" in raw and b"filename*=utf-8''" in raw
        legacy = message_from_bytes(raw)  # compat32, as older clients parse it
        parts = [p for p in legacy.walk() if p.get_filename()]
        assert [p.get_filename() for p in parts] == names  # RFC 2231 filename*
        assert [str(make_header(decode_header(p.get_param("name")))) for p in parts] == names  # RFC 2047
        assert all(len(line) <= 998 for line in raw.split(b"\r\n"))
        body = msg.get_body(("plain",)).get_content()
        assert "各位领导" in body and "整改措施数：23" in body
        assert sha256(ledger) == before

    def test_long_names_become_several_encoded_words(self) -> None:
        name = "某某县委政法委员会关于巡察整改进展情况的台账附件（截至2021年10月31日）.xlsx"
        words = encoded_word(name).split(" ")
        assert len(words) > 1 and all(len(w) <= 75 for w in words)
        msg = build_message(subject="s", body="b", sender="a@x.cn", to=["b@x.cn"],
                            attachments=[Attachment(name, b"x", XLSX_TYPE)])
        raw = message_bytes(msg)
        part = next(iter(BytesParser(policy=policy.default).parsebytes(raw).iter_attachments()))
        assert part.get_filename() == name

    def test_draft_is_written_atomically_beside_the_target(self, tmp_path: Path) -> None:
        msg = build_message(subject="主题", body="正文", sender="", to=["b@x.cn"], draft=True)
        path = write_eml(msg, tmp_path / "草稿.eml")
        assert [p.name for p in tmp_path.iterdir()] == ["草稿.eml"]
        assert BytesParser(policy=policy.default).parsebytes(path.read_bytes())["Subject"] == "主题"

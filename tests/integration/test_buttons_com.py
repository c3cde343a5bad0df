"""The buttons' COM branches (desktop Excel through RunPython), on a fake COM book over openpyxl.

Here fills can be read and notes, charts and print setup are made directly: the cases the remote
engine cannot show, above all giving a user's own fill back after a highlight is cleared.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.styles import PatternFill

from rectify_xl.adapters.excel_live import NOTE_MARK
from rectify_xl.core.output_sheets import SUMMARY_CHART
from rectify_xl.core.schema import SHEETS
from rectify_xl.core.sheet_spec import STYLES
from rectify_xl.entrypoints import buttons
from rectify_xl.services.ledger import make_notice, validate_workbook
from rectify_xl.services.workbench import notice_file_names
from tests.buttons_helpers import FakeComBook
from tests.conftest import BASE_INFO, measure_row, sample_records_copy, sha256, write_xlsx_openpyxl

USER_FILL = "FF00B050"


def _rgb(cell: Any) -> str | None:
    return None if cell.fill.fill_type is None else cell.fill.fgColor.rgb


@pytest.fixture(autouse=True)
def _home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    # no PDF beside the notice here (seconds of LibreOffice per click; tests/integration/test_pdf_*)
    monkeypatch.setenv("RECTIFY_XL_SOFFICE", str(tmp_path / "no-soffice"))


@pytest.fixture
def broken(tmp_path: Path) -> tuple[Path, str]:
    """A ledger with a blank 责任领导 (an error) in a cell the user had filled green."""
    from rectify_xl.core.records import LedgerRecords

    records = LedgerRecords(info=dict(BASE_INFO),
                            measures=[measure_row(),
                                      measure_row(seq="2", measure="建立整改台账", leader="")])
    path = write_xlsx_openpyxl(tmp_path / "台账.xlsx", records)
    cell = next(f.cell for f in validate_workbook(path).findings if f.code == "RX201")
    wb = openpyxl.load_workbook(path)
    wb[SHEETS.LEDGER][cell].fill = PatternFill("solid", fgColor=USER_FILL)
    wb.save(path)
    return path, cell


def _open(path: Path) -> FakeComBook:
    return FakeComBook(openpyxl.load_workbook(path), str(path))


class TestValidateOnCom:
    def test_highlight_then_fix_gives_the_users_fill_back(self, broken: tuple[Path, str]) -> None:
        path, cell = broken
        book = _open(path)
        buttons.validate(book)
        ledger = book.wb[SHEETS.LEDGER]
        assert _rgb(ledger[cell]) == "FF" + STYLES[validate_workbook(path).findings[0]
                                                   .severity.value].fill.lstrip("#").upper()
        assert ledger[cell].comment.text.startswith(NOTE_MARK)
        ledger[cell].value = "常务副书记"  # the user fixes it in the open book
        buttons.validate(book)
        assert _rgb(ledger[cell]) == USER_FILL
        assert ledger[cell].comment is None
        assert book.alerts[-1]["prompt"].splitlines() == [
            "校验完成：未发现问题。", "已在“修改记录”表记录1处修改。"]  # the fix, recorded

    def test_a_highlight_the_user_recoloured_is_left_alone(self, broken: tuple[Path, str]) -> None:
        path, cell = broken
        book = _open(path)
        buttons.validate(book)
        ledger = book.wb[SHEETS.LEDGER]
        ledger[cell].fill = PatternFill("solid", fgColor="FF0070C0")
        ledger[cell].value = "常务副书记"
        buttons.validate(book)
        assert _rgb(ledger[cell]) == "FF0070C0"

    def test_the_users_own_note_is_kept(self, broken: tuple[Path, str]) -> None:
        from openpyxl.comments import Comment

        path, cell = broken
        book = _open(path)
        book.wb[SHEETS.LEDGER][cell].comment = Comment("领导待定", "用户")
        buttons.validate(book)
        buttons.validate(book)
        assert book.wb[SHEETS.LEDGER][cell].comment.text == "领导待定"
        assert book.wb.sheetnames.count(SHEETS.RESULTS) == 1


class TestSummaryAndNoticeOnCom:
    def test_summary_chart_is_replaced_not_stacked(self, tmp_path: Path) -> None:
        path = write_xlsx_openpyxl(tmp_path / "台账.xlsx", sample_records_copy())
        book = _open(path)
        buttons.summary(book)
        buttons.summary(book)
        (chart,) = book.live_charts()
        assert chart.name == SUMMARY_CHART and chart.chart_type == "column_stacked"
        assert book.wb[SHEETS.SUMMARY][chart.source.split(":")[0]].value == "方面"
        assert book.wb[SHEETS.HISTORY].max_row == 3
        assert "不能绘制图表" not in book.alerts[-1]["prompt"]

    def test_notice_is_printable_and_saved_beside_the_book(self, tmp_path: Path) -> None:
        path = write_xlsx_openpyxl(tmp_path / "台账.xlsx", sample_records_copy())
        before = sha256(path)
        book = _open(path)
        buttons.notice(book)
        ws = book.wb[SHEETS.NOTICE]
        assert ws.column_dimensions["A"].width == 90 and ws["A1"].alignment.wrap_text
        assert book.sheets[SHEETS.NOTICE].page_setup.print_area.startswith("A1:A")
        txt_name, docx_name = notice_file_names("台账")
        assert (tmp_path / txt_name).read_text("utf-8") == make_notice(path)
        assert (tmp_path / docx_name).is_file()
        assert txt_name in book.alerts[-1]["prompt"]
        assert sha256(path) == before  # the fake writes to memory; the file on disk is the input

    def test_a_docx_open_in_word_is_not_overwritten(self, tmp_path: Path) -> None:
        path = write_xlsx_openpyxl(tmp_path / "台账.xlsx", sample_records_copy())
        _, docx_name = notice_file_names("台账")
        (tmp_path / f"~${docx_name}").write_bytes(b"lock")
        book = _open(path)
        buttons.notice(book)
        assert not (tmp_path / docx_name).exists()
        assert "正在 Word/WPS 中打开" in book.alerts[-1]["prompt"]

    def test_a_text_file_open_in_libreoffice_is_not_overwritten(self, tmp_path: Path) -> None:
        """LibreOffice's .~lock.name# counts as a lock, like Excel/Word's ~$name."""
        path = write_xlsx_openpyxl(tmp_path / "台账.xlsx", sample_records_copy())
        txt_name, _ = notice_file_names("台账")
        (tmp_path / txt_name).write_text("旧公告", "utf-8")
        (tmp_path / f".~lock.{txt_name}#").write_bytes(b"lock")
        book = _open(path)
        buttons.notice(book)
        assert (tmp_path / txt_name).read_text("utf-8") == "旧公告"
        assert f"“{txt_name}”正被其他程序打开，未覆盖" in book.alerts[-1]["prompt"]

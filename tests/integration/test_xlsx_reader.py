"""Reading real .xlsx files written by openpyxl: merged cells, text dates, moved columns."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from rectify_xl.adapters.xlsx_reader import read_grids, read_ledger
from rectify_xl.core.schema import SHEETS, Status
from rectify_xl.errors import InputError
from tests.conftest import measure_row, sample_records_copy, sha256, write_xlsx_openpyxl


class TestReadingTheSample:
    def test_sample_written_by_openpyxl_reads_back_whole(self, tmp_path: Path) -> None:
        """23 measures, 10 problems, 4 aspects, 6 feedback problems, info and 文稿."""
        path = write_xlsx_openpyxl(tmp_path / "s.xlsx", sample_records_copy())
        ledger = read_ledger(path)
        assert (len(ledger.measures), len(ledger.problems), len(ledger.aspects)) == (23, 10, 4)
        assert len(ledger.feedback_problems) == 6
        assert ledger.info.start == date(2021, 3, 11)
        assert ledger.info.cells["unit"] == "B2"
        assert len(ledger.texts) == 11

    def test_merged_problem_cells_read_like_repeated_ones(self, tmp_path: Path) -> None:
        """Staff merge 方面/反馈问题/具体问题 over a problem's rows; reading fills them."""
        records = sample_records_copy()
        plain = read_ledger(write_xlsx_openpyxl(tmp_path / "a.xlsx", records))
        merged_path = write_xlsx_openpyxl(tmp_path / "b.xlsx", records, merge_problems=True)
        assert load_workbook(merged_path)[SHEETS.LEDGER].merged_cells.ranges  # really merged
        merged = read_ledger(merged_path)
        assert merged.measures == plain.measures

    def test_seq_merged_over_a_problem_belongs_to_its_first_row(self, tmp_path: Path) -> None:
        """序号 numbering problems, merged over their measure rows, is not a repeated 序号."""
        from rectify_xl.core.findings import Severity
        from rectify_xl.core.rules import check_ledger
        from rectify_xl.core.schema import COLUMNS

        wb = Workbook()
        ws = wb.active
        ws.title = SHEETS.LEDGER
        ws.append([c.header for c in COLUMNS])
        for seq, problem, measure in ((1, "问题一", "措施甲"), (None, "问题一", "措施乙"),
                                      (2, "问题二", "措施丙")):
            ws.append([measure_row(seq=seq, problem=problem, measure=measure).get(c.key)
                       for c in COLUMNS])
        for col in "AD":  # 序号 and 具体问题
            ws.merge_cells(f"{col}2:{col}3")
        wb.save(tmp_path / "m.xlsx")
        ledger = read_ledger(tmp_path / "m.xlsx")
        assert [(m.seq, m.problem) for m in ledger.measures] == [
            ("1", "问题一"), ("", "问题一"), ("2", "问题二")]
        findings = check_ledger(ledger, as_of=date(2021, 10, 31))
        assert [f.code for f in findings if f.severity is Severity.ERROR] == []

    def test_title_rows_above_the_header_are_skipped(self, tmp_path: Path) -> None:
        path = write_xlsx_openpyxl(tmp_path / "t.xlsx", sample_records_copy(), title_rows=2)
        ledger = read_ledger(path)
        assert ledger.layout.header_row == 3
        assert ledger.measures[0].row == 4
        assert ledger.cell("deadline", 4) == "H4"


class TestCellValues:
    @pytest.mark.parametrize("typed", ["2021年7月31日", "2021.7.31", "2021/7/31", "2021-07-31",
                                       " 2021-07-31 ", "20210731", 44408])
    def test_dates_typed_as_text_or_serials_are_read(self, make_ledger_xlsx, typed) -> None:
        path = make_ledger_xlsx(rows=[measure_row(deadline=typed)])
        assert read_ledger(path).measures[0].deadline == date(2021, 7, 31)

    @pytest.mark.parametrize("typed", ["长期坚持", " 长期坚持 ", "长期 坚持", "长期\u3000坚持"])
    def test_ongoing_deadline_token_is_not_a_date(self, make_ledger_xlsx, typed: str) -> None:
        """长期坚持 with stray spaces, half- or full-width, is still the ongoing token."""
        m = read_ledger(make_ledger_xlsx(rows=[measure_row(deadline=typed)])).measures[0]
        assert (m.deadline, m.deadline_ongoing, m.deadline_raw) == (None, True, "")

    def test_unreadable_date_keeps_its_text(self, make_ledger_xlsx) -> None:
        m = read_ledger(make_ledger_xlsx(rows=[measure_row(deadline="七月底")])).measures[0]
        assert (m.deadline, m.deadline_raw) == (None, "七月底")

    def test_stray_whitespace_is_trimmed(self, make_ledger_xlsx) -> None:
        m = read_ledger(make_ledger_xlsx(rows=[measure_row(status=" 已完成\n", leader="  张三 ")]))
        assert (m.measures[0].status, m.measures[0].leader) == (Status.DONE, "张三")


def _workbook(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = SHEETS.LEDGER
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


class TestColumnsByHeader:
    def test_inserted_and_reordered_columns_are_found_by_header(self, tmp_path: Path) -> None:
        path = _workbook(tmp_path / "x.xlsx",
                         ["整改措施", "我的备注列", "具体问题", "整改状态"],
                         [["措施A", "随便", "问题A", "已完成"]])
        ledger = read_ledger(path)
        m = ledger.measures[0]
        assert (m.text, m.problem, m.status) == ("措施A", "问题A", Status.DONE)
        assert ledger.layout.extra == ("我的备注列",)
        assert ledger.cell("status", 2) == "D2"

    def test_aliased_headers_are_mapped_and_reported(self, tmp_path: Path) -> None:
        path = _workbook(tmp_path / "x.xlsx", ["问题类别", "问题描述", "整改措施", "整改进度", "时限"],
                         [["方面A", "问题A", "措施A", "正在推进", "2021-09-30"]])
        ledger = read_ledger(path)
        assert ledger.layout.aliased == {"aspect": "问题类别", "problem": "问题描述",
                                         "status": "整改进度", "deadline": "时限"}
        assert ledger.measures[0].deadline == date(2021, 9, 30)

    def test_header_with_line_break_and_hint_is_recognised(self, tmp_path: Path) -> None:
        path = _workbook(tmp_path / "x.xlsx", ["具体\n问题", "整改措施*", "完成时限（日期）"],
                         [["问题A", "措施A", "2021-09-30"]])
        assert read_ledger(path).measures[0].deadline == date(2021, 9, 30)


class TestUnusableInput:
    def test_missing_file(self, tmp_path: Path) -> None:
        with pytest.raises(InputError, match="找不到文件"):
            read_grids(tmp_path / "nope.xlsx")

    def test_csv_renamed_to_xlsx(self, tmp_path: Path) -> None:
        path = tmp_path / "ledger.xlsx"
        path.write_text("序号,具体问题\n1,问题\n", encoding="utf-8")
        with pytest.raises(InputError, match="不是 Excel 工作簿"):
            read_grids(path)

    def test_damaged_xls(self, tmp_path: Path) -> None:
        """An OLE2 header and nothing else: refused as damaged (real .xls: test_xls.py)."""
        path = tmp_path / "ledger.xls"
        path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
        with pytest.raises(InputError, match=r"“ledger\.xls”已损坏"):
            read_grids(path)

    def test_zip_that_is_not_a_workbook(self, tmp_path: Path) -> None:
        path = tmp_path / "ledger.xlsx"
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("hello.txt", "hi")
        with pytest.raises(InputError, match=r"xl/workbook\.xml"):
            read_grids(path)

    def test_truncated_sheet_xml_names_the_sheet_in_chinese(self, make_ledger_xlsx) -> None:
        """A sheet part cut in half (a broken copy): the sheet is named and a fix suggested."""
        good = make_ledger_xlsx()
        broken = good.with_name("坏.xlsx")
        with zipfile.ZipFile(good) as src, zipfile.ZipFile(broken, "w") as out:
            for info in src.infolist():
                data = src.read(info)
                sheet = info.filename == "xl/worksheets/sheet1.xml"
                out.writestr(info, data[: len(data) // 2] if sheet else data)
        with pytest.raises(InputError) as caught:
            read_grids(broken)
        assert str(caught.value).startswith("“坏.xlsx”无法读取：")
        assert "已损坏" in str(caught.value) and "另存" in str(caught.value)

    def test_zip_bomb_is_refused(self, tmp_path: Path) -> None:
        path = tmp_path / "bomb.xlsx"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("xl/workbook.xml", "<workbook/>")
            z.writestr("xl/worksheets/sheet1.xml", b"\0" * 50_000_000)
        before = sha256(path)
        with pytest.raises(InputError, match="压缩炸弹"):
            read_grids(path)
        assert sha256(path) == before

    def test_workbook_without_ledger_sheet_names_its_sheets(self, tmp_path: Path) -> None:
        wb = Workbook()
        wb.active.title = "Sheet1"
        wb.active["A1"] = "hello"
        wb.save(tmp_path / "x.xlsx")
        with pytest.raises(InputError, match=r"找不到整改台账.*“整改清单”.*“Sheet1”.*具体问题.*整改措施"):
            read_ledger(tmp_path / "x.xlsx")

    def test_ledger_sheet_without_header_row(self, tmp_path: Path) -> None:
        path = _workbook(tmp_path / "x.xlsx", ["甲", "乙"], [["1", "2"]])
        with pytest.raises(InputError, match=r"找不到整改台账.*表头行"):
            read_ledger(path)

    def test_reading_never_changes_the_file(self, make_ledger_xlsx) -> None:
        path = make_ledger_xlsx()
        before = sha256(path)
        read_ledger(path)
        assert sha256(path) == before

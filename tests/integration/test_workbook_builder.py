"""The ledger workbook built by XlsxWriter, read back with independent readers (openpyxl, calamine)."""

from __future__ import annotations

import dataclasses
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from rectify_xl.adapters.workbook_builder import build_workbook, sheet_order
from rectify_xl.adapters.xlsx_reader import read_ledger
from rectify_xl.core.book_sheets import report_sheet
from rectify_xl.core.records import LedgerRecords
from rectify_xl.core.schema import (
    BUTTONS,
    COLUMNS,
    INFO_FIELDS,
    SETTINGS_FIELDS,
    SETTINGS_SECURITY,
    SHEETS,
    STATUS_CHOICES,
    TEXT_COLUMNS,
    TEXT_SECTIONS,
)
from rectify_xl.entrypoints.cli import cli
from rectify_xl.errors import LockedError, OutputError
from tests.conftest import ROOT, measure_row, sample_records_copy, sha256

BLANK_SHEETS = [SHEETS.LEDGER, SHEETS.INFO, SHEETS.TEXT, SHEETS.OPTIONS, SHEETS.SETTINGS, SHEETS.HELP]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One blank .xlsx and one sample .xlsx for the whole module (building takes ~0.1 s each)."""
    out = tmp_path_factory.mktemp("built")
    return {
        "blank": build_workbook(out / "blank.xlsx"),
        "sample": build_workbook(out / "sample.xlsx", sample_records_copy()),
    }


def _validations(ws: Any) -> dict[str, Any]:
    """data validations keyed by the first cell of their range."""
    return {str(dv.sqref).split(":")[0]: dv for dv in ws.data_validations.dataValidation}


def _letter(key: str) -> str:
    from rectify_xl.core.model import col_letter

    return col_letter([c.key for c in COLUMNS].index(key) + 1)


class TestLedgerSheet:
    def test_sheets_in_order_and_the_ledger_first(self, built: dict[str, Path]) -> None:
        assert load_workbook(built["blank"]).sheetnames == BLANK_SHEETS

    def test_header_row_3_equals_schema_columns(self, built: dict[str, Path]) -> None:
        """The guard that the template matches core/schema.py."""
        ws = load_workbook(built["blank"])[SHEETS.LEDGER]
        assert [c.value for c in ws[3]] == [c.header for c in COLUMNS]
        assert ws["A1"].value == "巡察整改台账"
        for c, col in enumerate(COLUMNS, start=1):
            comment = ws.cell(3, c).comment
            assert (comment.text if comment else "") == col.note

    def test_blank_table_has_200_empty_rows_and_sample_table_fits_data(
            self, built: dict[str, Path]) -> None:
        blank = load_workbook(built["blank"])[SHEETS.LEDGER]
        sample = load_workbook(built["sample"])[SHEETS.LEDGER]
        last = _letter(COLUMNS[-1].key)
        assert dict(blank.tables.items()) == {"tbl_ledger": f"A3:{last}203"}
        table = sample.tables["tbl_ledger"]
        assert table.ref == f"A3:{last}26"
        assert table.tableStyleInfo.showRowStripes and table.autoFilter is not None

    def test_dropdowns_for_status_aspect_deadline_and_done_date(self, built: dict[str, Path]) -> None:
        wb = load_workbook(built["blank"])
        dvs = _validations(wb[SHEETS.LEDGER])
        status = dvs[f"{_letter('status')}4"]
        assert (status.type, status.errorStyle) == ("list", None)  # None is the default "stop"
        assert status.formula1 == '"' + ",".join(STATUS_CHOICES) + '"'
        aspect = dvs[f"{_letter('aspect')}4"]
        assert (aspect.type, aspect.errorStyle, aspect.formula1) == ("list", "warning", "rx_aspects")
        assert wb.defined_names["rx_aspects"].attr_text.startswith(f"'{SHEETS.OPTIONS}'!$B$2:$B$")
        deadline = dvs[f"{_letter('deadline')}4"]
        assert deadline.type == "custom" and "长期坚持" in deadline.formula1
        assert "长期坚持" in deadline.prompt
        assert dvs[f"{_letter('done_date')}4"].type == "date"

    def test_frozen_below_header_and_printed_a4_landscape(self, built: dict[str, Path]) -> None:
        ws = load_workbook(built["blank"])[SHEETS.LEDGER]
        assert ws.freeze_panes == "A4"
        assert (ws.page_setup.orientation, ws.page_setup.paperSize) == ("landscape", 9)
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToHeight == 0
        assert ws.print_title_rows == "$1:$3"
        assert ws.oddFooter.center.text == "第 &P 页，共 &N 页"

    def test_widths_wrap_fonts_and_date_formats(self, built: dict[str, Path]) -> None:
        ws = load_workbook(built["sample"])[SHEETS.LEDGER]
        widths = {i: d.width for d in ws.column_dimensions.values() for i in range(d.min, d.max + 1)}
        # XlsxWriter stores width + 0.71 (the cell padding Excel adds for Calibri 11)
        assert [round(widths[c] - 0.71, 1) for c in range(1, len(COLUMNS) + 1)] == [
            c.width for c in COLUMNS]
        assert ws[f"{_letter('deadline')}4"].number_format == "yyyy-mm-dd"
        assert ws.row_dimensions[4].height > 30  # long texts get a fitting row height
        assert isinstance(ws[f"{_letter('done_date')}4"].value, datetime)
        assert ws[f"{_letter('progress')}4"].alignment.wrap_text
        assert ws["A3"].font.name == "黑体" and ws[f"{_letter('measure')}4"].font.name == "宋体"

    def test_overdue_and_behind_schedule_rows_are_highlighted(self, built: dict[str, Path]) -> None:
        ws = load_workbook(built["blank"])[SHEETS.LEDGER]
        rules = [r for cf in ws.conditional_formatting for r in cf.rules]
        formulas = [r.formula[0] for r in rules]
        assert any("rx_as_of" in f and "TODAY()" in f and "已完成" in f and "长期坚持" in f
                   and "已销号" in f for f in formulas)
        # 序时进度 (its colours are checked in LibreOffice by test_schedule_libreoffice)
        assert any("rx_feedback_date" in f and "rx_schedule_margin" in f for f in formulas)
        wb = load_workbook(built["blank"])
        assert wb.defined_names["rx_as_of"].attr_text == f"'{SHEETS.INFO}'!$B$" + str(
            1 + 1 + [f.key for f in INFO_FIELDS].index("as_of"))

    def test_illustrative_fields_are_marked_in_the_sample_only(self, built: dict[str, Path]) -> None:
        sample = load_workbook(built["sample"])
        note = sample[SHEETS.LEDGER]["A2"].value
        assert "示意数据" in note and "“责任领导”" in note and "“完成时限”" in note
        help_text = "\n".join(str(c.value) for c in sample[SHEETS.HELP]["A"] if c.value)
        assert "示意数据" in help_text
        blank = load_workbook(built["blank"])
        assert "示意" not in blank[SHEETS.LEDGER]["A2"].value


class TestOtherSheets:
    def test_info_sheet_has_every_field_with_required_mark(self, built: dict[str, Path]) -> None:
        ws = load_workbook(built["sample"])[SHEETS.INFO]
        rows = list(ws.iter_rows(min_row=2, max_col=4, values_only=True))[:len(INFO_FIELDS)]
        assert [r[0] for r in rows] == [f.label for f in INFO_FIELDS]
        assert [r[2] for r in rows] == ["必填" if f.required else "选填" for f in INFO_FIELDS]
        start_row = 2 + [f.key for f in INFO_FIELDS].index("start")
        assert ws.cell(start_row, 2).value == datetime(2021, 3, 11)
        assert ws.cell(start_row, 2).number_format == 'yyyy"年"m"月"d"日"'

    def test_text_sheet_header_and_section_dropdown(self, built: dict[str, Path]) -> None:
        ws = load_workbook(built["blank"])[SHEETS.TEXT]
        assert [ws.cell(1, c).value for c in range(1, 4)] == [label for _, label in TEXT_COLUMNS]
        dv = _validations(ws)["A2"]
        assert dv.formula1 == '"' + ",".join(TEXT_SECTIONS) + '"'
        assert "开头" in ws["A1"].comment.text

    def test_options_lists_statuses_and_the_sample_aspects(self, built: dict[str, Path]) -> None:
        ws = load_workbook(built["sample"])[SHEETS.OPTIONS]
        assert [ws.cell(r, 1).value for r in range(2, 2 + len(STATUS_CHOICES))] == list(STATUS_CHOICES)
        aspects = [v for (v,) in ws.iter_rows(min_row=2, min_col=2, max_col=2, values_only=True) if v]
        assert len(aspects) == 4
        blank = load_workbook(built["blank"])[SHEETS.OPTIONS]
        assert blank["B1"].value == "方面" and blank["B2"].value is None

    def test_settings_rows_with_security_dropdown_and_no_password(self, built: dict[str, Path]) -> None:
        from rectify_xl.adapters.settings import is_sensitive_label

        ws = load_workbook(built["blank"])[SHEETS.SETTINGS]
        labels = [ws.cell(r, 1).value for r in range(2, 2 + len(SETTINGS_FIELDS))]
        assert labels == [f.label for f in SETTINGS_FIELDS]
        assert not any(is_sensitive_label(c.value) for c in ws["A"] if c.value)
        security_row = 2 + [f.key for f in SETTINGS_FIELDS].index("security")
        assert _validations(ws)[f"B{security_row}"].formula1 == '"' + ",".join(SETTINGS_SECURITY) + '"'

    def test_help_explains_buttons_and_their_commands(self, built: dict[str, Path]) -> None:
        ws = load_workbook(built["blank"])[SHEETS.HELP]
        text = "\n".join(str(c.value) for c in ws["A"] if c.value)
        for button in BUTTONS:
            assert f"【{button.caption}】" in text
        for command in ("rectify-xl validate", "rectify-xl summary", "rectify-xl notice", "WPS"):
            assert command in text

    def test_properties_are_fixed_for_reproducible_builds(self, built: dict[str, Path]) -> None:
        props = load_workbook(built["sample"]).properties
        assert props.creator == "rectify-xl" and props.title == "县委政法委巡察整改台账"
        assert props.created == datetime(2021, 1, 1)


class TestSampleRoundTrip:
    def test_sample_reads_back_as_the_toml(self, built: dict[str, Path]) -> None:
        from rectify_xl.adapters.sample_data import sample_ledger

        got, want = read_ledger(built["sample"]), sample_ledger()
        assert (len(got.measures), len(got.problems), len(got.aspects)) == (23, 10, 4)
        assert len(got.feedback_problems) == 6
        assert got.layout.header_row == 3

        def rowless(items: Any) -> list[Any]:
            return [dataclasses.replace(x, row=0) for x in items]

        assert rowless(got.measures) == rowless(want.measures)
        assert rowless(got.texts) == rowless(want.texts)
        for field in INFO_FIELDS:
            assert getattr(got.info, field.key) == getattr(want.info, field.key), field.key
        assert got.aspect_options == tuple(a.name for a in want.aspects)

    def test_blank_template_reads_as_an_empty_ledger(self, built: dict[str, Path]) -> None:
        ledger = read_ledger(built["blank"])
        assert ledger.measures == () and ledger.layout.missing == ()


class TestUntrustedText:
    def test_text_starting_with_formula_characters_stays_text(self, tmp_path: Path) -> None:
        evil = ['=HYPERLINK("http://x","点我")', "+1+1", "-2", "@SUM(A1)"]
        rows = [measure_row(seq=str(i + 1), measure=text, progress=text) for i, text in enumerate(evil)]
        records = LedgerRecords(info={"unit": "=cmd|' /C calc'!A0"}, measures=rows,
                                texts=[{"section": "一", "lead": "=1+1", "body": "=2+2"}])
        path = build_workbook(tmp_path / "evil.xlsx", records,
                              extra_sheets=(report_sheet(SHEETS.IMPORT_REPORT, [["说明"], ["=3+3"]]),))
        wb = load_workbook(path)
        ws = wb[SHEETS.LEDGER]
        col = [c.key for c in COLUMNS].index("measure") + 1
        assert [(ws.cell(r, col).value, ws.cell(r, col).data_type) for r in range(4, 8)] == [
            (t, "s") for t in evil]
        assert wb[SHEETS.INFO]["B2"].data_type == "s"
        assert wb[SHEETS.TEXT]["B2"].data_type == "s"
        assert wb[SHEETS.IMPORT_REPORT]["A2"].value == "=3+3"
        assert wb[SHEETS.IMPORT_REPORT]["A2"].data_type == "s"
        with zipfile.ZipFile(path) as z:
            sheets_xml = [z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        assert not any(b"<f>" in x for x in sheets_xml)


class TestExtraSheets:
    def test_extra_sheet_follows_help_with_its_rows(self, tmp_path: Path) -> None:
        rows = [["级别", "说明"], ["提示", "已导入23条措施"], ["警告", date(2021, 7, 7)]]
        path = build_workbook(tmp_path / "imp.xlsx", sample_records_copy(),
                              extra_sheets=(report_sheet(SHEETS.IMPORT_REPORT, rows),))
        wb = load_workbook(path)
        assert wb.sheetnames == [*BLANK_SHEETS, SHEETS.IMPORT_REPORT]
        got = [list(r) for r in wb[SHEETS.IMPORT_REPORT].iter_rows(values_only=True)]
        assert got[:2] == rows[:2] and got[2] == ["警告", datetime(2021, 7, 7)]
        assert sheet_order(macro_enabled=True, extra=["X"])[-2:] == ["X", SHEETS.XLWINGS_CONF]


    @pytest.mark.parametrize("name", [SHEETS.LEDGER, SHEETS.XLWINGS_CONF, "a/b", "x" * 32, ""])
    def test_extra_sheet_names_that_clash_or_excel_refuses_are_refused(self, tmp_path: Path,
                                                                         name: str) -> None:
        with pytest.raises(OutputError, match="工作表"):
            build_workbook(tmp_path / "x.xlsx", extra_sheets=(report_sheet(name, [["a"]]),))
        assert list(tmp_path.iterdir()) == []


class TestWritingSafely:
    def test_existing_file_is_not_overwritten_without_overwrite(self, tmp_path: Path) -> None:
        path = build_workbook(tmp_path / "a.xlsx")
        before = sha256(path)
        with pytest.raises(OutputError, match="--force"):
            build_workbook(path, sample_records_copy())
        assert sha256(path) == before
        build_workbook(path, sample_records_copy(), overwrite=True)
        assert len(read_ledger(path).measures) == 23

    @pytest.mark.parametrize("lock", ["~$a.xlsx", ".~lock.a.xlsx#"])
    def test_a_workbook_open_in_excel_or_wps_is_not_overwritten(self, tmp_path: Path, lock: str) -> None:
        path = build_workbook(tmp_path / "a.xlsx")
        before = sha256(path)
        (tmp_path / lock).write_bytes(b"")
        with pytest.raises(LockedError):
            build_workbook(path, overwrite=True)
        assert sha256(path) == before

    def test_no_temporary_file_is_left_behind(self, tmp_path: Path) -> None:
        build_workbook(tmp_path / "a.xlsx")
        with pytest.raises(OutputError):
            build_workbook(tmp_path / "a.xlsx")
        assert [p.name for p in tmp_path.iterdir()] == ["a.xlsx"]

    @pytest.mark.parametrize("name", ["a.xls", "a.csv", "missing/a.xlsx"])
    def test_bad_targets_are_refused_with_a_chinese_message(self, tmp_path: Path, name: str) -> None:
        with pytest.raises(OutputError) as info:
            build_workbook(tmp_path / name)
        assert "Traceback" not in str(info.value) and not (tmp_path / name).exists()


def _cells(path: Path) -> Iterator[tuple[str, str, Any]]:
    wb = load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None:
                    yield ws.title, cell.coordinate, cell.value


class TestCommittedWorkbooks:
    @pytest.mark.filterwarnings("ignore::DeprecationWarning")  # oletools' pyparsing usage
    def test_committed_workbooks_equal_a_fresh_build(self, tmp_path: Path) -> None:
        """A schema or macro change without `make workbook` fails here."""
        import importlib.util

        spec = importlib.util.spec_from_file_location("build_workbooks", ROOT / "scripts/build_workbooks.py")
        assert spec and spec.loader
        script = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(script)
        fresh = script.build_all(tmp_path)
        committed = script.targets(ROOT / "workbook")
        for new, (_, old) in zip(fresh, committed.items(), strict=True):
            assert old.exists(), f"{old} is missing: run `make workbook`"
            assert load_workbook(old).sheetnames == load_workbook(new).sheetnames
            assert list(_cells(old)) == list(_cells(new)), f"{old.name} is stale: run `make workbook`"
            if new.suffix == ".xlsm":
                from oletools.olevba import VBA_Parser

                def modules(p: Path) -> list[tuple[str, str]]:
                    parser = VBA_Parser(str(p))
                    try:
                        return sorted((name, code) for _, _, name, code in parser.extract_macros())
                    finally:
                        parser.close()

                assert modules(old) == modules(new), f"{old.name} macros are stale: run `make workbook`"


class TestNewCommand:
    def test_new_writes_a_blank_ledger_and_says_where(self, tmp_path: Path) -> None:
        path = tmp_path / "台账.xlsx"
        result = CliRunner().invoke(cli, ["new", str(path)])
        assert result.exit_code == 0, result.output
        assert str(path) in result.output and "空白台账" in result.output
        assert load_workbook(path).sheetnames == BLANK_SHEETS

    def test_new_sample_then_refuses_to_overwrite_without_force(self, tmp_path: Path) -> None:
        path = tmp_path / "s.xlsx"
        runner = CliRunner()
        assert runner.invoke(cli, ["new", str(path), "--sample"]).exit_code == 0
        before = sha256(path)
        again = runner.invoke(cli, ["new", str(path)])
        assert again.exit_code == 2 and "--force" in again.output and "Traceback" not in again.output
        assert sha256(path) == before
        assert runner.invoke(cli, ["new", str(path), "--force"]).exit_code == 0
        assert read_ledger(path).measures == ()

    def test_disk_full_while_closing_is_said_in_chinese(self, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
        """XlsxWriter writes the package in close() and wraps the OSError in its own type."""
        import errno

        import xlsxwriter.workbook

        def disk_full(self: object) -> None:
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(xlsxwriter.workbook.Workbook, "_store_workbook", disk_full)
        with pytest.raises(OutputError) as info:
            build_workbook(tmp_path / "a.xlsx")
        assert info.value.message == "工作簿写入失败：磁盘空间不足"
        assert list(tmp_path.iterdir()) == []

"""The button functions run through xlwings' remote engine, their actions replayed onto the file.

Each test builds the payload the VBA client would send from a real workbook written by code,
calls the button with ``xw.Book(json=payload)``, replays ``book.json()["actions"]`` with openpyxl
(refusing what the VBA client cannot do) and compares the sheets with what the services report
for the same file.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from rectify_xl.adapters.excel_live import NOTE_MARK
from rectify_xl.core.findings import Severity
from rectify_xl.core.output_sheets import RESULT_HEADER_ROW, SUMMARY_CHART
from rectify_xl.core.schema import BUTTONS, HISTORY_COLUMNS, RESULT_COLUMNS, RESULT_MARKS_HEADER, SHEETS
from rectify_xl.core.sheet_spec import STYLES
from rectify_xl.entrypoints import buttons
from rectify_xl.services.buttons import Actions, run_button
from rectify_xl.services.ledger import make_notice, summarize_workbook, validate_workbook
from tests.conftest import BASE_INFO, measure_row, sample_records_copy, write_xlsx_openpyxl
from tests.xlwings_helpers import Replay, helper_subs, payload_from_file, remote_book, replay

ROOT = Path(__file__).resolve().parents[2]
USER_FILL = "FF00B050"


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _broken_records() -> Any:
    from rectify_xl.core.records import LedgerRecords

    rows = [
        measure_row(),
        measure_row(seq="2", measure="=1+1", leader="", deadline="明年", status="正在推进",
                    done_date=None, progress=""),
        measure_row(seq="3", measure="建立整改台账", deadline=date(2021, 9, 30),
                    status="正在推进", done_date=None, progress=""),
    ]
    return LedgerRecords(info=dict(BASE_INFO), measures=rows)


@pytest.fixture
def sample_xlsx(tmp_path: Path) -> Path:
    return write_xlsx_openpyxl(tmp_path / "台账.xlsx", sample_records_copy())


@pytest.fixture
def broken_xlsx(tmp_path: Path) -> Path:
    path = write_xlsx_openpyxl(tmp_path / "问题台账.xlsx", _broken_records())
    wb = openpyxl.load_workbook(path)
    from openpyxl.styles import PatternFill

    wb[SHEETS.LEDGER]["A1"].fill = PatternFill("solid", fgColor=USER_FILL)  # the user's own
    wb.save(path)
    return path


@pytest.fixture(autouse=True)
def _home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    # no PDF beside the notice here (seconds of LibreOffice per click; tests/integration/test_pdf_*)
    monkeypatch.setenv("RECTIFY_XL_SOFFICE", str(tmp_path / "no-soffice"))
    return home


def click(fn: Any, path: Path, wb: Any = None) -> Replay:
    """One button click on the file's current content; returns the replay onto ``wb``."""
    payload = payload_from_file(path)
    book = remote_book(payload)
    fn(book)
    wb = wb if wb is not None else openpyxl.load_workbook(path)
    return replay(wb, book.json()["actions"])


def click_with(function: str, path: Path, actions: Actions) -> Replay:
    """A click whose use cases are the given fakes (the seam of services.buttons)."""
    book = remote_book(payload_from_file(path))
    run_button(function, book, actions)
    return replay(openpyxl.load_workbook(path), book.json()["actions"])


def _save(rep: Replay, path: Path) -> Path:
    rep.wb.save(path)
    return path


def _fill(cell: Any) -> str | None:
    if cell.fill is None or cell.fill.fill_type is None:
        return None
    return cell.fill.fgColor.rgb


def _results(ws: Any) -> list[tuple[str, str, str, str]]:
    rows = ws.iter_rows(min_row=RESULT_HEADER_ROW + 1, max_col=4, values_only=True)
    return [tuple(r) for r in rows if r[1]]


class TestValidateButton:
    def test_results_sheet_lists_the_same_findings_as_the_service(self, broken_xlsx: Path) -> None:
        """校验结果 holds every finding the CLI reports, each location a link to its cell."""
        before = _sha(broken_xlsx)
        report = validate_workbook(broken_xlsx)
        assert report.findings, "the broken ledger must give findings"
        rep = click(buttons.validate, broken_xlsx)
        ws = rep.wb[SHEETS.RESULTS]
        header = [c.value for c in ws[RESULT_HEADER_ROW]][: len(RESULT_COLUMNS)]
        assert header == list(RESULT_COLUMNS)
        listed = report.by_severity()  # errors first
        expected = [(f.severity.label, f.code, f.location, f.message) for f in listed]
        assert _results(ws) == expected
        for r, f in enumerate(listed, start=RESULT_HEADER_ROW + 1):
            assert ws.cell(r, 3).hyperlink.location == f"'{f.sheet}'!{f.cell or 'A1'}"
        assert _sha(broken_xlsx) == before

    def test_offending_cells_are_coloured_by_worst_severity_with_a_note(self, broken_xlsx: Path
                                                                        ) -> None:
        report = validate_workbook(broken_xlsx)
        rep = click(buttons.validate, broken_xlsx)
        by_cell: dict[tuple[str, str], list[Any]] = {}
        for f in report.findings:
            if f.cell:
                by_cell.setdefault((f.sheet, f.cell), []).append(f)
        assert by_cell
        order = [Severity.ERROR, Severity.WARNING, Severity.INFO]
        for (sheet, cell), found in by_cell.items():
            worst = min((f.severity for f in found), key=order.index)
            target = rep.wb[sheet][cell]
            assert _fill(target) == "FF" + STYLES[worst.value].fill.lstrip("#").upper()
            assert target.comment.text.startswith(NOTE_MARK)
            assert all(f.code in target.comment.text for f in found)

    def test_alert_gives_the_counts_in_chinese(self, broken_xlsx: Path) -> None:
        report = validate_workbook(broken_xlsx)
        rep = click(buttons.validate, broken_xlsx)
        (alert,) = rep.alerts
        assert alert["title"] == "校验" and alert["mode"] == "info"
        for s in Severity:
            if report.count(s):
                assert f"{s.label}{report.count(s)}个" in alert["prompt"]

    def test_second_run_replaces_highlights_and_keeps_the_users_fill(self, broken_xlsx: Path,
                                                                     tmp_path: Path) -> None:
        """Fixing a cell and validating again removes its colour and note; nothing piles up."""
        from openpyxl.styles import Font

        fixed, kept = "F3", "H4"  # 责任领导 left blank (RX201); an overdue deadline (RX309)
        assert {("RX201", fixed), ("RX309", kept)} <= set(
            validate_workbook(broken_xlsx).flatten("code", "cell"))
        wb = openpyxl.load_workbook(broken_xlsx)
        wb[SHEETS.LEDGER][kept].font = Font(bold=True, color="FF0000FF")  # the user's formatting
        wb.save(broken_xlsx)
        first = _save(click(buttons.validate, broken_xlsx), tmp_path / "after1.xlsx")
        wb = openpyxl.load_workbook(first)
        assert wb[SHEETS.LEDGER][fixed].comment is not None and _fill(wb[SHEETS.LEDGER][fixed])
        wb[SHEETS.LEDGER][fixed].value = "常务副书记"
        wb.save(first)
        report2 = validate_workbook(first)
        assert (SHEETS.LEDGER, fixed) not in {(f.sheet, f.cell) for f in report2.findings}
        wb2 = click(buttons.validate, first).wb
        third = click(buttons.validate, _save(click(buttons.validate, first), tmp_path / "r2.xlsx")
                      ).wb
        for book in (wb2, third):
            ledger = book[SHEETS.LEDGER]
            assert book.sheetnames.count(SHEETS.RESULTS) == 1
            still = {(f.sheet, f.cell) for f in report2.findings if f.cell}
            coloured = {(SHEETS.LEDGER, c.coordinate) for row in ledger.iter_rows()
                        for c in row if _fill(c) and c.coordinate != "A1"}
            assert coloured == still
            assert ledger[fixed].comment is None and _fill(ledger[fixed]) is None
            assert ledger[kept].comment.text.count(NOTE_MARK) == 1
            assert ledger[kept].font.b and ledger[kept].font.color.rgb == "FF0000FF"
            assert _fill(ledger["A1"]) == USER_FILL
            assert len(_results(book[SHEETS.RESULTS])) == len(report2.findings)

    def test_user_note_is_never_replaced_or_deleted(self, broken_xlsx: Path, tmp_path: Path
                                                    ) -> None:
        from openpyxl.comments import Comment

        cells = [f.cell for f in validate_workbook(broken_xlsx).findings
                 if f.cell and f.sheet == SHEETS.LEDGER]
        wb = openpyxl.load_workbook(broken_xlsx)
        wb[SHEETS.LEDGER][cells[0]].comment = Comment("我的批注", "用户")
        path = tmp_path / "with-note.xlsx"
        wb.save(path)
        rep = click(buttons.validate, path)
        first = _save(rep, tmp_path / "r1.xlsx")
        rep2 = click(buttons.validate, first)
        assert rep2.wb[SHEETS.LEDGER][cells[0]].comment.text == "我的批注"

    def test_marks_column_remembers_exactly_the_coloured_cells(self, broken_xlsx: Path) -> None:
        rep = click(buttons.validate, broken_xlsx)
        ws = rep.wb[SHEETS.RESULTS]
        col = next(c.column for c in ws[RESULT_HEADER_ROW] if c.value == RESULT_MARKS_HEADER)
        refs = {ws.cell(r, col).value for r in range(RESULT_HEADER_ROW + 1, ws.max_row + 1)} - {None}
        findings = validate_workbook(broken_xlsx).findings
        assert refs == {f"{f.sheet}!{f.cell}" for f in findings if f.cell}

    def test_clean_ledger_says_no_problems(self, tmp_path: Path) -> None:
        from rectify_xl.core.records import LedgerRecords

        path = write_xlsx_openpyxl(tmp_path / "好.xlsx",
                                   LedgerRecords(info=dict(BASE_INFO), measures=[measure_row()]))
        assert validate_workbook(path).findings == ()
        rep = click(buttons.validate, path)
        assert rep.alerts[0]["prompt"].splitlines()[0] == "校验完成：未发现问题。"
        ws = rep.wb[SHEETS.RESULTS]
        assert _results(ws) == []
        assert ws.cell(RESULT_HEADER_ROW + 1, 4).value == "未发现问题"


class TestSummaryButton:
    def test_summary_sheet_agrees_with_the_service(self, broken_xlsx: Path) -> None:
        expected = summarize_workbook(broken_xlsx)
        rep = click(buttons.summary, broken_xlsx)
        ws = rep.wb[SHEETS.SUMMARY]
        values = {row[0]: row[1] for row in ws.iter_rows(
            min_row=6, max_row=5 + len(expected.headline()), max_col=2, values_only=True)}
        for label, value in expected.headline():
            assert str(values[label]) == value
        texts = [r[0] for r in ws.iter_rows(max_col=1, values_only=True)]
        assert f"逾期措施（{len(expected.overdue)}项）" in texts
        for item in expected.overdue:
            row = next(c.row for c in ws["A"] if str(c.value) == str(item.row) and c.hyperlink)
            assert ws.cell(row, 5).value == item.measure
            assert ws.cell(row, 9).value == item.days
            assert ws.cell(row, 1).hyperlink.location == f"'{SHEETS.LEDGER}'!A{item.row}"

    def test_chart_is_drawn_over_the_aspect_block(self, sample_xlsx: Path) -> None:
        expected = summarize_workbook(sample_xlsx)
        rep = click(buttons.summary, sample_xlsx)
        (chart,) = rep.charts
        assert chart["name"] == SUMMARY_CHART and chart["sheet"] == SHEETS.SUMMARY
        ws = rep.wb[SHEETS.SUMMARY]
        block = ws[chart["source"]]
        assert [c.value for c in block[0]] == ["方面", "已完成", "长期坚持", "正在推进"]
        assert [row[0].value for row in block[1:]] == [g.name for g in expected.by_aspect]
        assert [row[1].value for row in block[1:]] == [g.done for g in expected.by_aspect]

    def test_history_gets_one_row_per_run_and_the_summary_is_not_duplicated(
            self, sample_xlsx: Path, tmp_path: Path) -> None:
        first = _save(click(buttons.summary, sample_xlsx), tmp_path / "s1.xlsx")
        rep = click(buttons.summary, first)
        wb = rep.wb
        assert wb.sheetnames.count(SHEETS.SUMMARY) == 1
        hist = wb[SHEETS.HISTORY]
        assert [c.value for c in hist[1]] == [h for _, h in HISTORY_COLUMNS]
        assert hist.max_row == 3
        expected = summarize_workbook(sample_xlsx)
        for r in (2, 3):
            row = dict(zip([h for _, h in HISTORY_COLUMNS], [c.value for c in hist[r]],
                           strict=True))
            assert row["统计截止日期"].date() == expected.as_of
            assert row["整改措施数"] == expected.measure_count
            assert row["已完成"] == expected.measures_done
        assert len(rep.charts) == 1

    def test_history_row_follows_the_users_column_order(self, sample_xlsx: Path,
                                                        tmp_path: Path) -> None:
        headers = [h for _, h in HISTORY_COLUMNS][::-1]
        wb = openpyxl.load_workbook(sample_xlsx)
        wb.create_sheet(SHEETS.HISTORY).append(headers)
        path = tmp_path / "moved.xlsx"
        wb.save(path)
        hist = click(buttons.summary, path).wb[SHEETS.HISTORY]
        row = dict(zip(headers, [c.value for c in hist[2]], strict=True))
        expected = summarize_workbook(path)
        assert row["整改措施数"] == expected.measure_count
        assert row["统计截止日期"].date() == expected.as_of
        assert hist.max_row == 2

    def test_formula_like_ledger_text_stays_text(self, broken_xlsx: Path) -> None:
        """“=1+1” typed as a measure is shown as text in 进度汇总, never evaluated."""
        rep = click(buttons.summary, broken_xlsx)
        ws = rep.wb[SHEETS.SUMMARY]
        cells = [c for row in ws.iter_rows() for c in row if c.value == "=1+1"]
        assert all(c.data_type == "s" for c in cells)
        assert not [c for row in ws.iter_rows() for c in row if c.data_type == "f"]


class TestNoticeButton:
    def test_notice_sheet_has_one_paragraph_per_row(self, sample_xlsx: Path) -> None:
        text = make_notice(sample_xlsx)
        rep = click(buttons.notice, sample_xlsx)
        ws = rep.wb[SHEETS.NOTICE]
        lines = text.rstrip("\n").split("\n")
        assert [ws.cell(r, 1).value or "" for r in range(1, len(lines) + 1)] == lines
        assert ["RxFormatText", SHEETS.NOTICE, f"A1:A{len(lines)}", 90] in rep.macros
        assert ws["A2"].alignment.wrap_text
        (alert,) = rep.alerts
        assert "未另存文本文件" in alert["prompt"]  # the remote engine has no folder

    def test_notice_text_file_is_saved_beside_a_saved_workbook(
            self, sample_xlsx: Path, tmp_path: Path) -> None:
        from rectify_xl.services.workbench import notice_file_names

        # the seam: the book's saved file (here in tmp_path), as the desktop engine knows it
        rep = click_with("notice", sample_xlsx, Actions(saved=lambda live: tmp_path / "台账.xlsx"))
        txt = tmp_path / notice_file_names("台账")[0]
        assert txt.read_text("utf-8") == make_notice(sample_xlsx)
        assert str(txt) in rep.alerts[0]["prompt"]
        docx = tmp_path / notice_file_names("台账")[1]
        assert docx.is_file() and str(docx) in rep.alerts[0]["prompt"]


class TestFailures:
    def test_missing_ledger_sheet_gives_one_chinese_alert(self, tmp_path: Path) -> None:
        path = tmp_path / "空.xlsx"
        wb = openpyxl.Workbook()
        wb.active.title = "Sheet1"
        wb.active["A1"] = "随便写的"
        wb.save(path)
        for spec in BUTTONS:
            if spec.function == "send":
                continue
            rep = click(getattr(buttons, spec.function), path)
            assert rep.funcs == ["alert"]
            (alert,) = rep.alerts
            assert alert["mode"] == "critical"
            assert SHEETS.LEDGER in alert["prompt"] and "Traceback" not in alert["prompt"]

    def test_unexpected_error_is_logged_with_secrets_masked(
            self, sample_xlsx: Path, monkeypatch: pytest.MonkeyPatch, _home: Path) -> None:
        def boom(*args: Any, **kwargs: Any) -> None:
            raise ValueError("password=hunter2 smtp down")

        rep = click_with("validate", sample_xlsx, Actions(validate=boom))
        (alert,) = rep.alerts
        assert "意外错误" in alert["prompt"] and "hunter2" not in alert["prompt"]
        log = (_home / ".rectify-xl" / "logs" / "buttons.log").read_text("utf-8")
        assert "ValueError" in log and "hunter2" not in log
        assert rep.funcs == ["alert"]  # queued writes were dropped

    def test_send_on_the_remote_engine_explains_it_needs_a_saved_file(self, sample_xlsx: Path
                                                                       ) -> None:
        """The remote engine has no file path: nothing is mailed, the user is told why."""
        rep = click(buttons.send, sample_xlsx)
        (alert,) = rep.alerts
        assert alert["title"] == "发送上级"
        assert "读不到您电脑上的台账文件，无法发送" in alert["prompt"]

    def test_send_mails_through_the_mail_service_with_the_saved_path(
            self, sample_xlsx: Path) -> None:
        calls: list[Path] = []

        class Outcome:
            ok, message = True, "邮件已发送至：a@example.com（附件1个）"

        def fake_send(path: Path, today: date) -> Outcome:
            calls.append(path)
            return Outcome()

        rep = click_with("send", sample_xlsx,
                         Actions(send=fake_send, saved=lambda live: sample_xlsx))  # type: ignore[arg-type]
        assert calls == [sample_xlsx]
        assert rep.alerts[0]["prompt"] == Outcome.message and rep.alerts[0]["mode"] == "info"


# --- the buttons against the CLI ----------------------------------------------------------------
def _progress_records() -> Any:
    """The sample ledger with one measure overdue and one due soon on its 统计截止日期 (2021-10-31)."""
    records = sample_records_copy()
    records.measures[0].update(status="正在推进", done_date=None, deadline="2021-09-30")
    records.measures[3].update(status="正在推进", done_date=None, deadline="2021-11-05")
    return records


@pytest.fixture(params=["sample", "progress"])
def ledger_xlsm(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """The ledger staff click in: a .xlsm built by the project's builder, in a Chinese folder."""
    from rectify_xl.adapters.workbook_builder import build_workbook

    folder = tmp_path / "各单位" / "县委政法委"
    folder.mkdir(parents=True)
    records = sample_records_copy() if request.param == "sample" else _progress_records()
    return build_workbook(folder / "整改台账（2021年10月）.xlsm", records)


def _cli(*args: str) -> Any:
    from click.testing import CliRunner

    from rectify_xl.entrypoints.cli import cli

    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def _rows_after(ws: Any, title: str) -> list[tuple[Any, ...]]:
    """The rows of a 进度汇总 block below its title and header, up to the next blank row."""
    rows = list(ws.iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if r[0] == title) + 2
    out = []
    for row in rows[start:]:
        if row[0] in (None, ""):
            break
        out.append(row)
    return out


class TestButtonsAgreeWithTheCli:
    """Each button clicked on a built .xlsm shows what `rectify-xl` reports for the same file."""

    def test_results_sheet_rows_are_the_findings_of_validate_json(self, ledger_xlsm: Path) -> None:
        before = _sha(ledger_xlsm)
        result = _cli("validate", str(ledger_xlsm), "--json")
        order = {"error": 0, "warning": 1, "info": 2}  # 校验结果 lists errors first
        findings = sorted(json.loads(result.output)["findings"], key=lambda f: order[f["severity"]])
        assert findings, "the sample ledger has typing slips the validator reports"
        rep = click(buttons.validate, ledger_xlsm, openpyxl.load_workbook(ledger_xlsm, keep_vba=True))
        ws = rep.wb[SHEETS.RESULTS]
        labels = {s.name.lower(): s.label for s in Severity}
        assert _results(ws) == [(labels[f["severity"]], f["code"], f["location"], f["message"])
                                for f in findings]
        for r, f in enumerate(findings, start=RESULT_HEADER_ROW + 1):
            assert ws.cell(r, 3).hyperlink.location == f"'{f['sheet']}'!{f['cell'] or 'A1'}"
        for f in findings:
            if f["cell"]:
                assert rep.wb[f["sheet"]][f["cell"]].comment.text.startswith(NOTE_MARK)
        counts = json.loads(result.output)["stats"]
        assert ws["A1"].value.endswith("，".join(f"{s.label}{counts[s.name.lower()]}个"
                                                 for s in Severity))
        assert _sha(ledger_xlsm) == before

    def test_summary_sheet_numbers_are_those_of_summary_json(self, ledger_xlsm: Path) -> None:
        from rectify_xl.core.dates import format_cn
        from rectify_xl.core.progress import format_rate

        before = _sha(ledger_xlsm)
        data = json.loads(_cli("summary", str(ledger_xlsm), "--json").output)
        rep = click(buttons.summary, ledger_xlsm)
        ws = rep.wb[SHEETS.SUMMARY]
        headline = {row[0]: row[1] for row in _rows_after(ws, "总体情况")}
        assert headline["统计截止日期"] == format_cn(date.fromisoformat(data["as_of"]))
        expected = {
            "反馈问题数": data["feedback_count"], "具体问题数": data["problem_count"],
            "具体问题已完成": data["problems_done"] + data["problems_ongoing"],
            "具体问题正在推进": data["problems_in_progress"], "整改措施数": data["measure_count"],
            "已完成": data["measures_done"], "长期坚持": data["measures_ongoing"],
            "正在推进": data["measures_in_progress"], "未填状态": data["measures_unset"],
            "完成率": format_rate(data["completion_rate"]), "逾期": len(data["overdue"]),
            "临期": len(data["due_soon"]),
        }
        assert {k: headline[k] for k in expected} == expected
        for title, key in (("按方面", "by_aspect"), ("按责任领导", "by_leader"),
                           ("按责任部门", "by_department")):
            shown = [row[:6] for row in _rows_after(ws, title)]
            assert shown == [(g["name"], g["done"], g["ongoing"], g["in_progress"], g["overdue"],
                              g["measures"]) for g in data[key]], title
        for title, key in ((f"逾期措施（{len(data['overdue'])}项）", "overdue"),
                           (f"临期措施（{data['due_days']}天内到期，{len(data['due_soon'])}项）",
                            "due_soon")):
            rows = _rows_after(ws, title) if data[key] else []
            assert [(str(r[0]), r[4], r[7].date().isoformat(), r[8]) for r in rows] == [
                (str(i["row"]), i["measure"], i["deadline"], i["days"]) for i in data[key]], title
        history = rep.wb[SHEETS.HISTORY]
        row = dict(zip([h for _, h in HISTORY_COLUMNS], [c.value for c in history[2]], strict=True))
        assert (row["整改措施数"], row["已完成"], row["逾期"]) == (
            data["measure_count"], data["measures_done"], len(data["overdue"]))
        assert _sha(ledger_xlsm) == before

    def test_notice_sheet_is_the_notice_command_line_by_line(self, ledger_xlsm: Path) -> None:
        before = _sha(ledger_xlsm)
        lines = _cli("notice", str(ledger_xlsm)).stdout.rstrip("\n").split("\n")
        rep = click(buttons.notice, ledger_xlsm)
        ws = rep.wb[SHEETS.NOTICE]
        assert [c.value or "" for c in ws["A"]] == lines
        assert f"共{sum(1 for line in lines if line.strip())}段" in rep.alerts[0]["prompt"]
        # the CLI's slip lines (stderr) are in the button's box too
        slips = _cli("notice", str(ledger_xlsm)).stderr
        if "疑似错漏" in slips:
            assert "疑似错漏" in rep.alerts[0]["prompt"]
            assert slips.split("\n")[1].strip() in rep.alerts[0]["prompt"]
        assert _sha(ledger_xlsm) == before


class TestWiring:
    def test_every_button_has_a_function_and_a_vba_sub(self) -> None:
        bas = (ROOT / "macros" / "Buttons.bas").read_text("ascii")
        for spec in BUTTONS:
            assert callable(getattr(buttons, spec.function))
            assert f"Public Sub {spec.macro}()" in bas
            assert f"b.{spec.function}()" in bas

    def test_runmacro_helpers_exist_in_buttons_bas(self) -> None:
        from rectify_xl.adapters import excel_live

        names = {v for k, v in vars(excel_live).items() if k.startswith("HELPER_")}
        assert names <= helper_subs()


_IMPORT_CHECK = """
import sys
import rectify_xl.entrypoints.buttons
bad = [m for m in ("pandas", "jinja2", "xlwings", "numpy") if m in sys.modules]
assert not bad, bad
"""

_CLICK_VIA_LAUNCHER = """
import json, sys
import xlwings.utils;xlwings.utils.prepare_sys_path("true;/nowhere/台账.xlsm;/nowhere/台账.xlsm;;;;")
before = set(sys.modules)
sys.path.insert(0, sys.argv[1])
from tests.xlwings_helpers import remote_book
import rectify_xl.entrypoints.buttons as b
book = remote_book(json.load(open(sys.argv[2], encoding="utf-8")))
b.validate(book)
print(json.dumps({"argv": sys.argv[3:], "last": book.json()["actions"][-1],
                  "loaded": [m for m in ("pandas", "numpy") if m in sys.modules],
                  "new": [m for m in ("pandas", "jinja2") if m in set(sys.modules) - before]}))
"""
_LAUNCH = "from rectify_xl.entrypoints.buttons import python_launcher; python_launcher()"


class TestImportCost:
    def test_importing_buttons_pulls_in_no_heavy_module(self) -> None:
        """_IMPORT_CHECK asserts inside the child; a heavy import makes it exit non-zero."""
        out = subprocess.run([sys.executable, "-c", _IMPORT_CHECK], capture_output=True, text=True,
                             timeout=60)
        assert out.returncode == 0, out.stderr

    def test_a_click_through_the_launcher_never_loads_pandas_or_jinja2(
            self, broken_xlsx: Path, tmp_path: Path, _home: Path) -> None:
        """RunPython's own command line, under rectify-xl-python: validate stays light."""
        payload = tmp_path / "payload.json"
        payload.write_text(json.dumps(payload_from_file(broken_xlsx), ensure_ascii=False), "utf-8")
        env = {**os.environ, "XLWINGS_LICENSE_KEY": "noncommercial"}
        out = subprocess.run(
            [sys.executable, "-c", _LAUNCH, "-B", "-c", _CLICK_VIA_LAUNCHER, str(ROOT), str(payload),
             "--wb=台账.xlsm", "--from_xl=1"],
            capture_output=True, text=True, timeout=60, env=env)
        log = _home / ".rectify-xl" / "logs" / "buttons.log"
        assert out.returncode == 0, out.stderr + (log.read_text("utf-8") if log.exists() else "")
        result = json.loads(out.stdout.strip().splitlines()[-1])
        assert result["loaded"] == [] and result["new"] == []  # (xlwings.pro brings jinja2 itself)
        assert result["argv"] == ["--wb=台账.xlsm", "--from_xl=1"]
        assert result["last"]["func"] == "alert" and result["last"]["args"][3] == "info", (
            log.read_text("utf-8") if log.exists() else result)

    def test_the_launcher_lets_the_summary_import_pandas_later(self) -> None:
        code = "import xlwings, pandas, sys; print(pandas.__name__, xlwings.__name__)"
        out = subprocess.run([sys.executable, "-c", _LAUNCH, "-c", code], capture_output=True,
                             text=True, timeout=60, check=True)
        assert out.stdout.split() == ["pandas", "xlwings"]

"""催办 (issue 17): letters per department measured like the notice, the 催办记录 written in place
without losing anything else of the workbook, and 催办次数 in summary and merge."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document

from rectify_xl.adapters.sample_data import sample_ledger
from rectify_xl.adapters.workbook_builder import build_workbook
from rectify_xl.adapters.xlsx_reader import read_grids
from rectify_xl.core.document import STYLE_NAMES
from rectify_xl.core.records import LedgerRecords
from rectify_xl.core.reminders import ReminderKind, plan_reminders
from rectify_xl.core.schema import MERGE_SUMMARY_COLUMNS, REMIND_COLUMNS, SHEETS
from rectify_xl.entrypoints.cli import cli
from rectify_xl.errors import LockedError
from rectify_xl.services.document import write_notice_document
from rectify_xl.services.ledger import notice_text, summarize_workbook
from rectify_xl.services.remind import record_in_file
from rectify_xl.services.remind import remind as remind_letters
from rectify_xl.services.source import FileSource
from tests.conftest import BASE_INFO, measure_row, open_row
from tests.integration.test_docx_layout import MM_EMU, east_asia, size_pt

TODAY = date(2021, 11, 1)  # 统计截止日期 2021-10-31 (BASE_INFO)
ROWS = [
    measure_row(seq="1"),
    open_row(seq="2", measure="建立制度", department="办公室", deadline=date(2021, 10, 1)),
    open_row(seq="3", measure="开展检查", department="办公室", deadline=date(2021, 11, 5)),
    open_row(seq="4", measure="整治作风", department="政治部", deadline=date(2021, 11, 8),
             leader="副书记"),
    open_row(seq="5", measure="长远工作", department="政治部", deadline=date(2022, 5, 8)),
    open_row(seq="6", measure="长期任务", department="政治部", deadline="长期坚持"),
]


def remind(source: FileSource, *, today: date, days: int, out_dir: Path) -> object:
    """The CLI's sequence: the letters, then 催办记录 written into the file."""
    result = remind_letters(source, today=today, days=days, out_dir=out_dir)
    if result.sheet is not None:
        record_in_file(source.path, result.sheet)
    return result


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    return build_workbook(tmp_path / "台账.xlsm",
                          LedgerRecords(info=dict(BASE_INFO), measures=ROWS, texts=[]))


def test_plan_groups_by_department_overdue_first(ledger: Path) -> None:
    from rectify_xl.adapters.xlsx_reader import read_ledger

    plans = plan_reminders(read_ledger(ledger), date(2021, 10, 31), 14)
    assert [(p.department, p.kind, [i.measure.seq for i in p.items]) for p in plans] == [
        ("办公室", ReminderKind.URGE, ["2", "3"]), ("政治部", ReminderKind.REMIND, ["4"])]
    assert [i.days for i in plans[0].items] == [30, 5]


def test_letters_list_the_measures_and_look_like_the_notice(ledger: Path, tmp_path: Path) -> None:
    result = remind(FileSource(ledger), today=TODAY, days=14, out_dir=tmp_path / "催办")
    names = sorted(p.name for p in result.files)
    assert names == ["办公室-督办函-20211101.docx", "政治部-提醒函-20211101.docx"]
    doc = Document(str(tmp_path / "催办" / names[0]))
    texts = [p.text for p in doc.paragraphs if p.text]
    assert texts[0] == "关于逾期未完成巡察整改任务的督办函"
    assert texts[1] == "办公室："
    assert "逾期未完成1项、1项即将到期" in texts[2]
    assert any("建立制度" in t and "已逾期30天" in t for t in texts)
    assert any("开展检查" in t and "距完成时限还有5天" in t for t in texts)
    assert texts[-2:] == [BASE_INFO["unit"], "2021年11月1日"]
    notice = tmp_path / "公告.docx"
    write_notice_document(sample_ledger(), notice_text(sample_ledger()), notice)
    ref = Document(str(notice))
    page = [(s.page_width, s.page_height, s.top_margin, s.bottom_margin, s.left_margin,
             s.right_margin) for s in (doc.sections[-1], ref.sections[-1])]
    assert page[0] == page[1]
    assert abs(page[0][2] / MM_EMU - 37) <= 0.5  # GB/T 9704 天头
    for role in ("title", "body", "signature", "date"):
        style = STYLE_NAMES[role]
        assert (east_asia(doc.styles[style]), size_pt(doc.styles[style])) == (
            east_asia(ref.styles[style]), size_pt(ref.styles[style]))
    assert doc.paragraphs[0].style.name == STYLE_NAMES["title"]
    # 主送机关 顶格 (GB/T 9704 7.3.3); the body keeps the style's first-line indent of 2 characters
    addressee = next(p for p in doc.paragraphs if p.text == "办公室：")
    body = next(p for p in doc.paragraphs if "逾期未完成1项" in p.text)
    assert addressee.paragraph_format.first_line_indent == 0
    assert body.paragraph_format.first_line_indent is None  # from the style
    assert doc.styles[STYLE_NAMES["body"]].paragraph_format.first_line_indent > 0


def test_record_is_appended_in_place_keeping_every_other_part(ledger: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(ledger) as z:
        before = {n: z.read(n) for n in z.namelist()}
    remind(FileSource(ledger), today=TODAY, days=14, out_dir=tmp_path / "a")
    # as of 统计截止日期 2021-10-31: within 3 days only the overdue measure is left to chase
    remind(FileSource(ledger), today=date(2021, 11, 3), days=3, out_dir=tmp_path / "b")
    rows = read_grids(ledger)[SHEETS.REMIND_LOG].rows
    assert tuple(rows[0]) == REMIND_COLUMNS
    assert [(r[1], r[2], r[3]) for r in rows[1:]] == [
        ("办公室", "督办", "2、3"), ("政治部", "提醒", "4"), ("办公室", "督办", "2")]
    with zipfile.ZipFile(ledger) as z:
        after = {n: z.read(n) for n in z.namelist()}
    package = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml"}
    assert {n for n in before if before[n] != after.get(n)} == package
    assert "xl/vbaProject.bin" in after  # the buttons' macros are still there
    assert (ledger.parent / "台账.xlsm.备份").exists()
    summary = summarize_workbook(ledger)
    assert summary.reminders == 3 and dict(summary.reminded) == {"2": 2, "3": 1, "4": 1}
    text = CliRunner().invoke(cli, ["summary", str(ledger)]).output
    assert "催办次数（共3份催办文书）" in text and "  2：2次" in text
    from openpyxl import load_workbook

    assert SHEETS.REMIND_LOG in load_workbook(ledger).sheetnames  # a valid package for Excel's reader


def test_a_ledger_open_in_excel_is_not_written(ledger: Path, tmp_path: Path) -> None:
    (ledger.parent / ("~$" + ledger.name)).write_bytes(b"lock")
    result = CliRunner().invoke(cli, ["remind", str(ledger), "-o", str(tmp_path / "c")])
    assert result.exit_code == 2 and "打开" in result.output
    assert not (tmp_path / "c").exists()  # no letter either: all or nothing
    with pytest.raises(LockedError):
        record_in_file(ledger, remind_letters(FileSource(ledger), today=TODAY, days=14,
                                              out_dir=tmp_path / "d").sheet)
    assert SHEETS.REMIND_LOG not in read_grids(ledger)


def test_cli_and_merge_carry_the_count(ledger: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["remind", str(ledger), "-o", str(tmp_path / "催办")])
    assert result.exit_code == 0, result.output
    assert "办公室：督办，措施2项" in result.output
    out = tmp_path / "汇总.xlsx"
    assert runner.invoke(cli, ["merge", str(ledger), "-o", str(out)]).exit_code == 0
    row = read_grids(out)[SHEETS.MERGE_SUMMARY].rows[2]
    assert row[[k for k, _ in MERGE_SUMMARY_COLUMNS].index("reminders")] == 2
    nothing = runner.invoke(cli, ["remind", str(ledger), "--as-of", "2021-08-01", "--days", "3",
                                  "-o", str(tmp_path / "无")])
    assert nothing.exit_code == 0 and "无需催办" in nothing.output


@pytest.mark.libreoffice
def test_libreoffice_opens_the_written_ledger_with_its_buttons(ledger: Path, tmp_path: Path) -> None:
    from tests.lo_helpers import UNO_DIR, run_uno, soffice_available

    if not soffice_available():
        pytest.skip("LibreOffice/python3-uno not installed")
    remind(FileSource(ledger), today=TODAY, days=14, out_dir=tmp_path / "a")
    seen = run_uno(UNO_DIR / "inspect_workbook.py", "--cells", f"{SHEETS.REMIND_LOG}!B2",
                   str(ledger), timeout=90)[str(ledger)]
    assert seen["sheets"][-1] == SHEETS.REMIND_LOG
    assert seen["controls"][SHEETS.LEDGER]  # the form buttons survived the write


def test_the_remind_button_writes_letters_beside_the_book_and_the_record_into_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import openpyxl

    from rectify_xl.entrypoints import buttons
    from tests.buttons_helpers import FakeComBook
    from tests.conftest import sha256, write_xlsx_openpyxl

    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    path = write_xlsx_openpyxl(tmp_path / "台账.xlsx",
                               LedgerRecords(info=dict(BASE_INFO), measures=ROWS, texts=[]))
    before = sha256(path)
    book = FakeComBook(openpyxl.load_workbook(path), str(path))
    buttons.remind(book)
    prompt = book.alerts[-1]["prompt"]
    assert "办公室：督办，措施2项" in prompt and "请保存工作簿" in prompt
    assert sorted(p.name for p in (tmp_path / "台账-催办").iterdir()) == [
        f"办公室-督办函-{date.today():%Y%m%d}.docx", f"政治部-提醒函-{date.today():%Y%m%d}.docx"]
    log = book.wb[SHEETS.REMIND_LOG]
    assert [c.value for c in log[1]] == list(REMIND_COLUMNS)
    assert [log.cell(r, 4).value for r in (2, 3)] == ["2、3", "4"]
    assert sha256(path) == before  # the record is in the open book; the user saves it


def test_the_web_workbench_gives_the_letters_and_the_recorded_copy(
        ledger: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import base64
    import io
    import tempfile

    from tests.conftest import sha256
    from tests.server_helpers import WEB, local_client

    work = tmp_path / "server-tmp"
    work.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(work))
    monkeypatch.setenv("RECTIFY_XL_SERVER_DATA", str(tmp_path / "kept"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    before = sha256(ledger)
    response = local_client().post("/api/remind", files=[("file", (ledger.name, ledger.read_bytes()))],
                                   headers=WEB)
    assert response.status_code == 200, response.text
    answer = response.json()
    assert "办公室：督办，措施2项" in answer["message"]
    kinds = sorted(f["kind"] for f in answer["files"])
    assert kinds == ["reminded", "reminder", "reminder"]
    copy = next(f for f in answer["files"] if f["kind"] == "reminded")
    assert copy["name"] == "台账（含催办记录）.xlsm"
    data = base64.b64decode(copy["data"])
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert "xl/vbaProject.bin" in z.namelist()
    saved = tmp_path / "copy.xlsm"
    saved.write_bytes(data)
    assert [r[3] for r in read_grids(saved)[SHEETS.REMIND_LOG].rows[1:]] == ["2、3", "4"]
    assert sha256(ledger) == before
    assert list(work.iterdir()) == []  # nothing left on the server

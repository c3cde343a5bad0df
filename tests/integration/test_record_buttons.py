"""修改记录 on button clicks (issue 17): each click that writes the book records what changed
since the snapshot kept in it, through the xlwings remote engine (actions replayed with openpyxl),
with the same rows and hash chain as `rectify-xl record`."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from rectify_xl.adapters.workbook_builder import build_workbook
from rectify_xl.adapters.xlsx_reader import read_grids
from rectify_xl.core.change_log import FIRST_ENTRY, check_change_log, log_sheets
from rectify_xl.core.parse import cell_text
from rectify_xl.core.records import LedgerRecords
from rectify_xl.core.schema import CHANGE_LOG_COLUMNS, SHEETS
from rectify_xl.entrypoints import buttons
from rectify_xl.services.record import current_user
from tests.conftest import BASE_INFO, measure_row, open_row
from tests.xlwings_helpers import Replay, payload_from_file, remote_book, replay

ROWS = [measure_row(seq="1"), open_row(seq="2", measure="建立制度", deadline=date(2022, 3, 1))]


@pytest.fixture(autouse=True)
def _home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("RECTIFY_XL_SOFFICE", str(tmp_path / "no-soffice"))


def _click(fn: Any, path: Path) -> Replay:
    """One remote click on the file's content; the replayed result is saved back to the file."""
    book = remote_book(payload_from_file(path))
    fn(book)
    rep = replay(openpyxl.load_workbook(path), book.json()["actions"])
    rep.wb.save(path)
    return rep


def _log(path: Path) -> list[tuple[object, ...]]:
    return [tuple(r) for r in read_grids(path)[SHEETS.CHANGE_LOG].rows]


def _edit(path: Path, sheet: str, **cells: object) -> None:
    wb = openpyxl.load_workbook(path)
    for cell, value in cells.items():
        wb[sheet][cell] = value
    wb.save(path)


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    return build_workbook(tmp_path / "台账.xlsx",
                          LedgerRecords(info=dict(BASE_INFO), measures=ROWS, texts=[]))


def test_the_first_click_takes_the_snapshot_and_later_clicks_record_the_edits(ledger: Path) -> None:
    rep = _click(buttons.validate, ledger)
    assert "已建立修改记录快照" in rep.alerts[-1]["prompt"]
    log = _log(ledger)
    assert log[0] == CHANGE_LOG_COLUMNS and len(log) == 2 and log[1][6] == FIRST_ENTRY
    assert openpyxl.load_workbook(ledger)[SHEETS.CHANGE_SNAPSHOT].sheet_state == "hidden"

    _edit(ledger, SHEETS.LEDGER, I5="已完成", J5=date(2021, 10, 30))
    rep = _click(buttons.summary, ledger)
    assert "已在“修改记录”表记录2处修改" in rep.alerts[-1]["prompt"]
    log = _log(ledger)
    # as Excel stores them (the remote client turns ISO text into dates), read as text
    assert [tuple(cell_text(v) for v in (r[0], *r[2:7])) for r in log[2:]] == [
        ("2", current_user(), SHEETS.LEDGER, "I5", "正在推进", "已完成"),
        ("3", current_user(), SHEETS.LEDGER, "J5", "", "2021-10-30")]
    assert check_change_log(read_grids(ledger)) == []  # the chain and the seal hold

    # the snapshot written through the live writer reads back as it was: no phantom changes
    rep = _click(buttons.validate, ledger)
    assert "修改记录" not in rep.alerts[-1]["prompt"]
    assert len(_log(ledger)) == 4

    _edit(ledger, SHEETS.INFO, B2="县委政法委员会", B3="0571")  # text Excel would make a number
    _click(buttons.notice, ledger)
    log = _log(ledger)
    assert [(r[3], r[4], r[6]) for r in log[4:]] == [
        (SHEETS.INFO, "B2", "县委政法委员会"), (SHEETS.INFO, "B3", "0571")]
    assert check_change_log(read_grids(ledger)) == []
    _click(buttons.validate, ledger)
    assert len(_log(ledger)) == 6  # the snapshot kept "0571" as text: nothing recorded again


def test_a_click_on_a_tampered_record_does_not_extend_it(ledger: Path) -> None:
    _click(buttons.validate, ledger)
    _edit(ledger, SHEETS.LEDGER, I5="已完成")
    _click(buttons.validate, ledger)
    _edit(ledger, SHEETS.CHANGE_LOG, G3="已销号")  # someone rewrites history
    tampered = _log(ledger)
    _edit(ledger, SHEETS.LEDGER, I6="已完成")
    rep = _click(buttons.summary, ledger)
    prompt = rep.alerts[-1]["prompt"]
    assert "“修改记录”已被改动" in prompt and "本次未记录修改" in prompt
    assert _log(ledger) == tampered  # nothing appended, nothing re-sealed
    assert [f.code for f in check_change_log(read_grids(ledger))] == ["RX444"]
    assert SHEETS.SUMMARY in openpyxl.load_workbook(ledger).sheetnames  # the click still worked


def test_the_live_sheets_write_every_text_with_excels_text_prefix() -> None:
    # the replay above stores text as given; real Excel would make "0571" the number 571, so the
    # sheets must carry the prefix for the snapshot to read back as written
    from rectify_xl.adapters.sheet_live import write_sheet

    log, snapshot = log_sheets([(1, "2021-11-01 09:00:00", "张三", "基本信息", "B3", "", "0571",
                                 "0123456789abcdef")], [("修改记录封存", 1, "0123456789abcdef")])
    assert log.as_text and snapshot.as_text and snapshot.hidden
    assert log.blocks[0].rows[1][6] == "0571"  # the description holds the values themselves

    class Recorder:  # what the live writer asks of the book
        def __init__(self) -> None:
            self.written: dict[str, tuple[tuple[object, ...], ...]] = {}

        def write(self, sheet: str, row: int, col: int, rows: tuple[tuple[object, ...], ...]
                  ) -> None:
            self.written[sheet] = rows

        def column_width(self, *args: object) -> bool:
            return True

        def __getattr__(self, name: str) -> object:
            return lambda *args, **kwargs: None

    book = Recorder()
    for spec in (log, snapshot):
        write_sheet(book, spec)  # type: ignore[arg-type]
    assert book.written[log.name][1] == (1, "'2021-11-01 09:00:00", "'张三", "'基本信息", "'B3", "",
                                         "'0571", "'0123456789abcdef")
    assert book.written[snapshot.name][0][1] == 1

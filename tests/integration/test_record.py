"""修改记录 (issue 17): `rectify-xl record` over a sequence of edits, and tampered records."""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from rectify_xl.adapters.workbook_builder import build_workbook
from rectify_xl.adapters.xlsx_reader import read_grids
from rectify_xl.core.change_log import FIRST_ENTRY
from rectify_xl.core.records import LedgerRecords
from rectify_xl.core.schema import CHANGE_LOG_COLUMNS, SHEETS
from rectify_xl.entrypoints.cli import cli
from rectify_xl.errors import LockedError
from rectify_xl.services.ledger import validate_workbook
from rectify_xl.services.record import record
from rectify_xl.services.source import FileSource
from tests.conftest import BASE_INFO, measure_row, open_row

ROWS = [measure_row(seq="1"), open_row(seq="2", measure="建立制度", deadline=date(2022, 3, 1))]


def _ledger(path: Path) -> Path:
    return build_workbook(path, LedgerRecords(info=dict(BASE_INFO), measures=ROWS, texts=[]))


def _record(path: Path, who: str, minute: int) -> object:
    return record(FileSource(path), now=datetime(2021, 11, 1, 9, minute), who=who)


def _edit(path: Path, **cells: object) -> None:
    wb = openpyxl.load_workbook(path)
    for ref, value in cells.items():
        sheet, cell = ref.split("__")
        wb[sheet][cell] = value
    wb.save(path)


def _log(path: Path) -> list[list[object]]:
    return read_grids(path)[SHEETS.CHANGE_LOG].rows


def test_a_sequence_of_edits_is_recorded_cell_by_cell(tmp_path: Path) -> None:
    path = _ledger(tmp_path / "台账.xlsx")
    first = _record(path, "张三", 0)
    assert first.first and _log(path)[1][6] == FIRST_ENTRY
    _edit(path, 整改清单__I5="已完成", 整改清单__J5=date(2021, 10, 30))
    second = _record(path, "李四", 5)
    assert [(c.cell, c.old, c.new) for c in second.changes] == [
        ("I5", "正在推进", "已完成"), ("J5", "", "2021-10-30")]
    _edit(path, 基本信息__B2="县委政法委员会")
    third = _record(path, "王五", 9)
    assert [(c.sheet, c.cell, c.old, c.new) for c in third.changes] == [
        ("基本信息", "B2", "县委政法委", "县委政法委员会")]
    assert not _record(path, "王五", 10).changes  # nothing new: nothing written
    log = _log(path)
    assert tuple(log[0]) == CHANGE_LOG_COLUMNS
    assert [(r[2], r[3], r[4]) for r in log[1:]] == [
        ("张三", None, None), ("李四", "整改清单", "I5"), ("李四", "整改清单", "J5"),
        ("王五", "基本信息", "B2")]
    assert not [f for f in validate_workbook(path).findings if f.code == "RX444"]
    wb = openpyxl.load_workbook(path)
    assert wb[SHEETS.CHANGE_SNAPSHOT].sheet_state == "hidden"


@pytest.mark.parametrize(("tamper", "row"), [
    ("change", 3),  # a recorded old value rewritten
    ("delete_middle", 3),  # a row taken out of the middle
    ("delete_last", 4),  # the last row cut: the seal in the snapshot notices
])
def test_a_tampered_record_is_reported_and_never_sealed_again(tmp_path: Path, tamper: str,
                                                               row: int) -> None:
    path = _ledger(tmp_path / "台账.xlsx")
    _record(path, "张三", 0)
    _edit(path, 整改清单__I5="已完成", 整改清单__E5="建立健全制度")
    _record(path, "李四", 5)
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEETS.CHANGE_LOG]
    if tamper == "change":
        ws["F3"] = "已完成"
    elif tamper == "delete_middle":
        ws.delete_rows(3)
    else:
        ws.delete_rows(4)
    wb.save(path)
    found = [(f.code, f.cell) for f in validate_workbook(path).findings if f.code == "RX444"]
    assert found == [("RX444", f"H{row}")]
    _edit(path, 整改清单__I4="长期坚持")
    result = CliRunner().invoke(cli, ["record", str(path)])
    assert result.exit_code == 1 and "RX444" in result.output
    assert [(f.code, f.cell) for f in validate_workbook(path).findings if f.code == "RX444"] == found


def test_record_keeps_the_buttons_and_refuses_an_open_ledger(tmp_path: Path) -> None:
    path = _ledger(tmp_path / "台账.xlsm")
    with zipfile.ZipFile(path) as z:
        before = {n: z.read(n) for n in z.namelist()}
    result = CliRunner().invoke(cli, ["record", str(path), "--who", "张三"])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(path) as z:
        after = {n: z.read(n) for n in z.namelist()}
    assert {n for n in before if before[n] != after[n]} == {
        "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml"}
    assert (tmp_path / "台账.xlsm.备份").exists()
    (tmp_path / "~$台账.xlsm").write_bytes(b"lock")
    with pytest.raises(LockedError):
        record(FileSource(path), now=datetime(2021, 11, 1), who="李四")


def test_diff_shows_the_edits_recorded_between_two_versions(tmp_path: Path) -> None:
    import json
    import shutil

    path = _ledger(tmp_path / "台账.xlsx")
    _record(path, "张三", 0)
    old = tmp_path / "台账-9月.xlsx"
    shutil.copy2(path, old)
    _edit(path, 整改清单__I5="已完成", 整改清单__J5=date(2021, 10, 30))
    _record(path, "李四", 5)
    result = CliRunner().invoke(cli, ["diff", str(old), str(path)])
    assert result.exit_code == 0, result.output
    assert "修改记录（台账.xlsx中，本期间2条）" in result.output
    assert "李四 整改清单!I5：“正在推进” → “已完成”" in result.output
    data = json.loads(CliRunner().invoke(cli, ["diff", str(old), str(path), "--json"]).output)
    assert data["recorded"]["continues"] and data["recorded"]["intact"]
    assert len(data["recorded"]["lines"]) == 2


def test_the_configured_name_is_who_changed_the_ledger(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """[user] name of the user's config file names the changes of this computer (a shared
    office login would name everybody alike); without it, the login name."""
    from rectify_xl.adapters.user_config import CONFIG_ENV
    from rectify_xl.core.schema import CHANGE_LOG_COLUMNS
    from rectify_xl.services.record import current_user

    config = tmp_path / "config.toml"
    config.write_text('[user]\nname = "  王 小明\\n"\n', "utf-8")
    monkeypatch.setenv(CONFIG_ENV, str(config))
    assert current_user() == "王 小明"
    path = _ledger(tmp_path / "台账.xlsx")
    assert CliRunner().invoke(cli, ["record", str(path)]).exit_code == 0
    _edit(path, **{f"{SHEETS.LEDGER}__I5": "已完成"})
    assert CliRunner().invoke(cli, ["record", str(path)]).exit_code == 0
    who = CHANGE_LOG_COLUMNS.index("修改人")
    assert {row[who] for row in _log(path)[1:]} == {"王 小明"}
    config.write_text("[user]\nname = 3\n", "utf-8")  # not text: the login is used, no stop
    assert current_user() not in ("", "3")

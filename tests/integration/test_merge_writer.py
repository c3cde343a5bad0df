"""The consolidated workbook's fast paths give the same workbook as the plain ones.

merge_writer writes the bulk rows straight into XlsxWriter's cell store and fills 明细 while the
files are still being read (rows moved into the final unit order at the end). Both must leave
every cell, format, table and filter as XlsxWriter's public methods, called in the final order,
would; these tests compare the workbooks part by part (shared strings resolved).
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

import rectify_xl.adapters.merge_writer as writer
from rectify_xl.adapters.merge_writer import ConsolidationWriter, write_consolidation
from rectify_xl.core.consolidate import UnitFile, consolidate, detail_values
from rectify_xl.core.findings import Finding, Report, Severity
from rectify_xl.core.progress import summarize
from rectify_xl.core.records import ledger_from_records
from rectify_xl.core.schema import COLUMNS, Status
from tests.merge_helpers import AS_OF, unit_records


def _unit(unit: str, *, source: str | None = None, mtime: float = 0.0, **kwargs: object
          ) -> UnitFile:
    ledger = ledger_from_records(unit_records(unit, **kwargs))  # type: ignore[arg-type]
    findings = [Finding("RX201", Severity.ERROR, "整改清单", "E3", "缺少责任领导")]
    return UnitFile(source or f"{unit}.xlsx", "0" * 64, mtime, ledger,
                    summarize(ledger, as_of=AS_OF), Report.build(source or unit, findings))


def _odd_unit() -> UnitFile:
    """Values off the fast path: a pre-1900-03-01 date, a very long text, a number."""
    u = _unit("县档案馆", overdue=0)
    rows = [list(detail_values(m)) for m in u.ledger.measures]
    keys = [c.key for c in COLUMNS]
    rows[0][keys.index("deadline")] = date(1900, 2, 1)
    rows[1][keys.index("progress")] = "很长的整改落实情况。" * 2000
    rows[2][keys.index("seq")] = 3
    rows[3][keys.index("remark")] = ""
    return replace(u, detail=tuple(map(tuple, rows)))


@pytest.fixture
def units() -> list[UnitFile]:
    return [
        _unit("县委办", overdue=2, due_soon=1),
        _unit("县司法局", problems=4, done=8, overdue=0),
        _unit("县财政局", source="九月/县财政局.xlsx", mtime=1.0, as_of=date(2021, 9, 30)),
        _unit("县财政局", source="十月/县财政局.xlsx", mtime=2.0),  # supersedes the one above
        _unit("县医保局", overdue=1, as_of=None),
        _odd_unit(),
    ]


def _parts(path: Path) -> dict[str, str]:
    """Every part of the package but the timestamp, with shared-string indices resolved."""
    with zipfile.ZipFile(path) as z:
        strings = re.findall(r"<si>(.*?)</si>", z.read("xl/sharedStrings.xml").decode(), re.S)
        parts = {}
        for name in z.namelist():
            if name in ("docProps/core.xml", "xl/sharedStrings.xml"):
                continue
            text = z.read(name).decode()
            if name.startswith("xl/worksheets/sheet"):
                text = re.sub(r'(<c [^>]*t="s"[^>]*><v>)(\d+)(</v>)',
                              lambda m: m[1] + strings[int(m[2])] + m[3], text)
            parts[name] = text
    return parts


def test_cell_store_gives_the_cells_of_the_public_methods(
        units: list[UnitFile], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    c = consolidate(units, as_of=AS_OF)
    fast = write_consolidation(tmp_path / "fast.xlsx", c)
    monkeypatch.setattr(writer, "_cell_store", lambda ws: None)
    public = write_consolidation(tmp_path / "public.xlsx", c)
    assert _parts(fast) == _parts(public)
    assert "很长的整改落实情况。" in _parts(fast)["xl/worksheets/sheet2.xml"]


def test_detail_written_on_arrival_equals_detail_written_at_the_end(
        units: list[UnitFile], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows added in input order, superseded file included, end up as a one-shot write."""
    c = consolidate(units, as_of=AS_OF)
    assert [u.source for u in c.units] != [u.source for u in units]  # the order does change
    with ConsolidationWriter(tmp_path / "early.xlsx") as book:
        for u in units:
            book.add_detail(u)
        early = book.finish(c)
    at_end = write_consolidation(tmp_path / "end.xlsx", c)
    assert _parts(early) == _parts(at_end)
    monkeypatch.setattr(writer, "_cell_store", lambda ws: None)
    public = write_consolidation(tmp_path / "public.xlsx", c)
    assert _parts(early) == _parts(public)


def test_detail_of_files_added_early_and_late_is_in_unit_order(
        units: list[UnitFile], tmp_path: Path) -> None:
    c = consolidate(units, as_of=AS_OF)
    with ConsolidationWriter(tmp_path / "mixed.xlsx") as book:
        for u in units[::2]:  # the others are written by finish()
            book.add_detail(u)
        mixed = book.finish(c)
    assert _parts(mixed) == _parts(write_consolidation(tmp_path / "end.xlsx", c))


def test_unfinished_writer_leaves_no_file(tmp_path: Path) -> None:
    with ConsolidationWriter(tmp_path / "汇总.xlsx") as book:
        book.add_detail(_unit("县委办"))
    assert list(tmp_path.iterdir()) == []


def test_detail_values_follow_the_ledger_columns() -> None:
    m = _unit("县委办").ledger.measures[0]
    m = replace(m, seq="1", aspect="方面", feedback="反馈", problem="问题", text="措施",
                leader="领导", department="部门", deadline=date(2021, 9, 1),
                deadline_ongoing=False, status=Status.DONE, done_date=date(2021, 8, 1),
                progress="进展", evidence="佐证", remark="备注", percent=0.4,
                start_date=date(2021, 7, 10), status_raw="已验收", accept_by="组长",
                accept_date=date(2021, 8, 2), accept_note="合格", stream="立行立改",
                outcomes=(("systems", 2), ("recovered", "3.5万元")))
    by_key = dict(zip([c.key for c in COLUMNS], detail_values(m), strict=True))
    assert by_key == {
        "seq": "1", "aspect": "方面", "feedback": "反馈", "problem": "问题", "measure": "措施",
        "leader": "领导", "department": "部门", "deadline": date(2021, 9, 1),
        "status": "已验收", "done_date": date(2021, 8, 1), "progress": "进展",
        "evidence": "佐证", "remark": "备注", "percent": 0.4, "start_date": date(2021, 7, 10),
        "accept_by": "组长", "accept_date": date(2021, 8, 2), "accept_note": "合格",
        "stream": "立行立改", "systems": 2, "recovered": "3.5万元", "accountable": None,
        "lessons": None, "campaigns": None,
    }


class TestPublicFallback:
    """Another XlsxWriter (other cell tuples, no store): only the public methods are used, 明细
    rows are not written early, and the workbook is the same."""

    @pytest.mark.parametrize("change", ["renamed_fields", "renamed_class", "no_tuple",
                                        "table_not_a_dict", "constant_memory"])
    def test_unexpected_cell_store_is_detected(self, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch, change: str) -> None:
        from collections import namedtuple

        import xlsxwriter.worksheet as xw

        with ConsolidationWriter(tmp_path / "汇总.xlsx") as book:
            ws = book._detail
            assert writer._cell_store(ws) is not None  # the store this code knows
            if change == "renamed_fields":
                monkeypatch.setattr(xw, "CellStringTuple", namedtuple("String", "text format"))
            elif change == "renamed_class":  # XlsxWriter tells cells apart by the class name
                monkeypatch.setattr(xw, "CellNumberTuple", namedtuple("Num", "number format"))
            elif change == "no_tuple":
                monkeypatch.delattr(xw, "CellNumberTuple")
            elif change == "table_not_a_dict":
                monkeypatch.setattr(ws, "table", [])
            else:
                monkeypatch.setattr(ws, "constant_memory", True)
            assert writer._cell_store(ws) is None

    def test_without_the_store_nothing_is_written_early_and_the_workbook_is_the_same(
            self, units: list[UnitFile], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        c = consolidate(units, as_of=AS_OF)
        with ConsolidationWriter(tmp_path / "fast.xlsx") as book:
            for u in units:
                book.add_detail(u)
            assert len(book._blocks) == len(units)
            fast = book.finish(c)
        monkeypatch.setattr(writer, "_cell_store", lambda ws: None)
        with ConsolidationWriter(tmp_path / "public.xlsx") as book:
            for u in units:
                book.add_detail(u)
            assert book._blocks == {}  # rows are only re-keyed in a store this code knows
            public = book.finish(c)
        assert _parts(public) == _parts(fast)


class TestTarget:
    def test_output_is_an_ordinary_file_not_a_private_temp(self, units: list[UnitFile],
                                                          tmp_path: Path) -> None:
        import os

        mask = os.umask(0o022)
        try:
            out = write_consolidation(tmp_path / "汇总.xlsx", consolidate(units, as_of=AS_OF))
        finally:
            os.umask(mask)
        assert out.stat().st_mode & 0o777 == 0o644
        assert [p.name for p in tmp_path.iterdir()] == ["汇总.xlsx"]

    @pytest.mark.parametrize("lock", ["~$汇总.xlsx", ".~lock.汇总.xlsx#"])
    def test_output_open_in_excel_wps_or_libreoffice_is_refused(self, units: list[UnitFile],
                                                               tmp_path: Path, lock: str) -> None:
        from rectify_xl.errors import LockedError

        (tmp_path / "汇总.xlsx").write_bytes(b"old")
        (tmp_path / lock).write_bytes(b"lock")
        with pytest.raises(LockedError, match=r"“汇总\.xlsx”"):
            write_consolidation(tmp_path / "汇总.xlsx", consolidate(units, as_of=AS_OF))
        assert (tmp_path / "汇总.xlsx").read_bytes() == b"old"

    @pytest.mark.parametrize("name", ["汇总.xls", "汇总"])
    def test_output_must_be_named_xlsx(self, units: list[UnitFile], tmp_path: Path,
                                       name: str) -> None:
        from rectify_xl.errors import OutputError

        with pytest.raises(OutputError, match=r"须以 \.xlsx 为扩展名"):
            write_consolidation(tmp_path / name, consolidate(units, as_of=AS_OF))
        assert list(tmp_path.iterdir()) == []

    def test_permission_denied_is_one_chinese_line_and_no_temp_is_left(
            self, units: list[UnitFile], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        from rectify_xl.errors import OutputError

        def refuse(src: object, dst: object) -> None:
            raise PermissionError(13, "Permission denied", str(dst))

        from rectify_xl.adapters import files

        monkeypatch.setattr(files.os, "replace", refuse)  # the rename in files.AtomicTarget
        with pytest.raises(OutputError) as caught:
            write_consolidation(tmp_path / "汇总.xlsx", consolidate(units, as_of=AS_OF))
        assert caught.value.message == "无法写入“汇总.xlsx”：文件可能正被其他程序打开，或没有写入权限"
        assert list(tmp_path.iterdir()) == []

    def test_disk_full_while_closing_is_one_chinese_line_and_no_temp_is_left(
            self, units: list[UnitFile], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """XlsxWriter writes the package in close() and wraps the OSError in its own type."""
        import errno

        import xlsxwriter.workbook

        from rectify_xl.errors import OutputError

        def disk_full(self: object) -> None:
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(xlsxwriter.workbook.Workbook, "_store_workbook", disk_full)
        with pytest.raises(OutputError) as caught:
            write_consolidation(tmp_path / "汇总.xlsx", consolidate(units, as_of=AS_OF))
        assert caught.value.message == "无法写入“汇总.xlsx”：磁盘空间不足"
        assert list(tmp_path.iterdir()) == []

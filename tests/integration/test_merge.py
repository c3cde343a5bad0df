"""merge_ledgers over real files: counts, aliases, broken files, duplicates, mails, the workbook."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from rectify_xl.adapters.xlsx_reader import read_grids
from rectify_xl.core.model import col_letter
from rectify_xl.core.schema import COLUMNS, MERGE_SUMMARY_COLUMNS, SHEETS
from rectify_xl.errors import InputError, LockedError
from rectify_xl.services.ledger import summarize_workbook
from rectify_xl.services.merge import merge_ledgers
from tests.conftest import sha256
from tests.merge_helpers import encrypt, make_eml, make_zip, unit_records, write_ledger, xlsx_bytes

_KEYS = [k for k, _ in MERGE_SUMMARY_COLUMNS]


def _summary_rows(path: Path) -> dict[str, dict[str, object]]:
    grid = read_grids(path, {SHEETS.MERGE_SUMMARY})[SHEETS.MERGE_SUMMARY]
    rows = grid.rows[2:]  # title, header
    return {str(r[0]): dict(zip(_KEYS, r, strict=False)) for r in rows if r[0] and r[1] is not None}


def _sheet(path: Path, name: str) -> list[list[object]]:
    return read_grids(path, {name})[name].rows


@pytest.fixture
def round_folder(tmp_path: Path) -> Path:
    """Four units: plain, merged cells + title row, renamed + inserted columns + a text date, and a
    broken file."""
    folder = tmp_path / "收件"
    folder.mkdir()
    write_ledger(folder / "甲.xlsx", unit_records("县委办", overdue=2, due_soon=1))
    write_ledger(folder / "乙.xlsx", unit_records("县司法局", problems=4, done=8, overdue=0),
                 merge_problems=True, title_rows=1)
    finance = unit_records("县财政局", overdue=1)
    finance.measures[4]["deadline"] = "2021年8月1日"  # a text date, overdue once read right
    write_ledger(folder / "丙.xlsx", finance,
                 rename={"具体问题": "存在问题", "完成时限": "时限", "整改落实情况": "整改情况"},
                 insert_column="联系电话")
    (folder / "坏.xlsx").write_bytes(b"PK\x03\x04 truncated")
    return folder


class TestCounts:
    def test_summary_rows_equal_the_summary_of_each_file(self, round_folder: Path, tmp_path: Path) -> None:
        out = tmp_path / "汇总.xlsx"
        result = merge_ledgers([round_folder], out, today=date(2021, 11, 1))
        rows = _summary_rows(out)
        for name in ("甲.xlsx", "乙.xlsx", "丙.xlsx"):
            s = summarize_workbook(round_folder / name)
            row = rows[s.unit]
            assert (row["problems"], row["measures"], row["done"], row["ongoing"],
                    row["in_progress"], row["overdue"], row["due_soon"]) == (
                s.problem_count, s.measure_count, s.measures_done, s.measures_ongoing,
                s.measures_in_progress, len(s.overdue), len(s.due_soon))
            assert row["completion_rate"] == pytest.approx(s.completion_rate)
            assert row["sha256"] == sha256(round_folder / name)
        assert list(rows) == ["县委办", "县财政局", "县司法局", "合计"]  # worst first, then total
        assert rows["合计"]["measures"] == 6 + 8 + 6
        assert result.has_errors  # the broken file

    def test_inputs_are_never_modified(self, round_folder: Path, tmp_path: Path) -> None:
        before = {p: sha256(p) for p in round_folder.iterdir()}
        merge_ledgers([round_folder], tmp_path / "汇总.xlsx")
        assert {p: sha256(p) for p in round_folder.iterdir()} == before


class TestSheets:
    def test_broken_file_is_listed_and_the_others_merged(self, round_folder: Path, tmp_path: Path) -> None:
        out = tmp_path / "汇总.xlsx"
        merge_ledgers([round_folder], out)
        roster = _sheet(out, SHEETS.MERGE_ROSTER)
        assert [(r[1], Path(str(r[3])).name) for r in roster[1:]] == [("无法读取", "坏.xlsx")]

    def test_header_differences_name_aliases_and_extra_columns(self, round_folder: Path,
                                                             tmp_path: Path) -> None:
        out = tmp_path / "汇总.xlsx"
        merge_ledgers([round_folder], out)
        heads = {r[1]: r for r in _sheet(out, SHEETS.MERGE_HEADERS)[1:]}
        assert heads["县财政局"][3] == "联系电话"
        assert heads["县财政局"][4] == "存在问题→具体问题、时限→完成时限、整改情况→整改落实情况"

    def test_detail_is_an_excel_table_and_overdue_is_most_late_first(self, round_folder: Path,
                                                                   tmp_path: Path) -> None:
        out = tmp_path / "汇总.xlsx"
        merge_ledgers([round_folder], out)
        wb = load_workbook(out)
        detail = wb[SHEETS.MERGE_DETAIL]
        last = col_letter(len(COLUMNS) + 1)  # 单位 + the ledger's columns
        assert [t.ref for t in detail.tables.values()] == [f"A1:{last}21"]
        late = [r[8] for r in _sheet(out, SHEETS.MERGE_OVERDUE)[1:]]
        assert late == [91, 20, 10, 10]  # the text date 2021年8月1日 read as a date
        assert wb.sheetnames == [SHEETS.MERGE_SUMMARY, SHEETS.MERGE_DETAIL, SHEETS.MERGE_STREAMS,
                                 SHEETS.MERGE_RANKING,
                                 SHEETS.MERGE_OVERDUE,
                                 SHEETS.MERGE_ROSTER, SHEETS.MERGE_FINDINGS, SHEETS.MERGE_HEADERS]
        assert wb[SHEETS.MERGE_SUMMARY]._charts  # the completion bar chart

    def test_formula_like_text_stays_text(self, tmp_path: Path) -> None:
        write_ledger(tmp_path / "a.xlsx", unit_records("县委办"))
        wb = load_workbook(tmp_path / "a.xlsx")
        cell = wb[SHEETS.LEDGER]["E2"]  # 整改措施 of the first measure, typed text by a unit
        cell.value, cell.data_type = '=HYPERLINK("http://evil","点击")', "s"
        wb.save(tmp_path / "a.xlsx")
        out = tmp_path / "o.xlsx"
        merge_ledgers([tmp_path / "a.xlsx"], out)
        cell = load_workbook(out)[SHEETS.MERGE_DETAIL]["F2"]
        assert (cell.value, cell.data_type) == ('=HYPERLINK("http://evil","点击")', "s")


class TestRealLedgersDiffer:
    # every alias the issue names, over two files (a header can only hold one of a pair)
    RENAMED = (
        {"方面": "问题类别", "具体问题": "存在问题", "整改状态": "整改进展", "责任部门": "责任单位",
         "完成时限": "时限", "整改落实情况": "整改情况"},
        {"具体问题": "问题描述", "整改状态": "整改进度"},
    )

    def test_every_alias_is_mapped_reported_and_counted_like_the_template(self, tmp_path: Path) -> None:
        """Renamed headers give the same 汇总 counts and 明细 cells as the template's headers."""
        for i, rename in enumerate(self.RENAMED):
            write_ledger(tmp_path / f"模板{i}.xlsx", unit_records(f"模板单位{i}", overdue=2, due_soon=1))
            write_ledger(tmp_path / f"改名{i}.xlsx", unit_records(f"改名单位{i}", overdue=2, due_soon=1),
                         rename=rename)
        out = tmp_path / "out" / "汇总.xlsx"
        out.parent.mkdir()
        merge_ledgers([tmp_path], out)
        rows = _summary_rows(out)
        counts = [k for k in _KEYS if k not in ("unit", "source", "sha256")]
        for i in range(len(self.RENAMED)):
            assert [rows[f"改名单位{i}"][k] for k in counts] == [rows[f"模板单位{i}"][k] for k in counts]
        heads = {r[1]: r for r in _sheet(out, SHEETS.MERGE_HEADERS)[1:]}
        assert sorted(heads) == ["改名单位0", "改名单位1"]
        assert heads["改名单位0"][4] == ("问题类别→方面、存在问题→具体问题、责任单位→责任部门、"
                                        "时限→完成时限、整改进展→整改状态、整改情况→整改落实情况")
        assert heads["改名单位1"][4] == "问题描述→具体问题、整改进度→整改状态"
        assert heads["改名单位0"][2] is None and heads["改名单位0"][3] is None  # nothing lacking/extra
        detail = _sheet(out, SHEETS.MERGE_DETAIL)
        by_unit = {}
        for r in detail[1:]:
            by_unit.setdefault(r[0], []).append(r[2:])  # all but 单位 and 序号
        assert by_unit["改名单位0"] == [[v.replace("模板", "改名") if isinstance(v, str) else v
                                     for v in r] for r in by_unit["模板单位0"]]

    def test_lacking_columns_are_listed(self, tmp_path: Path) -> None:
        records = unit_records("县委办")
        for row in records.measures:
            row.pop("evidence", None)
            row.pop("remark", None)
        from openpyxl import load_workbook

        path = write_ledger(tmp_path / "a.xlsx", records)
        wb = load_workbook(path)
        ws = wb[SHEETS.LEDGER]
        keys = [c.key for c in COLUMNS]
        ws.delete_cols(keys.index("remark") + 1)  # 备注 first: deleting 佐证材料 moves it
        ws.delete_cols(keys.index("evidence") + 1)
        wb.save(path)
        out = tmp_path / "o.xlsx"
        merge_ledgers([path], out)
        heads = _sheet(out, SHEETS.MERGE_HEADERS)[1:]
        assert [(r[1], r[2], r[3], r[4]) for r in heads] == [("县委办", "佐证材料、备注", None, None)]


class TestLayout:
    def test_summary_has_traffic_light_fills_worst_first_and_the_total_last(self, tmp_path: Path
                                                                          ) -> None:
        write_ledger(tmp_path / "a.xlsx", unit_records("绿单位", overdue=0, done=6))
        write_ledger(tmp_path / "b.xlsx", unit_records("红单位", overdue=1))
        write_ledger(tmp_path / "c.xlsx", unit_records("黄单位", overdue=0, due_soon=1))
        out = tmp_path / "o.xlsx"
        merge_ledgers([tmp_path / n for n in ("a.xlsx", "b.xlsx", "c.xlsx")], out)
        ws = load_workbook(out)[SHEETS.MERGE_SUMMARY]
        assert [ws.cell(r, 1).value for r in range(3, 7)] == ["红单位", "黄单位", "绿单位", "合计"]
        fills = [ws.cell(r, 1).fill.fgColor.rgb for r in range(3, 6)]
        assert fills == ["FFFFC7CE", "FFFFEB9C", "FFC6EFCE"]  # red, amber, green
        assert all(ws.cell(r, c).fill.fgColor.rgb == fills[r - 3]
                   for r in range(3, 6) for c in range(1, len(_KEYS) + 1))
        assert ws.cell(6, 1).font.b and ws.cell(6, 3).value == 18
        assert ws.cell(3, _KEYS.index("completion_rate") + 1).number_format == "0.0%"
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9  # A4
        chart = ws._charts[0]
        rate = col_letter(_KEYS.index("completion_rate") + 1)
        assert chart.series[0].val.numRef.f == f"汇总!${rate}$3:${rate}$5"  # 完成率 of the three units

    def test_overdue_sheet_names_leader_and_department_most_days_first(self, tmp_path: Path
                                                                      ) -> None:
        records = unit_records("县委办", overdue=2)
        records.measures[3].update(leader="张副书记", department="办公室")
        write_ledger(tmp_path / "a.xlsx", records)
        write_ledger(tmp_path / "b.xlsx", unit_records("县司法局", overdue=1))
        out = tmp_path / "o.xlsx"
        merge_ledgers([tmp_path / "a.xlsx", tmp_path / "b.xlsx"], out)
        rows = _sheet(out, SHEETS.MERGE_OVERDUE)
        head = rows[0]
        assert "责任领导" in head and "责任部门" in head
        picked = [(r[0], r[head.index("责任领导")], r[head.index("责任部门")], r[head.index("逾期天数")])
                  for r in rows[1:]]
        assert picked == [("县委办", "领导3", "科室2", 20), ("县司法局", "领导2", "科室1", 10),
                          ("县委办", "张副书记", "办公室", 10)]


class TestRoster:
    def test_duplicate_unit_latest_as_of_wins(self, tmp_path: Path) -> None:
        write_ledger(tmp_path / "九月.xlsx", unit_records("县委办", as_of=date(2021, 9, 30)))
        write_ledger(tmp_path / "十月.xlsx", unit_records("县委办"))
        out = tmp_path / "out" / "汇总.xlsx"
        out.parent.mkdir()
        result = merge_ledgers([tmp_path], out)
        assert [Path(r.source).name for r in result.consolidation.rows] == ["十月.xlsx"]
        roster = _sheet(out, SHEETS.MERGE_ROSTER)[1:]
        assert [(r[0], r[1], Path(str(r[3])).name) for r in roster] == [
            ("县委办", "重复报送（已被替代）", "九月.xlsx")]

    def test_missing_and_stale_units_from_the_list(self, tmp_path: Path) -> None:
        write_ledger(tmp_path / "a.xlsx", unit_records("县委办"))
        write_ledger(tmp_path / "b.xlsx", unit_records("县司法局", as_of=date(2021, 9, 30)))
        (tmp_path / "名单.txt").write_text("县委办\n县司法局\n县财政局\n", encoding="utf-8")
        out = tmp_path / "o.xlsx"
        merge_ledgers([tmp_path / "a.xlsx", tmp_path / "b.xlsx"], out, units=tmp_path / "名单.txt",
                      as_of=date(2021, 10, 31))
        roster = _sheet(out, SHEETS.MERGE_ROSTER)[1:]
        assert [(r[0], r[1]) for r in roster] == [("县财政局", "未报送"), ("县司法局", "未更新")]

    def test_mails_and_archives_with_an_encrypted_attachment(self, tmp_path: Path) -> None:
        mails = tmp_path / "邮件"
        mails.mkdir()
        plain = xlsx_bytes(unit_records("县委办"), tmp_path)
        secret = encrypt(xlsx_bytes(unit_records("县司法局"), tmp_path), "pw")
        make_eml(mails / "1.eml", [("县委办台账.xlsx", plain)], style="gbk8bit")
        make_eml(mails / "2.eml", [("县司法局台账.xlsx", secret)], style="rfc2047")
        z = make_zip(tmp_path / "r.zip", {"财政局.xlsx": xlsx_bytes(unit_records("县财政局"), tmp_path)})
        locked = merge_ledgers([mails, z], tmp_path / "a.xlsx")
        assert sorted(r.unit for r in locked.consolidation.rows) == ["县委办", "县财政局"]
        opened = merge_ledgers([mails, z], tmp_path / "b.xlsx", password="pw")
        assert sorted(r.unit for r in opened.consolidation.rows) == ["县司法局", "县委办", "县财政局"]


class TestPreviousRound:
    def test_changes_since_the_previous_consolidation(self, tmp_path: Path) -> None:
        records = unit_records("县委办", overdue=2)
        write_ledger(tmp_path / "v1.xlsx", records)
        write_ledger(tmp_path / "gone.xlsx", unit_records("县司法局"))
        merge_ledgers([tmp_path / "v1.xlsx", tmp_path / "gone.xlsx"], tmp_path / "上轮.xlsx")
        records.measures[3].update(status="已完成", done_date=date(2021, 10, 20), progress="已完成。")
        records.measures.insert(0, dict(records.measures[0], measure="新增措施：建立长效机制", seq="0"))
        write_ledger(tmp_path / "v2.xlsx", records)
        write_ledger(tmp_path / "new.xlsx", unit_records("县财政局", overdue=0))
        result = merge_ledgers([tmp_path / "v2.xlsx", tmp_path / "new.xlsx"], tmp_path / "本轮.xlsx",
                               previous=tmp_path / "上轮.xlsx")
        changes = _sheet(tmp_path / "本轮.xlsx", SHEETS.MERGE_CHANGES)[1:]
        assert [(r[0], r[1], r[2], r[5]) for r in changes] == [
            ("县委办", "新增", 2, None),
            ("县委办", "销号、落实情况变更", 6, "整改状态：正在推进 → 已完成；整改落实情况已更新"),
            ("县财政局", "上轮汇总中无该单位", None, None),
            ("县司法局", "本轮未收到该单位的台账（上轮汇总中有）", None, None),
        ]
        assert result.changes is not None
        assert result.changes[0][1].old_as_of == date(2021, 10, 31)  # from the previous 汇总

    def test_previous_must_be_a_consolidated_workbook(self, tmp_path: Path) -> None:
        write_ledger(tmp_path / "a.xlsx", unit_records("县委办"))
        with pytest.raises(InputError, match="明细"):
            merge_ledgers([tmp_path / "a.xlsx"], tmp_path / "o.xlsx", previous=tmp_path / "a.xlsx")


class TestRefusals:
    def test_output_open_in_excel_is_not_overwritten(self, tmp_path: Path) -> None:
        write_ledger(tmp_path / "a.xlsx", unit_records("县委办"))
        (tmp_path / "o.xlsx").write_bytes(b"old")
        (tmp_path / "~$o.xlsx").write_bytes(b"lock")
        with pytest.raises(LockedError):
            merge_ledgers([tmp_path / "a.xlsx"], tmp_path / "o.xlsx")
        assert (tmp_path / "o.xlsx").read_bytes() == b"old"

    def test_a_previous_consolidation_in_the_folder_is_not_a_unit(self, tmp_path: Path) -> None:
        write_ledger(tmp_path / "a.xlsx", unit_records("县委办"))
        merge_ledgers([tmp_path], tmp_path / "汇总1.xlsx")
        result = merge_ledgers([tmp_path], tmp_path / "汇总2.xlsx")
        assert [r.unit for r in result.consolidation.rows] == ["县委办"]
        assert result.consolidation.roster[0].note == "这是汇总表，不是单位台账，已跳过"

    def test_nothing_readable_is_unusable_input(self, tmp_path: Path) -> None:
        (tmp_path / "x.xlsx").write_bytes(b"junk")
        with pytest.raises(InputError, match="没有可以读取的台账"):
            merge_ledgers([tmp_path / "x.xlsx"], tmp_path / "o.xlsx")


class TestWorkers:
    def test_worker_processes_give_the_same_workbook_rows(self, round_folder: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
        import rectify_xl.services.merge as service

        one = merge_ledgers([round_folder], tmp_path / "one.xlsx")
        monkeypatch.setattr(service, "PARALLEL_MIN_FILES", 2)
        monkeypatch.setattr(service.os, "cpu_count", lambda: 2)
        many = merge_ledgers([round_folder], tmp_path / "many.xlsx")
        assert many.consolidation.rows == one.consolidation.rows
        assert _sheet(tmp_path / "many.xlsx", SHEETS.MERGE_DETAIL) == _sheet(
            tmp_path / "one.xlsx", SHEETS.MERGE_DETAIL)

    def test_every_sheet_is_the_same_with_one_or_two_workers(
            self, round_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """Workers send compact results and 明细 is written as they arrive: same workbook."""
        import rectify_xl.services.merge as service

        write_ledger(round_folder / "戊.xlsx", unit_records("县委办", overdue=0))  # a duplicate
        merge_ledgers([round_folder], tmp_path / "one.xlsx", as_of=date(2021, 10, 31))
        monkeypatch.setattr(service, "PARALLEL_MIN_FILES", 2)
        monkeypatch.setattr(service.os, "cpu_count", lambda: 2)
        merge_ledgers([round_folder], tmp_path / "two.xlsx", as_of=date(2021, 10, 31))
        one, two = (read_grids(tmp_path / name) for name in ("one.xlsx", "two.xlsx"))
        assert list(one) == list(two)
        for name in one:
            assert one[name].rows == two[name].rows, name
            assert one[name].merges == two[name].merges, name


def test_output_named_as_an_input_is_refused(tmp_path: Path) -> None:
    write_ledger(tmp_path / "a.xlsx", unit_records("县委办"))
    before = sha256(tmp_path / "a.xlsx")
    with pytest.raises(InputError, match="也是输入文件"):
        merge_ledgers([tmp_path / "a.xlsx"], tmp_path / "a.xlsx")
    assert sha256(tmp_path / "a.xlsx") == before


def test_merge_and_diff_import_no_heavy_library(tmp_path: Path) -> None:
    """Workers and the parent read with calamine and write with XlsxWriter: no pandas, openpyxl."""
    import subprocess
    import sys

    write_ledger(tmp_path / "a.xlsx", unit_records("县委办"))
    write_ledger(tmp_path / "b.xlsx", unit_records("县司法局"))
    code = (
        "import sys\nfrom pathlib import Path\n"
        "from rectify_xl.services.merge import diff_files, merge_ledgers\n"
        f"d = Path({str(tmp_path)!r})\n"
        "merge_ledgers([d / 'a.xlsx', d / 'b.xlsx'], d / 'o.xlsx')\n"
        "diff_files(d / 'a.xlsx', d / 'b.xlsx')\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    mods = set(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              check=True, timeout=60).stdout.split())
    assert "xlsxwriter" in mods and "python_calamine" in mods
    assert not {"pandas", "numpy", "openpyxl", "jinja2", "docx", "xlwings"} & mods


def test_a_reader_panic_on_one_file_does_not_stop_the_merge(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """python-calamine turns a Rust panic into pyo3's PanicException, a BaseException."""
    import rectify_xl.adapters.xlsx_reader as reader

    class PanicException(BaseException):
        pass

    write_ledger(tmp_path / "a.xlsx", unit_records("县委办"))
    write_ledger(tmp_path / "b.xlsx", unit_records("县司法局"))
    real = reader.read_grids

    def read_grids(path: Path, sheets: set[str] | None = None) -> object:
        if Path(path).name == "b.xlsx":
            raise PanicException("index out of range")
        return real(path, sheets)

    monkeypatch.setattr(reader, "read_grids", read_grids)
    result = merge_ledgers([tmp_path / "a.xlsx", tmp_path / "b.xlsx"], tmp_path / "o.xlsx")
    assert [r.unit for r in result.consolidation.rows] == ["县委办"]
    assert [(Path(e.source).name, e.note) for e in result.consolidation.roster] == [
        ("b.xlsx", "文件内容异常，无法解析（PanicException）")]


@pytest.mark.parametrize("option", ["previous", "units"])
def test_output_named_as_the_previous_round_or_the_unit_list_is_refused(tmp_path: Path,
                                                                       option: str) -> None:
    """`-o 汇总.xlsx --previous 汇总.xlsx` would overwrite last round's record: refused."""
    write_ledger(tmp_path / "a.xlsx", unit_records("县委办"))
    merge_ledgers([tmp_path / "a.xlsx"], tmp_path / "汇总.xlsx")
    before = sha256(tmp_path / "汇总.xlsx")
    with pytest.raises(InputError, match="请另选输出文件名"):
        merge_ledgers([tmp_path / "a.xlsx"], tmp_path / "." / "汇总.xlsx",
                      **{option: tmp_path / "汇总.xlsx"})  # type: ignore[arg-type]
    assert sha256(tmp_path / "汇总.xlsx") == before

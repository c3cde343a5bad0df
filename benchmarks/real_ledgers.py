"""How many real-shaped ledgers the reader understands (issue 14), beside a naive baseline.

Runs the reader over the test corpus (tests/ledger_corpus.py: 18 shapes units keep) plus header
sets taken from the researched systems' export templates (core/aliases.py names the sources;
some of them are not rectification ledgers at all and must NOT be taken for one), and prints per
workbook: the sheet found, the columns mapped, whether the counts equal what the rows say.

The baseline is the reader as it was before issue 14: only a sheet named 整改清单, only the
template's own header texts. Usage: python benchmarks/real_ledgers.py
"""

from __future__ import annotations

import sys
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rectify_xl.adapters.xlsx_reader import read_grids, read_ledger  # noqa: E402
from rectify_xl.core.parse import cell_text  # noqa: E402
from rectify_xl.core.progress import summarize  # noqa: E402
from rectify_xl.core.schema import COLUMNS, SHEETS  # noqa: E402
from rectify_xl.errors import InputError  # noqa: E402
from tests.ledger_corpus import (  # noqa: E402
    CORPUS,
    DOING,
    DONE,
    THREE_STATE,
    Book,
    Column,
    expected_counts,
    ledger_rows,
)
from tests.ledger_corpus import _problems as problems_of  # noqa: E402

AS_OF = date(2021, 10, 31)


@dataclass(frozen=True)
class Research:
    """A header set copied from a researched source; ``ledger`` False: not a rectification
    ledger (a system's internal table), which the reader must refuse rather than misread."""

    name: str
    source: str
    headers: tuple[str, ...]
    ledger: bool
    mapped: int  # how many of the headers name one of our fields (counted by hand)


RESEARCH = (
    Research("s1_vxe_table", "S1 巡视整改 vxe-table columns", (
        "序号", "巡视反馈重点方面", "巡视反馈重点内容", "巡视反馈具体问题", "整改计划", "上周进度 %",
        "整改进度 %", "整改描述", "责任领导", "分管领导", "整体牵头部门/负责人", "整改时限"), True, 11),
    Research("s7_three_lists", "S7 published 整改台账 (问题/任务/责任清单)", (
        "序号", "问题类别", "存在问题", "整改措施", "责任领导", "责任单位", "责任人", "整改时限",
        "完成情况", "整改成效"), True, 10),
    # a hazard (隐患) rectification register has a ledger's shape: the thing to fix, the measure,
    # the deadline, the person and the state (整改隐患内容/整改措施/整改时限/整改责任人/整改完成情况,
    # 备注); read as one since headers are read by their words (core/header_guess)
    Research("s3_hazard_export", "S3 json-excel hazard rectification export", (
        "排查日期", "整改隐患内容", "整改措施", "整改时限", "应急措施和预案", "整改责任人", "填表人",
        "整改资金", "整改完成情况", "备注"), True, 6),
    Research("s2_jeecg_entity", "S2 JeecgBoot @Excel entity", (
        "uuid", "问题ID", "整改措施", "整改时限", "责任单位的责任部门id", "排序 越小越靠前"), False, 0),
    # issue 13: a 督察整改任务 table (public code, id 41961858969) lists tasks with no problem
    # column: not a ledger, refused rather than read with invented problems
    Research("s9_inspection_tasks", "督察整改任务 el-table (public code, id 41961858969)", (
        "序号", "督察类型", "督察轮次、批次", "地区", "方案名称", "整改任务内容", "整改目标", "完成情况",
        "完成时限", "是否重点", "大概位置"), False, 0),
)

_GETTERS: dict[str, Column] = {}


def _value(header: str, p: object, m: object) -> object:
    """A plausible cell for a researched header (the rows are generated, the headers are real)."""
    from tests.ledger_corpus import M, P

    assert isinstance(p, P) and isinstance(m, M)
    if "方面" in header or "类别" in header:
        return p.aspect
    if "重点内容" in header:
        return p.feedback
    if "问题" in header or "隐患" in header:
        return p.problem
    if "措施" in header or "计划" in header:
        return m.text
    if "进度" in header:
        return (m.percent or 0) / 100
    if "时限" in header:
        return m.deadline if m.deadline != "长期坚持" else date(2021, 12, 31)
    if header.endswith("完成情况"):
        return m.word
    if "描述" in header or "成效" in header:
        return m.progress
    if "/" in header:
        return f"{m.dept}/{m.person}"
    if "领导" in header:
        return m.leader
    if "单位" in header:
        return m.dept
    if "责任人" in header:
        return m.person
    return "—"


def build_research(r: Research, folder: Path) -> tuple[Path, object]:
    stated = any(h.endswith("完成情况") for h in r.headers)  # a column of status words
    words = THREE_STATE if stated else [
        (w, DONE if s in (DONE, "ongoing") else DOING) for w, s in THREE_STATE]
    problems = problems_of(words, percent=True)
    if any("进度" in h for h in r.headers) and not stated:
        expected = expected_counts(problems_of(
            [("", DONE if s in (DONE, "ongoing") else DOING) for _w, s in THREE_STATE]), "Sheet1")
    else:
        expected = expected_counts(problems, "Sheet1")
    cols: list[Column] = [(h, lambda p, m, h=h: _value(h, p, m)) for h in r.headers]
    rows, merges = ledger_rows(problems, cols, first_row=3)
    book = Book()
    book.add("Sheet1", [[f"{r.source}"], list(r.headers), *rows], merges)
    return book.save(folder / f"{r.name}.xlsx"), expected


def baseline_mapped(path: Path) -> tuple[str | None, int]:
    """The pre-issue-14 reader: a sheet named 整改清单 and the template's exact header texts."""
    grids = read_grids(path)
    grid = grids.get(SHEETS.LEDGER)
    if grid is None:
        return None, 0
    ours = {c.header for c in COLUMNS}
    best = max((sum(1 for v in row if cell_text(v) in ours) for row in grid.rows[:15]), default=0)
    return (SHEETS.LEDGER if best >= 2 else None), best


def counts_of(path: Path) -> tuple[str | None, int, tuple[int, ...] | None]:
    try:
        ledger = read_ledger(path)
    except InputError:
        return None, 0, None
    s = summarize(ledger, as_of=AS_OF, breakdowns=False)
    mapped = len(set(ledger.layout.columns.values()))
    return ledger.ledger_sheet, mapped, (s.measure_count, s.measures_done, s.measures_ongoing,
                                         s.measures_basic, s.measures_in_progress, s.measures_unset)


def main() -> None:
    rows: list[tuple[str, bool, str | None, bool, int, int, bool, str | None]] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cases: list[tuple[str, Path, object, bool, int]] = []
        for shape in CORPUS:  # their columns are checked by the tests; here: sheet and counts
            path = shape.build(folder / f"{shape.name}.xlsx")
            cases.append((shape.name, path, shape.expected, True, -1))
        for r in RESEARCH:
            path, expected = build_research(r, folder)
            cases.append((r.name, path, expected, r.ledger, r.mapped))
        for name, path, e, is_ledger, want in cases:
            sheet, mapped, counts = counts_of(path)
            base_sheet, base_mapped = baseline_mapped(path)
            exp = (e.measures, e.done, e.ongoing, e.basic, e.in_progress, e.unset)  # type: ignore[attr-defined]
            right_sheet = (sheet is not None) == is_ledger
            rows.append((name, is_ledger, sheet, right_sheet, mapped, want,
                         counts == exp if is_ledger else counts is None, base_sheet))
            of = f"/{want:2}" if want >= 0 else "   "
            print(f"{name:24} sheet={sheet!s:14} {'ok ' if right_sheet else 'BAD'} "
                  f"mapped={mapped:2}{of} counts={'ok' if rows[-1][6] else 'WRONG'}   "
                  f"| baseline sheet={base_sheet!s:6} mapped={base_mapped:2}")
    n = len(rows)
    found = sum(r[3] for r in rows)
    counted = sum(r[6] for r in rows)
    base_found = sum(1 for r in rows if (r[7] is not None) == r[1])
    research = [r for r in rows if r[5] >= 0]
    mapped, wanted = sum(min(r[4], r[5]) for r in research), sum(r[5] for r in research)
    print()
    print(f"sheets found correctly : {found}/{n}   (baseline {base_found}/{n})")
    print(f"fields mapped          : {mapped}/{wanted} of the researched header sets "
          "(counted by hand)")
    print(f"counts equal the rows  : {counted}/{n}")


if __name__ == "__main__":
    main()

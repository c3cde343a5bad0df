"""The tuned reader gives the same Ledger as the straightforward one (issue 12, item 8).

core/parse.py reads measure rows column by column with per-value caches so that a 10,000-row
ledger validates in a fraction of a file read; tests/parse_reference.py keeps the plain
row-by-row reading it replaced. Both read the corpus of real shapes (tests/ledger_corpus.py),
the shipped workbooks, and seeded random sheets holding every kind of cell a reader meets (text
with CR and ideographic spaces, numbers, booleans, dates, date-times, text dates, serials,
percentages, 长期 坚持, merged and unmerged problem cells, short rows, a combined 部门/负责人
column, a merged 序号, outcome figures) — and must agree on every field of every Measure.
"""

from __future__ import annotations

import random
from datetime import date, datetime
from pathlib import Path

import pytest

from rectify_xl.adapters.xlsx_reader import read_grids
from rectify_xl.core.model import Grid
from rectify_xl.core.parse import (
    find_header,
    parse_ledger,
    parse_measures,
    parse_status_words,
    sheet_named,
)
from rectify_xl.core.schema import COLUMNS, OUTCOMES, SHEETS
from tests.ledger_corpus import CORPUS, build
from tests.parse_reference import filled_rows, reference_measures

ROOT = Path(__file__).resolve().parents[2]


def assert_same_reading(grids: dict[str, Grid]) -> None:
    ledger = parse_ledger(grids)
    grid = grids[ledger.ledger_sheet]
    rows = filled_rows(grid)
    layout = find_header(grid, rows)
    assert ledger.layout == layout
    words, _notes = parse_status_words(sheet_named(grids, SHEETS.OPTIONS))
    expected = reference_measures(grid, layout, rows, words, ledger.info.feedback_date)
    assert len(ledger.measures) == len(expected)
    for got, want in zip(ledger.measures, expected, strict=True):
        assert got == want, (got.row, got, want)
    # parse_measures called on its own (merge's consolidate does) reads the same
    assert parse_measures(grid, layout, None, words, feedback=ledger.info.feedback_date) == expected


@pytest.mark.parametrize("shape", CORPUS, ids=[s.name for s in CORPUS])
def test_corpus_shapes_read_the_same(shape, tmp_path: Path) -> None:
    assert_same_reading(read_grids(build(shape, tmp_path)))


@pytest.mark.parametrize("path", sorted((ROOT / "workbook").rglob("*.xls[xm]")),
                         ids=lambda p: p.name)
def test_shipped_workbooks_read_the_same(path: Path) -> None:
    assert_same_reading(read_grids(path))


# --- seeded random sheets --------------------------------------------------------------------
_TEXTS = ("", "  ", "办公室", " 办公室 ", "组织科\r\n纪检组", "财务科\u3000", "副书记1", "已完成",
          "已 完成", "正在推进", "长期坚持", "长期 坚持", "长期\u3000坚持", "基本完成", "办结", "差不多了",
          "80%", "60％", "1", "2021年9月30日", "2021.7.31", "20210731", "2021-13-40", "待定",
          "办公室/张三", "办公室、李四", "组织科/", "建立健全制度并抓好落实，", "认真的开展学习。",
          "2024年6月底前", "2024年底", "2024年上半年", "2024年第三季度", "持续推进", "长期",
          "立行立改", "2021年9月30日前")
_VALUES = (None, None, None, 0, 1, 3.0, 0.4, 0.999, 1.0, 60, 150, 44469, 44469.5, -3, True, False,
           date(2021, 9, 30), datetime(2021, 10, 1), datetime(2021, 10, 1, 8, 30), "08:30:00",
           float("nan"))


def _cell(rng: random.Random) -> object:
    return rng.choice(_TEXTS) if rng.random() < 0.6 else rng.choice(_VALUES)


def _random_grid(seed: int, *, merges: bool | None, header: list[str]) -> Grid:
    """A title row, the header, then rows of random cells (some short, some blank) and, when
    ``merges``, problem-level and 序号 cells merged over runs of rows."""
    rng = random.Random(seed)
    width = len(header)
    rows: list[list[object]] = [["某单位巡察整改台账"], list(header)]
    for _ in range(rng.randint(40, 120)):
        if rng.random() < 0.08:
            rows.append([])
            continue
        row = [_cell(rng) for _ in range(width + rng.randint(-3, 2))]
        rows.append(row)
    merged: list[tuple[int, int, int, int]] = []
    if merges:
        grouped = [i + 1 for i, h in enumerate(header)
                   if h in ("方面", "反馈问题", "具体问题", "序号", OUTCOMES[0].header)]
        r = 3
        while r < len(rows):
            size = rng.randint(1, 4)
            if size > 1 and r + size - 1 <= len(rows):
                for c in grouped:
                    merged.append((r, c, r + size - 1, c))
            r += size
        for _ in range(rng.randint(0, 4)):  # odd shapes too: across columns, overlapping
            r1, c1 = rng.randint(1, len(rows)), rng.randint(1, width)
            merged.append((r1, c1, r1 + rng.randint(0, 3), c1 + rng.randint(0, 3)))
    return Grid("整改清单", rows, None if merges is None else tuple(merged))


_TEMPLATE_HEADER = [c.header for c in COLUMNS]
_HEADERS = {
    "template": _TEMPLATE_HEADER,
    "template_and_extras": [*_TEMPLATE_HEADER, "备用列", "联系电话"],
    "combined_person": ["序号", "具体问题", "整改措施", "责任部门/责任人", "完成时限", "整改状态",
                        "整改落实情况"],
    "percent_no_status": ["序号", "反馈问题", "整改措施", "责任单位", "完成时限", "完成进度",
                          "整改进展"],
    "two_leaders": ["序号", "方面", "具体问题", "整改措施", "责任领导", "分管领导", "牵头部门",
                    "配合单位", "完成时限", "完成情况", "完成时间"],
    "tick_columns": ["序号", "具体问题", "整改措施", "责任部门", "完成时限", "已完成", "未完成",
                     "长期坚持"],
}


@pytest.mark.parametrize("merges", [True, False, None], ids=["merged", "unmerged", "remote"])
@pytest.mark.parametrize("shape", sorted(_HEADERS))
def test_random_sheets_read_the_same(shape: str, merges: bool | None) -> None:
    for seed in range(12):
        grid = _random_grid(seed, merges=merges, header=_HEADERS[shape])
        assert_same_reading({grid.name: grid})


def test_random_sheets_with_own_status_words_read_the_same() -> None:
    options = Grid(SHEETS.OPTIONS, [["状态用语", "视为状态"], ["差不多了", "基本完成"],
                                    ["办 结", "已完成"]], ())
    for seed in range(6):
        grid = _random_grid(100 + seed, merges=True, header=_TEMPLATE_HEADER)
        assert_same_reading({grid.name: grid, options.name: options})

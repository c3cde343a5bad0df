"""The consolidated workbook's descriptions (core.merge_sheets) and the style layering they use."""

from __future__ import annotations

import re
from pathlib import Path

from rectify_xl.core import merge_sheets
from rectify_xl.core.consolidate import consolidate
from rectify_xl.core.schema import MERGE_OVERDUE_COLUMNS, MERGE_SUMMARY_COLUMNS, SHEETS
from rectify_xl.core.sheet_spec import COLOURS, STYLES, Style, compose
from tests.integration.test_merge_workbook_snapshot import _unit


def test_styles_layer_later_settings_over_earlier_ones() -> None:
    assert compose(("table", "integer", "red")) == Style(
        fill=COLOURS["red"], number_format="0", font="宋体", size=10, valign="center", border=1)
    assert compose(("table", "tiny")).size == 6  # the later size wins
    assert compose(("table", "total")) == Style(bold=True, font="宋体", size=10, valign="center",
                                                border=1, top=2)
    assert compose(("header",)) is STYLES["header"]


def test_colours_are_defined_once() -> None:
    fills = [s.fill for s in STYLES.values() if s.fill]
    assert set(fills) <= set(COLOURS.values())
    source = (Path(merge_sheets.__file__).read_text(encoding="utf-8")
              + Path(merge_sheets.__file__).with_name("output_sheets.py").read_text(encoding="utf-8"))
    assert not re.search(r"#[0-9a-fA-F]{6}", source)  # layouts name styles, never colours


def test_summary_rows_are_filled_by_their_units_state_and_headers_come_from_the_schema() -> None:
    c = consolidate([_unit("县委办", overdue=2), _unit("县司法局", overdue=0, done=6)])
    spec = merge_sheets.summary_sheet(c)
    values = spec.values()
    header = spec.page.repeat if spec.page else 0
    assert tuple(values[(header, col)] for col in range(1, len(MERGE_SUMMARY_COLUMNS) + 1)) == tuple(
        h for _, h in MERGE_SUMMARY_COLUMNS)
    fills = {s.top: s.style for s in spec.styles if s.style in ("red", "amber", "green")}
    assert [values[(r, 1)] for r in sorted(fills)] == ["县委办", "县司法局"]
    assert [fills[r] for r in sorted(fills)] == ["red", "green"]
    assert spec.chart is not None and spec.chart.kind == "bar"
    (series,) = spec.chart.series
    assert series.points == ("red_bar", "green_bar")
    assert spec.freeze == f"B{header + 1}" and spec.merges == ((1, 1, 1, len(MERGE_SUMMARY_COLUMNS)),)


def test_an_empty_list_says_so_under_its_header() -> None:
    c = consolidate([_unit("县司法局", overdue=0, done=6)])
    spec = merge_sheets.overdue_sheet(c)
    assert spec.name == SHEETS.MERGE_OVERDUE
    assert spec.values() == {**{(1, i): h for i, h in enumerate(MERGE_OVERDUE_COLUMNS, start=1)},
                             (2, 1): "（无逾期措施）"}
    assert spec.autofilter == "A1:K2"

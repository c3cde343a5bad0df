"""The round's figures read back from a consolidated workbook (issue 18). Pure: grids in.

`rectify-xl merge` writes 汇总 (one row per unit and a 合计 row, with the outcome figures units
gave), 分类统计 (each unit's problems per 类别 and a 合计 row per stream), 未报送 and 校验问题. The
round 通报 and 催报 work from those sheets, so every figure they state is one the 巡察办 can find in
the workbook. Before a figure is used it is checked: a 合计 that is not the sum of its units (a
hand-edited workbook), a unit whose problems do not add up across its streams, and a unit whose
ledger has validation errors are findings (errors) naming the cells.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from rectify_xl.core.dates import parse_date
from rectify_xl.core.findings import Finding, Severity
from rectify_xl.core.model import Grid, col_letter
from rectify_xl.core.outcomes import StreamRow
from rectify_xl.core.rules.registry import code_registrar
from rectify_xl.core.schema import (
    MERGE_FINDINGS_COLUMNS,
    MERGE_ROSTER_COLUMNS,
    MERGE_STREAM_COLUMNS,
    MERGE_SUMMARY_COLUMNS,
    MERGE_TOTAL,
    OUTCOMES,
    SHEETS,
    Stream,
)
from rectify_xl.errors import InputError

__all__ = [
    "RoundFigures",
    "RoundUnit",
    "read_round",
    "round_sheets",
    "unit_kind",
]

_code = code_registrar("round")

TOTAL_MISMATCH = _code("RX474", Severity.ERROR, "汇总表合计与各单位之和不符",
                       "“{label}”的合计为{value}，各单位之和为{expected}；汇总表可能被手工改动过，"
                       "请用 rectify-xl merge 重新汇总")
UNIT_MISMATCH = _code("RX475", Severity.ERROR, "单位问题数与分类统计不符",
                      "“{unit}”在“{summary}”表的具体问题数为{value}，“{streams}”表各类别之和为"
                      "{expected}；请重新汇总")
UNIT_ERRORS = _code("RX476", Severity.ERROR, "单位台账有校验错误",
                    "“{unit}”的台账{location}有错误：{message}（通报中该单位的数字可能不准确，"
                    "请该单位改正后重新报送、重新汇总）")

# The sheets a round 通报 reads (read_grids reads only these).
_REQUIRED = (SHEETS.MERGE_SUMMARY, SHEETS.MERGE_STREAMS, SHEETS.MERGE_ROSTER)


def round_sheets() -> set[str]:
    return {*_REQUIRED, SHEETS.MERGE_FINDINGS}


@dataclass(frozen=True, slots=True)
class RoundUnit:
    """One reporting unit of the round, as 汇总 and 分类统计 give it."""

    name: str
    kind: str  # 部门（单位）/ 乡镇（街道）/ … (``unit_kind``)
    streams: Mapping[str, StreamRow]
    outcomes: Mapping[str, float]
    measures: int
    overdue: int
    errors: int
    as_of: date | None
    behind: int = 0  # measures behind 序时进度 (issue 17), when 汇总 has the column
    measure_rate: float = 0.0  # 汇总's 完成率 (closed measures over measures)

    def stream(self, stream: Stream) -> StreamRow:
        return self.streams.get(stream.value) or StreamRow(stream.value, 0, 0, 0, 0, 0, 0)


@dataclass(frozen=True)
class RoundFigures:
    as_of: date | None  # the round's date (the title of 汇总), else the latest unit date
    units: tuple[RoundUnit, ...]  # in 汇总's order
    missing: tuple[str, ...]  # 未报送
    stale: tuple[tuple[str, date | None], ...]  # 未更新, with the date the unit reported
    unreadable: int  # files that could not be read
    totals: Mapping[str, StreamRow]  # per stream, over the units
    outcomes: Mapping[str, float]  # per figure, over the units that gave it
    findings: tuple[Finding, ...] = field(default=())

    @property
    def has_errors(self) -> bool:
        return any(f.severity is Severity.ERROR for f in self.findings)

    def total(self, stream: Stream) -> StreamRow:
        return self.totals.get(stream.value) or StreamRow(stream.value, 0, 0, 0, 0, 0, 0)


# Kinds of units as round notices count them ("对…4家单位开展常规巡察；对…32家事业单位…",
# "13个市州…91个省直单位、48所省属高校、25个省属国有企业党委（党组）"): by the end of the name,
# once the party-organisation suffix (党委, 党组, 党工委, 党总支, 党支部) is set aside.
_PARTY_SUFFIX = re.compile(r"(?:党委|党组|党工委|党总支|党支部|委员会)$")
_KINDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("村（社区）", ("村", "社区", "居委会", "村委会", "嘎查")),
    ("乡镇（街道）", ("镇", "乡", "街道", "街道办事处", "苏木")),
    ("学校", ("学校", "中学", "小学", "学院", "大学", "幼儿园", "中专", "职校")),
    ("医疗卫生机构", ("医院", "卫生院", "卫生服务中心", "疾控中心", "妇幼保健院")),
    ("国有企业", ("公司", "集团", "银行")),
)
OTHER_KIND = "部门（单位）"


def unit_kind(name: str) -> str:
    """The kind of a unit from its name: 某某镇 → 乡镇（街道）; anything else is 部门（单位）."""
    base = _PARTY_SUFFIX.sub("", re.sub(r"\s+", "", name))
    for kind, endings in _KINDS:
        if base.endswith(endings):
            return kind
    return OTHER_KIND


def _header_index(grid: Grid, needed: Sequence[str]) -> tuple[int, dict[str, int]]:
    """(0-based header row, header → column) of the first row holding every needed header."""
    for r, row in enumerate(grid.rows[:10]):
        texts = [str(v).strip() if v is not None else "" for v in row]
        if all(h in texts for h in needed):
            return r, {t: i for i, t in enumerate(texts) if t}
    raise InputError(f"“{grid.name}”工作表中找不到表头（应包含：{'、'.join(needed)}）："
                     "这不是 rectify-xl merge 生成的汇总表，或已被改动")


def _int(value: object) -> int:
    if isinstance(value, bool) or value is None or value == "":
        return 0
    if isinstance(value, int | float):
        return int(value)
    try:
        return int(float(str(value)))
    except ValueError:
        return 0


def _number(value: object) -> float | None:
    if isinstance(value, bool) or value is None or value == "":
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value))
    except ValueError:
        return None


def _cell(col: int, row: int) -> str:
    return f"{col_letter(col + 1)}{row + 1}"


_STREAM_FIELDS = ("problems", "rectified", "basic", "open", "measures", "measures_closed")
_AS_OF_RE = re.compile(r"截至(\d{4})年(\d{1,2})月(\d{1,2})日")


def _round_date(grid: Grid) -> date | None:
    """The round's date from 汇总's title "巡察整改进展汇总表（截至2021年10月31日）"."""
    for row in grid.rows[:2]:
        for v in row:
            m = _AS_OF_RE.search(str(v or ""))
            if m:
                try:
                    return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
                except ValueError:
                    return None
    return None


def _summary_units(grid: Grid) -> tuple[list[dict[str, object]], dict[str, object], list[Finding]]:
    """汇总's unit rows and 合计 row (values by key, plus "_row" = 0-based row)."""
    headers = dict(MERGE_SUMMARY_COLUMNS)
    top, index = _header_index(grid, [headers["unit"], headers["problems"], headers["measures"]])
    keys = {key: index[h] for key, h in (*MERGE_SUMMARY_COLUMNS, *((o.key, o.header)
                                                                   for o in OUTCOMES))
            if h in index}
    units: list[dict[str, object]] = []
    total: dict[str, object] = {}
    for r in range(top + 1, len(grid.rows)):
        row = grid.rows[r]
        values: dict[str, object] = {k: row[c] if c < len(row) else None for k, c in keys.items()}
        values["_row"] = r
        name = str(values.get("unit") or "").strip()
        if not name:
            break  # the note and the chart below the table
        if name == MERGE_TOTAL:
            total = values
            break
        units.append(values)
    findings: list[Finding] = []
    if total:
        for key in ("problems", "measures", "overdue",
                    *(o.key for o in OUTCOMES if o.key in keys)):
            parts = [_number(u.get(key)) for u in units]
            expected = round(sum(p for p in parts if p is not None), 4)
            value = _number(total.get(key))
            if key in keys and (value or 0.0) != expected and not (value is None and not any(
                    p is not None for p in parts)):
                label = headers.get(key) or next(o.header for o in OUTCOMES if o.key == key)
                findings.append(TOTAL_MISMATCH.finding(
                    grid.name, _cell(keys[key], int(total["_row"])),  # type: ignore[call-overload]
                    label=label, value=_shown(value), expected=_shown(expected)))
    return units, total, findings


def _shown(value: float | None) -> str:
    if value is None:
        return "（空）"
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _stream_rows(grid: Grid) -> tuple[dict[str, dict[str, StreamRow]], list[Finding]]:
    """分类统计: unit → stream → row; checks each 合计 row against its units."""
    headers = dict(MERGE_STREAM_COLUMNS)
    top, index = _header_index(grid, [headers[k] for k, _ in MERGE_STREAM_COLUMNS])
    col = {k: index[h] for k, h in MERGE_STREAM_COLUMNS}
    by_unit: dict[str, dict[str, StreamRow]] = {}
    totals: dict[str, tuple[int, StreamRow]] = {}
    for r in range(top + 1, len(grid.rows)):
        row = grid.rows[r]

        def get(key: str, row: list[object] = row) -> object:
            return row[col[key]] if col[key] < len(row) else None

        unit, stream = str(get("unit") or "").strip(), str(get("stream") or "").strip()
        if not unit or not stream:
            continue
        parsed = StreamRow(stream, *(_int(get(k)) for k in _STREAM_FIELDS))
        if unit == MERGE_TOTAL:
            totals[stream] = (r, parsed)
        else:
            by_unit.setdefault(unit, {})[stream] = parsed
    findings: list[Finding] = []
    for stream, (r, total) in totals.items():
        for key in _STREAM_FIELDS:
            expected = sum(getattr(rows[stream], key) for rows in by_unit.values() if stream in rows)
            if getattr(total, key) != expected:
                findings.append(TOTAL_MISMATCH.finding(
                    grid.name, _cell(col[key], r), label=f"{stream}{headers[key]}",
                    value=getattr(total, key), expected=expected))
    return by_unit, findings


def _roster(grid: Grid) -> tuple[list[str], list[tuple[str, date | None]], int]:
    top, index = _header_index(grid, list(MERGE_ROSTER_COLUMNS[:2]))
    unit_col, state_col = index[MERGE_ROSTER_COLUMNS[0]], index[MERGE_ROSTER_COLUMNS[1]]
    date_col = index.get(MERGE_ROSTER_COLUMNS[2])
    missing: list[str] = []
    stale: list[tuple[str, date | None]] = []
    unreadable = 0
    for row in grid.rows[top + 1:]:
        unit = str(row[unit_col] or "").strip() if unit_col < len(row) else ""
        state = str(row[state_col] or "").strip() if state_col < len(row) else ""
        if state == "未报送" and unit:
            missing.append(unit)
        elif state == "未更新" and unit:
            when = row[date_col] if date_col is not None and date_col < len(row) else None
            stale.append((unit, parse_date(when).value))
        elif state == "无法读取":
            unreadable += 1
    return missing, stale, unreadable


def _unit_errors(grid: Grid | None) -> list[Finding]:
    """Each ERROR row of 校验问题, as a finding naming the unit and its cell."""
    if grid is None:
        return []
    top, index = _header_index(grid, list(MERGE_FINDINGS_COLUMNS))
    unit_c, level_c, loc_c, msg_c = (index[h] for h in (MERGE_FINDINGS_COLUMNS[0], "级别", "位置",
                                                         "说明"))
    out: list[Finding] = []
    for r, row in enumerate(grid.rows[top + 1:], start=top + 1):
        def get(c: int, row: list[object] = row) -> str:
            return str(row[c] or "").strip() if c < len(row) else ""

        if get(level_c) == Severity.ERROR.label:
            out.append(UNIT_ERRORS.finding(grid.name, _cell(level_c, r), unit=get(unit_c),
                                           location=get(loc_c) or "", message=get(msg_c)))
    return out


def read_round(grids: Mapping[str, Grid]) -> RoundFigures:
    """The round's figures from the consolidated workbook's sheets; InputError when it is not one."""
    absent = [name for name in _REQUIRED if name not in grids]
    if absent:
        raise InputError(
            f"汇总表中没有“{'”“'.join(absent)}”工作表：请先用 rectify-xl merge（本版本）汇总各单位台账，"
            "再用汇总表生成通报")
    summary = grids[SHEETS.MERGE_SUMMARY]
    unit_rows, _total, findings = _summary_units(summary)
    streams, stream_findings = _stream_rows(grids[SHEETS.MERGE_STREAMS])
    findings += stream_findings
    problems_col = _header_index(summary, [dict(MERGE_SUMMARY_COLUMNS)["problems"]])[1]
    units: list[RoundUnit] = []
    for values in unit_rows:
        name = str(values["unit"]).strip()
        unit_streams = streams.get(name, {})
        problems = _int(values.get("problems"))
        stated = sum(s.problems for s in unit_streams.values())
        if problems != stated:
            findings.append(UNIT_MISMATCH.finding(
                summary.name, _cell(problems_col[dict(MERGE_SUMMARY_COLUMNS)["problems"]],
                                    int(values["_row"])),  # type: ignore[call-overload]
                unit=name, summary=SHEETS.MERGE_SUMMARY, streams=SHEETS.MERGE_STREAMS,
                value=problems, expected=stated))
        outcomes = {o.key: v for o in OUTCOMES if (v := _number(values.get(o.key))) is not None}
        units.append(RoundUnit(
            name=name, kind=unit_kind(name), streams=unit_streams, outcomes=outcomes,
            measures=_int(values.get("measures")), overdue=_int(values.get("overdue")),
            errors=_int(values.get("errors")), as_of=parse_date(values.get("as_of")).value,
            behind=_int(values.get("behind")),
            measure_rate=_number(values.get("completion_rate")) or 0.0))
    findings += _unit_errors(grids.get(SHEETS.MERGE_FINDINGS))
    missing, stale, unreadable = _roster(grids[SHEETS.MERGE_ROSTER])
    totals = {s.value: _sum_stream(s, units) for s in Stream}
    outcome_totals: dict[str, float] = {}
    for o in OUTCOMES:
        given = [u.outcomes[o.key] for u in units if o.key in u.outcomes]
        if given:
            outcome_totals[o.key] = round(sum(given)) if o.integer else round(sum(given), 4)
    as_of = _round_date(summary) or max((u.as_of for u in units if u.as_of), default=None)
    return RoundFigures(as_of, tuple(units), tuple(missing), tuple(stale), unreadable,
                        {k: v for k, v in totals.items() if v.problems}, outcome_totals,
                        tuple(findings))


def _sum_stream(stream: Stream, units: Iterable[RoundUnit]) -> StreamRow:
    parts = [u.stream(stream) for u in units]
    return StreamRow(stream.value, *(sum(getattr(p, f) for p in parts) for f in _STREAM_FIELDS))


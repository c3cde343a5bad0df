"""The consolidated workbook of ``rectify-xl merge``, sheet by sheet, described as data
(core.sheet_spec): 汇总 and 排名 with their bar charts, 分类统计, the 明细 sheet's header (its rows
are streamed in by adapters.merge_writer), 逾期, 未报送, 校验问题, 表头差异, 变化 and the kept
催报记录. Headers come from core.schema; styles are named (core.sheet_spec.STYLES).

Every table: 宋体 cells ruled for printing, a header row repeated on each page, landscape A4 one
page wide, panes frozen below the header and right of the first column.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rectify_xl.core.consolidate import (
    Consolidation,
    UnitRow,
    ranking,
    stream_total,
    summary_columns,
)
from rectify_xl.core.diff import LedgerDiff
from rectify_xl.core.model import col_letter
from rectify_xl.core.schema import (
    COLUMN_BY_KEY,
    COLUMNS,
    INFO_BY_KEY,
    MERGE_CHANGES_COLUMNS,
    MERGE_FINDINGS_COLUMNS,
    MERGE_HEADERS_COLUMNS,
    MERGE_OVERDUE_COLUMNS,
    MERGE_RANKING_COLUMNS,
    MERGE_ROSTER_COLUMNS,
    MERGE_STREAM_COLUMNS,
    MERGE_SUMMARY_COLUMNS,
    MERGE_TOTAL,
    MERGE_UNIT,
    OUTCOME_BY_KEY,
    SHEETS,
    Stream,
)
from rectify_xl.core.sheet_spec import (
    Block,
    Chart,
    ExcelTable,
    Page,
    Series,
    SheetSpec,
    Styled,
    cell_ref,
)

__all__ = [
    "CHART_MAX_UNITS",
    "DETAIL_DATE",
    "HeaderDiff",
    "UnitChanges",
    "changes_sheet",
    "detail_sheet",
    "findings_sheet",
    "headers_sheet",
    "overdue_sheet",
    "ranking_sheet",
    "roster_sheet",
    "streams_sheet",
    "summary_sheet",
]

HeaderDiff = tuple[str, str, Sequence[str], Sequence[str], Sequence[str]]  # source, unit, lacks…
# A unit of the 变化 sheet: its diff since the previous round, or a note (e.g. not in that round).
UnitChanges = tuple[str, LedgerDiff | str]
Row = tuple[object, ...]

CHART_MAX_UNITS = 60  # a longer bar chart cannot be read on one page
DETAIL_DATE = ("cell", "date")  # the styles of a date among the streamed 明细 cells
_WIDTHS = {"unit": 22, "as_of": 12, "source": 30, "sha256": 36, "completion_rate": 9,
           "on_time_rate": 10}
_RATE_KEYS = {"completion_rate", "on_time_rate"}
# A unit row's cells by kind: the styles layered on "table" and the unit's fill; a total row's.
_BODY = {"text": ("wrap",), "int": ("integer",), "num": (), "rate": ("percent",), "date": ("day",),
         "hash": ("tiny",)}
_TOTAL = {"text": (), "int": ("integer",), "num": (), "rate": ("percent",), "date": ("date",),
          "hash": ()}


def _as_of_title(c: Consolidation) -> str:
    return f"（截至{c.as_of.year}年{c.as_of.month}月{c.as_of.day}日）" if c.as_of else ""


class _Table:
    """One sheet holding one table: optional merged title row, a header row, rows below."""

    def __init__(self, name: str, headers: Sequence[str], widths: Sequence[float],
                 title: str | None = None) -> None:
        self.name, self.width = name, len(headers)
        self.blocks: list[Block] = []
        self.styles: list[Styled] = []
        self.merges: tuple[tuple[int, int, int, int], ...] = ()
        self.heights: tuple[tuple[int, float], ...] = ()
        self.header = 1
        if title:
            self.blocks.append(Block(1, 1, ((title,),)))
            self.styles.append(Styled(1, 1, 1, self.width, "book_title"))
            self.merges, self.heights, self.header = ((1, 1, 1, self.width),), ((1, 28),), 2
        self.blocks.append(Block(self.header, 1, (tuple(headers),)))
        self.style(self.header, 1, self.header, self.width, "table", "table_header")
        self.widths = tuple((col_letter(c), float(w)) for c, w in enumerate(widths, start=1))
        if len(self.widths) != self.width:
            raise ValueError(f"{name}: {len(headers)} headers, {len(widths)} widths")
        self.first = self.header + 1  # the first row below the header

    def style(self, top: int, left: int, bottom: int, right: int, *names: str) -> None:
        self.styles.extend(Styled(top, left, bottom, right, n) for n in names)

    def note(self, row: int, text: str) -> None:
        self.blocks.append(Block(row, 1, ((text,),)))
        self.style(row, 1, row, 1, "book_note")

    def spec(self, *, chart: Chart | None = None, autofilter: str | None = None,
             column_style: str | None = None, table: ExcelTable | None = None) -> SheetSpec:
        return SheetSpec(self.name, tuple(self.blocks), styles=tuple(self.styles),
                         widths=self.widths, merges=self.merges, heights=self.heights,
                         freeze=cell_ref(self.header + 1, 2),
                         page=Page(landscape=True, repeat=self.header), chart=chart,
                         autofilter=autofilter, column_style=column_style, table=table)


# --- 汇总 -------------------------------------------------------------------------------------
def _kind(key: str) -> str:
    if key in _RATE_KEYS:
        return "rate"
    if key == "as_of":
        return "date"
    if key == "sha256":
        return "hash"
    if key in OUTCOME_BY_KEY and not OUTCOME_BY_KEY[key].integer:
        return "num"  # amounts (万元): General shows 1369.5 and 12 as typed
    return "text" if key in ("unit", "source") else "int"


def _rate_chart(sheet: str, rows: Sequence[UnitRow], first: int, unit_col: int, rate_col: int,
                at_row: int, name: str) -> Chart:
    """A bar per unit (at most CHART_MAX_UNITS) of the rates in rate_col, coloured by its RAG."""
    n = min(len(rows), CHART_MAX_UNITS)
    unit, rate = col_letter(unit_col), col_letter(rate_col)
    more = f"（前{n}个单位）" if len(rows) > n else ""
    series = Series(name, f"{unit}{first}:{unit}{first + n - 1}", f"{rate}{first}:{rate}{first + n - 1}",
                    tuple(f"{r.rag.value}_bar" for r in rows[:n]))
    return Chart(f"rx_{sheet}_{name}", "", f"A{at_row}", f"各单位{name}{more}", kind="bar",
                 series=(series,), value_format="0%", value_range=(0, 1),
                 size=(720, max(260, 22 * n + 90)), title_style="chart_title",
                 axis_style="chart_axis")


def summary_sheet(c: Consolidation) -> SheetSpec:
    """汇总: one row per unit (worst first) filled red/amber/green, the 合计 row, a note, and a
    bar chart of completion rates below (the sheet prints one page wide)."""
    columns = summary_columns(c)  # the outcome figures some unit gave, after 按期完成率
    keys = [k for k, _ in columns]
    t = _Table(SHEETS.MERGE_SUMMARY, [h for _, h in columns], [_WIDTHS.get(k, 8) for k in keys],
               f"巡察整改进展汇总表{_as_of_title(c)}")
    first, total = t.first, t.first + len(c.rows)
    t.blocks.append(Block(first, 1, tuple(tuple(r.value(k) for k in keys) for r in c.rows)))
    t.blocks.append(Block(total, 1, (tuple(c.total.value(k) for k in keys),)))
    t.style(first, 1, total, t.width, "table")
    for col, key in enumerate(keys, start=1):
        if c.rows:
            t.style(first, col, total - 1, col, *_BODY[_kind(key)])
        t.style(total, col, total, col, *_TOTAL[_kind(key)])
    for r, row in enumerate(c.rows, start=first):
        t.style(r, 1, r, t.width, row.rag.value)
    t.style(total, 1, total, t.width, "total")
    t.note(total + 1, "说明：红色为有逾期措施的单位，黄色为有临期措施的单位，"
           "绿色为无逾期、临期措施的单位；按逾期项数、完成率由差到好排序。")
    chart = None
    if c.rows:
        chart = _rate_chart(t.name, c.rows, first, 1, keys.index("completion_rate") + 1,
                            total + 3, dict(MERGE_SUMMARY_COLUMNS)["completion_rate"])
    return t.spec(chart=chart)


# --- 排名 / 分类统计 ----------------------------------------------------------------------------
def ranking_sheet(c: Consolidation) -> SheetSpec:
    """排名: units best first (core.consolidate.ranking), coloured as in 汇总, with a bar chart
    of the problem rectification rates."""
    keys = [k for k, _ in MERGE_RANKING_COLUMNS]
    t = _Table(SHEETS.MERGE_RANKING, [h for _, h in MERGE_RANKING_COLUMNS],
               [6, 22, 12, 10, 8, 8, 12, 10, 10], f"各单位整改情况排名{_as_of_title(c)}")
    rows = ranking(c.rows)
    first, note = t.first, t.first + len(rows)
    t.blocks.append(Block(first, 1, tuple(tuple(v[k] for k in keys) for v in rows)))
    if rows:
        t.style(first, 1, note - 1, t.width, "table")
        for col, key in enumerate(keys, start=1):
            kind = "text" if key == "unit" else "rate" if key.endswith("rate") else "int"
            t.style(first, col, note - 1, col, *_BODY[kind])
    units: list[UnitRow] = [v["_row"] for v in rows]  # type: ignore[misc]
    for r, row in enumerate(units, start=first):
        t.style(r, 1, r, t.width, row.rag.value)
    t.note(note, "说明：按问题整改完成率（已整改÷反馈问题数）由高到低排列，相同时逾期少、"
           "序时进度滞后少、措施完成率高的在前；颜色同“汇总”表。")
    chart = None
    if rows:
        chart = _rate_chart(t.name, units, first, keys.index("unit") + 1,
                            keys.index("problem_rate") + 1, note + 2,
                            dict(MERGE_RANKING_COLUMNS)["problem_rate"])
    return t.spec(chart=chart)


def streams_sheet(c: Consolidation) -> SheetSpec:
    """分类统计: each unit's problems per 类别 (反馈问题 always), then a 合计 row per stream;
    rates with two decimals, as the round 通报 states them ("98.71%")."""
    keys = [k for k, _ in MERGE_STREAM_COLUMNS]
    t = _Table(SHEETS.MERGE_STREAMS, [h for _, h in MERGE_STREAM_COLUMNS],
               [22, 10, 8, 8, 8, 8, 9, 10, 10],
               "各单位分类整改情况（问题数按具体问题统计，完成率＝已整改÷问题数）")
    rows: list[Row] = []
    for unit_row in c.rows:
        for stream in Stream:
            row = unit_row.stream(stream)
            if row.problems or stream is Stream.FEEDBACK:
                values = {"unit": unit_row.unit, **row.to_dict()}
                rows.append(tuple(values[k] for k in keys))
    body = len(rows)
    for stream in Stream:
        total = stream_total(c.rows, stream)
        if total.problems or stream is Stream.FEEDBACK:
            values = {"unit": MERGE_TOTAL, **total.to_dict()}
            rows.append(tuple(values[k] for k in keys))
    first, last = t.first, t.first + len(rows) - 1
    t.blocks.append(Block(first, 1, tuple(rows)))
    if rows:
        t.style(first, 1, last, t.width, "table")
    kinds = {"unit": "wrap", "stream": "wrap", "completion_rate": "percent2"}
    for col, key in enumerate(keys, start=1):
        if body:
            t.style(first, col, first + body - 1, col, kinds.get(key, "integer"))
        if last >= first + body:
            t.style(first + body, col, last, col,
                    *(() if key in ("unit", "stream") else (kinds.get(key, "integer"),)))
    if last >= first + body:
        t.style(first + body, 1, last, t.width, "total")
    return t.spec()


# --- the plain sheets ---------------------------------------------------------------------------
def _plain(name: str, headers: Sequence[str], widths: Sequence[float], rows: Iterable[Row],
           empty: str, dates: Sequence[int] = ()) -> SheetSpec:
    """A filtered table of rows (text wrapped; the date columns ``dates``, 1-based, centred)."""
    t = _Table(name, headers, widths)
    body = tuple(rows)
    first = t.first
    if body:
        last = first + len(body) - 1
        t.blocks.append(Block(first, 1, body))
        t.style(first, 1, last, t.width, "table")
        for col in range(1, t.width + 1):
            t.style(first, col, last, col, "day" if col in dates else "wrap")
    else:
        last = first
        t.blocks.append(Block(first, 1, ((empty,),)))
        t.style(first, 1, first, 1, "table", "wrap")
    return t.spec(autofilter=f"A{t.header}:{col_letter(t.width)}{last}")


def overdue_sheet(c: Consolidation) -> SheetSpec:
    """逾期: every overdue measure of the round, most days overdue first."""
    rows = ((unit, i.seq, i.aspect, i.problem, i.measure, i.leader, i.department, i.deadline,
             i.days, i.status, source) for unit, source, i in c.overdue())
    return _plain(SHEETS.MERGE_OVERDUE, MERGE_OVERDUE_COLUMNS,
                  [18, 6, 16, 30, 30, 10, 12, 11, 8, 10, 24], rows, "（无逾期措施）",
                  dates=(MERGE_OVERDUE_COLUMNS.index(COLUMN_BY_KEY["deadline"].header) + 1,))


def roster_sheet(c: Consolidation) -> SheetSpec:
    """未报送: units missing, stale, doubled, unreadable or not on the list."""
    rows = ((e.unit, e.state.value, e.as_of, e.source, e.note) for e in c.roster)
    return _plain(SHEETS.MERGE_ROSTER, MERGE_ROSTER_COLUMNS, [22, 16, 12, 30, 40], rows,
                  "（全部单位均已按时报送）",
                  dates=(MERGE_ROSTER_COLUMNS.index(INFO_BY_KEY["as_of"].label) + 1,))


def findings_sheet(c: Consolidation) -> SheetSpec:
    """校验问题: each unit's validation findings and the merge's own notes."""
    rows = ((unit, source, f.severity.label, f.code, f.location, f.message)
            for unit, source, f in c.findings())
    return _plain(SHEETS.MERGE_FINDINGS, MERGE_FINDINGS_COLUMNS, [20, 28, 6, 8, 14, 60], rows,
                  "（未发现问题）")


def headers_sheet(header_diffs: Sequence[HeaderDiff]) -> SheetSpec:
    """表头差异: the files whose header differs from the template's."""
    rows = ((src, unit, "、".join(lacks), "、".join(extra), "、".join(aliased))
            for src, unit, lacks, extra, aliased in header_diffs)
    return _plain(SHEETS.MERGE_HEADERS, MERGE_HEADERS_COLUMNS, [30, 20, 30, 30, 40], rows,
                  "（各文件表头均与模板一致）")


def _change_rows(diffs: Sequence[UnitChanges]) -> Iterable[Row]:
    for unit, d in diffs:
        if isinstance(d, str):
            yield (unit, d, None, "", "", "")
            continue
        if d.is_empty:
            yield (unit, "无变化", None, "", "", "")
            continue
        for ch in d.changes:
            m = ch.measure
            yield (unit, "、".join(k.value for k in ch.kinds), m.row, m.problem, m.text,
                   ch.details())


def changes_sheet(changes: Sequence[UnitChanges]) -> SheetSpec:
    """变化 (merge --previous): per unit, each measure added, removed or changed."""
    return _plain(SHEETS.MERGE_CHANGES, MERGE_CHANGES_COLUMNS, [20, 16, 6, 30, 30, 50],
                  _change_rows(changes), "（无变化）")


# --- 明细 ---------------------------------------------------------------------------------------
def detail_sheet() -> SheetSpec:
    """明细's header, widths and table; its rows (every measure of the round) are streamed in by
    the writer. Columns carry the ruled "cell" style: the unformatted cells print ruled too
    (in LibreOffice, unlike an Excel table style)."""
    headers = (MERGE_UNIT, *(col.header for col in COLUMNS))
    t = _Table(SHEETS.MERGE_DETAIL, headers, [_WIDTHS["unit"], *(col.width for col in COLUMNS)])
    table = ExcelTable("明细表", "Table Style Light 9", t.header, 1, len(headers), headers)
    return t.spec(column_style="cell", table=table)


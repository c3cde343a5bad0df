"""RX106–RX110, RX114, RX116–RX119, RX140 (RX112 is in rules/required.py): what the reader found in
a unit's own ledger.

Which sheet it took, two columns naming one field, optional sheets it could not use, columns it
derived. Optional sheets never stop reading: they are warnings at their cells.
"""

from __future__ import annotations

from collections.abc import Iterator

from rectify_xl.core.findings import Severity
from rectify_xl.core.model import col_letter
from rectify_xl.core.rules.context import LedgerContext
from rectify_xl.core.rules.registry import RuleHit, rule


def _notes(ctx: LedgerContext, code: str) -> Iterator[RuleHit]:
    for note in ctx.ledger.notes:
        if note.code == code:
            yield RuleHit(note.sheet, note.cell, note.row, dict(note.params))


@rule("RX106", Severity.ERROR, "两列对应同一项",
      "表头“{first}”（{first_cell}）和“{second}”（{second_cell}）都对应“{header}”，"
      "本次按{first_cell}列读取；请删除或改名其中一列，以免统计用错列")
def duplicate_column(ctx: LedgerContext) -> Iterator[RuleHit]:
    row = ctx.ledger.layout.header_row
    for key, first_cell, second_cell, first, second in ctx.ledger.layout.duplicates:
        yield RuleHit(ctx.sheet, second_cell, row, {
            "first": first, "first_cell": first_cell, "second": second,
            "second_cell": second_cell, "header": ctx.header(key)})


@rule("RX107", Severity.WARNING, "文稿表头无法识别",
      "“{sheet}”工作表中找不到表头（应为：{expected}），其中的段落本次未使用；台账照常读取")
def text_sheet_unreadable(ctx: LedgerContext) -> Iterator[RuleHit]:
    yield from _notes(ctx, "RX107")


@rule("RX108", Severity.WARNING, "选项中的状态用语无法使用",
      "“{sheet}”中状态用语“{word}”的视为状态“{value}”不是{allowed}之一，这一行本次未使用")
def option_status_unusable(ctx: LedgerContext) -> Iterator[RuleHit]:
    yield from _notes(ctx, "RX108")


@rule("RX109", Severity.INFO, "台账工作表",
      "按表头识别，整改台账在“{sheet}”工作表（表头在第{row}行）；其他也像台账的工作表：{others}")
def ledger_sheet_used(ctx: LedgerContext) -> Iterator[RuleHit]:
    yield from _notes(ctx, "RX109")


@rule("RX114", Severity.INFO, "整改状态按整改落实情况确定",
      "台账没有整改状态列，按“{found}”列每格开头的用语确定状态（如“已完成。……”为“已完成”）")
def status_from_progress(ctx: LedgerContext) -> Iterator[RuleHit]:
    yield from _status_derived(ctx, "progress")


def _status_derived(ctx: LedgerContext, key: str) -> Iterator[RuleHit]:
    """The header cell of the column the status was derived from (RX110, RX114)."""
    layout = ctx.ledger.layout
    if layout.derived.get("status") == key:
        cell = ctx.cell(key, layout.header_row)
        yield RuleHit(ctx.sheet, cell, layout.header_row,
                      {"found": layout.aliased.get(key) or ctx.header(key)})


@rule("RX117", Severity.WARNING, "其他工作表也有整改措施",
      "“{sheet}”工作表也像整改台账，有{count}行整改措施，本次只统计“{used}”；如果台账分在几个工作表，"
      "请合并到一个工作表；如果是往年的台账，可另存为单独的文件")
def other_sheet_has_measures(ctx: LedgerContext) -> Iterator[RuleHit]:
    yield from _notes(ctx, "RX117")


@rule("RX140", Severity.ERROR, "台账分在几个工作表",
      "“{sheet}”工作表与“{used}”表头相同，另有{count}行整改措施，像是同一台账的另一部分；本次只统计"
      "“{used}”，数字不完整。请把各部分合并到一个工作表；如果“{sheet}”是往期的副本，可另存为单独的文件")
def ledger_split_over_sheets(ctx: LedgerContext) -> Iterator[RuleHit]:
    yield from _notes(ctx, "RX140")


@rule("RX118", Severity.INFO, "整改状态按勾选确定",
      "台账没有整改状态列，按{columns}列中的勾选（√）确定每条措施的状态")
def status_from_marks(ctx: LedgerContext) -> Iterator[RuleHit]:
    marks = ctx.ledger.layout.marks
    if marks:
        row = ctx.ledger.layout.header_row
        yield RuleHit(ctx.sheet, f"{col_letter(marks[0][0])}{row}", row,
                      {"columns": _mark_headers(ctx)})


def _mark_headers(ctx: LedgerContext) -> str:
    """“已完成”、“未完成”: the tick columns' headers as written."""
    layout = ctx.ledger.layout
    headers = dict(zip(layout.extra_columns, layout.extra, strict=False))
    return "、".join(f"“{headers.get(c, state)}”" for c, state in layout.marks)


@rule("RX119", Severity.ERROR, "勾选不明",
      "第{row}行{what}，无法确定整改状态（{columns}列中应恰好勾选一项）")
def unclear_marks(ctx: LedgerContext) -> Iterator[RuleHit]:
    marks = ctx.ledger.layout.marks
    if not marks:
        return
    columns = _mark_headers(ctx)
    for m in ctx.ledger.measures:
        if m.status is None:
            what = "勾选了不止一项" if m.status_raw else "没有勾选"
            yield RuleHit(ctx.sheet, f"{col_letter(marks[0][0])}{m.row}", m.row,
                          {"what": what, "columns": columns})


@rule("RX116", Severity.INFO, "表内的分组行、合计行或说明行",
      "第{row}行“{text}”是{kind}，不是整改措施，未计入统计")
def not_a_measure_row(ctx: LedgerContext) -> Iterator[RuleHit]:
    yield from _notes(ctx, "RX116")


@rule("RX110", Severity.INFO, "整改状态按进度百分比确定",
      "台账没有整改状态列，按“{found}”列确定：100%为“已完成”，其余为“正在推进”")
def status_from_percent(ctx: LedgerContext) -> Iterator[RuleHit]:
    yield from _status_derived(ctx, "percent")

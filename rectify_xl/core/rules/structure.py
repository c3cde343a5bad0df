"""RX1xx: the workbook's structure (columns found in the header row, any measure rows at all)."""

from __future__ import annotations

from collections.abc import Iterator

from rectify_xl.core.findings import Severity
from rectify_xl.core.rules.context import LedgerContext
from rectify_xl.core.rules.registry import RuleHit, rule
from rectify_xl.core.schema import COLUMN_BY_KEY, SHAPE_KEYS, SHEETS


@rule("RX101", Severity.WARNING, "缺少可选列",
      "“{sheet}”第{row}行的表头中没有“{header}”列，该项内容将视为空白")
def missing_optional_column(ctx: LedgerContext) -> Iterator[RuleHit]:
    row = ctx.ledger.layout.header_row
    for key in ctx.ledger.layout.missing:
        if not COLUMN_BY_KEY[key].required:
            yield RuleHit(ctx.sheet, None, row, {"header": ctx.header(key)})


@rule("RX102", Severity.ERROR, "缺少必填列",
      "“{sheet}”第{row}行的表头中没有必填的“{header}”列，请按模板补上这一列")
def missing_required_column(ctx: LedgerContext) -> Iterator[RuleHit]:
    row = ctx.ledger.layout.header_row
    for key in ctx.ledger.layout.missing:
        if COLUMN_BY_KEY[key].required and key not in SHAPE_KEYS:
            yield RuleHit(ctx.sheet, None, row, {"header": ctx.header(key)})


@rule("RX111", Severity.INFO, "不分方面",
      "“{sheet}”第{row}行的表头中没有“{header}”列：问题不分方面，公告中直接逐个编号")
def no_aspect_column(ctx: LedgerContext) -> Iterator[RuleHit]:
    row = ctx.ledger.layout.header_row
    if "aspect" in ctx.ledger.layout.missing and not ctx.ledger.has_aspects:
        yield RuleHit(ctx.sheet, None, row, {"header": ctx.header("aspect")})


@rule("RX113", Severity.INFO, "只有一级问题",
      "“{sheet}”第{row}行的表头中没有“{header}”列，按“{found}”列读取：每个问题即一个反馈问题")
def feedback_from_problem(ctx: LedgerContext) -> Iterator[RuleHit]:
    layout = ctx.ledger.layout
    if layout.derived.get("feedback") == "problem":
        row = layout.header_row
        yield RuleHit(ctx.sheet, ctx.cell("problem", row), row,
                      {"header": ctx.header("feedback"),
                       "found": layout.aliased.get("problem") or ctx.header("problem")})


@rule("RX103", Severity.INFO, "表头按别名识别",
      "表头“{found}”已按“{header}”列读取；如需统一，可改为“{header}”")
def aliased_header(ctx: LedgerContext) -> Iterator[RuleHit]:
    row = ctx.ledger.layout.header_row
    for key, found in ctx.ledger.layout.aliased.items():
        yield RuleHit(ctx.sheet, ctx.cell(key, row), row,
                      {"found": found, "header": ctx.header(key)})


@rule("RX104", Severity.ERROR, "没有整改措施",
      "“{sheet}”中表头以下没有任何整改措施行，请先填写台账")
def no_measures(ctx: LedgerContext) -> Iterator[RuleHit]:
    if not ctx.ledger.measures:
        row = ctx.ledger.layout.header_row + 1
        yield RuleHit(ctx.sheet, None, row)


@rule("RX105", Severity.WARNING, "缺少基本信息表",
      "工作簿中没有“{sheet}”工作表，或其中没有可识别的项目名称（被巡察单位、反馈日期等）")
def no_info_sheet(ctx: LedgerContext) -> Iterator[RuleHit]:
    if not ctx.ledger.info.cells:
        yield RuleHit(SHEETS.INFO, None, None)

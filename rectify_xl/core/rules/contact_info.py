"""RX415, RX417: the 联系电话 and 电子邮箱 of 基本信息, which the notice publishes for the public's
feedback (core.contact says which forms are accepted)."""

from __future__ import annotations

from collections.abc import Iterator

from rectify_xl.core.contact import email_problems, phone_problems
from rectify_xl.core.findings import Severity
from rectify_xl.core.rules.context import LedgerContext
from rectify_xl.core.rules.registry import RuleHit, rule


@rule("RX415", Severity.WARNING, "联系电话写法有误",
      "“{label}”“{value}”中的“{found}”不像电话号码（固定电话如 0913-3253456，手机11位），"
      "公告会照此公布，请核对")
def phone_malformed(ctx: LedgerContext) -> Iterator[RuleHit]:
    info = ctx.ledger.info
    if info.phone and (bad := phone_problems(info.phone)):
        yield RuleHit(ctx.info_sheet, ctx.info_cell("phone"), None, {
            "label": ctx.label("phone"), "value": info.phone, "found": "”“".join(bad)})


@rule("RX417", Severity.WARNING, "电子邮箱写法有误",
      "“{label}”“{value}”中的“{found}”不是有效的邮件地址（应如 name@example.com），"
      "公告会照此公布，请核对")
def email_malformed(ctx: LedgerContext) -> Iterator[RuleHit]:
    info = ctx.ledger.info
    if info.email and (bad := email_problems(info.email)):
        yield RuleHit(ctx.info_sheet, ctx.info_cell("email"), None, {
            "label": ctx.label("email"), "value": info.email, "found": "”“".join(bad)})

"""RX415, RX417: the 联系电话 and 电子邮箱 of 基本信息, which the notice publishes for the public's
feedback (core.contact says which forms are accepted)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from rectify_xl.core.contact import email_problems, phone_problems
from rectify_xl.core.findings import Severity
from rectify_xl.core.rules.context import LedgerContext
from rectify_xl.core.rules.registry import RuleHit, rule


def _malformed(ctx: LedgerContext, key: str, problems: Callable[[str], list[str]]
               ) -> Iterator[RuleHit]:
    value = getattr(ctx.ledger.info, key)
    if value and (bad := problems(value)):
        yield RuleHit(ctx.info_sheet, ctx.info_cell(key), None, {
            "label": ctx.label(key), "value": value, "found": "”“".join(bad)})


@rule("RX415", Severity.WARNING, "联系电话写法有误",
      "“{label}”“{value}”中的“{found}”不像电话号码（固定电话如 0913-3253456，手机11位），"
      "公告会照此公布，请核对")
def phone_malformed(ctx: LedgerContext) -> Iterator[RuleHit]:
    return _malformed(ctx, "phone", phone_problems)


@rule("RX417", Severity.WARNING, "电子邮箱写法有误",
      "“{label}”“{value}”中的“{found}”不是有效的邮件地址（应如 name@example.com），"
      "公告会照此公布，请核对")
def email_malformed(ctx: LedgerContext) -> Iterator[RuleHit]:
    return _malformed(ctx, "email", email_problems)

"""RX970 (and RX327): a setting whose value could not be used (core.settings).

设置 is an optional sheet: such a value never stops a command; it is a warning at its cell and
the next layer's value (user config file, then the default) is used.
"""

from __future__ import annotations

from rectify_xl.core.findings import Finding, Severity
from rectify_xl.core.rules.registry import register_code
from rectify_xl.core.settings import Settings

__all__ = ["settings_findings"]

_UNUSABLE = {
    "RX970": register_code("RX970", Severity.WARNING, "设置项的值无法使用",
                           "“{label}”的值“{value}”{reason}，已按{used}处理"),
    # the 序时进度容差 warning keeps its code and wording from issue 17
    "RX327": register_code("RX327", Severity.WARNING, "序时进度容差无法识别",
                           "“{label}”的值“{value}”不是百分比（如 20%），已按默认值{used}判断序时进度"),
}


def settings_findings(settings: Settings) -> list[Finding]:
    return [_UNUSABLE[p.code].finding(p.sheet, p.cell, label=p.label, value=p.value,
                                      reason=p.reason, used=p.used)
            for p in settings.problems]

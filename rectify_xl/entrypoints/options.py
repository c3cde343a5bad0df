"""Options shared by several commands (sqlite-utils style decorators)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


class DateType(click.ParamType):
    name = "日期"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        from rectify_xl.core.dates import parse_date

        if isinstance(value, date):
            return value
        parsed = parse_date(value)
        if parsed.value is None:
            self.fail(f"“{value}”不是日期（例：2021-10-31 或 2021年10月31日）", param, ctx)
        return parsed.value


DATE = DateType()
LEDGER_PATH = click.Path(dir_okay=False, path_type=Path)


def ledger_argument(f: F) -> F:
    return click.argument("ledger", type=LEDGER_PATH)(f)


def json_option(f: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="以 JSON 格式输出")(f)


def strict_option(f: F) -> F:
    return click.option("--strict", is_flag=True, help="有警告也按未通过处理（退出码 1）")(f)


def as_of_option(f: F) -> F:
    return click.option(
        "--as-of", type=DATE, default=None,
        help="统计截止日期（默认取“基本信息”中的统计截止日期，未填则为今天）",
    )(f)

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


def smtp_options(f: F) -> F:
    """The mail server options of every command that sends mail (mail, remind --mail, chase):
    --smtp, --ssl/--starttls/--no-tls, --user, --sender, --sender-name, --timeout. The password
    is never an option: environment, system keyring or a prompt (adapters.secrets)."""
    options = (
        click.option("--smtp", "smtp_host", default=None, metavar="HOST:PORT",
                     help="SMTP 服务器，如 smtp.163.com:465（覆盖“设置”表）"),
        click.option("--ssl", "security", flag_value="SSL", default=None,
                     help="SSL 加密连接（一般端口 465）"),
        click.option("--starttls", "security", flag_value="STARTTLS",
                     help="STARTTLS 加密（一般端口 587）"),
        click.option("--no-tls", "security", flag_value="无", help="不加密（仅限单位内网邮件服务器）"),
        click.option("--user", default=None,
                     help="邮箱用户名；密码从环境变量 RECTIFY_SMTP_PASSWORD、系统钥匙串或提示输入获取"),
        click.option("--sender", default=None, help="发件人地址（默认同用户名）"),
        click.option("--sender-name", default=None, help="发件人（署名），例：县委巡察办"),
        click.option("--timeout", type=click.FloatRange(0.1, 600), default=None,
                     help="连接超时（秒，默认 30）"),
    )
    for option in reversed(options):
        f = option(f)
    return f

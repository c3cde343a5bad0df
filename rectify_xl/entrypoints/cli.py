"""The ``rectify-xl`` command: a thin layer over the services, exit codes 0 / 1 / 2.

0: done, no ERROR finding; 1: ERROR findings; 2: could not run (bad usage or RectifyError).
Commands live one per module in ``entrypoints/commands`` and are imported only when invoked,
so ``rectify-xl validate`` never pays for pandas or jinja2.
"""

from __future__ import annotations

import importlib
import logging
import sys
from typing import Any

import click

from rectify_xl import __version__
from rectify_xl.errors import RectifyError

__all__ = ["EXIT_FINDINGS", "EXIT_OK", "EXIT_UNUSABLE", "cli", "main"]

EXIT_OK, EXIT_FINDINGS, EXIT_UNUSABLE = 0, 1, 2

# command name → module under rectify_xl.entrypoints.commands (each defines `command`)
COMMANDS: dict[str, str] = {
    "new": "new",
    "validate": "validate",
    "summary": "summary",
    "notice": "notice",
    "demo": "demo",
    "mail": "mail",
    "merge": "merge",
    "diff": "diff",
    "import": "import_notice",
    "check-notice": "check_notice",
    "serve": "serve",
}


class UnusableInput(click.ClickException):
    """A RectifyError at the CLI edge: one Chinese line on stderr, exit code 2."""

    exit_code = EXIT_UNUSABLE

    def format_message(self) -> str:
        return self.message

    def show(self, file: Any = None) -> None:
        click.echo(f"错误：{self.format_message()}", err=True, file=file)


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name in COMMANDS if _module_exists(COMMANDS[name])]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module = COMMANDS.get(cmd_name)
        if module is None or not _module_exists(module):
            return None
        return importlib.import_module(f"rectify_xl.entrypoints.commands.{module}").command

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except RectifyError as exc:
            logging.getLogger("rectify_xl").debug("run stopped", exc_info=True)
            raise UnusableInput(str(exc)) from exc


def _module_exists(module: str) -> bool:
    from importlib.util import find_spec

    return find_spec(f"rectify_xl.entrypoints.commands.{module}") is not None


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="rectify-xl")
def cli() -> None:
    """巡察整改台账工具：校验台账、汇总进度、生成整改进展情况公告。

    退出码：0 无错误；1 发现错误；2 输入无法使用。
    """


def main() -> None:
    try:
        cli(prog_name="rectify-xl")
    except KeyboardInterrupt:
        click.echo("已取消", err=True)
        sys.exit(EXIT_UNUSABLE)

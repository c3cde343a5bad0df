"""The ``rectify-xl`` command: a thin layer over the services, exit codes 0 / 1 / 2.

0: done, no ERROR finding; 1: ERROR findings; 2: could not run (bad usage or RectifyError).
Commands live one per module in ``entrypoints/commands`` and are imported only when invoked,
so ``rectify-xl validate`` never pays for pandas or jinja2.
"""

from __future__ import annotations

import gc
import importlib
import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

import click

from rectify_xl import __version__
from rectify_xl.core.lazy_re import lazy_compile
from rectify_xl.errors import RectifyError, os_reason

__all__ = ["EXIT_FINDINGS", "EXIT_OK", "EXIT_UNUSABLE", "chinese_usage", "cli", "collector_paused",
           "main"]

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
    "round-notice": "round_notice",
    "chase": "chase",
    "diff": "diff",
    "import": "import_notice",
    "adopt": "adopt",
    "check-notice": "check_notice",
    "evidence": "evidence",
    "pack": "pack",
    "remind": "remind",
    "record": "record",
    "serve": "serve",
}


class UnusableInput(click.ClickException):
    """A RectifyError at the CLI edge: one Chinese line on stderr, exit code 2."""

    exit_code = EXIT_UNUSABLE

    def format_message(self) -> str:
        return self.message

    def show(self, file: Any = None) -> None:
        click.echo(f"错误：{self.format_message()}", err=True, file=file)


class UsageProblem(click.UsageError):
    """A usage error (missing argument, unknown option, bad value) as one Chinese line, exit 2.

    click's own messages are English; the common ones are translated by ``chinese_usage``.
    """

    exit_code = EXIT_UNUSABLE

    def format_message(self) -> str:
        return self.message

    def show(self, file: Any = None) -> None:
        hint = f"（用法见：{self.ctx.command_path} --help）" if self.ctx else ""
        click.echo(f"错误：{self.format_message()}{hint}", err=True, file=file)


# click 8.x message shapes → Chinese; anything else is shown as click wrote it (compiled on the
# first usage error, not by every command)
_USAGE_ZH: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (lazy_compile(pattern, re.S), replacement) for pattern, replacement in (
        (r"^Missing argument '(.+)'\.$", r"缺少参数 \1"),
        (r"^Missing option '(.+)'\.$", r"缺少选项 \1"),
        (r"^Missing command\.$", "缺少命令"),
        (r"^No such command '(.+)'\.$", r"没有“\1”这个命令"),
        (r"^No such option '(.+?)'\.(?:\s*Did you mean (.+)\?)?$", r"没有 \1 这个选项"),
        (r"^Option '(.+)' requires (?:an argument|\d+ arguments)\.$", r"选项 \1 后面要跟一个值"),
        (r"^Option '(.+)' does not take a value\.$", r"选项 \1 后面不能跟值"),
        (r"^Got unexpected extra arguments? \((.+)\)$", r"多余的参数：\1"),
        (r"^(?:File|Directory|Path) '(.+)' does not exist\.$", r"找不到“\1”"),
        (r"^(?:File|Path) '(.+)' is a directory\.$", r"“\1”是文件夹，请给出文件名"),
        (r"^(?:Directory|Path) '(.+)' is a file\.$", r"“\1”是文件，请给出文件夹"),
        (r"^'(.+)' is not one of (.+)\.$", r"“\1”不是可选值（可选：\2）"),
        (r"^'(.+)' is not a valid (?:integer|float)\.$", r"“\1”不是数字"),
    ))
_INVALID_RE = lazy_compile(r"^Invalid value for (.+?): (.*)$", re.S)


def chinese_usage(message: str) -> str:
    """click's English usage message in Chinese (best effort, never raises)."""
    invalid = _INVALID_RE.match(message)
    if invalid:
        hint = invalid.group(1).replace("'", "").replace(" / ", "/")
        return f"{hint} 的值无效：{chinese_usage(invalid.group(2))}"
    for pattern, replacement in _USAGE_ZH:
        if pattern.match(message):
            return pattern.sub(replacement, message)
    return message


HELP_TEXT = "显示本帮助后退出"
_HEADINGS = {"Options": "选项", "Commands": "命令", "Arguments": "参数"}


class ChineseHelpFormatter(click.HelpFormatter):
    """click's help screens with Chinese headings (click's own words are English gettext)."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, "用法：" if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{_HEADINGS.get(heading, heading)}：\n")

    def write_dl(self, rows: Any, col_max: int = 30, col_spacing: int = 2) -> None:
        rows = [(term, text.replace("[default: ", "[默认：").replace("[required]", "[必填]"))
                for term, text in rows]
        super().write_dl(rows, col_max, col_spacing)


class ChineseContext(click.Context):
    formatter_class = ChineseHelpFormatter


def _chinese_help(cmd: click.Command) -> click.Command:
    """Give a command module's command the Chinese help option and help screen (once)."""
    if cmd.context_class is not ChineseContext:
        cmd.context_class = ChineseContext
        if cmd.add_help_option:
            cmd.add_help_option = False
            click.help_option("-h", "--help", help=HELP_TEXT)(cmd)
    return cmd


class LazyGroup(click.Group):
    context_class = ChineseContext

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name in COMMANDS if _module_exists(COMMANDS[name])]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module = COMMANDS.get(cmd_name)
        if module is None or not _module_exists(module):
            return None
        return _chinese_help(importlib.import_module(f"rectify_xl.entrypoints.commands.{module}").command)

    def make_context(self, info_name: str | None, args: list[str],
                     parent: click.Context | None = None, **extra: Any) -> click.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.UsageError as exc:
            problem = _usage_problem(exc)
            if problem is exc:
                raise
            raise problem from exc

    def invoke(self, ctx: click.Context) -> Any:
        from rectify_xl.services.jobs import run_folder

        try:
            with run_folder():  # temp files of this run, removed at its end (or the next start)
                return super().invoke(ctx)
        except click.UsageError as exc:
            problem = _usage_problem(exc)
            if problem is exc:
                raise
            raise problem from exc
        except RectifyError as exc:
            _debug("run stopped")
            raise UnusableInput(str(exc)) from exc
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except OSError as exc:  # the disk or the temp folder failed where no adapter expected it
            _debug("run stopped")
            raise UnusableInput(f"读写文件失败：{os_reason(exc)}，本次未完成"
                                f"{_named(exc)}。请检查磁盘空间和临时文件夹后重试") from exc
        except Exception as exc:  # a bug: one Chinese line, never a traceback nor a silent exit 1
            _debug("run failed")
            raise UnusableInput(f"程序内部错误（{type(exc).__name__}），本次未完成，输入文件未被修改。"
                                "请把这条消息和所用的命令报告给管理员") from exc


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while a command reads and checks one workbook.

    The run keeps what it builds to its end (a big ledger's cells, measures and findings:
    hundreds of thousands of objects, none in a reference cycle), and the collector would walk
    them again at every full collection: ≈ 10 % of `validate` of 10,000 measures
    (benchmarks/big_ledger.py). Reference counting still frees everything as before; only
    cyclic garbage waits until the end of the block, where the collector is back on (a test or
    a server calling the command goes on with it as it was).
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _debug(message: str) -> None:
    """The exception being handled, on the package's logger (for a --debug run or a test):
    logging is imported here, not by every command (it and traceback cost a start ≈ 5 ms)."""
    import logging

    logging.getLogger("rectify_xl").debug(message, exc_info=True)


def _named(exc: OSError) -> str:
    name = Path(str(exc.filename)).name if exc.filename else ""
    return f"（“{name}”）" if name else ""


# click >= 8.2 shows the help for a bare `rectify-xl` by raising this UsageError: keep it as it is
_HELP_ERRORS: tuple[type[click.UsageError], ...] = tuple(
    cls for cls in (getattr(click.exceptions, "NoArgsIsHelpError", None),) if cls is not None)


def _usage_problem(exc: click.UsageError) -> click.UsageError:
    if isinstance(exc, (UsageProblem, *_HELP_ERRORS)):
        return exc
    return UsageProblem(chinese_usage(exc.format_message()), exc.ctx)


def _module_exists(module: str) -> bool:
    from importlib.util import find_spec

    return find_spec(f"rectify_xl.entrypoints.commands.{module}") is not None


@click.group(cls=LazyGroup, add_help_option=False)
@click.help_option("-h", "--help", help=HELP_TEXT)
@click.version_option(__version__, prog_name="rectify-xl", help="显示版本号后退出",
                      message="%(prog)s 版本 %(version)s")
def cli() -> None:
    """巡察整改台账工具：校验台账、汇总进度、生成整改进展情况公告。

    退出码：0 无错误；1 发现错误；2 输入无法使用。
    """


def main() -> None:
    try:
        cli(prog_name="rectify-xl")
    except KeyboardInterrupt:
        click.echo("已取消", err=True)
        leave(EXIT_UNUSABLE)
    except SystemExit as exc:  # click's standalone mode always ends this way
        leave(exc.code)
    leave(EXIT_OK)


def leave(code: str | int | None) -> NoReturn:
    """End the process as ``sys.exit(code)`` would, without tearing the interpreter down.

    Python frees every module and object one by one at exit: ≈ 20 ms after a big ledger's run
    (benchmarks/big_ledger.py), paid on every command. The exit handlers still run (logging's
    flush, temporary folders' finalizers), then the standard streams are flushed and the
    process ends at once. A run that left another thread alive, or ends with a message instead
    of a status, exits the ordinary way.
    """
    import threading

    if isinstance(code, str) or threading.active_count() > 1:
        sys.exit(code)
    import atexit

    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe or stream: nothing more can be said
        pass
    os._exit(code or 0)

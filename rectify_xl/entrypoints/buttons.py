"""The functions behind the workbook's buttons (``RunPython`` targets, one per schema.BUTTONS entry).

Each takes an optional xlwings Book (default: the calling book) and hands it to
services.buttons.run_button, which runs the use case, writes its sheets and shows a Chinese
message box (never a traceback). The office server's remote endpoint calls the same function.

Every click starts a new Python process, so this module imports only the standard library at
the top: xlwings and the services load inside the button that runs.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import xlwings as xw

__all__ = ["log_path", "notice", "python_launcher", "send", "summary", "validate"]


def log_path() -> Path:
    """~/.rectify-xl/logs/buttons.log: where a button's unexpected failure is recorded."""
    from rectify_xl.services.buttons import log_path

    return log_path()


def _click(function: str, book: xw.Book | None) -> None:
    from rectify_xl.services.buttons import run_button

    if book is None:
        try:
            import xlwings as xw

            book = xw.Book.caller()
        except Exception as exc:  # not started from a workbook: one line, no traceback
            print(f"请在 Excel 工作簿中点击按钮运行（{type(exc).__name__}）", file=sys.stderr)
            return
    run_button(function, book)


def validate(book: xw.Book | None = None) -> None:
    """校验: colour the offending cells, list every finding in 校验结果 with a link to its cell."""
    _click("validate", book)


def summary(book: xw.Book | None = None) -> None:
    """汇总进度: rewrite 进度汇总 and append a row to 进度历史."""
    _click("summary", book)


def notice(book: xw.Book | None = None) -> None:
    """生成公告: 公告 sheet (one paragraph per row), and .txt/.docx (and .pdf) beside the workbook."""
    _click("notice", book)


def send(book: xw.Book | None = None) -> None:
    """发送上级: mail the saved workbook (the VBA Sub saves it first) through the mail service."""
    _click("send", book)


def remind(book: xw.Book | None = None) -> None:
    """催办: 提醒函/督办函 beside the workbook, one row per letter in 催办记录."""
    _click("remind", book)


# --- the click launcher ------------------------------------------------------------------------
# `import xlwings` imports pandas, numpy and PIL when installed, which is most of a click's
# start-up (benchmarks/click_speed.py; docs/dev/decisions.md D1). RunPython's command begins with
# `import xlwings.utils`, so Python cannot avoid it from inside the command; this launcher,
# set as the interpreter in the xlwings.conf sheet, first hands the click to the user's warm
# worker (entrypoints/warm_click.py, D3), else imports xlwings with them kept out and runs it.


def python_launcher(argv: list[str] | None = None) -> None:
    """``rectify-xl-python -B -c CODE [ARGS]``: ``python -c`` for RunPython, started lighter."""
    args = list(sys.argv[1:] if argv is None else argv)
    while args and args[0] in ("-B", "-u", "-E", "-s", "-I"):
        sys.dont_write_bytecode = sys.dont_write_bytecode or args[0] == "-B"
        args.pop(0)
    if len(args) < 2 or args[0] != "-c":
        print("用法：rectify-xl-python -c 代码 [参数...]（供 Excel 按钮调用）", file=sys.stderr)
        raise SystemExit(2)
    code, rest = args[1], args[2:]
    from rectify_xl.entrypoints import warm_click

    warm = warm_click.enabled()
    if warm:
        status = warm_click.hand_over(code, rest)
        if status is not None:
            raise SystemExit(status)
    warm_click.import_xlwings_light()
    sys.argv = ["-c", *rest]
    try:
        status = warm_click.run_code(code)
    finally:
        sys.stdout.flush()
        if warm:  # for the next click; after this one, so the two never compete for the CPU
            warm_click.start_worker()
    raise SystemExit(status)

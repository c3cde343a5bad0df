"""The functions behind the workbook's buttons (``RunPython`` targets, one per schema.BUTTONS entry).

Each takes an optional xlwings Book (default: the calling book), reads the ledger from it, calls
the same services as the CLI and writes the result back. One decorator turns every failure into
a Chinese message box; the traceback goes to a log file, never to the user.

Every click starts a new Python process, so this module imports only the standard library at
the top: xlwings, the core and the services load inside the button that needs them.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from rectify_xl.core.schema import BUTTONS, SHEETS  # names only: no heavy import behind it

if TYPE_CHECKING:
    import xlwings as xw

    from rectify_xl.adapters.excel_live import LiveBook
    from rectify_xl.core.model import Grid, Ledger

__all__ = ["log_path", "notice", "send", "summary", "validate"]

_CAPTIONS = {b.function: b.caption for b in BUTTONS}
# Sheets the buttons write: never mistaken for the ledger when 整改清单 is missing.
_OUTPUT_SHEETS = (SHEETS.RESULTS, SHEETS.SUMMARY, SHEETS.HISTORY, SHEETS.NOTICE)
_SECRET_RE = re.compile(r"(?i)(password|passwd|pwd|secret|token|密码)(\s*[=:：]\s*)\S+")
_LOG_LIMIT = 1_000_000


def log_path() -> Path:
    """~/.rectify-xl/logs/buttons.log: where a button's unexpected failure is recorded."""
    return Path.home() / ".rectify-xl" / "logs" / "buttons.log"


def _log_failure(caption: str) -> Path:
    import traceback

    path = log_path()
    text = _SECRET_RE.sub(r"\1\2***", traceback.format_exc())
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists() and path.stat().st_size > _LOG_LIMIT:
            path.replace(path.with_suffix(".log.1"))
        with path.open("a", encoding="utf-8") as f:
            f.write(f"--- {datetime.now():%Y-%m-%d %H:%M:%S} {caption}\n{text}\n")
    except OSError:
        pass  # a log that cannot be written must not hide the message box
    return path


def _button(name: str) -> Callable[[Callable[[LiveBook], None]], Callable[..., None]]:
    """Wrap a button body: caller book in, Chinese message box out, no traceback ever."""
    caption = _CAPTIONS[name]

    def decorate(body: Callable[[LiveBook], None]) -> Callable[..., None]:
        def run(book: xw.Book | None = None) -> None:
            from rectify_xl.errors import RectifyError

            live = None
            try:
                live = _live(book)
                body(live)
            except RectifyError as exc:
                _fail(live, f"{caption}未完成：{exc.message}", caption)
            except Exception:
                where = _log_failure(caption)
                _fail(live, f"{caption}时发生意外错误，未能完成。\n详细信息已记录在：{where}\n"
                            "请将该文件发给技术支持人员。", caption)

        # not functools.wraps: the public signature is run's (book=None), not the body's
        for attr in ("__module__", "__name__", "__qualname__", "__doc__"):
            setattr(run, attr, getattr(body, attr))
        return run

    return decorate


def _live(book: xw.Book | None) -> LiveBook:
    from rectify_xl.adapters.excel_live import LiveBook

    if book is None:
        import xlwings as xw

        book = xw.Book.caller()
    return LiveBook(book)


def _fail(live: LiveBook | None, message: str, caption: str) -> None:
    try:
        if live is None:
            raise RuntimeError("no book")
        live.discard_pending()  # remote engine: nothing half-written reaches the workbook
        live.alert(message, caption, critical=True)
    except Exception:
        print(message, file=sys.stderr)


def _read(live: LiveBook) -> tuple[dict[str, Grid], Ledger]:
    from rectify_xl.adapters.excel_live import read_grids
    from rectify_xl.core.parse import parse_ledger

    grids = read_grids(live.book)
    ledger = parse_ledger({k: g for k, g in grids.items() if k not in _OUTPUT_SHEETS})
    return grids, ledger


@_button("validate")
def validate(live: LiveBook) -> None:
    """校验: colour the offending cells, list every finding in 校验结果 with a link to its cell."""
    from rectify_xl.adapters.excel_live_sheets import show_findings
    from rectify_xl.core.findings import Severity
    from rectify_xl.services.workbench import validate_ledger

    grids, ledger = _read(live)
    report = validate_ledger(ledger, live.book.name, today=date.today())
    show_findings(live, report, grids, now=datetime.now())
    title = _CAPTIONS["validate"]
    if not report.findings:
        live.alert(f"{title}完成：未发现问题。", title)
        return
    counts = "，".join(f"{s.label}{report.count(s)}个" for s in Severity if report.count(s))
    where = "已在台账中标色，" if any(f.cell for f in report.findings) else ""
    live.activate(SHEETS.RESULTS)
    live.alert(f"{title}完成：{counts}。\n有问题的单元格{where}详见“{SHEETS.RESULTS}”表"
               "（点击位置可跳转）。", title)


@_button("summary")
def summary(live: LiveBook) -> None:
    """汇总进度: rewrite 进度汇总 and append a row to 进度历史."""
    from rectify_xl.adapters.excel_live_sheets import append_history, show_summary
    from rectify_xl.core.dates import format_cn
    from rectify_xl.core.progress import format_rate
    from rectify_xl.services.workbench import summarize_ledger

    grids, ledger = _read(live)
    result = summarize_ledger(ledger, today=date.today())
    now = datetime.now()
    chart = show_summary(live, result, ledger.ledger_sheet, now=now)
    append_history(live, grids.get(SHEETS.HISTORY), result, now=now)
    live.activate(SHEETS.SUMMARY)
    lines = [
        f"“{SHEETS.SUMMARY}”已更新（统计截止日期：{format_cn(result.as_of)}）。",
        f"整改措施{result.measure_count}项，已完成{result.measures_closed}项"
        f"（含长期坚持{result.measures_ongoing}项），完成率{format_rate(result.completion_rate)}；"
        f"逾期{len(result.overdue)}项，临期{len(result.due_soon)}项。",
        f"已在“{SHEETS.HISTORY}”表追加一行。",
    ]
    if not chart and result.by_aspect:
        lines.append("（当前环境不能绘制图表，可在 Excel 中选中“按方面”表格插入图表。）")
    live.alert("\n".join(lines), _CAPTIONS["summary"])


@_button("notice")
def notice(live: LiveBook) -> None:
    """生成公告: 公告 sheet (one paragraph per row), and .txt/.docx (and .pdf) beside the workbook."""
    from rectify_xl.adapters.excel_live_sheets import show_notice
    from rectify_xl.services.workbench import notice_for, save_notice_files

    _, ledger = _read(live)
    text = notice_for(ledger)
    paragraphs = show_notice(live, text)
    lines = [f"公告已生成，共{paragraphs}段，见“{SHEETS.NOTICE}”表。"]
    folder = live.folder()
    if folder is None:
        lines.append("工作簿尚未保存到本机文件夹（或在服务器上运行），未另存文本文件。")
    else:
        files = save_notice_files(ledger, text, folder, live.stem)
        lines += [f"文本文件：{p}" for p in (files.txt,) if p]
        lines += [f"Word 文档：{p}" for p in (files.docx,) if p]
        lines += [f"PDF 文档：{p}" for p in (files.pdf,) if p]
        lines += files.skipped
    live.alert("\n".join(lines), _CAPTIONS["notice"])


@_button("send")
def send(live: LiveBook) -> None:
    """发送上级: mail the saved workbook (the VBA Sub saves it first) through the mail service."""
    from rectify_xl.services.mail import send_ledger

    title = _CAPTIONS["send"]
    path = live.path()
    if path is None and live.remote:  # the server variant: the server never sees the user's file
        live.alert(f"服务器版台账的“{title}”按钮读不到您电脑上的台账文件，无法发送，未做任何改动。\n"
                   f"请用浏览器打开单位的台账服务器网页，上传本台账后点“{title}”。", title, critical=True)
        return
    if path is None:
        live.alert("工作簿尚未保存到本机文件夹（例如是新建未保存的，或保存在网盘上），无法发送。\n"
                   f"请先把工作簿保存到本机文件夹，再点“{title}”；也可使用命令 rectify-xl mail。",
                   title, critical=True)
        return
    outcome = send_ledger(path, today=date.today())
    live.alert(outcome.message, title, critical=not outcome.ok)


# --- the click launcher ------------------------------------------------------------------------
# `import xlwings` imports pandas, numpy and PIL when installed, which is most of a click's
# start-up (benchmarks/click_speed.py; docs/dev/decisions.md). RunPython's command begins with
# `import xlwings.utils`, so Python cannot avoid it from inside the command; this launcher,
# set as the interpreter in the xlwings.conf sheet, imports xlwings with them kept out first.
_EAGER_IMPORTS = ("pandas", "numpy", "PIL", "matplotlib", "polars", "plotly")


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
    blocked = [m for m in _EAGER_IMPORTS if m not in sys.modules]
    for name in blocked:
        sys.modules[name] = None  # type: ignore[assignment]  # import fails: xlwings skips it
    try:
        import xlwings  # noqa: F401
    finally:
        for name in blocked:  # the summary imports pandas itself later; let it
            if sys.modules.get(name, 0) is None:
                del sys.modules[name]
    sys.argv = ["-c", *rest]
    exec(compile(code, "<string>", "exec"), {"__name__": "__main__"})

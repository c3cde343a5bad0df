"""The workbook's buttons as use cases on a live book (desktop Excel through COM, or the xlwings
remote client through the office server): read the open book, call the same use case as the CLI,
write its sheet descriptions with the live-book writer, say what happened in a message box.

``run_button`` is the one entry: entrypoints.buttons (RunPython) and the server's remote endpoint
both call it. Every failure becomes a Chinese message box; the traceback goes to a log file,
never to the user. ``Actions`` is the seam: tests pass fakes for the use cases instead of
patching modules.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rectify_xl.core.schema import BUTTONS, SHEETS

if TYPE_CHECKING:
    from rectify_xl.adapters.excel_live import LiveBook
    from rectify_xl.core.findings import Finding
    from rectify_xl.core.model import Grid
    from rectify_xl.core.sheet_spec import SheetWrites
    from rectify_xl.services.ledger import Summarised, Validated
    from rectify_xl.services.mail import MailOutcome
    from rectify_xl.services.source import LiveSource

__all__ = ["Actions", "log_path", "run_button", "warm_up"]

CAPTIONS = {b.function: b.caption for b in BUTTONS}
_SECRET_RE = re.compile(r"(?i)(password|passwd|pwd|secret|token|密码)(\s*[=:：]\s*)\S+")
_LOG_LIMIT = 1_000_000


def log_path() -> Path:
    """~/.rectify-xl/logs/buttons.log: where a button's unexpected failure is recorded."""
    return Path.home() / ".rectify-xl" / "logs" / "buttons.log"


def _validate(source: LiveSource, today: date, now: datetime) -> Validated:
    from rectify_xl.services.ledger import validate

    return validate(source, today=today, now=now)


def _summarise(source: LiveSource, today: date, now: datetime) -> Summarised:
    from rectify_xl.services.ledger import summarise

    return summarise(source, today=today, now=now)


def _send(path: Path, today: date) -> MailOutcome:
    from rectify_xl.services.mail import send_ledger
    from rectify_xl.services.source import FileSource

    return send_ledger(FileSource(path), today=today)


def _saved(live: LiveBook) -> Path | None:
    return live.path()


@dataclass(frozen=True)
class Actions:
    """The use cases, the clock and the book's saved file the buttons run on (defaults: the
    real ones; ``saved`` is None for an unsaved book and on the remote engine)."""

    validate: Callable[[LiveSource, date, datetime], Validated] = _validate
    summarise: Callable[[LiveSource, date, datetime], Summarised] = _summarise
    send: Callable[[Path, date], MailOutcome] = _send
    now: Callable[[], datetime] = field(default=datetime.now)
    saved: Callable[[LiveBook], Path | None] = _saved

    def folder(self, live: LiveBook) -> Path | None:
        """The folder the book is saved in (files written beside it); None without a file."""
        path = self.saved(live)
        return path.parent if path else None


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


def _fail(live: LiveBook | None, message: str, caption: str) -> None:
    import sys

    try:
        if live is None:
            raise RuntimeError("no book")
        live.discard_pending()  # remote engine: nothing half-written reaches the workbook
        live.alert(message, caption, critical=True)
    except Exception:
        print(message, file=sys.stderr)


def run_button(function: str, book: Any, actions: Actions | None = None) -> None:
    """One click of the button behind ``function`` on the xlwings ``book``; never raises."""
    from rectify_xl.errors import RectifyError

    caption = CAPTIONS[function]
    live = None
    try:
        from rectify_xl.adapters.excel_live import LiveBook

        live = LiveBook(book)
        from rectify_xl.services.source import LiveSource, refuse_xls

        refuse_xls(LiveSource(live), caption)  # an .xls open in Excel: the buttons write into it
        _BODIES[function](live, actions or Actions())
    except RectifyError as exc:
        _fail(live, f"{caption}未完成：{exc.message}", caption)
    except Exception:
        where = _log_failure(caption)
        _fail(live, f"{caption}时发生意外错误，未能完成。\n详细信息已记录在：{where}\n"
                    "请将该文件发给技术支持人员。", caption)


def warm_up() -> None:
    """Import what a 校验 or 汇总进度 click needs, for a warm worker to load before any click
    (entrypoints/warm_click.py). Only modules and package data: nothing read from the user's
    files is kept."""
    import getpass  # noqa: F401  # 修改记录 names the user (through pwd on POSIX)
    import importlib.readers  # the built-in packs are read through these
    import importlib.resources.readers  # noqa: F401
    import sys
    import tomllib  # noqa: F401

    if sys.platform != "win32":
        import pwd  # noqa: F401

    import rectify_xl.adapters.excel_live
    import rectify_xl.adapters.profiles
    import rectify_xl.adapters.rulepacks
    import rectify_xl.adapters.sheet_live
    import rectify_xl.adapters.user_config
    import rectify_xl.core.change_log
    import rectify_xl.core.dates
    import rectify_xl.core.gate
    import rectify_xl.core.output_sheets
    import rectify_xl.core.progress
    import rectify_xl.data  # the built-in packs are read from it (importlib.resources)
    import rectify_xl.errors
    import rectify_xl.services.evidence
    import rectify_xl.services.ledger
    import rectify_xl.services.record
    import rectify_xl.services.settings
    import rectify_xl.services.source

    # the same-sound slip check's word lexicon (package data; ≈ 0.1 s to read and index)
    rectify_xl.adapters.rulepacks.default_lexicon().targets()
    # and the imported modules' patterns, which a process that runs once compiles on first use
    from rectify_xl.core.lazy_re import compile_waiting

    compile_waiting()


def _source(live: LiveBook) -> LiveSource:
    from rectify_xl.services.source import LiveSource

    return LiveSource(live)


@dataclass(frozen=True)
class _Recorded:
    """修改记录 for one click that writes the book: the sheets to add and what to tell the user."""

    writes: SheetWrites
    lines: tuple[str, ...] = ()
    refused: bool = False


def _record(grids: dict[str, Grid], source: LiveSource, now: datetime) -> _Recorded:
    """What changed in the ledger since the snapshot in ``grids`` (taken before the use case ran:
    ``ledger_of`` drops the ledger sheet's cells), as the same rows `rectify-xl record` writes.
    A broken record (RX444) is never extended: nothing is written and the click says so."""
    from rectify_xl.core.sheet_spec import SheetWrites
    from rectify_xl.errors import RectifyError
    from rectify_xl.services.record import record

    try:
        result = record(source, now=now, grids=grids)  # the ledger is parsed once per source
    except RectifyError:
        return _Recorded(SheetWrites())  # no ledger in the book: nothing to record
    if result.refused:
        where = "；".join(f"{f.location} {f.message}" for f in result.refused)
        return _Recorded(SheetWrites(), (f"“{SHEETS.CHANGE_LOG}”已被改动（{where}），为免掩盖，"
                                         "本次未记录修改；请从备份恢复或联系上级核实。",), True)
    if not result.writes.sheets:
        return _Recorded(SheetWrites())
    if result.first:
        return _Recorded(result.writes,
                         (f"已建立修改记录快照，此后对台账的修改将记入“{SHEETS.CHANGE_LOG}”表。",))
    return _Recorded(result.writes, (f"已在“{SHEETS.CHANGE_LOG}”表记录{len(result.changes)}处修改。",))


def _grids(source: LiveSource) -> dict[str, Grid]:
    return dict(source.grids())


def validate_button(live: LiveBook, actions: Actions) -> None:
    """校验: colour the offending cells, list every finding in 校验结果 with a link to its cell."""
    from rectify_xl.adapters.sheet_live import apply_writes
    from rectify_xl.core.findings import Severity

    source = _source(live)
    grids = _grids(source)
    result = actions.validate(source, actions.now().date(), actions.now())
    recorded = _record(grids, source, actions.now())
    apply_writes(live, result.writes + recorded.writes)
    report, title = result.report, CAPTIONS["validate"]
    if not report.findings:
        live.alert("\n".join([f"{title}完成：未发现问题。", *recorded.lines]), title,
                   critical=recorded.refused)
        return
    counts = "，".join(f"{s.label}{report.count(s)}个" for s in Severity if report.count(s))
    where = "已在台账中标色，" if result.writes.marks else ""
    live.alert("\n".join([f"{title}完成：{counts}。\n有问题的单元格{where}详见“{SHEETS.RESULTS}”表"
                          "（点击位置可跳转）。", *recorded.lines]), title, critical=recorded.refused)


def summary_button(live: LiveBook, actions: Actions) -> None:
    """汇总进度: rewrite 进度汇总 (with its chart) and append a row to 进度历史."""
    from rectify_xl.adapters.sheet_live import apply_writes
    from rectify_xl.core.dates import format_cn
    from rectify_xl.core.progress import format_rate

    source = _source(live)
    grids = _grids(source)
    result = actions.summarise(source, actions.now().date(), actions.now())
    recorded = _record(grids, source, actions.now())
    drawn = apply_writes(live, result.writes + recorded.writes)
    s = result.summary
    lines = [
        f"“{SHEETS.SUMMARY}”已更新（统计截止日期：{format_cn(s.as_of)}）。",
        f"整改措施{s.measure_count}项，已完成{s.measures_closed}项"
        f"（含长期坚持{s.measures_ongoing}项），完成率{format_rate(s.completion_rate)}；"
        f"逾期{len(s.overdue)}项，临期{len(s.due_soon)}项。",
        f"已在“{SHEETS.HISTORY}”表追加一行。",
        *recorded.lines,
    ]
    if not drawn and s.by_aspect:
        lines.append("（当前环境不能绘制图表，可在 Excel 中选中“按方面”表格插入图表。）")
    if result.blockers:  # the sheet says 未定稿 too; the box is an error box
        lines = [_blocked(result.blockers, "统计数字"), *lines]
    live.alert("\n".join(lines), CAPTIONS["summary"],
               critical=bool(result.blockers) or recorded.refused)


def _blocked(blockers: Sequence[Finding], what: str) -> str:
    from rectify_xl.core.gate import blocker_lines

    shown = blocker_lines(blockers[:8])
    more = [f"……共{len(blockers)}处"] if len(blockers) > 8 else []
    return "\n".join([f"未定稿：台账中有{len(blockers)}处错误影响{what}，"
                      "生成的内容已标明“未定稿”，请修改后重新生成：", *shown, *more])


_SHOWN_SLIPS = 5  # lines of a message box


def notice_button(live: LiveBook, actions: Actions) -> None:
    """生成公告: 公告 sheet (one paragraph per row), and .txt/.docx (and .pdf) beside the workbook."""
    from rectify_xl.adapters.sheet_live import apply_writes
    from rectify_xl.services.ledger import notice
    from rectify_xl.services.workbench import save_notice_files

    source = _source(live)
    grids = _grids(source)
    result = notice(source, today=actions.now().date())
    blockers = result.blockers
    recorded = _record(grids, source, actions.now())
    apply_writes(live, result.writes + recorded.writes)
    ledger, text = result.ledger, result.text
    lines = [f"公告已生成，共{result.paragraphs}段，见“{SHEETS.NOTICE}”表。"]
    folder = actions.folder(live)
    if folder is None:
        lines.append("工作簿尚未保存到本机文件夹（或在服务器上运行），未另存文本文件。")
    else:
        files = save_notice_files(ledger, text, folder, live.stem)
        lines += [f"文本文件：{p}" for p in (files.txt,) if p]
        lines += [f"Word 文档：{p}" for p in (files.docx,) if p]
        lines += [f"PDF 文档：{p}" for p in (files.pdf,) if p]
        lines += files.skipped
    lines += recorded.lines
    if result.slips:  # warnings: the notice is final, but it quotes these words
        from rectify_xl.core.gate import blocker_lines

        shown = blocker_lines(result.slips[:_SHOWN_SLIPS])
        more = len(result.slips) - len(shown)
        lines += [f"公告引用的台账文字中有{len(result.slips)}处疑似错漏，请核对：", *shown,
                  *([f"……另有{more}处，见“校验”结果"] if more > 0 else [])]
    if blockers:
        lines = [_blocked(blockers, "公告中的数字或文字"), *lines]
    live.alert("\n".join(lines), CAPTIONS["notice"], critical=bool(blockers) or recorded.refused)


def send_button(live: LiveBook, actions: Actions) -> None:
    """发送上级: mail the saved workbook (the VBA Sub saves it first) through the mail service."""
    title = CAPTIONS["send"]
    path = actions.saved(live)
    if path is None and live.remote:  # the server variant: the server never sees the user's file
        live.alert(f"服务器版台账的“{title}”按钮读不到您电脑上的台账文件，无法发送，未做任何改动。\n"
                   f"请用浏览器打开单位的台账服务器网页，上传本台账后点“{title}”。", title, critical=True)
        return
    if path is None:
        live.alert("工作簿尚未保存到本机文件夹（例如是新建未保存的，或保存在网盘上），无法发送。\n"
                   f"请先把工作簿保存到本机文件夹，再点“{title}”；也可使用命令 rectify-xl mail。",
                   title, critical=True)
        return
    outcome = actions.send(path, actions.now().date())
    live.alert(outcome.message, title, critical=not outcome.ok)


def remind_button(live: LiveBook, actions: Actions) -> None:
    """催办: the letters in a folder beside the workbook, 催办记录 written into the open book."""
    from rectify_xl.adapters.sheet_live import apply_writes
    from rectify_xl.core.dates import format_cn
    from rectify_xl.core.sheet_spec import SheetWrites
    from rectify_xl.services.remind import remind
    from rectify_xl.services.source import ledger_of

    title = CAPTIONS["remind"]
    source = _source(live)
    grids = _grids(source)
    ledger_of(source)  # an unreadable ledger is reported first, as by every button
    folder = actions.folder(live)
    if folder is None:
        live.alert("工作簿尚未保存到本机文件夹（或是服务器版台账），催办文书无处保存，未做任何改动。\n"
                   "请先把工作簿保存到本机文件夹再点“催办”；也可使用命令 rectify-xl remind。",
                   title, critical=True)
        return
    result = remind(source, today=actions.now().date(), out_dir=folder / f"{live.stem}-催办")
    if not result.reminders:
        live.alert(result.nothing_due, title)
        return
    recorded = _record(grids, source, actions.now())
    if result.sheet is not None:
        apply_writes(live, SheetWrites((result.sheet,), activate=result.sheet.name)
                     + recorded.writes)
    lines = [f"已生成{len(result.files)}份催办文书（截至{format_cn(result.as_of)}），"
             f"保存在：{result.files[0].parent}"]
    lines += [f"{r.department}：{r.kind.value}，措施{len(r.items)}项" for r in result.reminders]
    lines.append(f"已在“{SHEETS.REMIND_LOG}”表追加{result.new_rows}条记录，请保存工作簿。")
    lines += recorded.lines if result.sheet is not None else ()
    live.alert("\n".join(lines), title, critical=recorded.refused and result.sheet is not None)


_BODIES: dict[str, Callable[[LiveBook, Actions], None]] = {
    "validate": validate_button, "summary": summary_button, "notice": notice_button,
    "send": send_button, "remind": remind_button,
}

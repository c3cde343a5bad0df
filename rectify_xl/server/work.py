"""What the server does with an upload, composed from the services the CLI and buttons use.

Every function here is synchronous and runs in a worker thread (app.py puts a time limit on it).
Each works in its own private folder (files.workspace) and returns JSON-ready data with the
generated files inline (base64), so nothing has to stay on the server after the response.
"""

from __future__ import annotations

import base64
import logging
import os
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rectify_xl.errors import RectifyError
from rectify_xl.server.files import Upload, Workspace, workspace

if TYPE_CHECKING:
    from rectify_xl.core.findings import Finding, Report
    from rectify_xl.core.progress import Summary
    from rectify_xl.services.office_mail import OfficeMail
    from rectify_xl.services.workbench import Checked

__all__ = [
    "KEPT_NAMES",
    "OutFile",
    "check_upload",
    "merge_uploads",
    "notice_document",
    "preload",
    "remote_button",
    "send_upload",
]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"
TEXT = "text/plain; charset=utf-8"
EML = "message/rfc822"
# generated names of files written into a workspace (the only names a kept folder can serve)
ANNOTATED, NOTICE_TXT, NOTICE_DOCX, NOTICE_PDF = "annotated.xlsx", "notice.txt", "notice.docx", "notice.pdf"
_log = logging.getLogger("rectify_xl.server")
_REMOTE_LOCK = threading.Lock()
KEPT_NAMES = {ANNOTATED, NOTICE_TXT, NOTICE_DOCX, NOTICE_PDF, "ledger.xlsx", "ledger.xlsm"}


@dataclass(frozen=True)
class OutFile:
    kind: str  # annotated / notice_txt / notice_docx / notice_pdf / merged / draft
    name: str  # the download name shown to the user (from their file's name)
    media: str
    data: bytes

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "name": self.name, "media": self.media, "size": len(self.data),
                "data": base64.b64encode(self.data).decode("ascii")}


def preload() -> None:
    """Import, once in the server process, what the jobs use: each job is a fork of it, and a
    fork that had to import pandas, openpyxl, jinja2 and python-docx itself would spend a second
    or two of CPU on that before its work (the server's throughput fell to a fifth)."""
    import importlib

    for name in ("rectify_xl.services.ledger", "rectify_xl.services.document",
                 "rectify_xl.services.workbench", "rectify_xl.services.merge",
                 "rectify_xl.services.office_mail", "rectify_xl.services.source",
                 "rectify_xl.server.chart", "rectify_xl.core.progress", "pandas", "openpyxl",
                 "jinja2.sandbox", "docx", "xlsxwriter", "python_calamine"):
        try:
            importlib.import_module(name)
        except ImportError:  # an optional part missing: the job says so when it needs it
            continue


def _mentioning(exc: RectifyError, generated: Path, shown: str) -> RectifyError:
    """The same error, naming the user's file instead of the generated one."""
    exc.message = exc.message.replace(generated.name, shown)
    exc.args = (exc.message,)
    return exc


def _findings(report: Report) -> list[dict[str, Any]]:
    return [{"level": f.severity.value, "severity": f.severity.label, "code": f.code,
             "sheet": f.sheet, "cell": f.cell, "location": f.location, "message": f.message}
            for f in report.by_severity()]


def _summary(summary: Summary) -> dict[str, Any]:
    from rectify_xl.core.progress import format_rate
    from rectify_xl.server.chart import bar_chart_svg

    def groups(rows: Sequence[Any]) -> list[list[object]]:
        return [[g.name, g.measures, g.done, g.ongoing, g.in_progress, g.overdue, format_rate(g.rate)]
                for g in rows]

    def items(rows: Sequence[Any]) -> list[list[object]]:
        return [[i.row, i.seq, i.problem, i.measure, i.department, i.deadline.isoformat(), i.days]
                for i in rows]

    return {
        "headline": summary.headline(),
        "by_aspect": groups(summary.by_aspect),
        "by_leader": groups(summary.by_leader),
        "by_department": groups(summary.by_department),
        "overdue": items(summary.overdue),
        "due_soon": items(summary.due_soon),
        "chart_svg": bar_chart_svg(summary.by_aspect),
    }


def _notice_files(ws: Workspace, checked: Checked, stem: str) -> list[OutFile]:
    """The notice's .txt and .docx downloads, named …（未定稿） over errors that change it."""
    from rectify_xl.services.workbench import notice_file_names, windows_text_bytes

    noticed = checked.noticed
    if noticed is None:
        return []
    txt_name, docx_name = notice_file_names(stem)
    if noticed.blockers:  # the download's name says it too, before anyone opens it
        txt_name, docx_name = (_draft_name(n) for n in (txt_name, docx_name))
    data = windows_text_bytes(noticed.text)  # begins with core.gate's 【未定稿】 banner then
    ws.path(NOTICE_TXT).write_bytes(data)
    files = [OutFile("notice_txt", txt_name, TEXT, data)]
    if checked.notice_docx is not None:
        files.append(OutFile("notice_docx", docx_name, DOCX, checked.notice_docx.read_bytes()))
    return files


def _draft_name(name: str) -> str:
    """公告.txt → 公告（未定稿）.txt."""
    stem, _, suffix = name.rpartition(".")
    return f"{stem}（未定稿）.{suffix}"


def _gate(counts: Sequence[Finding], notice: Sequence[Finding]) -> dict[str, Any]:
    """The not-final state the CLI reports by exit 1 (core.gate, through the services' results):
    the blocking cells, and the warning the page shows above the summary and the notice."""
    from rectify_xl.core.gate import DRAFT_MARK

    def cells(found: Sequence[Finding]) -> list[dict[str, Any]]:
        return [{"code": f.code, "sheet": f.sheet, "cell": f.cell, "location": f.location,
                 "message": f.message} for f in found]

    both = list({(f.sheet, f.row, f.cell, f.code, f.message): f for f in (*counts, *notice)}.values())
    if not both:
        return {"final": True, "warning": "", "blocking": {"summary": [], "notice": []}}
    what = "、".join(w for w, found in (("进度汇总的统计数字", counts), ("公告中的数字或文字", notice))
                    if found)
    shown = "、".join(dict.fromkeys(f.location for f in both[:8]))
    more = f"等{len(both)}处" if len(both) > 8 else ""
    warning = (f"{DRAFT_MARK}台账中有{len(both)}处错误影响{what}（{shown}{more}）。"
               "下面的进度汇总和公告以及下载的公告文件均为未定稿，不得报送或公布；"
               "请按校验结果修改台账后重新上传。")
    return {"final": False, "warning": warning,
            "blocking": {"summary": cells(counts), "notice": cells(notice)}}


def check_upload(upload: Upload, *, today: date, keep: bool = False) -> dict[str, Any]:
    """校验 + 汇总 + 公告 for one ledger: findings, summary with chart, downloadable files."""
    from rectify_xl.services.source import FileSource
    from rectify_xl.services.workbench import check_workbook

    with workspace() as ws:
        path = ws.save(upload)
        source = FileSource(path, upload.name)
        now = datetime.combine(today, datetime.now().time())
        try:
            checked = check_workbook(source, today=today, now=now, docx=ws.path(NOTICE_DOCX))
        except RectifyError as exc:  # the copies name the generated file: name the user's
            raise _mentioning(exc, path, upload.name) from exc
        result, noticed = checked.annotated, checked.noticed
        report, summary = result.validated.report, result.summarised.summary
        files = _notice_files(ws, checked, upload.stem)
        if result.data is not None:  # None for an .xls: read, but no marked-up copy of it
            ws.path(ANNOTATED).write_bytes(result.data)
            files.insert(0, OutFile("annotated", f"{upload.stem}-校验标注.xlsx", XLSX, result.data))
        kept = ws.keep() if keep else None
    from rectify_xl.core.findings import Severity

    return {
        "source": upload.name,
        "verdict": "未通过" if report.has_errors() else "通过",
        "counts": {s.label: report.count(s) for s in Severity},
        "findings": _findings(report),
        "summary": _summary(summary),
        "notice": noticed.text if noticed else None,
        "notice_error": checked.notice_error,
        # the summary's and the notice's own gate (core.gate through services.ledger): the same
        # errors that make `summary`/`notice` exit 1 make this answer not final
        **_gate(result.summarised.blockers, noticed.blockers if noticed else ()),
        "files": [f.to_json() for f in files],
        "kept": kept,
    }


def notice_document(upload: Upload, fmt: str) -> OutFile:
    """The notice as .docx or .pdf (PDF through LibreOffice, a few seconds)."""
    from rectify_xl.services.document import write_notice
    from rectify_xl.services.source import FileSource

    suffix = ".pdf" if fmt == "pdf" else ".docx"
    with workspace() as ws:
        path = ws.save(upload)
        try:
            written = write_notice(FileSource(path, upload.name),
                                   ws.path(NOTICE_PDF if fmt == "pdf" else NOTICE_DOCX))
        except RectifyError as exc:
            raise _mentioning(exc, path, upload.name) from exc
        data = Path(written.files[-1]).read_bytes()
    return OutFile(f"notice_{fmt}", f"{upload.stem}-整改进展情况公告{suffix}",
                   PDF if fmt == "pdf" else DOCX, data)


def send_upload(upload: Upload, *, today: date, mail: OfficeMail | None = None) -> dict[str, Any]:
    """发送上级 through the server's own mailbox (services.office_mail): the upload chooses the
    recipients only; without a configured mailbox the answer is a draft to download."""
    from rectify_xl.services.office_mail import send_for_upload
    from rectify_xl.services.source import FileSource

    with workspace() as ws:
        path = ws.save(upload)
        try:
            result = send_for_upload(FileSource(path, upload.name), ws.path("draft.eml"),
                                     today=today, mail=mail)
        except RectifyError as exc:
            raise _mentioning(exc, path, upload.name) from exc
        outcome = result.outcome
        files = []
        if outcome.draft and Path(outcome.draft).is_file():
            files.append(OutFile("draft", f"{upload.stem}-发送上级.eml", EML,
                                 Path(outcome.draft).read_bytes()).to_json())
        message = outcome.message.replace(str(outcome.draft), "见下方“邮件草稿”下载链接")
    if mail is None:
        message = f"服务器未配置发送邮箱，只生成邮件草稿。\n{message}"
    elif result.refused:
        message = f"{result.refused}。\n{message}"
    return {"ok": outcome.ok and not result.refused, "sent": outcome.sent, "message": message,
            "files": files}


def remind_upload(upload: Upload, *, today: date) -> dict[str, Any]:
    """催办: the letters, and the workbook with 催办记录 appended, to download (the upload is a
    private copy: the user's own file changes only when they save the downloaded one)."""
    from rectify_xl.core.dates import format_cn
    from rectify_xl.services.remind import remind
    from rectify_xl.services.source import FileSource

    with workspace() as ws:
        path = ws.save(upload)
        try:
            result = remind(FileSource(path, upload.name), today=today, out_dir=ws.path("letters"),
                            record=True)
        except RectifyError as exc:
            raise _mentioning(exc, path, upload.name) from exc
        files = [OutFile("reminder", p.name, DOCX, p.read_bytes()).to_json() for p in result.files]
        if result.sheet is not None:
            files.append(OutFile("reminded", f"{upload.stem}（含催办记录）{path.suffix}", XLSX,
                                 path.read_bytes()).to_json())
    if not result.reminders:
        message = result.nothing_due
    else:
        message = "；".join(f"{r.department}：{r.kind.value}，措施{len(r.items)}项"
                           for r in result.reminders)
        message = (f"截至{format_cn(result.as_of)}，已生成{len(result.files)}份催办文书（{message}）。"
                   "请下载文书，并用含催办记录的台账替换原台账。")
    return {"ok": True, "message": message, "files": files}


def merge_uploads(uploads: Sequence[Upload], *, today: date) -> dict[str, Any]:
    """Several ledgers → the consolidated workbook (the merge service, labelled with the names
    the user chose, so 来源文件 never shows the server's generated paths)."""
    from rectify_xl.core.consolidate import Submission
    from rectify_xl.services.merge import merge_ledgers

    with workspace() as ws:
        paths = [ws.save(u) for u in uploads]
        out = ws.path("merged.xlsx")
        result = merge_ledgers(paths, out, today=today, names=_distinct([u.name for u in uploads]))
        data = out.read_bytes()
        round_files = _round_notice_files(out, ws.path("round.docx"), today)
    c = result.consolidation
    units = [{"unit": u.unit, "source": u.source} for u in c.units]
    # the roster also lists units missing from the round; unreadable and duplicate files matter here
    failed = [{"source": e.source, "reason": f"{e.state.value}：{e.note}".rstrip("：")}
              for e in c.roster if e.source and e.state is not Submission.MISSING]
    merged = OutFile("merged", f"整改台账汇总-{today:%Y%m%d}.xlsx", XLSX, data)
    return {"units": units, "failed": failed, "has_errors": result.has_errors,
            "files": [merged.to_json(), *(f.to_json() for f in round_files)]}


def _round_notice_files(workbook: Path, docx: Path, today: date) -> list[OutFile]:
    """The round 通报 of the consolidated workbook (issue 18), as text and Word; none when it
    cannot be written (the consolidated workbook is the answer that matters)."""
    from rectify_xl.services.round import round_notice

    try:
        result = round_notice(workbook, docx, when=today)
    except RectifyError as exc:
        _log.info("round notice not written: %s", exc.message)
        return []
    name = f"巡察整改情况通报-{today:%Y%m%d}"
    return [OutFile("round_txt", f"{name}.txt", TEXT, result.text.encode("utf-8")),
            OutFile("round_docx", f"{name}.docx", DOCX, docx.read_bytes())]


def _distinct(names: Sequence[str]) -> list[str]:
    """Two uploads called 台账.xlsx (from two folders) must stay apart: 台账.xlsx, 台账（2）.xlsx."""
    seen: dict[str, int] = {}
    out = []
    for name in names:
        n = seen[name] = seen.get(name, 0) + 1
        if n > 1:
            stem, dot, suffix = name.rpartition(".")
            name = f"{stem}（{n}）.{suffix}" if dot else f"{name}（{n}）"
        out.append(name)
    return out


def remote_button(function: str, payload: dict[str, Any]) -> dict[str, Any]:
    """One workbook button through xlwings' remote engine: payload in, actions out."""
    os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
    import xlwings as xw

    from rectify_xl.services.buttons import log_path, run_button

    _ensure_remote_engine(xw)
    # The remote engine keeps every opened book in one global list and queues alerts on the
    # global "active" book: one book at a time, closed afterwards, or concurrent clicks would
    # mix their message boxes and the server would keep every payload in memory.
    _cells_checked(payload)
    with _REMOTE_LOCK:
        try:
            book = xw.Book(json=payload)
        except Exception as exc:  # xlwings raises XlwingsError/KeyError for a malformed payload
            raise _payload_error(exc, payload) from exc
        try:
            run_button(function, book)  # every failure becomes an alert
            return _on_server(book.json(), str(log_path()))
        finally:
            book.close()


# xlwings reads a text matching its date-time pattern as a date by cutting the last character
# (the VBA client's "Z"): a text cell "2025-03-31T10:20:30" or "…+08:00" then fails inside it.
_ISO_TEXT = re.compile(r"^-?\d*\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d")


def _cells_checked(payload: dict[str, Any]) -> None:
    """The payload's sheets as the VBA client sends them (a list of named sheets, values a list of
    rows of plain cells), else one sentence; a date-time text without the client's "Z" is kept
    as text (its "T" made a space) instead of failing in xlwings. Changed in place."""
    from rectify_xl.errors import InputError

    bad = InputError("工作簿数据格式不正确，服务器无法读取：请用 rectify-xl new --server 生成的工作簿")
    sheets = payload.get("sheets")
    if not isinstance(sheets, list):
        raise bad
    for sheet in sheets:
        values = sheet.get("values") if isinstance(sheet, dict) else None
        if not isinstance(values, list) or not all(isinstance(row, list) for row in values):
            raise bad
        for row in values:
            for i, cell in enumerate(row):
                if isinstance(cell, str):
                    if _ISO_TEXT.match(cell) and not cell.endswith("Z"):
                        row[i] = cell.replace("T", " ", 1)
                elif cell is not None and not isinstance(cell, bool | int | float):
                    raise bad


def _on_server(answer: dict[str, Any], log: str) -> dict[str, Any]:
    """A message box that names the failure log says the log is on the server, not this PC."""
    for action in answer.get("actions", ()):
        if action.get("func") == "alert" and action.get("args"):
            prompt = action["args"][0]
            if isinstance(prompt, str) and log in prompt:
                action["args"][0] = prompt.replace(log, f"服务器上的 {log}（请联系服务器管理员）")
    return answer


def _ensure_remote_engine(xw: Any) -> None:
    if "remote" not in [e.name for e in xw.engines]:  # xlwings imported before the key was set
        from xlwings.main import Engine
        from xlwings.pro import _xlremote

        xw.engines.add(Engine(impl=_xlremote.engine))


def _payload_error(exc: Exception, payload: dict[str, Any]) -> RectifyError:
    import xlwings as xw

    from rectify_xl.errors import InputError

    version = payload.get("version")
    if version is not None and version != xw.__version__:
        return InputError(f"工作簿中的 xlwings 版本（{version}）与服务器（{xw.__version__}）不一致，"
                          "请用 rectify-xl new --server 重新生成工作簿")
    _log.warning("remote payload refused: %s", type(exc).__name__)
    return InputError("工作簿数据格式不正确，服务器无法读取：请用 rectify-xl new --server 生成的工作簿")

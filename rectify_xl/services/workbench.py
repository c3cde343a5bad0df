"""The web workbench's check (校验 + 汇总 + 公告 of one upload) and the notice's files beside a
workbook (.txt, .docx, .pdf) for the 生成公告 button."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from rectify_xl.adapters.files import windows_text_bytes  # the .txt download: BOM + CRLF for Notepad
from rectify_xl.core.model import Ledger

if TYPE_CHECKING:
    from rectify_xl.services.ledger import Annotated, Noticed
    from rectify_xl.services.source import FileSource

__all__ = ["Checked", "NoticeFiles", "check_workbook", "notice_file_names", "save_notice_files",
           "windows_text_bytes"]


@dataclass(frozen=True)
class Checked:
    """What the web workbench shows for one ledger: the marked-up copy (findings, summary), the
    notice and its Word file; a notice that could not be made is a sentence, never a stop."""

    annotated: Annotated
    noticed: Noticed | None
    notice_docx: Path | None
    notice_error: str | None = None  # Chinese, shown on the page


def check_workbook(source: FileSource, *, today: date, now: datetime, docx: Path) -> Checked:
    """校验 + 汇总 (services.ledger.annotate) and 生成公告 (its text, and its .docx at ``docx``)."""
    from rectify_xl.errors import RectifyError
    from rectify_xl.services.document import write_notice_document
    from rectify_xl.services.ledger import Annotated, annotate, notice, settings_of, summarise, validate
    from rectify_xl.services.source import is_xls

    if is_xls(source):  # read and checked, but no marked-up copy: openpyxl cannot open an .xls
        settings = settings_of(source)
        annotated = Annotated(validate(source, today=today, now=now, settings=settings),
                              summarise(source, today=today, now=now, settings=settings), None)
    else:
        annotated = annotate(source, today=today, now=now)
    try:
        noticed = notice(source, today=today)
    except RectifyError as exc:
        return Checked(annotated, None, None, f"公告未能生成：{exc.message}")
    try:
        written = write_notice_document(noticed.ledger, noticed.text, docx)
    except RectifyError as exc:
        return Checked(annotated, noticed, None, f"Word 文档未能生成：{exc.message}")
    return Checked(annotated, noticed, Path(written[0]))


@dataclass
class NoticeFiles:
    """What save_notice_files wrote, and why anything was not written (Chinese, for the user)."""

    txt: Path | None = None
    docx: Path | None = None
    pdf: Path | None = None
    skipped: list[str] = field(default_factory=list)


def notice_file_names(stem: str) -> tuple[str, str]:
    return f"{stem}-整改进展情况公告.txt", f"{stem}-整改进展情况公告.docx"


def save_notice_files(ledger: Ledger, text: str, folder: Path, stem: str) -> NoticeFiles:
    """The notice as .txt, .docx and (where LibreOffice is installed) .pdf, beside the workbook."""
    from rectify_xl.adapters.files import lock_files, write_text_atomic

    txt_name, docx_name = notice_file_names(stem)
    out = NoticeFiles()
    txt = folder / txt_name
    if lock_files(txt):  # ~$name of Word/WPS, .~lock.name# of LibreOffice
        out.skipped.append(f"“{txt.name}”正被其他程序打开，未覆盖")
    else:
        out.txt = write_text_atomic(txt, text)
    from rectify_xl.services.document import write_notice_document

    docx = folder / docx_name
    if lock_files(docx):
        out.skipped.append(f"“{docx.name}”正在 Word/WPS 中打开，未覆盖，请关闭后重试")
        return out
    write_notice_document(ledger, text, docx)
    out.docx = docx
    _save_notice_pdf(docx, out)
    return out


def _save_notice_pdf(docx: Path, out: NoticeFiles) -> None:
    """Issue 6: the PDF beside the .docx where LibreOffice is installed; say so where it is not."""
    from rectify_xl.errors import RectifyError
    from rectify_xl.services.document import PDF_MISSING, write_notice_pdf

    try:
        out.pdf = write_notice_pdf(docx)
    except RectifyError as exc:  # locked, time-out, conversion failed: the .docx stands
        out.skipped.append(f"PDF 未生成：{exc.message}")
        return
    if out.pdf is None:
        out.skipped.append(PDF_MISSING)

"""The notice's files beside a workbook (.txt, .docx, .pdf), for the 生成公告 button and the server."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rectify_xl.adapters.files import windows_text_bytes  # the .txt download: BOM + CRLF for Notepad
from rectify_xl.core.model import Ledger

__all__ = ["NoticeFiles", "notice_file_names", "save_notice_files", "windows_text_bytes"]


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

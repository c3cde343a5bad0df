"""Use case: the notice as a file — text (.txt), or a formal document (.docx, and .pdf through
LibreOffice).

``write_notice(source, out, …)`` is the use case the `notice -o` command and the web workbench's
document download call: it renders the notice from the workbook source (services.ledger.notice)
and writes it. ``write_notice_document`` writes an already rendered text (the mail and the
round 通报 reuse it).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from rectify_xl.core.model import Ledger
from rectify_xl.errors import OutputError

if TYPE_CHECKING:
    from rectify_xl.core.document import Block
    from rectify_xl.services.ledger import Noticed
    from rectify_xl.services.source import WorkbookSource

__all__ = ["DOCUMENT_SUFFIXES", "NOTICE_SUFFIXES", "PDF_MISSING", "NoticeWritten",
           "check_notice_output", "write_document", "write_notice", "write_notice_document",
           "write_notice_pdf"]

DOCUMENT_SUFFIXES = (".docx", ".pdf")
NOTICE_SUFFIXES = (".txt", *DOCUMENT_SUFFIXES)
PDF_MISSING = "未找到 LibreOffice，未生成 PDF（Word 文档已生成，可在 Word/WPS 中“另存为 PDF”）"


class DocumentWriter(Protocol):
    """What writes the notice's .docx/.pdf (``write_notice_document``; a fake in tests)."""

    def __call__(self, ledger: Ledger, text: str, out: Path, *, profile: Path | None = ...,
                 reference: Path | None = ..., notes: list[str] | None = ...) -> list[Path]: ...


@dataclass(frozen=True)
class NoticeWritten:
    """The notice (text, blockers: services.ledger.Noticed), the files written, and a line per
    公文 face the PDF had to stand in for."""

    noticed: Noticed
    files: tuple[Path, ...]
    notes: tuple[str, ...] = ()


def check_notice_output(out: Path, *inputs: Path | None) -> None:
    """Before any work: the format is one we write, and ``out`` (with the .docx a .pdf writes
    beside it) names none of the inputs (the ledger, the template)."""
    if out.suffix.lower() not in NOTICE_SUFFIXES:
        raise OutputError(f"不支持的输出格式“{out.suffix or out.name}”：请用 .txt、.docx 或 .pdf")
    targets = {out.resolve()}
    if out.suffix.lower() == ".pdf":
        targets.add(out.with_suffix(".docx").resolve())
    for path in inputs:
        if path is not None and Path(path).resolve() in targets:
            raise OutputError(f"输出文件不能与输入文件“{Path(path).name}”相同，请换一个文件名")


def write_notice(source: WorkbookSource, out: Path, *, template: str | Path | None = None,
                 profile: Path | None = None, reference: Path | None = None,
                 today: date | None = None,
                 document: DocumentWriter | None = None) -> NoticeWritten:
    """生成公告 into a file: ``out`` ending .txt (UTF-8 text), .docx or .pdf (the .docx is kept
    beside the .pdf). The text begins with 【未定稿】 over errors that change it (``noticed.blockers``)."""
    from rectify_xl.services.ledger import notice
    from rectify_xl.services.source import FileSource

    out = Path(out)
    check_notice_output(out, source.path if isinstance(source, FileSource) else None,
                        Path(template) if template else None)
    noticed = notice(source, template=template, today=today)
    if out.suffix.lower() == ".txt":
        from rectify_xl.adapters.files import write_text_atomic

        return NoticeWritten(noticed, (write_text_atomic(out, noticed.text),))
    notes: list[str] = []
    write = document or write_notice_document
    files = write(noticed.ledger, noticed.text, out, profile=profile, reference=reference,
                  notes=notes)
    return NoticeWritten(noticed, tuple(files), tuple(notes))


def write_notice_document(ledger: Ledger, text: str, out: Path, *, profile: Path | None = None,
                          reference: Path | None = None, notes: list[str] | None = None) -> list[Path]:
    """Write the notice text as a GB/T 9704 document; returns the files written.

    out ending .docx writes the .docx; .pdf writes the .docx beside it (same name, kept for
    editing and filing) and then the PDF. Without LibreOffice a .pdf request raises OutputError
    after the .docx is written. notes receives a line per 公文 face the PDF had to stand in for.
    """
    from rectify_xl.core.document import document_date, document_issuer, document_title, notice_blocks
    from rectify_xl.core.notice.render import heading_lines, notice_context

    info = ledger.info
    headings = [(h.text, h.level, h.lead_len) for h in heading_lines(notice_context(ledger))]
    return write_document(
        lambda: notice_blocks(text, title=document_title(info), issuer=document_issuer(info),
                              date_text=document_date(info), headings=headings),
        out, profile=profile, reference=reference, notes=notes)


def write_document(blocks: Callable[[], Sequence[Block]], out: Path, *,
                   profile: Path | None = None, reference: Path | None = None,
                   notes: list[str] | None = None) -> list[Path]:
    """Any notice-shaped document (the unit's notice, the round 通报) as .docx, or .pdf too.

    ``blocks`` is called once the targets are known to be writable (not half a result);
    ``notes`` receives a line per 公文 face the PDF had to stand in for.
    """
    from rectify_xl.adapters.docx_writer import write_docx
    from rectify_xl.adapters.files import ensure_not_locked
    from rectify_xl.adapters.profiles import load_profile

    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in DOCUMENT_SUFFIXES:
        raise OutputError(f"公文只能输出为 .docx 或 .pdf，不能是“{out.name}”")
    targets = [out.with_suffix(".docx"), *([out] if suffix == ".pdf" else [])]
    _refuse_overwriting_inputs(targets, (profile, reference))
    for target in targets:  # before anything is written: not half a result
        ensure_not_locked(target)
    layout = load_profile(profile)
    docx_path = write_docx(tuple(blocks()), targets[0], layout, reference)
    if suffix == ".docx":
        return [docx_path]
    from rectify_xl.adapters.pdf import convert_to_pdf, pdf_available

    if not pdf_available():
        raise OutputError(f"未找到 LibreOffice，无法生成 PDF；Word 文档已生成：{docx_path}"
                          "（可在 Word/WPS 中“另存为 PDF”）")
    return [docx_path, convert_to_pdf(docx_path, out, notes=notes)]


def write_notice_pdf(docx: Path, pdf: Path | None = None) -> Path | None:
    """The PDF of a written notice .docx (beside it by default); None without LibreOffice."""
    from rectify_xl.adapters.pdf import convert_to_pdf, pdf_available

    if not pdf_available():
        return None
    return convert_to_pdf(docx, pdf or docx.with_suffix(".pdf"))


def _refuse_overwriting_inputs(targets: list[Path], inputs: tuple[Path | None, ...]) -> None:
    """An input (the reference .docx, the profile) is never an output: -o 参考.docx --reference 参考.docx."""
    for target in targets:
        for source in inputs:
            if source is not None and _same_file(target, Path(source)):
                raise OutputError(f"输出文件“{target.name}”就是输入文件“{Path(source).name}”，"
                                  "为免覆盖输入，请另选输出文件名")


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and a.samefile(b)
    except OSError:
        return a.resolve() == b.resolve()

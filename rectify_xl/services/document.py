"""Use case: the notice as a formal document (.docx, and .pdf through LibreOffice)."""

from __future__ import annotations

from pathlib import Path

from rectify_xl.core.model import Ledger
from rectify_xl.errors import OutputError

__all__ = ["DOCUMENT_SUFFIXES", "write_notice_document"]

DOCUMENT_SUFFIXES = (".docx", ".pdf")


def write_notice_document(ledger: Ledger, text: str, out: Path, *, profile: Path | None = None,
                          reference: Path | None = None) -> list[Path]:
    """Write the notice text as a GB/T 9704 document; returns the files written.

    out ending .docx writes the .docx; .pdf writes the .docx beside it (same name, kept for
    editing and filing) and then the PDF. Without LibreOffice a .pdf request raises OutputError
    after the .docx is written.
    """
    from rectify_xl.adapters.docx_writer import write_docx
    from rectify_xl.adapters.profiles import load_profile
    from rectify_xl.core.document import document_date, document_issuer, document_title, notice_blocks

    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in DOCUMENT_SUFFIXES:
        raise OutputError(f"公文只能输出为 .docx 或 .pdf，不能是“{out.name}”")
    layout = load_profile(profile)
    info = ledger.info
    blocks = notice_blocks(text, title=document_title(info), issuer=document_issuer(info),
                           date_text=document_date(info))
    docx_path = write_docx(blocks, out.with_suffix(".docx"), layout, reference)
    if suffix == ".docx":
        return [docx_path]
    from rectify_xl.adapters.pdf import convert_to_pdf

    return [docx_path, convert_to_pdf(docx_path, out)]

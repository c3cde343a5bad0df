"""Use cases that write a ledger workbook or a plain file: ``rectify-xl new`` and the demo."""

from __future__ import annotations

from pathlib import Path

__all__ = ["new_workbook", "write_text"]


def new_workbook(path: Path, *, sample: bool = False, overwrite: bool = False,
                 server_url: str | None = None) -> Path:
    """A blank (or the sample) ledger workbook: .xlsx without macros, .xlsm with the buttons."""
    from rectify_xl.adapters.workbook_builder import build_workbook

    records = None
    if sample:
        from rectify_xl.adapters.sample_data import sample_records

        records = sample_records()
    return build_workbook(path, records, overwrite=overwrite, server_url=server_url)


def write_text(path: Path, text: str) -> Path:
    """A UTF-8 text file written atomically (never half a file)."""
    from rectify_xl.adapters.files import write_text_atomic

    return write_text_atomic(path, text)

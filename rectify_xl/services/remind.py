"""Use case 催办 (issue 17): one letter (.docx) per responsible department, and the 催办记录.

The letters use the notice's document machinery (page profile, styles, adapters.docx_writer).
The 催办记录 sheet is described once (core.reminders.log_sheet): the 催办 button writes it into
the open book with the live-book writer; the CLI writes it into the file in place
(``record_in_file``: adapters.xlsx_sheet_part — atomic, refused while the file is open, every
other part of the workbook kept as it was — after a backup of the previous version).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rectify_xl.core.reminders import DepartmentReminder
from rectify_xl.core.sheet_spec import SheetSpec
from rectify_xl.services.source import WorkbookSource, ledger_of

__all__ = ["BACKUP_SUFFIX", "HOW_DOCUMENT", "RemindResult", "default_folder", "ensure_writable",
           "record_in_file", "remind"]

HOW_DOCUMENT = "书面（.docx）"
BACKUP_SUFFIX = ".备份"
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


@dataclass(frozen=True)
class RemindResult:
    as_of: date
    reminders: tuple[DepartmentReminder, ...]
    files: tuple[Path, ...]
    new_rows: int  # rows this run adds to 催办记录
    sheet: SheetSpec | None  # the whole 催办记录 after this run (None: nothing to record)


def default_folder(ledger: Path) -> Path:
    return ledger.parent / f"{ledger.stem}-催办"


def remind(source: WorkbookSource, *, today: date, days: int, out_dir: Path,
           as_of: date | None = None) -> RemindResult:
    """Write the letters into ``out_dir``; return them and the 催办记录 to write."""
    from rectify_xl.adapters.docx_writer import write_docx
    from rectify_xl.adapters.profiles import load_profile
    from rectify_xl.core.reminders import log_rows, log_sheet, plan_reminders, reminder_blocks
    from rectify_xl.services.ledger import as_of_date

    ledger = ledger_of(source)
    when = as_of_date(ledger, as_of, today)
    plans = plan_reminders(ledger, when, days)
    if not plans:
        return RemindResult(when, (), (), 0, None)
    out_dir.mkdir(parents=True, exist_ok=True)
    profile = load_profile(None)
    files: dict[str, str] = {}
    written = []
    for r in plans:
        name = _UNSAFE.sub("_", f"{r.department}-{r.kind.value}函-{today:%Y%m%d}.docx")[:120]
        path = write_docx(reminder_blocks(r, ledger.info, when, dated=today), out_dir / name, profile)
        files[r.department] = path.name
        written.append(path)
    rows = log_rows(plans, today, HOW_DOCUMENT, files)
    sheet = log_sheet([*ledger.reminder_log, *rows], ledger.ledger_sheet)
    return RemindResult(when, tuple(plans), tuple(written), len(rows), sheet)


def ensure_writable(path: Path) -> None:
    """Refuse (LockedError) a ledger open in Excel/WPS, before anything is written."""
    from rectify_xl.adapters.files import ensure_not_locked

    ensure_not_locked(path)


def record_in_file(path: Path, sheet: SheetSpec) -> Path:
    """Write 催办记录 into the ledger file in place; returns the backup of the previous version."""
    import shutil

    from rectify_xl.adapters.files import ensure_not_locked
    from rectify_xl.adapters.xlsx_sheet_part import put_sheet
    from rectify_xl.errors import OutputError

    ensure_not_locked(path)
    backup = path.with_name(path.name + BACKUP_SUFFIX)
    try:
        shutil.copy2(path, backup)
    except OSError as exc:
        raise OutputError(f"无法在“{path.parent}”中保存台账的备份，未写入“催办记录”") from exc
    rows = [row for block in sheet.blocks for row in block.rows]
    put_sheet(path, sheet.name, rows, widths=[w for _, w in sheet.widths])
    return backup

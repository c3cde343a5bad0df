"""Use case 催办 (issue 17): one letter (.docx) per responsible department, and the 催办记录.

The letters use the notice's document machinery (page profile, styles, adapters.docx_writer);
each sending is appended to the ledger's 催办记录 sheet in place (adapters.xlsx_sheet_part:
atomic, refused while the file is open, every other part of the workbook kept as it was), after
a backup of the previous version is saved beside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rectify_xl.core.reminders import DepartmentReminder
from rectify_xl.services.source import FileSource, ledger_of

__all__ = ["HOW_DOCUMENT", "RemindResult", "default_folder", "remind"]

HOW_DOCUMENT = "书面（.docx）"
BACKUP_SUFFIX = ".备份"
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


@dataclass(frozen=True)
class RemindResult:
    as_of: date
    reminders: tuple[DepartmentReminder, ...]
    files: tuple[Path, ...]
    recorded: int  # rows appended to 催办记录 (0 with record=False or nothing to send)
    backup: Path | None


def _backup(path: Path) -> Path:
    """The previous version beside the ledger (``台账.xlsx.备份``), before it is written."""
    import shutil

    from rectify_xl.errors import OutputError

    backup = path.with_name(path.name + BACKUP_SUFFIX)
    try:
        shutil.copy2(path, backup)
    except OSError as exc:
        raise OutputError(f"无法在“{path.parent}”中保存台账的备份，未写入“催办记录”") from exc
    return backup


def default_folder(ledger: Path) -> Path:
    return ledger.parent / f"{ledger.stem}-催办"


def remind(source: FileSource, *, today: date, days: int, out_dir: Path | None = None,
           as_of: date | None = None, record: bool = True) -> RemindResult:
    from rectify_xl.adapters.docx_writer import write_docx
    from rectify_xl.adapters.files import ensure_not_locked
    from rectify_xl.adapters.profiles import load_profile
    from rectify_xl.adapters.xlsx_sheet_part import put_sheet
    from rectify_xl.core.reminders import log_header, log_rows, plan_reminders, read_log, reminder_blocks
    from rectify_xl.core.schema import SHEETS
    from rectify_xl.services.ledger import as_of_date

    ledger = ledger_of(source)
    when = as_of_date(ledger, as_of, today)
    plans = plan_reminders(ledger, when, days)
    if not plans:
        return RemindResult(when, (), (), 0, None)
    folder = Path(out_dir) if out_dir is not None else default_folder(source.path)
    if record:
        ensure_not_locked(source.path)  # before any letter: all or nothing
    folder.mkdir(parents=True, exist_ok=True)
    profile = load_profile(None)
    files: dict[str, str] = {}
    written = []
    for r in plans:
        name = _UNSAFE.sub("_", f"{r.department}-{r.kind.value}函-{today:%Y%m%d}.docx")[:120]
        path = write_docx(reminder_blocks(r, ledger.info, when, dated=today), folder / name, profile)
        files[r.department] = path.name
        written.append(path)
    backup = None
    rows = log_rows(plans, today, HOW_DOCUMENT, files) if record else []
    if rows:
        old = read_log(source.grids().get(SHEETS.REMIND_LOG))
        backup = _backup(source.path)
        put_sheet(source.path, SHEETS.REMIND_LOG, [log_header(), *old, *rows],
                  widths=(12, 16, 8, 24, 8, 14, 40))
    return RemindResult(when, tuple(plans), tuple(written), len(rows), backup)

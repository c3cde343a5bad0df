"""Use case 修改记录 (issue 17): record what changed in the ledger since the last snapshot.

``record`` is the one command that updates a ledger in place: it compares the ledger sheet and
基本信息 with the snapshot kept in the workbook (hidden sheet 修改记录快照), appends one row per
changed cell to 修改记录 (who, when, sheet, cell, old → new, chained 校验码: core.change_log) and
takes a new snapshot. Both sheets are written by adapters.xlsx_sheet_part (atomic, refused while
the file is open, every other part of the workbook kept as it was) after a backup. A record that
no longer holds (RX444) is never sealed again: nothing is written and the finding is returned.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from rectify_xl.core.change_log import Change, RecordedEdits
from rectify_xl.core.findings import Finding
from rectify_xl.services.source import FileSource, ledger_of

__all__ = ["RecordResult", "current_user", "record", "recorded_edits"]


@dataclass(frozen=True)
class RecordResult:
    changes: tuple[Change, ...]
    first: bool  # no snapshot before: this run took the first one
    refused: tuple[Finding, ...]  # RX444: the record was tampered with; nothing written
    backup: Path | None


def current_user() -> str:
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # no user name in this environment (some services, containers)
        return "未知用户"


def record(source: FileSource, *, now: datetime, who: str | None = None) -> RecordResult:
    from rectify_xl.adapters.xlsx_sheet_part import put_sheet
    from rectify_xl.core import change_log as cl
    from rectify_xl.core.schema import SHEETS
    from rectify_xl.services.remind import BACKUP_SUFFIX, ensure_writable

    ensure_writable(source.path)
    grids = dict(source.grids())  # every cell: ledger_of drops the ledger sheet's from the cache
    ledger = ledger_of(source)
    tampered = cl.check_change_log(grids)
    if tampered:
        return RecordResult((), False, tuple(tampered), None)
    sheets = [ledger.ledger_sheet, *([ledger.info_sheet] if ledger.info_sheet else [])]
    if ledger.info_sheet == ledger.ledger_sheet:
        sheets = [ledger.ledger_sheet]
    old, _ = cl.read_snapshot(grids.get(SHEETS.CHANGE_SNAPSHOT))
    current = cl.snapshot_of(grids, sheets)
    first = old is None
    changes = [] if first else cl.changes_between(old or {}, current, sheets)
    previous = cl.read_log(grids.get(SHEETS.CHANGE_LOG))
    if not first and not changes:
        return RecordResult((), False, (), None)
    rows = cl.log_rows(previous, changes, who=who or current_user(), when=f"{now:%Y-%m-%d %H:%M:%S}")
    all_rows = [*previous, *rows]
    seal = cl.Seal(len(all_rows), str(all_rows[-1][7]))
    backup = source.path.with_name(source.path.name + BACKUP_SUFFIX)
    import shutil

    shutil.copy2(source.path, backup)
    # the record first: if the snapshot write failed, the next run records the changes again
    put_sheet(source.path, SHEETS.CHANGE_LOG, [cl.log_header(), *all_rows],
              widths=(6, 18, 10, 10, 8, 30, 30, 18))
    put_sheet(source.path, SHEETS.CHANGE_SNAPSHOT, cl.snapshot_rows(current, seal, sheets),
              widths=(12, 8, 40), hidden=True)
    return RecordResult(tuple(changes), first, (), backup)


def recorded_edits(old: Path, new: Path) -> RecordedEdits | None:
    """What the newer version's 修改记录 adds to the older one's; None without a record."""
    from rectify_xl.adapters.xlsx_reader import read_grids
    from rectify_xl.core import change_log as cl
    from rectify_xl.core.schema import SHEETS

    wanted = {SHEETS.CHANGE_LOG, SHEETS.CHANGE_SNAPSHOT}
    new_grids = read_grids(new, wanted)
    if SHEETS.CHANGE_LOG not in new_grids:
        return None
    old_rows = cl.read_log(read_grids(old, wanted).get(SHEETS.CHANGE_LOG))
    _, seal = cl.read_snapshot(new_grids.get(SHEETS.CHANGE_SNAPSHOT))
    return cl.recorded_since(old_rows, cl.read_log(new_grids[SHEETS.CHANGE_LOG]), seal)

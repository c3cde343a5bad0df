"""Use case 修改记录 (issue 17): record what changed in the ledger since the last snapshot.

``record`` compares the ledger sheet and 基本信息 with the snapshot kept in the workbook (hidden
sheet 修改记录快照), and describes the whole 修改记录 — one row appended per changed cell (who,
when, sheet, cell, old → new, chained 校验码: core.change_log) — and the new snapshot
(``RecordResult.writes``). It takes any workbook source: a ledger *file* is updated in place
(adapters.xlsx_sheet_part — atomic, refused while the file is open, every other part of the
workbook kept as it was — after a backup); for an open book (a button click) or uploaded bytes
the caller applies ``writes`` with its writer. A record that no longer holds (RX444) is never
sealed again: nothing is written and the finding is returned.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from rectify_xl.core.change_log import Change, RecordedEdits
from rectify_xl.core.findings import Finding
from rectify_xl.core.sheet_spec import SheetWrites
from rectify_xl.services.source import FileSource, WorkbookSource, ledger_of

if TYPE_CHECKING:
    from rectify_xl.core.model import Grid, Ledger

__all__ = ["RecordPlan", "RecordResult", "current_user", "plan_record", "record", "recorded_edits"]


@dataclass(frozen=True)
class RecordResult:
    changes: tuple[Change, ...]
    first: bool  # no snapshot before: this run took the first one
    refused: tuple[Finding, ...]  # RX444: the record was tampered with; nothing written
    backup: Path | None  # a file source: its previous version (None: nothing written)
    writes: SheetWrites = field(default_factory=SheetWrites)  # 修改记录 + snapshot; empty: none


def current_user() -> str:
    """Who 修改记录 names: [user] name of the user's config file, else the login name."""
    import getpass

    from rectify_xl.adapters.user_config import configured_user
    from rectify_xl.errors import InputError

    try:
        if named := configured_user():
            return named
    except InputError:
        pass  # a broken config file is reported by the settings it holds, not by the record
    try:
        return getpass.getuser()
    except Exception:  # no user name in this environment (some services, containers)
        return "未知用户"


@dataclass(frozen=True)
class RecordPlan:
    """What one record adds: the whole 修改记录 and the new snapshot (None: nothing to write)."""

    changes: tuple[Change, ...]
    first: bool
    refused: tuple[Finding, ...]
    log: tuple[tuple[object, ...], ...] | None = None
    snapshot: tuple[tuple[object, ...], ...] | None = None


def plan_record(grids: Mapping[str, Grid], ledger: Ledger, *, now: datetime,
                who: str | None = None) -> RecordPlan:
    """The changes since the snapshot in ``grids`` (every cell, taken before ``ledger_of``
    dropped the ledger sheet's), as rows to write; refused (RX444) when the record is broken."""
    from rectify_xl.core import change_log as cl
    from rectify_xl.core.schema import SHEETS

    tampered = cl.check_change_log(grids)
    if tampered:
        return RecordPlan((), False, tuple(tampered))
    sheets = [ledger.ledger_sheet, *([ledger.info_sheet] if ledger.info_sheet else [])]
    if ledger.info_sheet == ledger.ledger_sheet:
        sheets = [ledger.ledger_sheet]
    old, _ = cl.read_snapshot(grids.get(SHEETS.CHANGE_SNAPSHOT))
    current = cl.snapshot_of(grids, sheets)
    first = old is None
    changes = [] if first else cl.changes_between(old or {}, current, sheets)
    if not first and not changes:
        return RecordPlan((), False, ())
    previous = cl.read_log(grids.get(SHEETS.CHANGE_LOG))
    rows = cl.log_rows(previous, changes, who=who or current_user(), when=f"{now:%Y-%m-%d %H:%M:%S}")
    all_rows = [*previous, *rows]
    seal = cl.Seal(len(all_rows), str(all_rows[-1][7]))
    return RecordPlan(tuple(changes), first, (), tuple(all_rows),
                      tuple(cl.snapshot_rows(current, seal, sheets)))


def record(source: WorkbookSource, *, now: datetime, who: str | None = None,
           grids: Mapping[str, Grid] | None = None) -> RecordResult:
    """What changed since the snapshot, as the sheets to write; a ledger file (FileSource) is
    updated in place after a backup. ``grids``: every cell of the source, when the caller took
    them before another use case parsed it (``ledger_of`` then dropped the ledger sheet's)."""
    from rectify_xl.core.change_log import log_sheets

    file = source.path if isinstance(source, FileSource) else None
    if file is not None:  # (a click never needs services.remind: kept off its path)
        from rectify_xl.services.remind import ensure_writable

        ensure_writable(file, "记录修改（修改记录）")
    every = dict(grids if grids is not None else source.grids())  # before ledger_of drops some
    plan = plan_record(every, ledger_of(source), now=now, who=who)
    if plan.log is None or plan.snapshot is None:
        return RecordResult((), False, plan.refused, None)
    # the record first: if the snapshot write failed, the next run records the changes again
    writes = SheetWrites(log_sheets(plan.log, plan.snapshot))
    if file is None:
        return RecordResult(plan.changes, plan.first, (), None, writes)
    from rectify_xl.adapters.xlsx_sheet_part import put_described_sheet
    from rectify_xl.services.remind import BACKUP_SUFFIX

    backup = file.with_name(file.name + BACKUP_SUFFIX)
    import shutil

    shutil.copy2(file, backup)
    for sheet in writes.sheets:
        put_described_sheet(file, sheet)
    return RecordResult(plan.changes, plan.first, (), backup, writes)


def recorded_edits(old_grids: Mapping[str, Grid], new_grids: Mapping[str, Grid]
                   ) -> RecordedEdits | None:
    """What the newer version's 修改记录 adds to the older one's; None without a record."""
    from rectify_xl.core import change_log as cl
    from rectify_xl.core.schema import SHEETS

    if SHEETS.CHANGE_LOG not in new_grids:
        return None
    old_rows = cl.read_log(old_grids.get(SHEETS.CHANGE_LOG))
    _, seal = cl.read_snapshot(new_grids.get(SHEETS.CHANGE_SNAPSHOT))
    return cl.recorded_since(old_rows, cl.read_log(new_grids[SHEETS.CHANGE_LOG]), seal)

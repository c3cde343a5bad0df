"""Use case `diff`: what changed between two versions of one unit's ledger, and what the newer
version's 修改记录 adds to the older one's. Each version is a workbook source, read once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rectify_xl.core.change_log import RecordedEdits
from rectify_xl.errors import InputError

if TYPE_CHECKING:
    from rectify_xl.core.diff import LedgerDiff
    from rectify_xl.core.model import Ledger
    from rectify_xl.services.source import WorkbookSource

__all__ = ["Diffed", "diff"]


@dataclass(frozen=True)
class Diffed:
    old: str  # the versions' names as the user knows them
    new: str
    diff: LedgerDiff
    edits: RecordedEdits | None  # None when the newer version keeps no 修改记录


def diff(old: WorkbookSource, new: WorkbookSource) -> Diffed:
    from rectify_xl.core.diff import diff_ledgers
    from rectify_xl.services.record import recorded_edits

    result = diff_ledgers(_unit_ledger(old), _unit_ledger(new))
    return Diffed(old.name, new.name, result, recorded_edits(old.grids(), new.grids()))


def _unit_ledger(source: WorkbookSource) -> Ledger:
    from rectify_xl.core.schema import SHEETS
    from rectify_xl.services.source import ledger_of

    grids = source.grids()
    if SHEETS.MERGE_DETAIL in grids and SHEETS.LEDGER not in grids:  # what `merge` writes
        raise InputError(f"“{source.name}”是汇总表，不是单位台账：请比较同一单位的两个台账文件"
                         "（两轮汇总表之间的变化请用 merge --previous）")
    return ledger_of(source)

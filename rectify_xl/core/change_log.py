"""修改记录 (issue 17): what changed in the ledger since the last snapshot, kept in the workbook
with a hash chain so that a record edited or cut afterwards is detected.

- The snapshot (sheet 修改记录快照, hidden) holds the values of the ledger sheet and 基本信息 as
  they were at the last record, and in its first row the seal: how many rows 修改记录 had then
  and the check code of the last one.
- 修改记录 gets one row per changed cell: 序号, 时间, 修改人, 工作表, 单元格, 原值, 新值, 校验码.
  The 校验码 is SHA-256 over the previous row's 校验码 and this row's fields, so changing or
  removing any row breaks every code after it; rows cut from the end are caught by the seal.
  Only the first 16 hex digits are shown (collisions are no concern for a tamper check).

Pure: services.record reads the workbook, adds rows and writes the two sheets.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rectify_xl.core.findings import Finding, Severity
from rectify_xl.core.model import Grid, col_letter
from rectify_xl.core.parse import cell_text
from rectify_xl.core.rules.registry import code_registrar
from rectify_xl.core.schema import CHANGE_LOG_COLUMNS, SHEETS

if TYPE_CHECKING:
    from rectify_xl.core.sheet_spec import SheetSpec

__all__ = [
    "CODE_LENGTH",
    "FIRST_ENTRY",
    "TAMPERED",
    "Change",
    "RecordedEdits",
    "Seal",
    "broken_row",
    "changes_between",
    "check_change_log",
    "log_rows",
    "log_sheets",
    "read_log",
    "read_snapshot",
    "recorded_since",
    "snapshot_of",
    "snapshot_rows",
]

TAMPERED = code_registrar("ledger")(
    "RX444", Severity.ERROR, "修改记录被改动",
    "“{sheet}”第{row}行起的记录与校验码不符：{reason}。修改记录不能手工改动或删除")
CODE_LENGTH = 16
SEAL_LABEL = "修改记录封存"
FIRST_ENTRY = "（建立快照，此前的修改未记录）"
_SNAPSHOT_HEADER = ("工作表", "单元格", "值")
Cells = dict[tuple[str, str], str]


@dataclass(frozen=True, slots=True)
class Change:
    sheet: str
    cell: str
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class Seal:
    rows: int  # 修改记录 rows (without the header) when the snapshot was taken
    code: str  # the last row's 校验码


def snapshot_of(grids: Mapping[str, Grid], sheets: Iterable[str]) -> Cells:
    """Every non-empty cell of the given sheets, as text."""
    out: Cells = {}
    for name in sheets:
        grid = grids.get(name)
        if grid is None:
            continue
        for r, row in enumerate(grid.rows, start=1):
            for c, value in enumerate(row, start=1):
                text = cell_text(value)
                if text:
                    out[(name, f"{col_letter(c)}{r}")] = text
    return out


def _order(key: tuple[str, str], sheets: Sequence[str]) -> tuple[int, int, str]:
    sheet, cell = key
    letters = cell.rstrip("0123456789")
    return (sheets.index(sheet) if sheet in sheets else len(sheets), int(cell[len(letters):] or 0),
            letters.rjust(3))


def changes_between(old: Cells, new: Cells, sheets: Sequence[str]) -> list[Change]:
    keys = sorted(set(old) | set(new), key=lambda k: _order(k, sheets))
    return [Change(s, c, old.get((s, c), ""), new.get((s, c), "")) for s, c in keys
            if old.get((s, c), "") != new.get((s, c), "")]


def _code(previous: str, fields: Sequence[object]) -> str:
    import hashlib  # here: a validate with no 修改记录 need not load OpenSSL (≈ 3 ms)

    text = "\x1f".join([previous, *(cell_text(f) for f in fields)])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:CODE_LENGTH]


def log_rows(previous: Sequence[Sequence[object]], changes: Sequence[Change], *, who: str,
             when: str) -> list[tuple[object, ...]]:
    """The new rows after ``previous`` (the existing rows, header excluded), chained on."""
    code = cell_text(previous[-1][7]) if previous and len(previous[-1]) > 7 else ""
    n = len(previous)
    entries = [(c.sheet, c.cell, c.old, c.new) for c in changes] or [("", "", "", FIRST_ENTRY)]
    out: list[tuple[object, ...]] = []
    for sheet, cell, old, new in entries:
        n += 1
        fields = (n, when, who, sheet, cell, old, new)
        code = _code(code, fields)
        out.append((*fields, code))
    return out


def broken_row(rows: Sequence[Sequence[object]], seal: Seal | None) -> tuple[int, str] | None:
    """The first 修改记录 row (1-based within the records) whose 校验码 does not follow, with the
    reason; None when the chain and the seal hold."""
    code = ""
    for i, row in enumerate(rows, start=1):
        fields = [row[k] if k < len(row) else None for k in range(7)]
        stated = cell_text(row[7]) if len(row) > 7 else ""
        code = _code(code, fields)
        if stated != code:
            return i, "内容被改动，或其前面有记录被删除"
    if seal is not None and (seal.rows != len(rows) or (rows and seal.code != code)):
        return len(rows) + 1, f"记录应有{seal.rows}条，现有{len(rows)}条（末尾的记录被删除或添加）"
    return None


@dataclass(frozen=True)
class RecordedEdits:
    """The 修改记录 rows a newer version adds to an older one (for `diff`)."""

    rows: tuple[tuple[object, ...], ...]
    continues: bool  # the older version's record is the start of the newer one's
    intact: bool  # the newer record's chain holds

    def lines(self) -> list[str]:
        out = []
        for r in self.rows:
            when, who, sheet, cell, old, new = (cell_text(v) for v in r[1:7])
            if not sheet:
                out.append(f"{when} {who}：{new}")
            else:
                out.append(f"{when} {who} {sheet}!{cell}：“{old}” → “{new}”")
        return out


def recorded_since(old: Sequence[Sequence[object]], new: Sequence[Sequence[object]],
                   new_seal: Seal | None) -> RecordedEdits:
    """New rows after the old record; when the old record is not a prefix, all the new ones."""
    codes = [cell_text(r[7]) if len(r) > 7 else "" for r in new]
    old_codes = [cell_text(r[7]) if len(r) > 7 else "" for r in old]
    continues = codes[:len(old_codes)] == old_codes
    rows = new[len(old):] if continues else new
    return RecordedEdits(tuple(tuple(r) for r in rows), continues,
                         broken_row(new, new_seal) is None)


def read_log(grid: Grid | None) -> list[tuple[object, ...]]:
    if grid is None or not grid.rows:
        return []
    return [tuple(r) for r in grid.rows[1:] if any(cell_text(v) for v in r)]


def read_snapshot(grid: Grid | None) -> tuple[Cells | None, Seal | None]:
    """The cells and the seal of 修改记录快照; (None, None) when there is no snapshot yet."""
    if grid is None or not grid.rows:
        return None, None
    first = grid.rows[0]
    seal = None
    if first and cell_text(first[0]) == SEAL_LABEL and len(first) > 2:
        try:
            seal = Seal(int(float(cell_text(first[1]) or 0)), cell_text(first[2]))
        except ValueError:
            seal = Seal(-1, "")
    cells: Cells = {}
    for row in grid.rows[2:]:
        if len(row) >= 2 and cell_text(row[0]) and cell_text(row[1]):
            cells[(cell_text(row[0]), cell_text(row[1]))] = cell_text(row[2]) if len(row) > 2 else ""
    return cells, seal


def snapshot_rows(cells: Cells, seal: Seal, sheets: Sequence[str]) -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = [(SEAL_LABEL, seal.rows, seal.code), _SNAPSHOT_HEADER]
    rows += [(s, c, v) for (s, c), v in sorted(cells.items(), key=lambda kv: _order(kv[0], sheets))]
    return rows


def log_header() -> tuple[str, ...]:
    return CHANGE_LOG_COLUMNS


LOG_WIDTHS = (6, 18, 10, 10, 8, 30, 30, 18)
SNAPSHOT_WIDTHS = (12, 8, 40)


def log_sheets(log: Sequence[Sequence[object]],
               snapshot: Sequence[Sequence[object]]) -> tuple[SheetSpec, SheetSpec]:
    """修改记录 (header and every row) and the hidden snapshot, described for the live writer
    (a button click): the record first, so a failed snapshot write makes the next click record
    the changes again rather than lose them."""
    from rectify_xl.core.sheet_spec import Block, SheetSpec, Styled  # here: validate needs none

    def widths(ws: Sequence[float]) -> tuple[tuple[str, float], ...]:
        return tuple((col_letter(i), w) for i, w in enumerate(ws, start=1))

    def rows(values: Sequence[Sequence[object]]) -> tuple[tuple[object, ...], ...]:
        return tuple(tuple(r) for r in values)

    # as_text: "001", "50%" or "1/2" must read back as written, or each click would record the
    # same cell again
    header = len(CHANGE_LOG_COLUMNS)
    return (SheetSpec(SHEETS.CHANGE_LOG, (Block(1, 1, rows([log_header(), *log])),),
                      styles=(Styled(1, 1, 1, header, "header"),), widths=widths(LOG_WIDTHS),
                      as_text=True),
            SheetSpec(SHEETS.CHANGE_SNAPSHOT, (Block(1, 1, rows(snapshot)),),
                      widths=widths(SNAPSHOT_WIDTHS), hidden=True, as_text=True))


def check_change_log(grids: Mapping[str, Grid]) -> list[Finding]:
    """RX444 when 修改记录 (or its seal in the snapshot) no longer holds."""
    log = grids.get(SHEETS.CHANGE_LOG)
    snapshot = grids.get(SHEETS.CHANGE_SNAPSHOT)
    if log is None and snapshot is None:
        return []
    rows = read_log(log)
    _, seal = read_snapshot(snapshot)
    broken = broken_row(rows, seal)
    if broken is None:
        return []
    n, reason = broken
    return [TAMPERED.finding(SHEETS.CHANGE_LOG, f"H{n + 1}", row=n + 1, reason=reason)]

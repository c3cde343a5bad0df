"""Plain records (dicts keyed by schema keys) ↔ sheet grids.

The sample data, the workbook builder, importers and tests all describe a ledger as records;
turning them into grids and back through ``parse_ledger`` keeps one reading path for everything.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from rectify_xl.core.model import Grid, Ledger
from rectify_xl.core.parse import parse_ledger
from rectify_xl.core.schema import COLUMN_BY_KEY, COLUMNS, INFO_FIELDS, SHEETS, TEXT_COLUMNS, Status

__all__ = ["LedgerRecords", "grids_from_records", "ledger_from_records"]


@dataclass
class LedgerRecords:
    """A ledger as data: info by key, one dict per measure row, one dict per 文稿 row."""

    info: dict[str, Any] = field(default_factory=dict)
    measures: list[dict[str, Any]] = field(default_factory=list)
    texts: list[dict[str, Any]] = field(default_factory=list)
    aspect_options: list[str] = field(default_factory=list)
    # headers of columns kept after the template's (`adopt`); a measure's values are in "extra"
    extra_columns: list[str] = field(default_factory=list)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> LedgerRecords:
        return cls(
            info=dict(data.get("info", {})),
            measures=[dict(m) for m in data.get("measures", [])],
            texts=[dict(t) for t in data.get("texts", [])],
            aspect_options=list(data.get("aspect_options", [])),
            extra_columns=list(data.get("extra_columns", [])),
        )


def grids_from_records(records: LedgerRecords) -> dict[str, Grid]:
    info_rows: list[list[object]] = [["项目", "内容"]]
    info_rows += [[f.label, records.info.get(f.key)] for f in INFO_FIELDS]
    ledger_rows: list[list[object]] = [[*(c.header for c in COLUMNS), *records.extra_columns]]
    ledger_rows += [[m.get(c.key) for c in COLUMNS] + list(m.get("extra") or [])
                    for m in records.measures]
    text_rows: list[list[object]] = [[label for _, label in TEXT_COLUMNS]]
    text_rows += [[t.get(key, "") for key, _ in TEXT_COLUMNS] for t in records.texts]
    aspects: list[str] = records.aspect_options or list(
        dict.fromkeys(str(m["aspect"]) for m in records.measures if m.get("aspect"))
    )
    option_rows: list[list[object]] = [[COLUMN_BY_KEY["status"].header,
                                        COLUMN_BY_KEY["aspect"].header]]
    statuses = [s.value for s in Status]
    for i in range(max(len(statuses), len(aspects))):
        option_rows.append([
            statuses[i] if i < len(statuses) else None,
            aspects[i] if i < len(aspects) else None,
        ])
    return {
        SHEETS.INFO: Grid(SHEETS.INFO, info_rows),
        SHEETS.LEDGER: Grid(SHEETS.LEDGER, ledger_rows),
        SHEETS.TEXT: Grid(SHEETS.TEXT, text_rows),
        SHEETS.OPTIONS: Grid(SHEETS.OPTIONS, option_rows),
    }


def ledger_from_records(records: LedgerRecords | Mapping[str, Any]) -> Ledger:
    if not isinstance(records, LedgerRecords):
        records = LedgerRecords.from_mapping(records)
    return parse_ledger(grids_from_records(records))


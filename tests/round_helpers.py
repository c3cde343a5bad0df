"""A generated round of unit ledgers with streams and outcome figures (issue 18 tests)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from rectify_xl.core.records import LedgerRecords
from tests.merge_helpers import AS_OF, unit_records, write_ledger

# unit → (problems, done measures, stream of each problem by index, outcome figures by row,
# rows marked 基本完成)
ROUND: dict[str, dict[str, Any]] = {
    "县财政局": {"problems": 4, "done": 5, "streams": {1: "立行立改"}, "basic": (6, 7),
              "figures": {0: {"systems": 2, "recovered": "12.5"}, 3: {"accountable": 1}}},
    "某某镇": {"problems": 3, "done": 2, "streams": {2: "移交意见"},
             "figures": {1: {"systems": 1, "recovered": 3.25, "campaigns": 1}}},
    "县教育局": {"problems": 2, "done": 4, "streams": {}, "figures": {}},
    "某某村": {"problems": 3, "done": 6, "streams": {0: "立行立改", 1: "立行立改"},
             "figures": {4: {"lessons": 2}}},
}


def round_records(unit: str) -> LedgerRecords:
    spec = ROUND[unit]
    records = unit_records(unit, problems=spec["problems"], per_problem=2, done=spec["done"],
                           overdue=1)
    for i, row in enumerate(records.measures):
        stream = spec["streams"].get(i // 2)
        if stream:
            row["stream"] = stream
        row.update(spec["figures"].get(i, {}))
        if i in spec.get("basic", ()):
            row["status"] = "基本完成"
    return records


def write_round(folder: Path, units: list[str] | None = None) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return [write_ledger(folder / f"{unit}.xlsx", round_records(unit))
            for unit in units or list(ROUND)]


def summary_json(path: Path) -> dict[str, Any]:
    """`rectify-xl summary --json` of one unit's file, through the CLI."""
    from rectify_xl.entrypoints.cli import cli

    result = CliRunner().invoke(cli, ["summary", str(path), "--json", "--as-of",
                                       AS_OF.isoformat()])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)  # type: ignore[no-any-return]

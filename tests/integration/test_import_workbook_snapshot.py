"""What a user gets from `rectify-xl import` and `rectify-xl adopt`, frozen (issue 12).

The workbook the importer writes (every sheet: 整改清单 … 使用说明, xlwings.conf in the .xlsm,
and the 导入报告) is compared with ``tests/data/snapshots/import_workbook.json``: values, looks
by cell, widths, row heights, merges, panes, filters, data validations and print set-up (the
helpers of test_merge_workbook_snapshot). Moving a sheet's layout into a description must not
change any of it; regenerate with ``RX_UPDATE_SNAPSHOTS=1`` only for a change you can state as
an improvement.
"""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from rectify_xl.entrypoints.cli import cli
from tests.integration.test_merge_workbook_snapshot import snapshot
from tests.ledger_corpus import CORPUS, build

SNAPSHOT = Path(__file__).parents[1] / "data" / "snapshots" / "import_workbook.json"
NOTICE = Path(__file__).parents[1] / "data" / "notices" / "seed-2021.txt"
CASES = ("import.xlsm", "import-partial.xlsx", "adopt.xlsx")


def _build(case: str, tmp_path: Path) -> Path:
    out = tmp_path / case
    if case.startswith("import"):
        notice = NOTICE if case == "import.xlsm" else NOTICE.with_name("wucheng-2023-partial.txt")
        result = CliRunner().invoke(cli, ["import", str(notice), "-o", str(out)])
    else:  # the use case itself: its findings depend on the day (fixed here)
        from rectify_xl.services.adopt import adopt
        from rectify_xl.services.source import FileSource

        shape = next(s for s in CORPUS if s.name == "unknown_status")
        adopt(FileSource(build(shape, tmp_path)), out, today=date(2021, 10, 31))
        return out
    assert result.exit_code in (0, 1) and "Traceback" not in result.output, result.output
    return out


def _got(path: Path) -> dict[str, Any]:
    shot = snapshot(path)
    shot.pop("charts")  # drawings hold the .xlsm's buttons (VML): checked by test_xlsm_build
    return json.loads(json.dumps(shot, ensure_ascii=False, default=str))


@pytest.mark.parametrize("case", CASES)
def test_imported_workbook_looks_as_frozen(case: str, tmp_path: Path) -> None:
    got = _got(_build(case, tmp_path))
    stored = json.loads(SNAPSHOT.read_text(encoding="utf-8")) if SNAPSHOT.exists() else {}
    if os.environ.get("RX_UPDATE_SNAPSHOTS"):
        stored[case] = got
        SNAPSHOT.write_text(json.dumps(stored, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                            encoding="utf-8")
    want = stored[case]
    assert got["sheets"] == want["sheets"]
    for key in want:  # one sheet at a time, so a failure names the sheet and the part
        if key.startswith("sheet:"):
            for part in want[key]:
                assert got[key][part] == want[key][part], (key, part)
    assert got == want

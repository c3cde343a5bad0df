"""序时进度 and overdue colours as LibreOffice itself computes them from the template's rules."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from rectify_xl.adapters.workbook_builder import build_workbook
from rectify_xl.adapters.workbook_sheets import HEADER_ROW
from rectify_xl.adapters.xlsx_reader import read_ledger
from rectify_xl.core.records import LedgerRecords
from rectify_xl.core.schedule import behind_schedule
from tests.conftest import measure_row, open_row
from tests.lo_helpers import UNO_DIR, run_uno, soffice_available
from tests.validation_helpers import AS_OF

pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(not soffice_available(), reason="LibreOffice/python3-uno not installed"),
]
AMBER, RED = "FFEB9C", "FFC7CE"

# feedback 2021-07-07, 统计截止日期 2021-10-31 (BASE_INFO)
ROWS = [
    open_row(deadline=date(2021, 11, 30)),  # 79% of the time gone, 正在推进 = 50%: behind
    open_row(seq="2", measure="措施二", deadline=date(2022, 2, 28)),  # 49% gone: on schedule
    open_row(seq="3", measure="措施三", deadline=date(2021, 10, 1)),  # overdue: red
    measure_row(seq="4", measure="措施四", deadline=date(2021, 11, 30)),  # done
    open_row(seq="5", measure="措施五", deadline=date(2022, 2, 28), percent=0.1),  # behind
    open_row(seq="6", measure="措施六", deadline=date(2021, 12, 31),
             start_date=date(2021, 10, 1)),  # own start: 33% gone
    measure_row(seq="7", measure="措施七", deadline=date(2021, 11, 30), status="已销号",
                accept_by="纪检组", accept_date=date(2021, 9, 1)),  # closed
    open_row(seq="8", measure="措施八", deadline=date(2021, 11, 30), percent=0.8),  # ahead
    open_row(seq="9", measure="措施九", deadline=date(2021, 11, 30), status="基本完成"),  # 80%
]


@pytest.fixture(scope="module")
def colours(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str | None], list[int]]:
    from tests.conftest import BASE_INFO

    records = LedgerRecords(info=dict(BASE_INFO), measures=ROWS, texts=[])
    path: Path = build_workbook(tmp_path_factory.mktemp("cf") / "台账.xlsx", records)
    rows = [HEADER_ROW + i for i in range(1, len(ROWS) + 1)]
    seen = run_uno(UNO_DIR / "highlight_colours.py", str(path), *map(str, rows), timeout=90)
    behind = [m.row for m, _ in behind_schedule(read_ledger(path), AS_OF)]
    return seen, behind


def test_libreoffice_colours_rows_as_the_rules_do(
        colours: tuple[dict[str, str | None], list[int]]) -> None:
    seen, _ = colours
    first = HEADER_ROW + 1
    assert [seen[str(first + i)] for i in range(len(ROWS))] == [
        AMBER, None, RED, None, AMBER, None, None, None, None]


def test_amber_rows_are_exactly_the_measures_validate_reports(
        colours: tuple[dict[str, str | None], list[int]]) -> None:
    seen, behind = colours
    assert sorted(int(r) for r, c in seen.items() if c == AMBER) == behind

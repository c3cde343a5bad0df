"""Shared factories: ledgers are built by code, never committed as binary fixtures."""

from __future__ import annotations

import copy
import hashlib
import os
import socket
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from rectify_xl.core.model import Ledger
from rectify_xl.core.records import LedgerRecords, ledger_from_records

ROOT = Path(__file__).resolve().parent.parent
# No warm click workers (entrypoints/warm_click.py) unless a test asks for one: a click through the
# launcher in a test runs in its own process and leaves nothing behind.
os.environ["RECTIFY_XL_WARM"] = "0"
SEED_NOTICE = ROOT / "tests" / "data" / "notices" / "seed-2021.txt"  # published, verbatim
SAMPLE_XLSX = ROOT / "workbook" / "samples" / "seed-notice-2021.xlsx"

BASE_INFO: dict[str, Any] = {
    "unit": "县委政法委",
    "group": "县委第一巡察组",
    "deployer": "县委",
    "start": date(2021, 3, 11),
    "end": date(2021, 4, 25),
    "feedback_date": date(2021, 7, 7),
    "as_of": date(2021, 10, 31),
    "phone": "0913-3253456",
    "address": "某县某街道某街61号",
    "email": "test@example.com",
}


def measure_row(**overrides: Any) -> dict[str, Any]:
    """One valid, closed measure row; override what a test is about."""
    row: dict[str, Any] = {
        "seq": "1",
        "aspect": "理论学习方面",
        "feedback": "理论学习不深入",
        "problem": "学习贯彻不够深入",
        "measure": "制定学习计划",
        "leader": "常务副书记",
        "department": "办公室",
        "deadline": date(2021, 8, 31),
        "status": "已完成",
        "done_date": date(2021, 8, 20),
        "progress": "制定了年度学习计划并组织实施。",
        "evidence": "",
        "remark": "",
    }
    row.update(overrides)
    return row


def open_row(**overrides: Any) -> dict[str, Any]:
    """A measure still in progress (no completion date, no narrative)."""
    return measure_row(**{"status": "正在推进", "done_date": None, "progress": "", **overrides})


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago (for a test server to listen on)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def sample_records_copy() -> LedgerRecords:
    from rectify_xl.adapters.sample_data import sample_records

    return copy.deepcopy(sample_records())


@pytest.fixture
def make_records() -> Callable[..., LedgerRecords]:
    """Factory: make_records(rows=[...], info={...}, texts=[...]) with valid defaults."""

    def make(rows: list[dict[str, Any]] | None = None, info: dict[str, Any] | None = None,
             texts: list[dict[str, Any]] | None = None) -> LedgerRecords:
        rows = [measure_row()] if rows is None else rows
        return LedgerRecords(info={**BASE_INFO, **(info or {})}, measures=rows,
                             texts=list(texts or []))

    return make


@pytest.fixture
def make_ledger(make_records: Callable[..., LedgerRecords]) -> Callable[..., Ledger]:
    def make(**kwargs: Any) -> Ledger:
        return ledger_from_records(make_records(**kwargs))

    return make


@pytest.fixture
def sample_ledger() -> Ledger:
    from rectify_xl.adapters.sample_data import sample_ledger as load

    return load()


def write_xlsx_openpyxl(path: Path, records: LedgerRecords, *, merge_problems: bool = False,
                        title_rows: int = 0) -> Path:
    """Write records with plain openpyxl, as another program (or a hand-made ledger) would.

    merge_problems merges 方面/反馈问题/具体问题 over each problem's rows and blanks the copies.
    title_rows inserts that many title rows above the header.
    """
    from openpyxl import Workbook

    from rectify_xl.core.records import grids_from_records

    grids = grids_from_records(records)
    wb = Workbook()
    wb.remove(wb.active)
    for name, grid in grids.items():
        ws = wb.create_sheet(name)
        offset = title_rows if name == "整改清单" else 0
        if offset:
            ws.cell(1, 1, f"{records.info.get('unit', '')}巡察整改台账")
        for r, row in enumerate(grid.rows, start=1 + offset):
            for c, value in enumerate(row, start=1):
                if value is not None and value != "":
                    ws.cell(r, c, value)
        if name == "整改清单" and merge_problems:
            _merge_problem_cells(ws, grid.rows, 1 + offset)
    wb.save(path)
    return path


def _merge_problem_cells(ws: Any, rows: list[list[object]], header_row: int) -> None:
    header = rows[0]
    cols = [header.index(h) + 1 for h in ("方面", "反馈问题", "具体问题")]
    problem_col = header.index("具体问题")
    start = None
    data = rows[1:]
    for i in range(len(data) + 1):
        same = i < len(data) and start is not None and data[i][problem_col] == data[start][problem_col]
        if same:
            continue
        if start is not None and i - start > 1:
            r1, r2 = header_row + 1 + start, header_row + i
            for c in cols:
                for r in range(r1 + 1, r2 + 1):
                    ws.cell(r, c).value = None
                ws.merge_cells(start_row=r1, start_column=c, end_row=r2, end_column=c)
        start = i if i < len(data) else None


@pytest.fixture
def make_ledger_xlsx(tmp_path: Path, make_records: Callable[..., LedgerRecords]
                     ) -> Callable[..., Path]:
    """Factory: a real .xlsx file on disk, written with openpyxl."""
    counter = iter(range(10_000))

    def make(records: LedgerRecords | None = None, *, name: str | None = None,
             merge_problems: bool = False, title_rows: int = 0, **kwargs: Any) -> Path:
        records = records or make_records(**kwargs)
        path = tmp_path / (name or f"ledger-{next(counter)}.xlsx")
        return write_xlsx_openpyxl(path, records, merge_problems=merge_problems,
                                   title_rows=title_rows)

    return make


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: Any) -> Any:
    """In CI (CI=true) a test skipped because a system package is missing is a failure.

    `make test` installs LibreOffice, poppler and Chromium first; if that ever silently stops
    working, the tests that need them must not quietly turn into skips.
    """
    outcome = yield
    report = outcome.get_result()
    if report.skipped and os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        reason = str(report.longrepr[-1]) if isinstance(report.longrepr, tuple) else ""
        if "not installed" in reason:
            report.outcome = "failed"
            report.longrepr = f"CI=true but a required system package is missing: {reason}"

"""Helpers for the office-server tests: sample files written by code, clients, a live uvicorn."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from rectify_xl.server.app import ServerConfig, create_app
from tests.conftest import free_port

AS_OF = date(2021, 10, 31)
WEB = {"X-Rectify-Client": "web"}  # what the page's fetch calls send (CSRF guard)


def config(**overrides: Any) -> ServerConfig:
    """A server config with a fixed today, so findings do not depend on the day the tests run."""
    overrides.setdefault("today", lambda: AS_OF)
    return ServerConfig(**overrides)


def sample_xlsx(folder: Path, name: str = "样例台账.xlsx") -> Path:
    """The bundled sample ledger, built with the project's own workbook builder."""
    from rectify_xl.adapters.sample_data import sample_records
    from rectify_xl.adapters.workbook_builder import build_workbook

    return build_workbook(folder / name, sample_records())


def broken_xlsx(folder: Path, name: str = "问题台账.xlsx") -> Path:
    """A ledger with errors: an empty leader, a deadline that is not a date, a formula-like text."""
    from rectify_xl.core.records import LedgerRecords
    from tests.conftest import BASE_INFO, measure_row, write_xlsx_openpyxl

    rows = [
        measure_row(),
        measure_row(seq="2", measure="=HYPERLINK(\"http://x\",\"点我\")", leader="", deadline="明年",
                    status="正在推进", done_date=None, progress=""),
    ]
    path = write_xlsx_openpyxl(folder / name, LedgerRecords(info=dict(BASE_INFO), measures=rows))
    import openpyxl

    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:  # typed as text, as Excel stores '=... : a string, not a formula
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"
    wb.save(path)
    return path


def local_client(cfg: ServerConfig | None = None, *, client_host: str = "127.0.0.1") -> Any:
    """A TestClient that looks like a browser on this PC (or on client_host)."""
    from starlette.testclient import TestClient

    return TestClient(create_app(cfg or config()), base_url="http://127.0.0.1:8765",
                      client=(client_host, 50000))


@contextmanager
def running_server(cfg: ServerConfig | None = None) -> Iterator[str]:
    """uvicorn on 127.0.0.1 and a free port, in a thread; yields the base URL."""
    import uvicorn

    port = free_port()
    cfg = cfg or config()
    cfg = ServerConfig(**{**cfg.__dict__, "host": "127.0.0.1", "port": port})
    server = uvicorn.Server(uvicorn.Config(create_app(cfg), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)

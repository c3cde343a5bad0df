"""The 校验 and 汇总进度 buttons (xlwings remote engine), ``rectify-xl validate --annotate`` and the
web workbench's annotated copy write the same 校验结果 and 进度汇总, cell by cell (issue 12).

The button's actions are replayed onto the file with openpyxl the way the VBA client would; the
CLI and the server write files. Compared per cell: value, fill, number format, hyperlink target.
Bold and column widths are not: the remote VBA client has no action for them. The time stamps
("校验时间", "生成时间") are the only cells allowed to differ.
"""

from __future__ import annotations

import base64
import io
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

from rectify_xl.core.schema import SHEETS
from rectify_xl.entrypoints.cli import cli
from rectify_xl.services.buttons import Actions, run_button
from tests.conftest import sample_records_copy, write_xlsx_openpyxl
from tests.server_helpers import WEB, config, local_client
from tests.xlwings_helpers import payload_from_file, remote_book, replay

_STAMP = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}")
NOW = datetime(2021, 11, 2, 9, 30)


@pytest.fixture(autouse=True)
def _home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    """The sample with a slip, an empty leader, one measure overdue and one due soon on 2021-10-31."""
    records = sample_records_copy()
    records.measures[0].update(status="正在推进", done_date=None, deadline="2021-09-30")
    records.measures[3].update(status="正在推进", done_date=None, deadline="2021-11-05")
    records.measures[5].update(leader="")
    return write_xlsx_openpyxl(tmp_path / "台账.xlsx", records)


def _cells(ws: Any) -> dict[str, tuple[object, ...]]:
    out = {}
    for row in ws.iter_rows():
        for c in row:
            fill = c.fill.fgColor.rgb if c.fill is not None and c.fill.fill_type == "solid" else None
            link = c.hyperlink.location if c.hyperlink is not None else None
            value = _STAMP.sub("<time>", c.value) if isinstance(c.value, str) else c.value
            if isinstance(value, datetime) and value.time() == datetime.min.time():
                value = value.date()
            fmt = c.number_format if c.number_format != "General" else None
            value = None if value == "" else value  # Excel keeps no empty string written by VBA
            if value is None and fill is None and link is None:
                continue
            out[c.coordinate] = (value, fill, fmt, link)
    return out


def _button_book(path: Path) -> openpyxl.Workbook:
    wb = openpyxl.load_workbook(path)
    for function in ("summary", "validate"):
        book = remote_book(payload_from_file(path))
        run_button(function, book, Actions(now=lambda: NOW))
        replay(wb, book.json()["actions"])
        wb.save(path.with_name("button.xlsx"))
        path = path.with_name("button.xlsx")
    return wb


def _cli_book(path: Path, tmp_path: Path) -> openpyxl.Workbook:
    out = tmp_path / "cli.xlsx"
    result = CliRunner().invoke(cli, ["validate", str(path), "--annotate", str(out)])
    assert result.exit_code in (0, 1), result.output
    return openpyxl.load_workbook(out)


def _web_book(path: Path) -> openpyxl.Workbook:
    response = local_client(config(today=lambda: date(2021, 11, 2))).post(
        "/api/check", files={"file": (path.name, path.read_bytes())}, headers=WEB)
    assert response.status_code == 200, response.text
    (annotated,) = [f for f in response.json()["files"] if f["kind"] == "annotated"]
    return openpyxl.load_workbook(io.BytesIO(base64.b64decode(annotated["data"])))


def test_button_cli_and_web_write_the_same_results_and_summary(ledger: Path, tmp_path: Path) -> None:
    books = {"cli": _cli_book(ledger, tmp_path), "web": _web_book(ledger),
             "button": _button_book(ledger)}
    for sheet in (SHEETS.RESULTS, SHEETS.SUMMARY):
        layouts = {who: _cells(wb[sheet]) for who, wb in books.items()}
        assert len(layouts["button"]) > 20, f"{sheet} is nearly empty"
        assert layouts["cli"] == layouts["button"], sheet
        assert layouts["web"] == layouts["button"], sheet
    marked = {who: {k: v for k, v in _cells(wb[SHEETS.LEDGER]).items() if v[1]}
              for who, wb in books.items()}
    assert marked["cli"] and marked["cli"] == marked["button"] == marked["web"]
    comments = {who: {c.coordinate: c.comment.text for row in wb[SHEETS.LEDGER].iter_rows()
                      for c in row if c.comment} for who, wb in books.items()}
    assert comments["cli"] == comments["button"] == comments["web"]


def test_the_summary_links_overdue_measures_to_their_rows(ledger: Path, tmp_path: Path) -> None:
    ws = _cli_book(ledger, tmp_path)[SHEETS.SUMMARY]
    links = [c.hyperlink.location for row in ws.iter_rows() for c in row if c.hyperlink]
    assert f"'{SHEETS.LEDGER}'!A2" in links or any(x.startswith(f"'{SHEETS.LEDGER}'!A") for x in links)
    assert ws._charts, "the file writer draws the chart the button draws in Excel"


def test_annotate_never_overwrites_the_ledger(ledger: Path) -> None:
    before = ledger.read_bytes()
    result = CliRunner().invoke(cli, ["validate", str(ledger), "--annotate", str(ledger)])
    assert result.exit_code == 2 and "不能覆盖原台账" in result.output
    macro_target = str(ledger.with_suffix(".xlsm"))
    result = CliRunner().invoke(cli, ["validate", str(ledger), "--annotate", macro_target])
    assert result.exit_code == 2 and "应保存为 .xlsx" in result.output
    assert ledger.read_bytes() == before and not ledger.with_suffix(".xlsm").exists()


def test_uploaded_bytes_and_the_file_give_the_same_result(ledger: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """A BytesSource (an upload) reads through a private copy that is gone afterwards."""
    import tempfile

    from rectify_xl.services.ledger import summarise, validate
    from rectify_xl.services.source import BytesSource, FileSource

    private = tmp_path / "tmp"
    private.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(private))
    upload = BytesSource("上传的台账.xlsx", ledger.read_bytes())
    by_bytes = validate(upload, today=NOW.date(), now=NOW)
    by_file = validate(FileSource(ledger), today=NOW.date(), now=NOW)
    assert by_bytes.report.findings == by_file.report.findings and by_bytes.report.source == "上传的台账.xlsx"
    assert by_bytes.writes.sheets == by_file.writes.sheets and by_bytes.writes.marks == by_file.writes.marks
    assert summarise(upload, today=NOW.date(), now=NOW).summary == \
        summarise(FileSource(ledger), today=NOW.date(), now=NOW).summary
    assert list(private.iterdir()) == []


def test_a_broken_upload_is_named_as_the_user_knows_it() -> None:
    from rectify_xl.errors import InputError
    from rectify_xl.services.ledger import validate
    from rectify_xl.services.source import BytesSource

    with pytest.raises(InputError, match=r"我的台账\.xlsx"):
        validate(BytesSource("我的台账.xlsx", b"PK\x03\x04 not really"), today=NOW.date(), now=NOW)

"""Unit ledgers, mails and archives built by code for the merge and diff tests (issue 7)."""

from __future__ import annotations

import copy
import io
import zipfile
from datetime import date, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from rectify_xl.core.records import LedgerRecords
from rectify_xl.core.schema import SHEETS
from tests.conftest import BASE_INFO, measure_row, sample_records_copy, write_xlsx_openpyxl

AS_OF = date(2021, 10, 31)


def unit_records(unit: str, *, problems: int = 3, per_problem: int = 2, done: int = 3,
                 overdue: int = 1, due_soon: int = 0, as_of: date | None = AS_OF) -> LedgerRecords:
    """A valid unit ledger: `done` closed measures, `overdue` late ones, `due_soon` near ones, rest
    in progress with a far deadline."""
    rows: list[dict[str, Any]] = []
    n = problems * per_problem
    for i in range(n):
        p = i // per_problem
        row = measure_row(
            seq=str(i + 1), aspect=f"第{p % 2 + 1}方面", feedback=f"反馈问题{p + 1}",
            problem=f"{unit}具体问题{p + 1}", measure=f"{unit}整改措施{i + 1}：建立制度并落实",
            leader=f"领导{p + 1}", department=f"科室{i % 3 + 1}",
        )
        if i < done:
            pass  # measure_row is closed on time by default
        elif i < done + overdue:
            row.update(status="正在推进", done_date=None, progress="",
                       deadline=AS_OF - timedelta(days=10 * (i - done + 1)))
        elif i < done + overdue + due_soon:
            row.update(status="正在推进", done_date=None, progress="", deadline=AS_OF + timedelta(days=5))
        else:
            row.update(status="正在推进", done_date=None, progress="", deadline=date(2022, 6, 30))
        rows.append(row)
    return LedgerRecords(info={**BASE_INFO, "unit": unit, "as_of": as_of}, measures=rows)


def write_ledger(path: Path, records: LedgerRecords, *, rename: dict[str, str] | None = None,
                 insert_column: str | None = None, merge_problems: bool = False,
                 title_rows: int = 0) -> Path:
    """Write a unit ledger; rename headers (real units' aliases) or insert a column of their own."""
    write_xlsx_openpyxl(path, records, merge_problems=merge_problems, title_rows=title_rows)
    if not rename and not insert_column:
        return path
    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = wb[SHEETS.LEDGER]
    header_row = title_rows + 1
    if insert_column:
        ws.insert_cols(3)
        ws.cell(header_row, 3, insert_column)
        for r in range(header_row + 1, ws.max_row + 1):
            ws.cell(r, 3, "自加列内容")
    for cell in ws[header_row]:
        if cell.value in (rename or {}):
            cell.value = rename[cell.value]  # type: ignore[index]
    wb.save(path)
    return path


def sample_copy() -> LedgerRecords:
    return copy.deepcopy(sample_records_copy())


def xlsx_bytes(records: LedgerRecords, tmp: Path) -> bytes:
    path = write_ledger(tmp / f"_bytes_{id(records)}.xlsx", records)
    data = path.read_bytes()
    path.unlink()
    return data


def encrypt(data: bytes, password: str) -> bytes:
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(data)).encrypt(password, out)
    return out.getvalue()


def make_eml(path: Path, attachments: list[tuple[str, bytes]], *, style: str = "rfc2231",
             date_header: str = "Mon, 01 Nov 2021 09:00:00 +0800") -> Path:
    """A mail with ledger attachments; style names how the Chinese file names are encoded:
    rfc2231 (filename*=), rfc2047 (=?gb2312?B?...?=), or gbk8bit (raw GBK bytes, as some servers)."""
    msg = EmailMessage()
    msg["From"] = "unit@example.com"
    msg["To"] = "xcb@example.com"
    msg["Subject"] = "整改台账报送"
    msg["Date"] = date_header
    msg.set_content("请查收整改台账。")
    marker = {}
    for i, (name, data) in enumerate(attachments):
        placeholder = f"ATTACHMENT{i}.xlsx"
        filename: Any = name if style == "rfc2231" else placeholder
        msg.add_attachment(data, maintype="application", subtype="octet-stream",
                           filename=("utf-8", "", filename) if style == "rfc2231" else filename)
        marker[placeholder] = name
    raw = msg.as_bytes()
    for placeholder, name in marker.items():
        if style == "rfc2047":
            import base64

            word = "=?gb2312?B?" + base64.b64encode(name.encode("gb2312")).decode() + "?="
            raw = raw.replace(placeholder.encode(), word.encode())
        elif style == "gbk8bit":
            raw = raw.replace(placeholder.encode(), name.encode("gbk"))
    path.write_bytes(raw)
    return path


class _GbkZipInfo(zipfile.ZipInfo):
    def _encodeFilenameFlags(self) -> tuple[bytes, int]:  # zipfile.ZipInfo hook: GBK, no flag
        return self.filename.encode("gbk"), self.flag_bits & ~0x800


def make_zip(path: Path, members: dict[str, bytes], *, gbk_names: bool = False) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            if gbk_names:  # what zip tools on Chinese Windows write: GBK bytes, no UTF-8 flag
                z.writestr(_GbkZipInfo(name, (2021, 11, 1, 9, 0, 0)), data, zipfile.ZIP_DEFLATED)
            else:
                z.writestr(name, data)
    return path

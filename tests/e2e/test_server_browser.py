"""The web workbench in a real browser: Debian's chromium, driven by Playwright, against uvicorn.

A clerk's path: open the page, choose the ledger, read the findings (sheet and cell), see the
summary chart and the notice, download the annotated workbook, the Word notice and the PDF and
open them, press 发送上级 (aiosmtpd on 127.0.0.1, the server's configured mailbox); then choose a file
that is not a ledger and read the message. Nothing stays in the server's temp folder, and the
input files are unchanged. Set RECTIFY_XL_SCREENSHOT=docs/img/server.png to refresh the README
image.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from rectify_xl.adapters.pdf import pdf_available
from rectify_xl.core.schema import SHEETS
from rectify_xl.services.ledger import validate_workbook
from tests.conftest import sha256
from tests.server_helpers import AS_OF, running_server, sample_xlsx

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium not installed"),
]


@pytest.fixture
def server_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The server's temp folder (and HOME) inside the test's own folder."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    work = tmp_path / "server-tmp"
    work.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(work))
    return work


@pytest.fixture
def page(tmp_path: Path, server_tmp: Path) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=str(CHROMIUM), headless=True, args=ARGS,
            accept_downloads=True, locale="zh-CN", viewport={"width": 1200, "height": 900})
        try:
            yield context.new_page()
        finally:
            context.close()


def _download(page: Any, kind: str, folder: Path) -> Path:
    with page.expect_download() as info:
        page.click(f"#downloads a[data-kind={kind}]")
    download = info.value
    target = folder / download.suggested_filename
    download.save_as(target)
    return target


def test_clerk_uploads_the_sample_sees_findings_and_opens_the_downloads(
        page: Any, tmp_path: Path, server_tmp: Path) -> None:
    import docx
    import openpyxl

    from rectify_xl.services.office_mail import OfficeMail
    from tests.mail_helpers import USER, sent_settings, smtp_server, write_ledger
    from tests.server_helpers import config

    with smtp_server() as mail_server, running_server(config(mail=OfficeMail(
            mail_server.host, mail_server.port, "无", sender=USER))) as url:
        ledger = write_ledger(tmp_path / "样例台账.xlsx", settings=sent_settings(mail_server))
        before = sha256(ledger)
        expected = validate_workbook(ledger, today=AS_OF)
        page.goto(url + "/")
        assert page.title() == "巡察整改台账工具"
        page.set_input_files("#file", str(ledger))
        page.wait_for_selector("#result:not([hidden])", timeout=30_000)

        rows = page.locator("#findings tbody tr")
        assert rows.count() == len(expected.findings) > 0
        first = expected.by_severity()[0]
        cells = rows.nth(0).locator("td").all_inner_texts()
        assert cells[1:4] == [first.code, first.sheet, first.cell]
        assert page.locator("#verdict").inner_text() == "通过"
        assert "整改措施数\t23" in page.locator("#headline").inner_text()
        assert page.locator("#chart").evaluate("img => img.naturalWidth") > 0
        assert "县委政法委" in page.locator("#notice").inner_text()

        downloads = tmp_path / "downloads"
        downloads.mkdir()
        annotated = _download(page, "annotated", downloads)
        assert annotated.name == "样例台账-校验标注.xlsx"
        wb = openpyxl.load_workbook(annotated)
        assert SHEETS.RESULTS in wb.sheetnames
        assert wb[first.sheet][first.cell].fill.fill_type == "solid"
        notice = _download(page, "notice_docx", downloads)
        text = "\n".join(p.text for p in docx.Document(str(notice)).paragraphs)
        assert "整改进展情况" in text

        shot = os.environ.get("RECTIFY_XL_SCREENSHOT")
        page.screenshot(path=shot or str(tmp_path / "server.png"), full_page=True,
                        clip={"x": 0, "y": 0, "width": 1200, "height": 1560})

        if pdf_available() and shutil.which("pdftotext"):
            page.click("#pdf")
            page.wait_for_selector("#downloads a[data-kind=notice_pdf]", timeout=120_000)
            pdf = _download(page, "notice_pdf", downloads)
            assert pdf.name == "样例台账-整改进展情况公告.pdf"
            pdf_text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                                      check=True, timeout=60).stdout
            assert "县委政法委" in pdf_text

        page.click("#mail")
        page.wait_for_selector("#mail-result:not([hidden])", timeout=30_000)
        assert page.locator("#mail-result").inner_text().startswith("邮件已发送至：")
        [received] = mail_server.received
        assert "巡察整改进展情况" in received.message["Subject"]

        bad = tmp_path / "工作总结.xlsx"
        bad.write_bytes("这不是表格".encode())
        page.set_input_files("#file", str(bad))
        page.wait_for_selector("#error:not([hidden])", timeout=30_000)
        assert page.locator("#error").inner_text() == (
            "“工作总结.xlsx”不是 Excel 工作簿（.xlsx/.xlsm/.xls），可能是改了扩展名的其他文件")
        assert page.locator("#result").is_hidden()
    assert list(server_tmp.iterdir()) == []  # every request's folder is gone
    assert sha256(ledger) == before


def test_dropping_a_file_on_the_page_works_like_choosing_it(page: Any, tmp_path: Path) -> None:
    ledger = sample_xlsx(tmp_path)
    with running_server() as url:
        page.goto(url + "/")
        data = list(ledger.read_bytes())
        page.evaluate(
            """([bytes, name]) => {
                const file = new File([new Uint8Array(bytes)], name);
                const dt = new DataTransfer();
                dt.items.add(file);
                document.getElementById('drop').dispatchEvent(
                    new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true}));
            }""", [data, ledger.name])
        page.wait_for_selector("#result:not([hidden])", timeout=30_000)
        assert "样例台账.xlsx" in page.locator("#counts").inner_text()


def test_choosing_several_ledgers_gives_the_consolidated_workbook(page: Any, tmp_path: Path,
                                                                   server_tmp: Path) -> None:
    import openpyxl

    files = [sample_xlsx(tmp_path, "甲单位.xlsx"), tmp_path / "乙单位.xlsx"]
    files[1].write_bytes(b"not a workbook")
    with running_server() as url:
        page.goto(url + "/")
        page.set_input_files("#file", [str(f) for f in files])
        page.wait_for_selector("#merge:not([hidden])", timeout=30_000)
        assert "县委政法委（甲单位.xlsx）" in page.locator("#merge-units").inner_text()
        assert "乙单位.xlsx" in page.locator("#merge-failed").inner_text()
        with page.expect_download() as info:
            page.click("#merge-downloads a[data-kind=merged]")
        target = tmp_path / "merged.xlsx"
        info.value.save_as(target)
    wb = openpyxl.load_workbook(target)
    assert SHEETS.MERGE_SUMMARY in wb.sheetnames
    texts = {str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row}
    assert {"甲单位.xlsx", "乙单位.xlsx"} <= texts  # 来源文件: the names the clerk chose
    assert not [t for t in texts if "rectify-server" in t]
    assert list(server_tmp.iterdir()) == []


def test_a_file_over_the_size_limit_gets_the_chinese_message(page: Any, tmp_path: Path) -> None:
    """The server answers 413 before reading the body; the browser still shows the reason."""
    from tests.server_helpers import config

    big = tmp_path / "大文件.xlsx"
    big.write_bytes(b"PK" + b"\0" * 2_500_000)
    with running_server(config(max_upload_mb=1)) as url:
        page.goto(url + "/")
        page.set_input_files("#file", str(big))
        page.wait_for_selector("#error:not([hidden])", timeout=30_000)
        assert page.locator("#error").inner_text() == "上传的文件过大（超过 1 MB），已拒绝"


def test_a_ledger_with_a_count_error_shows_the_not_final_warning_with_its_cell(
        page: Any, tmp_path: Path) -> None:
    """An unknown status word (RX401) changes the counts: the page says so above the summary."""
    from rectify_xl.core.records import LedgerRecords
    from tests.conftest import BASE_INFO, measure_row, write_xlsx_openpyxl

    rows = [measure_row(), measure_row(seq="2", measure="建立长效机制", status="差不多了",
                                       done_date=None, progress="")]
    ledger = write_xlsx_openpyxl(tmp_path / "未知状态台账.xlsx",
                                 LedgerRecords(info=dict(BASE_INFO), measures=rows))
    [status] = [f for f in validate_workbook(ledger, today=AS_OF).findings if f.code == "RX401"]
    with running_server() as url:
        page.goto(url + "/")
        page.set_input_files("#file", str(ledger))
        page.wait_for_selector("#result:not([hidden])", timeout=30_000)
        warning = page.locator("#not-final")
        assert warning.is_visible()
        assert "未定稿" in warning.inner_text() and status.location in warning.inner_text()
        assert "RX401" in page.locator("#not-final-cells").inner_text()
        # above the summary and the notice
        y = {sel: page.locator(sel).bounding_box()["y"] for sel in ("#not-final", "#headline", "#notice")}
        assert y["#not-final"] < y["#headline"] < y["#notice"]
        assert page.locator("#notice").inner_text().startswith("【未定稿】")
        assert "未定稿" in page.locator("#downloads a[data-kind=notice_txt]").inner_text()

        page.set_input_files("#file", str(sample_xlsx(tmp_path)))
        page.wait_for_selector("#not-final[hidden]", state="attached", timeout=30_000)
        assert "未定稿" not in page.locator("#notice").inner_text()

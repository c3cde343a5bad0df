"""The office server through Starlette's TestClient: uploads, downloads, errors, limits, merge, mail."""

from __future__ import annotations

import base64
import io
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from rectify_xl.core.schema import SHEETS
from rectify_xl.services.ledger import make_notice, validate_workbook
from tests.conftest import sha256
from tests.server_helpers import AS_OF, WEB, broken_xlsx, config, local_client, sample_xlsx


@pytest.fixture(autouse=True)
def _private_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Temp folders, kept results and HOME inside the test's own folder."""
    work = tmp_path / "server-tmp"
    work.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(work))
    monkeypatch.setenv("RECTIFY_XL_SERVER_DATA", str(tmp_path / "kept"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    return work


def _post(client: Any, path: Path | list[Path], url: str = "/api/check", **data: str) -> Any:
    paths = path if isinstance(path, list) else [path]
    files = [("file", (p.name, p.read_bytes())) for p in paths]
    return client.post(url, files=files, data=data or None, headers=WEB)


def _file(answer: dict[str, Any], kind: str) -> bytes:
    (found,) = [f for f in answer["files"] if f["kind"] == kind]
    return base64.b64decode(found["data"])


class TestCheckUpload:
    def test_findings_carry_sheet_and_cell_and_match_the_cli(self, tmp_path: Path) -> None:
        """The page lists what `rectify-xl validate` reports, with sheet and cell."""
        path = broken_xlsx(tmp_path)
        answer = _post(local_client(), path).json()
        expected = validate_workbook(path, today=AS_OF)
        assert answer["verdict"] == "未通过"
        got = sorted((f["code"], f["sheet"], f["cell"]) for f in answer["findings"])
        assert got == sorted((f.code, f.sheet, f.cell) for f in expected.findings)
        assert any(f["sheet"] == SHEETS.LEDGER and f["cell"] for f in answer["findings"])

    def test_annotated_copy_fills_cells_adds_results_and_keeps_formula_text_inert(
            self, tmp_path: Path) -> None:
        path = broken_xlsx(tmp_path)
        before = sha256(path)
        answer = _post(local_client(), path).json()
        wb = openpyxl.load_workbook(io.BytesIO(_file(answer, "annotated")))
        assert SHEETS.RESULTS in wb.sheetnames and SHEETS.SUMMARY in wb.sheetnames
        cells = [(f["sheet"], f["cell"]) for f in answer["findings"] if f["cell"]]
        assert all(wb[s][c].fill.fill_type == "solid" for s, c in cells)
        formulas = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row
                    if c.data_type == "f"]
        assert formulas == []  # the =HYPERLINK(...) measure text stays text
        assert any(str(c.value).startswith("=HYPERLINK") for row in wb[SHEETS.LEDGER].iter_rows()
                   for c in row)
        assert sha256(path) == before

    def test_notice_text_and_docx_are_the_ones_the_cli_writes(self, tmp_path: Path) -> None:
        import docx

        path = sample_xlsx(tmp_path)
        answer = _post(local_client(), path).json()
        assert answer["notice"] == make_notice(path)
        names = {f["kind"]: f["name"] for f in answer["files"]}
        assert names["annotated"] == "样例台账-校验标注.xlsx"
        assert names["notice_docx"] == "样例台账-整改进展情况公告.docx"
        txt = _file(answer, "notice_txt")  # what Notepad/WPS open as UTF-8: BOM and CRLF
        assert txt.startswith(b"\xef\xbb\xbf") and b"\r\r" not in txt
        assert txt.decode("utf-8-sig").replace("\r\n", "\n") == answer["notice"]
        text = "\n".join(p.text for p in docx.Document(io.BytesIO(_file(answer, "notice_docx"))).paragraphs)
        assert "县委政法委" in text
        assert answer["summary"]["chart_svg"].startswith("<svg")
        assert ("整改措施数", "23") in [tuple(x) for x in answer["summary"]["headline"]]

    def test_nothing_is_left_on_the_server_after_any_response(self, tmp_path: Path,
                                                             _private_dirs: Path) -> None:
        """Check, merge, Word notice, mail draft, a refused file and an Excel click leave no file."""
        from tests.xlwings_helpers import payload_from_file

        client, path = local_client(), sample_xlsx(tmp_path)
        assert _post(client, path).status_code == 200
        assert _post(client, [path, sample_xlsx(tmp_path, "乙.xlsx")]).status_code == 200
        assert _post(client, path, url="/api/document?format=docx").status_code == 200
        assert _post(client, path, url="/api/mail").status_code == 400  # no recipient
        assert client.post("/api/check", files={"file": ("x.xlsx", b"PK junk")},
                           headers=WEB).status_code == 400
        assert client.post("/xlwings/summary", json=payload_from_file(path)).status_code == 200
        assert list(_private_dirs.iterdir()) == []
        assert not (tmp_path / "kept").exists()

    def test_keep_moves_the_results_under_a_random_id(self, tmp_path: Path) -> None:
        client = local_client()
        answer = _post(client, sample_xlsx(tmp_path), keep="1").json()
        kept = answer["kept"]
        assert len(kept) == 32 and (tmp_path / "kept" / kept / "annotated.xlsx").is_file()
        got = client.get(f"/kept/{kept}/annotated.xlsx")
        assert got.status_code == 200 and got.content[:2] == b"PK"
        assert client.get(f"/kept/{kept}/..%2F..%2Fetc%2Fpasswd").status_code == 404
        assert client.get("/kept/not-an-id/annotated.xlsx").status_code == 404

    def test_when_keeping_fails_the_upload_is_still_removed(
            self, tmp_path: Path, _private_dirs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        blocker = tmp_path / "not-a-folder"
        blocker.write_text("x")
        monkeypatch.setenv("RECTIFY_XL_SERVER_DATA", str(blocker / "kept"))
        response = _post(local_client(), sample_xlsx(tmp_path), keep="1")
        assert response.status_code == 400
        assert response.json()["error"] == "无法在服务器上保留本次结果：路径中有一段不是文件夹"
        assert list(_private_dirs.iterdir()) == []


class TestBadInput:
    def test_a_file_that_is_not_a_workbook_gets_one_chinese_line(self) -> None:
        response = local_client().post("/api/check", files={"file": ("报表.xlsx", b"not a zip")},
                                       headers=WEB)
        assert response.status_code == 400
        assert response.json() == {
            "error": "“报表.xlsx”不是 Excel 工作簿（.xlsx/.xlsm/.xls），可能是改了扩展名的其他文件"}

    def test_a_zip_bomb_is_refused_before_it_is_read(self) -> None:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("xl/workbook.xml", "<workbook/>")
            z.writestr("xl/worksheets/sheet1.xml", b"\0" * 50_000_000)
        response = local_client().post("/api/check", files={"file": ("炸弹.xlsx", buf.getvalue())},
                                       headers=WEB)
        assert response.status_code == 400
        assert "压缩炸弹" in response.json()["error"]

    def test_an_upload_over_the_size_limit_is_refused_with_413(self) -> None:
        client = local_client(config(max_upload_mb=1))
        response = client.post("/api/check", files={"file": ("大.xlsx", b"x" * 1_500_000)},
                               headers=WEB)
        assert response.status_code == 413
        assert response.json()["error"].startswith("上传的文件过大")

    def test_a_streamed_upload_without_length_is_cut_off_at_the_limit(self) -> None:
        def body() -> Any:
            yield b'--b\r\nContent-Disposition: form-data; name="file"; filename="a.xlsx"\r\n\r\n'
            for _ in range(20):
                yield b"x" * 100_000
            yield b"\r\n--b--\r\n"

        headers = {**WEB, "content-type": "multipart/form-data; boundary=b"}
        response = local_client(config(max_upload_mb=1)).post("/api/check", content=body(),
                                                              headers=headers)
        assert response.status_code == 413

    def test_no_file_asks_for_one(self) -> None:
        response = local_client().post("/api/check", data={"keep": "1"}, headers=WEB)
        assert response.status_code == 400 and "请先选择台账文件" in response.json()["error"]

    def test_a_path_in_the_file_name_never_reaches_the_disk(self, tmp_path: Path,
                                                           _private_dirs: Path) -> None:
        data = sample_xlsx(tmp_path).read_bytes()
        answer = local_client().post(
            "/api/check", files={"file": ("../../../tmp/evil/台账.xlsx", data)}, headers=WEB).json()
        assert answer["source"] == "台账.xlsx"
        assert not Path("/tmp/evil").exists()

    def test_slow_work_is_cut_off_with_a_chinese_message(self, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
        from rectify_xl.server import work

        monkeypatch.setattr(work, "check_upload", lambda *a, **k: time.sleep(1.0))
        response = _post(local_client(config(time_limit=0.05)), sample_xlsx(tmp_path))
        assert response.status_code == 504
        assert response.json()["error"].startswith("处理超时")

    def test_an_unexpected_failure_is_a_chinese_message_without_traceback(
            self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        from starlette.testclient import TestClient

        from rectify_xl.server import work
        from rectify_xl.server.app import create_app

        def boom(*args: Any, **kwargs: Any) -> None:
            raise ZeroDivisionError("secret internals")

        monkeypatch.setattr(work, "check_upload", boom)
        client = TestClient(create_app(config()), base_url="http://127.0.0.1:8765",
                            client=("127.0.0.1", 1), raise_server_exceptions=False)
        response = _post(client, sample_xlsx(tmp_path))
        assert response.status_code == 500
        assert "意外错误" in response.json()["error"]
        assert "Traceback" not in response.text and "secret" not in response.text

    def test_unknown_pages_are_a_chinese_error_page(self) -> None:
        response = local_client().get("/../../etc/passwd")
        assert response.status_code == 404 and "找不到该页面" in response.text

    @pytest.mark.parametrize("url", [
        "/static/..%2F..%2Fserver%2Fapp.py", "/static/..%5Capp.py", "/static/%2Fetc%2Fpasswd",
        "/kept/..%2F..%2F..%2Fetc/passwd", "/kept/00000000000000000000000000000000/..%2Fledger.xlsx",
        "/kept/00000000000000000000000000000000/%2Fetc%2Fpasswd",
    ])
    def test_a_path_in_a_url_parameter_never_reaches_the_disk(self, url: str) -> None:
        """Every URL parameter is matched against a fixed list, never joined to a folder."""
        response = local_client().get(url)
        assert response.status_code == 404 and "找不到" in response.text
        assert "root:" not in response.text and "import" not in response.text

    @pytest.mark.parametrize("button", ["..%2F..%2Fvalidate", "validate%00", "__init__", "b.validate"])
    def test_a_path_as_button_name_is_refused(self, button: str) -> None:
        response = local_client().post(f"/xlwings/{button}", json={})
        assert response.status_code == 404

    def test_a_path_as_document_format_is_refused(self, tmp_path: Path) -> None:
        response = _post(local_client(), sample_xlsx(tmp_path),
                         url="/api/document?format=..%2F..%2Fetc%2Fpasswd")
        assert response.status_code == 400 and "docx 或 pdf" in response.json()["error"]

    @pytest.mark.parametrize("name", [
        "C:\\Windows\\System32\\台账.xlsx", "/etc/cron.d/台账.xlsx", "..", "台账\x00.xlsx\x00.sh",
        "\u202e台账.xlsx",
    ])
    def test_a_hostile_file_name_is_only_a_label(self, tmp_path: Path, _private_dirs: Path,
                                                 name: str) -> None:
        data = sample_xlsx(tmp_path).read_bytes()
        answer = local_client().post("/api/check", files={"file": (name, data)}, headers=WEB).json()
        assert "/" not in answer["source"] and "\\" not in answer["source"]
        assert all(ch.isprintable() for ch in answer["source"])
        assert all("/" not in f["name"] for f in answer["files"])
        assert list(_private_dirs.iterdir()) == []

    def test_an_xml_entity_bomb_is_refused_at_once(self, tmp_path: Path) -> None:
        entities = '<!ENTITY a0 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx">' + "".join(
            f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10))
        out = io.BytesIO()
        with zipfile.ZipFile(sample_xlsx(tmp_path)) as src, zipfile.ZipFile(out, "w") as dst:
            for info in src.infolist():
                data = src.read(info.filename)
                if info.filename == "xl/sharedStrings.xml":
                    text = data.decode().split("?>", 1)[-1]
                    head = f'<?xml version="1.0"?><!DOCTYPE s [{entities}]>'
                    data = (head + text.replace("<t>", "<t>&a9;", 1)).encode()
                dst.writestr(info, data)
        started = time.monotonic()
        response = local_client().post("/api/check", files={"file": ("炸弹.xlsx", out.getvalue())},
                                       headers=WEB)
        assert response.status_code == 400 and "炸弹.xlsx" in response.json()["error"]
        assert time.monotonic() - started < 30  # a generous bound: expanded it would never end


class TestMergeAndMail:
    def test_several_files_give_the_consolidated_workbook(self, tmp_path: Path) -> None:
        a = sample_xlsx(tmp_path, "甲.xlsx")
        bad = tmp_path / "乙.xlsx"
        bad.write_bytes(b"junk")
        answer = _post(local_client(), [a, bad]).json()["merge"]
        assert [u["unit"] for u in answer["units"]] == ["县委政法委"]
        assert answer["failed"][0]["source"] == "乙.xlsx"
        wb = openpyxl.load_workbook(io.BytesIO(_file(answer, "merged")))
        assert SHEETS.MERGE_SUMMARY in wb.sheetnames

    def test_the_consolidated_workbook_names_the_files_the_user_chose(self, tmp_path: Path) -> None:
        """来源文件 and every other cell show 甲单位.xlsx, never the server's generated paths."""
        a = sample_xlsx(tmp_path, "甲单位.xlsx")
        round_zip = io.BytesIO()
        with zipfile.ZipFile(round_zip, "w") as z:
            z.writestr("县委办.xlsx", b"junk")
        files = [("file", ("甲单位.xlsx", a.read_bytes())), ("file", ("第二轮.zip", round_zip.getvalue())),
                 ("file", ("甲单位.xlsx", broken_xlsx(tmp_path).read_bytes()))]
        answer = local_client().post("/api/check", files=files, headers=WEB).json()["merge"]
        wb = openpyxl.load_workbook(io.BytesIO(_file(answer, "merged")))
        texts = [str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True)
                 for v in row if v is not None]
        assert not [t for t in texts if "ledger" in t or "rectify-server" in t or "/tmp" in t]
        assert {"甲单位.xlsx", "甲单位（2）.xlsx", "第二轮.zip/县委办.xlsx"} <= set(texts)
        failed = {f["source"]: f["reason"] for f in answer["failed"]}
        assert "“县委办.xlsx”不是 Excel 工作簿" in failed["第二轮.zip/县委办.xlsx"]
        typed = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row
                 if str(c.value).startswith("=HYPERLINK")]
        assert typed and all(c.data_type == "s" for c in typed)  # the uploaded text stays text

    def test_mail_without_smtp_server_returns_a_draft_to_download(self, tmp_path: Path) -> None:
        path = sample_xlsx(tmp_path)
        wb = openpyxl.load_workbook(path)
        ws = wb[SHEETS.SETTINGS]
        row = next(r for r in ws.iter_rows() if r[0].value == "收件人")
        row[1].value = "xcb@example.com"
        wb.save(path)
        answer = _post(local_client(), path, url="/api/mail").json()
        assert answer["ok"] and not answer["sent"]
        assert answer["message"].startswith("服务器未配置发送邮箱，只生成邮件草稿")
        assert "已生成邮件草稿" in answer["message"] and "/tmp" not in answer["message"]
        assert b"xcb@example.com" in _file(answer, "draft")

    def test_mail_without_recipient_says_where_to_fill_it(self, tmp_path: Path) -> None:
        response = _post(local_client(), sample_xlsx(tmp_path), url="/api/mail")
        assert response.status_code == 400 and "收件人" in response.json()["error"]


@pytest.mark.libreoffice
def test_notice_pdf_is_a_pdf_download(tmp_path: Path) -> None:
    from rectify_xl.adapters.pdf import pdf_available

    if not pdf_available():
        pytest.skip("LibreOffice not installed")
    response = _post(local_client(), sample_xlsx(tmp_path), url="/api/document?format=pdf")
    assert response.status_code == 200 and response.content[:5] == b"%PDF-"
    assert "filename*=UTF-8''" in response.headers["content-disposition"]


class TestNotFinal:
    """The workbench applies the same gate as `summary`/`notice` (exit 1 there, not final here)."""

    def _unknown_status(self, folder: Path) -> Path:
        """A ledger whose second measure has a status word no table knows (RX401: counted nowhere)."""
        from rectify_xl.core.records import LedgerRecords
        from tests.conftest import BASE_INFO, measure_row, write_xlsx_openpyxl

        rows = [measure_row(), measure_row(seq="2", measure="建立长效机制", status="差不多了",
                                           done_date=None, progress="")]
        return write_xlsx_openpyxl(folder / "未知状态台账.xlsx",
                                   LedgerRecords(info=dict(BASE_INFO), measures=rows))

    def test_an_unknown_status_makes_the_answer_and_every_download_not_final(
            self, tmp_path: Path) -> None:
        import docx

        from rectify_xl.core.gate import DRAFT_MARK
        from rectify_xl.services.ledger import summarize_workbook

        path = self._unknown_status(tmp_path)
        answer = _post(local_client(), path).json()
        status_cell = next(f for f in answer["findings"] if f["code"] == "RX401")
        assert answer["final"] is False
        for part in ("summary", "notice"):
            assert [(f["code"], f["sheet"], f["cell"]) for f in answer["blocking"][part]] == [
                ("RX401", SHEETS.LEDGER, status_cell["cell"])]
        assert status_cell["location"] in answer["warning"] and "未定稿" in answer["warning"]
        # the same marking the CLI writes: notice and summary banners, file names
        assert answer["notice"] == make_notice(path) and answer["notice"].startswith(DRAFT_MARK)
        headline = dict(tuple(x) for x in answer["summary"]["headline"])
        assert headline["状态"] == summarize_workbook(path, today=AS_OF).not_final
        assert headline["状态"].startswith(DRAFT_MARK)
        txt = _file(answer, "notice_txt").decode("utf-8-sig")
        assert txt.startswith(DRAFT_MARK) and status_cell["location"] in txt.splitlines()[0]
        paragraphs = [p.text for p in
                      docx.Document(io.BytesIO(_file(answer, "notice_docx"))).paragraphs]
        assert any(p.startswith(DRAFT_MARK) for p in paragraphs[:4])
        assert all("（未定稿）" in f["name"] for f in answer["files"] if f["kind"].startswith("notice"))
        wb = openpyxl.load_workbook(io.BytesIO(_file(answer, "annotated")))
        assert any(str(c.value or "").startswith(DRAFT_MARK)
                   for row in wb[SHEETS.SUMMARY].iter_rows() for c in row)
        # the Word notice the PDF button's endpoint writes (the PDF is its conversion)
        got = _post(local_client(), path, url="/api/document?format=docx")
        assert got.status_code == 200
        paragraphs = [p.text for p in docx.Document(io.BytesIO(got.content)).paragraphs]
        assert any(p.startswith(DRAFT_MARK) for p in paragraphs[:4])

    def test_a_clean_ledger_is_final(self, tmp_path: Path) -> None:
        from rectify_xl.core.records import LedgerRecords
        from tests.conftest import BASE_INFO, measure_row, open_row, write_xlsx_openpyxl

        rows = [measure_row(), open_row(seq="2", measure="建立长效机制",
                                        deadline=AS_OF.replace(year=2022))]
        path = write_xlsx_openpyxl(tmp_path / "台账.xlsx",
                                   LedgerRecords(info=dict(BASE_INFO), measures=rows))
        answer = _post(local_client(), path).json()
        assert answer["final"] is True and answer["warning"] == ""
        assert answer["blocking"] == {"summary": [], "notice": []}
        assert "未定稿" not in answer["notice"]
        assert all(x[0] != "状态" for x in answer["summary"]["headline"])
        assert all("未定稿" not in f["name"] for f in answer["files"])

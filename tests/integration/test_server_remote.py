"""Excel buttons without local Python: xlwings' remote protocol over HTTP, and the server workbook.

The payload is what the VBA client (Remote.bas) posts, built from a real workbook; the answer's
actions are replayed by tests/xlwings_helpers.replay, which refuses what the VBA client cannot run.
"""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

from rectify_xl.core.output_sheets import RESULT_HEADER_ROW
from rectify_xl.core.schema import BUTTONS, SHEETS
from rectify_xl.entrypoints.cli import cli
from rectify_xl.services.ledger import validate_workbook
from tests.server_helpers import broken_xlsx, config, local_client, sample_xlsx
from tests.xlwings_helpers import helper_subs, payload_from_file, replay

URL = "http://192.168.1.10:8765"


@pytest.fixture(autouse=True)
def _home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))


def _click(client: Any, button: str, path: Path, **headers: str) -> Any:
    response = client.post(f"/xlwings/{button}", json=payload_from_file(path), headers=headers)
    assert response.status_code == 200, response.text
    return replay(openpyxl.load_workbook(path), response.json()["actions"])


class TestRemoteProtocol:
    def test_validate_writes_the_same_findings_as_the_cli(self, tmp_path: Path) -> None:
        path = broken_xlsx(tmp_path)
        rep = _click(local_client(), "validate", path)
        ws = rep.wb[SHEETS.RESULTS]
        codes = [r[1] for r in ws.iter_rows(min_row=RESULT_HEADER_ROW + 1, max_col=2, values_only=True)
                 if r[1]]
        expected = validate_workbook(path, today=date.today())
        assert codes == [f.code for f in expected.by_severity()]
        assert rep.alerts and rep.alerts[-1]["title"] == "校验"

    @pytest.mark.parametrize("button", ["summary", "notice", "send"])
    def test_every_button_answers_actions_the_vba_client_can_run(self, tmp_path: Path,
                                                                 button: str) -> None:
        rep = _click(local_client(), button, sample_xlsx(tmp_path))
        assert rep.alerts, "each button ends with a message box"
        assert "意外错误" not in rep.alerts[-1]["prompt"]

    def test_concurrent_clicks_keep_their_own_message_boxes_and_no_book_stays_open(
            self, tmp_path: Path) -> None:
        from concurrent.futures import ThreadPoolExecutor

        import xlwings as xw

        from rectify_xl.server.work import remote_button

        payloads = [payload_from_file(sample_xlsx(tmp_path, f"{i}.xlsx")) for i in range(2)]
        remote_button("send", payloads[0])  # warm: the engine's first app is made once
        before = len(xw.engines["remote"].apps.active.books)
        jobs = [("summary", payloads[0]), ("send", payloads[1])] * 4
        with ThreadPoolExecutor(4) as pool:
            answers = list(pool.map(lambda j: remote_button(*j), jobs))
        for (button, _), answer in zip(jobs, answers, strict=True):
            titles = [a["args"][1] for a in answer["actions"] if a["func"] == "alert"]
            assert titles == (["汇总进度"] if button == "summary" else ["发送上级"])
        assert len(xw.engines["remote"].apps.active.books) == before

    def test_network_server_accepts_xlwings_auth_header(self, tmp_path: Path) -> None:
        client = local_client(config(host="0.0.0.0", token="tok"), client_host="10.0.0.5")
        rep = _click(client, "summary", sample_xlsx(tmp_path), Authorization="tok")
        assert SHEETS.SUMMARY in rep.wb.sheetnames

    def test_a_payload_from_another_xlwings_version_gets_a_chinese_message(self, tmp_path: Path
                                                                           ) -> None:
        payload = payload_from_file(sample_xlsx(tmp_path))
        payload["version"] = "0.30.0"
        response = local_client().post("/xlwings/validate", json=payload)
        assert response.status_code == 400
        assert "xlwings 版本" in response.text and "rectify-xl new --server" in response.text

    def test_an_unexpected_failure_says_the_log_is_on_the_server(
            self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """The clerk's message box must not send them looking for a log file on their own PC."""
        from rectify_xl.services import buttons

        def boom(live: object, actions: object) -> None:
            raise ZeroDivisionError("internals")

        monkeypatch.setitem(buttons._BODIES, "validate", boom)
        rep = _click(local_client(), "validate", sample_xlsx(tmp_path))
        prompt = rep.alerts[-1]["prompt"]
        assert "意外错误" in prompt and f"服务器上的 {buttons.log_path()}" in prompt
        assert "internals" not in prompt and buttons.log_path().is_file()

    def test_a_malformed_payload_is_one_chinese_line(self) -> None:
        response = local_client().post("/xlwings/validate", json={"book": {"name": "../../x"}})
        assert response.status_code == 400
        assert response.text.startswith("工作簿数据格式不正确") and "Error" not in response.text

    def test_a_server_fault_is_plain_chinese_text_not_a_web_page(
            self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        from starlette.testclient import TestClient

        from rectify_xl.server import work
        from rectify_xl.server.app import create_app

        def boom(*args: Any) -> None:
            raise ZeroDivisionError  # a bug in the job's process

        monkeypatch.setattr(work, "remote_button", boom)
        client = TestClient(create_app(config()), base_url="http://127.0.0.1:8765",
                            client=("127.0.0.1", 1), raise_server_exceptions=False)
        response = client.post("/xlwings/validate", json=payload_from_file(sample_xlsx(tmp_path)))
        assert response.status_code == 500 and "意外错误" in response.text
        assert response.headers["content-type"].startswith("text/plain") and "<" not in response.text

    def test_running_out_of_memory_in_a_job_is_that_requests_message(
            self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        from starlette.testclient import TestClient

        from rectify_xl.server import work
        from rectify_xl.server.app import create_app

        def boom(*args: Any) -> None:
            raise MemoryError

        monkeypatch.setattr(work, "remote_button", boom)
        client = TestClient(create_app(config()), base_url="http://127.0.0.1:8765",
                            client=("127.0.0.1", 1), raise_server_exceptions=False)
        response = client.post("/xlwings/validate", json=payload_from_file(sample_xlsx(tmp_path)))
        assert response.status_code == 400 and "内存超过上限" in response.text

    @pytest.mark.parametrize("body", [b"[" * 200_000, b"{not json", "台账".encode("gbk")])
    def test_a_body_that_is_not_json_is_plain_chinese_text_for_the_message_box(self, body: bytes
                                                                               ) -> None:
        response = local_client().post("/xlwings/validate", content=body,
                                       headers={"content-type": "application/json"})
        assert response.status_code == 400 and response.text == "请求内容不是有效的 JSON"
        assert response.headers["content-type"].startswith("text/plain")

    def test_unknown_buttons_and_non_json_are_refused(self) -> None:
        client = local_client()
        assert client.post("/xlwings/os.system", json={}).status_code == 404
        assert client.post("/xlwings/validate", data={"a": "b"}).status_code == 415


class TestServerWorkbook:
    def _build(self, tmp_path: Path, *args: str) -> Any:
        return CliRunner().invoke(cli, ["new", str(tmp_path / "服务器版.xlsm"), *args])

    def _modules(self, path: Path) -> dict[str, str]:
        from oletools.olevba import VBA_Parser

        parser = VBA_Parser(str(path))
        try:
            return {name.rsplit(".", 1)[0]: code for _, _, name, code in parser.extract_macros()}
        finally:
            parser.close()

    def test_buttons_call_the_server_with_xlwings_remote_client(self, tmp_path: Path) -> None:
        result = self._build(tmp_path, "--server", URL, "--sample")
        assert result.exit_code == 0, result.output
        modules = self._modules(tmp_path / "服务器版.xlsm")
        for name in ("Buttons", "xlwings", "Remote", "Dictionary", "WebClient", "WebRequest",
                     "WebResponse", "IWebAuthenticator", "WebHelpers"):
            assert name in modules
        buttons = modules["Buttons"]
        for b in BUTTONS:
            assert f'RxServer "{b.function}"' in buttons and f"Sub {b.macro}()" in buttons
        assert "RunServerPython RxServerUrl()" in buttons and URL in buttons
        assert all(f"Sub {h}(" in buttons for h in helper_subs())  # runMacro targets are there
        assert "Function RunServerPython(" in modules["Remote"]

    def test_help_sheet_of_the_server_variant_names_the_server_not_a_local_python(
            self, tmp_path: Path) -> None:
        """Staff with the server variant need no Python: 使用说明 says so and gives the address."""
        from openpyxl import load_workbook

        from rectify_xl.core.schema import SHEETS

        self._build(tmp_path, "--server", URL)
        ws = load_workbook(tmp_path / "服务器版.xlsm", keep_vba=True)[SHEETS.HELP]
        text = "\n".join(str(c.value) for c in ws["A"] if c.value)
        assert URL in text and "不必安装 Python" in text
        assert "rectify-xl-python" not in text

    def test_class_modules_are_declared_as_classes_and_everything_is_ascii(self, tmp_path: Path
                                                                          ) -> None:
        import olefile

        self._build(tmp_path, "--server", URL)
        with zipfile.ZipFile(tmp_path / "服务器版.xlsm") as z:
            data = z.read("xl/vbaProject.bin")
        project = olefile.OleFileIO(data).openstream("PROJECT").read().decode("latin-1")
        for cls in ("Dictionary", "WebClient", "WebRequest", "WebResponse", "IWebAuthenticator"):
            assert f"Class={cls}" in project
        assert "Module=Remote" in project and "Module=Buttons" in project
        assert all(code.isascii() for code in self._modules(tmp_path / "服务器版.xlsm").values())

    def test_no_token_is_ever_written_into_the_workbook(self, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("RECTIFY_XL_SERVER_TOKEN_FILE", str(tmp_path / "t"))
        from rectify_xl.server.security import load_or_create_token

        token, _ = load_or_create_token()
        self._build(tmp_path, "--server", URL)
        with zipfile.ZipFile(tmp_path / "服务器版.xlsm") as z:
            assert not any(token.encode() in z.read(n) for n in z.namelist())

    def test_a_click_in_the_server_variant_workbook_is_answered_and_replayed(self, tmp_path: Path
                                                                            ) -> None:
        """The .xlsm `new --server` writes, posted as Remote.bas posts it: 校验结果 comes back."""
        self._build(tmp_path, "--server", URL, "--sample")
        book = tmp_path / "服务器版.xlsm"
        rep = _click(local_client(), "validate", book)
        assert SHEETS.RESULTS in rep.wb.sheetnames and rep.alerts[-1]["title"] == "校验"

    def test_adapters_and_services_never_import_the_server_package(self) -> None:
        """The layers point one way: the workbook builder gets the server VBA from an adapter."""
        import ast

        import rectify_xl

        root = Path(rectify_xl.__file__).parent
        offenders = []
        for folder in ("core", "adapters", "services"):
            for path in (root / folder).rglob("*.py"):
                for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                    names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                             else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
                    offenders += [f"{path.name}: {n}" for n in names
                                  if n.startswith("rectify_xl.server")]
        assert offenders == []

    @pytest.mark.parametrize("url", ['http://x"&Shell("calc")&"', "ftp://host", "http://主机:8765"])
    def test_an_unsafe_url_is_refused(self, tmp_path: Path, url: str) -> None:
        result = self._build(tmp_path, "--server", url)
        assert result.exit_code == 2 and "服务器地址" in result.output

    def test_server_variant_needs_an_xlsm_name(self, tmp_path: Path) -> None:
        result = CliRunner().invoke(cli, ["new", str(tmp_path / "a.xlsx"), "--server", URL])
        assert result.exit_code == 2 and ".xlsm" in result.output

"""Who may use the office server: the token policy, its storage, and its enforcement per request."""

from __future__ import annotations

import contextlib
import os
import pty
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from rectify_xl.errors import OutputError
from rectify_xl.server.run import check_port, start_lines
from rectify_xl.server.security import (
    SESSION_COOKIE,
    TOKEN_COOKIE,
    is_loopback,
    load_or_create_token,
    presented_token,
    token_matches,
    token_path,
    token_required,
)
from tests.server_helpers import WEB, config, local_client

TOKEN = "s3cret-token-for-tests"
LAN = "192.168.1.23"


@pytest.fixture(autouse=True)
def _token_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "cfg" / "server-token"
    monkeypatch.setenv("RECTIFY_XL_SERVER_TOKEN_FILE", str(path))
    return path


class TestPolicy:
    @pytest.mark.parametrize("host", ["127.0.0.1", "127.9.9.9", "::1", "[::1]", "localhost"])
    def test_loopback_addresses(self, host: str) -> None:
        assert is_loopback(host)

    @pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.10", "example.org", "", None])
    def test_everything_else_is_not_loopback(self, host: str | None) -> None:
        assert not is_loopback(host)

    def test_only_loopback_server_and_loopback_client_go_without_token(self) -> None:
        assert not token_required("127.0.0.1", "127.0.0.1")
        assert token_required("0.0.0.0", "127.0.0.1")
        assert token_required("0.0.0.0", LAN)
        assert token_required("127.0.0.1", LAN)  # behind a proxy or port forward

    def test_token_is_read_from_bearer_raw_header_or_cookie(self) -> None:
        assert presented_token({"authorization": f"Bearer {TOKEN}"}, {}) == TOKEN
        assert presented_token({"authorization": TOKEN}, {}) == TOKEN  # xlwings' AUTH setting
        assert presented_token({}, {TOKEN_COOKIE: TOKEN}) is None  # never from a cookie
        assert presented_token({}, {}) is None

    def test_no_configured_token_matches_nothing(self) -> None:
        assert token_matches(TOKEN, TOKEN)
        assert not token_matches(TOKEN, TOKEN + "x")
        assert not token_matches(None, "")


class TestTokenFile:
    def test_first_start_creates_a_private_token_then_reuses_it(self, _token_file: Path) -> None:
        token, created = load_or_create_token()
        assert created and len(token) >= 40 and token_path() == _token_file
        assert stat.S_IMODE(os.stat(_token_file).st_mode) == 0o600
        assert load_or_create_token() == (token, False)

    def test_start_lines_show_the_token_only_when_it_was_just_created(self) -> None:
        new = "\n".join(start_lines("0.0.0.0", 8765, TOKEN, created=True))
        again = "\n".join(start_lines("0.0.0.0", 8765, TOKEN, created=False))
        local = "\n".join(start_lines("127.0.0.1", 8765, None, created=False))
        assert TOKEN in new and TOKEN not in again
        assert "只允许本机访问" in local

    def test_a_port_in_use_is_one_chinese_line(self) -> None:
        import socket

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            s.listen()
            with pytest.raises(OutputError, match="已被占用"):
                check_port("127.0.0.1", s.getsockname()[1])


    def test_an_address_not_on_this_pc_is_one_chinese_line_and_makes_no_token(
            self, _token_file: Path) -> None:
        """A mistyped --host must not use up the one showing of a new token."""
        from click.testing import CliRunner

        from rectify_xl.entrypoints.cli import cli

        result = CliRunner().invoke(cli, ["serve", "--host", "203.0.113.7", "--port", "18999"])
        assert result.exit_code == 2
        assert "203.0.113.7:18999" in result.output and "本机没有这个地址" in result.output
        assert "Traceback" not in result.output and not _token_file.exists()


class TestEnforcement:
    def _lan(self, **kw: object) -> object:
        return local_client(config(host="0.0.0.0", token=TOKEN, **kw), client_host=LAN)

    def test_network_server_refuses_a_request_without_the_token(self) -> None:
        response = self._lan().post("/api/check", files={"file": ("a.xlsx", b"x")}, headers=WEB)
        assert response.status_code == 401
        assert "访问口令" in response.json()["error"]

    def test_network_server_accepts_the_bearer_token(self) -> None:
        response = self._lan().post("/api/check", files={"file": ("a.xlsx", b"x")},
                                    headers={**WEB, "Authorization": f"Bearer {TOKEN}"})
        assert response.status_code == 400  # past the guard: the file itself is refused

    def test_a_wrong_token_is_refused(self) -> None:
        response = self._lan().post("/xlwings/validate", json={},
                                    headers={"Authorization": "guess"})
        assert response.status_code == 401 and "访问口令" in response.text

    def test_the_page_asks_for_the_token_and_the_login_sets_a_cookie(self) -> None:
        client = self._lan()
        first = client.get("/", follow_redirects=False)
        assert first.status_code == 303 and first.headers["location"] == "/login"
        assert "访问口令" in client.get("/login").text
        assert client.post("/login", data={"token": "nope"}).status_code == 401
        client.post("/login", data={"token": TOKEN}, follow_redirects=False)
        assert client.cookies.get(TOKEN_COOKIE) is None
        assert TOKEN not in str(client.cookies.get(SESSION_COOKIE))
        assert "巡察整改台账工具" in client.get("/").text

    def test_the_printed_link_with_the_token_logs_in_and_leaves_the_address_bar(self) -> None:
        client = self._lan()
        response = client.get(f"/?token={TOKEN}", follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/"
        assert "httponly" in response.headers["set-cookie"].lower()

    def test_loopback_server_refuses_a_client_from_elsewhere(self) -> None:
        response = local_client(client_host=LAN).get("/", follow_redirects=False)
        assert response.status_code == 403

    def test_loopback_server_refuses_a_foreign_host_name(self) -> None:
        """DNS rebinding: evil.example resolving to 127.0.0.1 gets nothing."""
        response = local_client().get("/", headers={"host": "evil.example:8765"})
        assert response.status_code == 403

    def test_api_posts_without_the_page_header_are_refused(self) -> None:
        """CSRF: a form on another site cannot post a ledger to the clerk's own server."""
        response = local_client().post("/api/mail", files={"file": ("a.xlsx", b"x")})
        assert response.status_code == 403 and "请求来源不明" in response.json()["error"]

    def test_every_answer_carries_the_security_headers(self) -> None:
        headers = local_client().get("/").headers
        assert "script-src 'self'" in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"


class TestServeCommand:
    def _start(self, tmp_path: Path, *args: str, tty: bool = False) -> tuple[subprocess.Popen[str], str]:
        import httpx

        from tests.server_helpers import free_port

        port = free_port()
        exe = Path(sys.executable).with_name("rectify-xl")
        env = {**os.environ, "HOME": str(tmp_path / "home"), "PYTHONUNBUFFERED": "1"}
        out: Any = subprocess.PIPE
        if tty:  # a terminal, as when an administrator starts it by hand
            self._master, out = pty.openpty()
        proc = subprocess.Popen([str(exe), "serve", "--port", str(port), *args], env=env,
                                stdout=out, stderr=subprocess.STDOUT, text=True)
        if tty:
            os.close(out)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=0.5)
                return proc, f"http://127.0.0.1:{port}"
            except httpx.HTTPError:
                time.sleep(0.1)
        proc.kill()
        raise AssertionError(proc.communicate()[0])

    def _stop(self, proc: subprocess.Popen[str]) -> str:
        proc.send_signal(signal.SIGINT)  # what Ctrl-C sends
        out, _ = proc.communicate(timeout=15)
        assert proc.returncode is not None
        if out is None:  # written to the pseudo-terminal
            chunks = []
            with contextlib.suppress(OSError):
                while data := os.read(self._master, 65536):
                    chunks.append(data)
            os.close(self._master)
            out = b"".join(chunks).decode("utf-8", "replace")
        return out

    def test_serve_answers_on_loopback_and_ctrl_c_stops_it(self, tmp_path: Path) -> None:
        import httpx

        proc, url = self._start(tmp_path)
        try:
            assert httpx.get(url + "/", timeout=5).status_code == 200
        finally:
            out = self._stop(proc)
        assert "巡察整改台账服务器已启动" in out and "Traceback" not in out

    def test_several_worker_processes_serve_and_stop_on_ctrl_c(self, tmp_path: Path) -> None:
        import httpx

        proc, url = self._start(tmp_path, "--workers", "2")
        try:
            assert httpx.get(url + "/", timeout=5).status_code == 200
        finally:
            out = self._stop(proc)
        assert "Traceback" not in out

    def test_network_start_shows_the_new_token_once_on_the_terminal(self, tmp_path: Path,
                                                                    _token_file: Path) -> None:
        proc, _ = self._start(tmp_path, "--host", "0.0.0.0", tty=True)
        out = self._stop(proc)
        token = _token_file.read_text().strip()
        assert token in out
        proc, _ = self._start(tmp_path, "--host", "0.0.0.0", tty=True)
        again = self._stop(proc)
        assert token not in again and "需要访问口令" in again

    def test_a_service_log_never_gets_the_token(self, tmp_path: Path, _token_file: Path) -> None:
        proc, _ = self._start(tmp_path, "--host", "0.0.0.0")
        out = self._stop(proc)
        assert _token_file.read_text().strip() not in out and str(_token_file) in out

    def test_a_network_bind_wants_the_token_even_from_this_pc(self, tmp_path: Path,
                                                              _token_file: Path) -> None:
        """`serve --host 0.0.0.0`: without the token nothing but the login page; with it, work."""
        import httpx

        from tests.server_helpers import sample_xlsx
        from tests.xlwings_helpers import payload_from_file

        ledger = sample_xlsx(tmp_path)
        proc, url = self._start(tmp_path, "--host", "0.0.0.0")
        try:
            token = _token_file.read_text().strip()
            files = {"file": (ledger.name, ledger.read_bytes())}
            payload = payload_from_file(ledger)
            assert httpx.get(url + "/", timeout=5).headers.get("location") == "/login"
            assert httpx.post(url + "/api/check", files=files, headers=WEB,
                              timeout=30).status_code == 401
            assert httpx.post(url + "/xlwings/summary", json=payload, timeout=30,
                              headers={"Authorization": "x" + token}).status_code == 401
            auth = {"Authorization": f"Bearer {token}"}
            assert httpx.get(url + "/", headers=auth, timeout=5).status_code == 200
            answer = httpx.post(url + "/api/check", files=files, headers={**WEB, **auth}, timeout=60)
            assert answer.status_code == 200 and answer.json()["source"] == ledger.name
            remote = httpx.post(url + "/xlwings/summary", json=payload, timeout=60,
                                headers={"Authorization": token})  # xlwings' AUTH: the raw value
            assert remote.status_code == 200 and remote.json()["actions"]
        finally:
            out = self._stop(proc)
        assert token not in out

"""Issue 13, item 4: sessions instead of the master token; HTTPS; kept results that expire.

Logging in with the token gives a cookie with a random id, an expiry and a signature — never the
token. Kept results go after their time and within a disk quota.
"""

from __future__ import annotations

import os
import ssl
import threading
import time
from pathlib import Path

import pytest

from rectify_xl.errors import OutputError
from rectify_xl.server import files
from rectify_xl.server.run import _tls_options
from rectify_xl.server.security import (
    SESSION_COOKIE,
    TOKEN_COOKIE,
    new_session,
    session_valid,
)
from tests.conftest import free_port
from tests.server_helpers import WEB, config, local_client, sample_xlsx

TOKEN = "s3cret-token-for-tests"
LAN = "192.168.1.23"


def _lan(**kw: object) -> object:
    return local_client(config(host="0.0.0.0", token=TOKEN, **kw), client_host=LAN)


class TestSessions:
    def test_login_sets_a_session_cookie_that_is_not_the_token(self) -> None:
        client = _lan()
        response = client.post("/login", data={"token": TOKEN}, follow_redirects=False)
        cookie = response.headers["set-cookie"]
        assert cookie.startswith(f"{SESSION_COOKIE}=") and TOKEN not in cookie
        lowered = cookie.lower()
        assert "httponly" in lowered and "samesite=strict" in lowered and "max-age=43200" in lowered
        assert "secure" not in lowered  # plain http: a Secure cookie would never come back
        assert client.get("/").status_code == 200

    def test_two_logins_get_two_different_sessions(self) -> None:
        a, b = new_session(TOKEN, 0), new_session(TOKEN, 0)
        assert a != b and session_valid(TOKEN, a, 10) and session_valid(TOKEN, b, 10)

    def test_an_expired_session_is_refused(self) -> None:
        value = new_session(TOKEN, time.time() - 13 * 3600)
        client = _lan()
        client.cookies.set(SESSION_COOKIE, value)
        assert client.get("/", follow_redirects=False).status_code == 303  # back to the login
        assert session_valid(TOKEN, value, time.time() - 13 * 3600 + 60)

    @pytest.mark.parametrize("forge", [
        lambda v: v[:-1] + ("0" if v[-1] != "0" else "1"),  # signature changed
        lambda v: v.split(".")[0] + ".99999999999." + v.split(".")[2],  # expiry pushed out
        lambda v: "x" * 500,
        lambda v: "",
        lambda v: "a.b",
        lambda v: "é.1.é",
    ])
    def test_a_forged_session_is_refused(self, forge: object) -> None:
        value = forge(new_session(TOKEN, time.time()))  # type: ignore[operator]
        assert not session_valid(TOKEN, value, time.time())
        client = _lan()
        client.cookies.set(SESSION_COOKIE, value.encode("ascii", "replace").decode())
        assert client.post("/api/check", files={"file": ("a.xlsx", b"x")},
                           headers=WEB).status_code == 401

    def test_a_session_of_another_token_is_refused(self) -> None:
        assert not session_valid(TOKEN, new_session("another-token", time.time()), time.time())

    def test_the_old_cookie_holding_the_token_is_not_accepted(self) -> None:
        client = _lan()
        client.cookies.set(TOKEN_COOKIE, TOKEN)
        assert client.get("/", follow_redirects=False).status_code == 303

    def test_the_session_lasts_as_configured(self) -> None:
        response = _lan(session_hours=1.5).post("/login", data={"token": TOKEN},
                                                follow_redirects=False)
        assert "max-age=5400" in response.headers["set-cookie"].lower()

    def test_over_https_the_cookie_is_secure(self) -> None:
        from starlette.testclient import TestClient

        from rectify_xl.server.app import create_app

        client = TestClient(create_app(config(host="0.0.0.0", token=TOKEN)),
                            base_url="https://office.example:8765", client=(LAN, 50000))
        response = client.post("/login", data={"token": TOKEN}, follow_redirects=False)
        assert "secure" in response.headers["set-cookie"].lower()


class TestHttps:
    def test_a_missing_or_wrong_certificate_is_one_chinese_line(self, tmp_path: Path) -> None:
        with pytest.raises(OutputError, match="找不到证书文件"):
            _tls_options(str(tmp_path / "none.pem"), None)
        bad = tmp_path / "bad.pem"
        bad.write_text("not a certificate")
        with pytest.raises(OutputError, match="证书或私钥无法使用"):
            _tls_options(str(bad), None)
        with pytest.raises(OutputError, match="--certfile"):
            _tls_options(None, str(bad))

    def test_the_server_speaks_https_with_the_given_certificate(self, tmp_path: Path) -> None:
        import httpx
        import trustme
        import uvicorn

        from rectify_xl.server.app import create_app

        ca = trustme.CA()
        cert = ca.issue_cert("127.0.0.1", "localhost")
        chain, key = tmp_path / "cert.pem", tmp_path / "key.pem"
        cert.private_key_pem.write_to_path(str(key))
        with chain.open("wb") as f:
            for blob in cert.cert_chain_pems:
                f.write(blob.bytes())
        options = _tls_options(str(chain), str(key))
        port = free_port()
        server = uvicorn.Server(uvicorn.Config(create_app(config()), host="127.0.0.1", port=port,
                                               log_level="warning", **options))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        try:
            deadline = time.monotonic() + 20
            while not server.started and time.monotonic() < deadline:
                time.sleep(0.05)
            context = ssl.create_default_context()
            ca.configure_trust(context)
            answer = httpx.get(f"https://127.0.0.1:{port}/healthz", verify=context, timeout=10)
            assert answer.json() == {"ok": True}
            with pytest.raises(httpx.HTTPError):
                httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5)
        finally:
            server.should_exit = True
            thread.join(10)


class TestKeptResults:
    @pytest.fixture(autouse=True)
    def _kept(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
        monkeypatch.setenv(files.KEPT_ENV, str(tmp_path / "kept"))
        monkeypatch.setattr(files, "KEPT_POLICY", files.KeptPolicy(hours=1.0, quota_mb=1))
        return tmp_path / "kept"

    def _entry(self, root: Path, age_hours: float, size: int) -> Path:
        import secrets

        folder = root / secrets.token_hex(16)
        folder.mkdir(parents=True)
        (folder / "annotated.xlsx").write_bytes(b"x" * size)
        then = time.time() - age_hours * 3600
        os.utime(folder, (then, then))
        return folder

    def test_expired_results_go_and_are_never_served(self, _kept: Path) -> None:
        old, new = self._entry(_kept, 2, 10), self._entry(_kept, 0.1, 10)
        assert files.kept_file(old.name, "annotated.xlsx", {"annotated.xlsx"}) is None
        assert files.kept_file(new.name, "annotated.xlsx", {"annotated.xlsx"}) is not None
        assert files.prune_kept() == 1
        assert not old.exists() and new.exists()

    def test_the_oldest_go_first_beyond_the_quota(self, _kept: Path) -> None:
        a = self._entry(_kept, 0.5, 600_000)
        b = self._entry(_kept, 0.3, 600_000)
        c = self._entry(_kept, 0.1, 300_000)
        files.prune_kept()
        assert not a.exists() and b.exists() and c.exists()

    def test_the_server_prunes_at_start_and_keeps_within_its_settings(
            self, _kept: Path, tmp_path: Path) -> None:
        old = self._entry(_kept, 5, 10)
        client = local_client(config(kept_hours=1.0, kept_quota_mb=1))
        assert not old.exists()
        data = sample_xlsx(tmp_path).read_bytes()
        answer = client.post("/api/check", files={"file": ("台账.xlsx", data)},
                             data={"keep": "1"}, headers=WEB).json()
        assert answer["kept"] and (_kept / answer["kept"]).is_dir()

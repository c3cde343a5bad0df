"""Issue 13, item 7: the server under load from 100 clients for 60 s, valid and hostile uploads.

`rectify-xl serve` runs in a process of its own on 127.0.0.1; 100 concurrent clients post, for
60 seconds, a mix of the sample ledger and hostile files (a value in XFD1048576, cells far apart,
a zip bomb, a file that is not a workbook, a sheet with rows and cells without references).
Every valid upload must be answered 200 with the sample's verdict, every hostile one with a
Chinese 4xx message; the server is alive at the end and its memory stayed bounded.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from tests.conftest import free_port
from tests.hostile_files import FAR_CELLS, sample_ledger
from tests.server_helpers import WEB

CLIENTS = 100
SECONDS = 60.0
RSS_LIMIT_MB = 1500  # the server and its job processes together, sampled all along


def _zip_bomb(folder: Path) -> Path:
    path = folder / "炸弹.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"<" + b" " * 50_000_000 + b"/>")
    return path


def _tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (Linux /proc)."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/statm") as f:
                total += int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
            with open(f"/proc/{p}/task/{p}/children") as f:
                todo += [int(c) for c in f.read().split()]
        except (OSError, ValueError):
            continue
    return total / 1e6


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="memory sampled from /proc")
def test_a_hundred_clients_for_a_minute_with_hostile_files(tmp_path: Path) -> None:
    import httpx

    valid = sample_ledger(tmp_path).read_bytes()
    hostile = {name: make(tmp_path).read_bytes() for name, make in FAR_CELLS.items()}
    hostile["zip-bomb"] = _zip_bomb(tmp_path).read_bytes()
    hostile["not-a-workbook"] = b"MZ\x90\x00 this is not a workbook" * 100
    port = free_port()
    env = {**os.environ, "HOME": str(tmp_path / "home"), "TMPDIR": str(tmp_path)}
    server = subprocess.Popen(
        [sys.executable, "-m", "rectify_xl", "serve", "--port", str(port), "--time-limit", "60"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    peak = 0.0
    outcomes: list[tuple[str, int, str]] = []
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline and server.poll() is None, "server did not start"
            time.sleep(0.2)

        async def client(i: int, until: float, http: httpx.AsyncClient) -> None:
            n = 0
            while time.monotonic() < until:
                n += 1
                if (i + n) % 3:  # two in three uploads are hostile
                    kind = sorted(hostile)[(i + n) % len(hostile)]
                    data = hostile[kind]
                else:
                    kind, data = "valid", valid
                response = await http.post(f"{base}/api/check", headers=WEB,
                                           files={"file": (f"{kind}.xlsx", data)})
                outcomes.append((kind, response.status_code, response.text[:200]))

        async def sample_memory(until: float) -> None:
            nonlocal peak
            while time.monotonic() < until:
                peak = max(peak, _tree_rss_mb(server.pid))
                await asyncio.sleep(0.5)

        async def run() -> None:
            until = time.monotonic() + SECONDS
            limits = httpx.Limits(max_connections=CLIENTS, max_keepalive_connections=CLIENTS)
            async with httpx.AsyncClient(timeout=300, limits=limits) as http:
                await asyncio.gather(sample_memory(until),
                                     *(client(i, until, http) for i in range(CLIENTS)))

        asyncio.run(run())
        assert server.poll() is None, "the server died"
        assert httpx.get(f"{base}/healthz", timeout=10).json() == {"ok": True}
    finally:
        server.terminate()
        try:
            _, err = server.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            _, err = server.communicate()
    valid_answers = [o for o in outcomes if o[0] == "valid"]
    hostile_answers = [o for o in outcomes if o[0] != "valid"]
    assert len(valid_answers) >= CLIENTS // 3  # every client got at least one valid one through
    assert [o for o in valid_answers if o[1] != 200 or "通过" not in o[2]] == []
    assert hostile_answers and all(o[1] == 400 and '"error"' in o[2] for o in hostile_answers), \
        {o[:2] for o in hostile_answers if o[1] != 400}
    assert b"Traceback" not in err
    assert peak < RSS_LIMIT_MB, peak

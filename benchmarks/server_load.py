"""Load on the office server (issue 9, item 6): a unit of clerks posting the ledger at once.

Starts ``rectify-xl serve`` on 127.0.0.1 and a free port (loopback only), then posts the sample
ledger to /api/check (validate + summary + chart + notice text + .docx + annotated copy) from
--clients concurrent clients, --requests in all, and prints beside it, measured in the same run:

  CLI, one process    the same work done sequentially in this process through the CLI's code
                      paths (validate, summary, notice -o .docx) and the annotated copy
  server              requests per second, p50 / p99 latency, errors, the server's peak RSS

Bounded: at most --requests posts, and every request and the whole run have time limits.
The machine is shared (2 cores, other engineers' jobs): figures are noisy; compare the columns
of one run only, never runs on different days.
--target xlwings posts the 校验 button's remote payload (what Remote.bas sends) instead; the
CLI column is then still the whole upload's work, so compare requests/s with care.
Usage: .venv/bin/python benchmarks/server_load.py [--clients 50] [--requests 100] [--workers 1]
       [--target web|xlwings]
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RUN_LIMIT = 600.0  # seconds for the whole load phase


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _sample(folder: Path) -> Path:
    from rectify_xl.adapters.sample_data import sample_records
    from rectify_xl.adapters.workbook_builder import build_workbook

    return build_workbook(folder / "样例台账.xlsx", sample_records())


def cli_baseline(path: Path, runs: int) -> float:
    """Seconds per ledger for the same work through the CLI's own functions, in one process."""
    from datetime import date

    from rectify_xl.server.files import Upload
    from rectify_xl.server.work import check_upload

    upload = Upload(path.name, path.read_bytes())
    check_upload(upload, today=date.today())  # warm imports, as a running server is warm
    started = time.perf_counter()
    for _ in range(runs):
        check_upload(upload, today=date.today())
    return (time.perf_counter() - started) / runs


def cli_commands(path: Path, out: Path) -> float:
    """Seconds for validate + summary + notice (.docx) as three CLI commands in one process."""
    from click.testing import CliRunner

    from rectify_xl.entrypoints.cli import cli

    runner = CliRunner()
    started = time.perf_counter()
    for args in (["validate", str(path)], ["summary", str(path)],
                 ["notice", str(path), "-o", str(out / "公告.docx")]):
        result = runner.invoke(cli, args)
        if result.exit_code not in (0, 1):
            raise SystemExit(f"CLI {args[0]} failed: {result.output}")
    return time.perf_counter() - started


def _peak_rss_mb(pid: int) -> float:
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return float("nan")
    line = next((x for x in text.splitlines() if x.startswith("VmHWM:")), "VmHWM: 0 kB")
    return int(line.split()[1]) / 1024


def _children(pid: int) -> list[int]:
    """Worker processes of a multi-worker server (uvicorn's supervisor forks them)."""
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(x) for x in text.split()]


def _start_server(port: int, home: Path, workers: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "HOME": str(home)}
    exe = Path(sys.executable).with_name("rectify-xl")
    cmd = [str(exe), "serve", "--host", "127.0.0.1", "--port", str(port), "--time-limit", "300",
           "--workers", str(workers)]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    import httpx

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("server did not start")


async def _load(url: str, data: bytes, clients: int, requests: int,
                payload: dict[str, object] | None = None) -> tuple[list[float], int, float]:
    import httpx

    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(requests):
        queue.put_nowait(i)
    latencies: list[float] = []
    errors = 0

    async def client(http: httpx.AsyncClient) -> None:
        nonlocal errors
        while not queue.empty():
            queue.get_nowait()
            started = time.perf_counter()
            try:
                if payload is None:
                    r = await http.post(url, files={"file": ("样例台账.xlsx", data)},
                                        headers={"X-Rectify-Client": "web"})
                    ok = r.status_code == 200 and "findings" in r.json()
                else:  # the Excel button: what Remote.bas posts
                    r = await http.post(url, json=payload)
                    ok = r.status_code == 200 and bool(r.json().get("actions"))
            except (httpx.HTTPError, ValueError):  # ValueError: an answer that is not JSON
                ok = False
            latencies.append(time.perf_counter() - started)
            errors += not ok

    limits = httpx.Limits(max_connections=clients)
    async with httpx.AsyncClient(timeout=300, limits=limits) as http:
        started = time.perf_counter()
        await asyncio.wait_for(asyncio.gather(*(client(http) for _ in range(clients))), RUN_LIMIT)
        return latencies, errors, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5, help="CLI baseline repetitions")
    parser.add_argument("--workers", type=int, default=1, help="server worker processes")
    parser.add_argument("--target", choices=["web", "xlwings"], default="web",
                        help="web: /api/check upload; xlwings: the 校验 button's remote payload")
    args = parser.parse_args()
    requests = min(args.requests, 1000)  # bounded, whatever is asked
    with tempfile.TemporaryDirectory(prefix="rectify-load-") as tmp:
        folder = Path(tmp)
        path = _sample(folder)
        per_ledger = cli_baseline(path, args.runs)
        commands = cli_commands(path, folder)
        port = _free_port()
        proc = _start_server(port, folder, args.workers)
        try:
            payload = None
            url = f"http://127.0.0.1:{port}/api/check"
            if args.target == "xlwings":
                from tests.xlwings_helpers import payload_from_file

                payload, url = payload_from_file(path), f"http://127.0.0.1:{port}/xlwings/validate"
            latencies, errors, wall = asyncio.run(
                _load(url, path.read_bytes(), args.clients, requests, payload))
            rss = _peak_rss_mb(proc.pid) + sum(_peak_rss_mb(c) for c in _children(proc.pid))
        finally:
            proc.terminate()
            proc.wait(10)
    latencies.sort()
    p99 = latencies[max(0, math.ceil(len(latencies) * 0.99) - 1)]  # nearest rank
    print(f"cores: {os.cpu_count()} (shared machine: figures are noisy)")
    print(f"CLI, one process   : {per_ledger * 1000:7.0f} ms per ledger (same work as one upload), "
          f"{1 / per_ledger:5.1f} ledgers/s")
    print(f"CLI, 3 commands    : {commands * 1000:7.0f} ms (validate + summary + notice .docx)")
    print(f"server ({args.target}), {args.workers} worker(s), {args.clients} clients: "
          f"{len(latencies) / wall:5.1f} requests/s over {len(latencies)} requests in {wall:.1f} s; "
          f"p50 {statistics.median(latencies) * 1000:.0f} ms, "
          f"p99 {p99 * 1000:.0f} ms; errors {errors}; server peak RSS {rss:.0f} MB")
    print(f"ratio              : server throughput = {len(latencies) / wall * per_ledger:.2f} x "
          "the one-process CLI rate")
    if errors:
        raise SystemExit(f"{errors} requests failed")


if __name__ == "__main__":
    main()

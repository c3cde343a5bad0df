"""The warm click worker behind ``rectify-xl-python`` (entrypoints/warm_click.py, decisions D3).

Real processes throughout: the shipped launcher, the worker it starts, a Unix socket in a private
folder. Each test gets its own runtime folder (XDG_RUNTIME_DIR) and kills whatever worker it left.
"""

from __future__ import annotations

import json
import os
import re
import signal
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(os.name == "nt", reason="POSIX socket path (Windows: untested)")

ROOT = Path(__file__).resolve().parent.parent.parent
LAUNCHER = Path(sys.executable).with_name("rectify-xl-python")
_SERVE = "warm_click import serve"

# The click of benchmarks/click_speed.py (the remote engine's payload), telling where it ran
_CLICK = (
    "import xlwings.utils, json, os, sys\n"
    "before = set(sys.modules)\n"
    "import xlwings as xw\n"
    "import rectify_xl.entrypoints.buttons as b\n"
    "book = xw.Book(json=json.load(open(sys.argv[1], encoding='utf-8')))\n"
    "b.validate(book)\n"
    "print(json.dumps({'pid': os.getpid(), 'argv': sys.argv, 'cwd': os.getcwd(),\n"
    "                  'env': os.environ.get('RX_TEST_MARK'),\n"
    "                  'actions': book.json()['actions'],\n"
    "                  'new': sorted(m for m in set(sys.modules) - before\n"
    "                                if m.startswith('rectify_xl') or m in ('pandas', 'jinja2'))},\n"
    "                 ensure_ascii=False))\n"
)


@pytest.fixture(scope="module")
def payload() -> Iterator[Path]:
    from rectify_xl.adapters.sample_data import sample_records
    from rectify_xl.adapters.workbook_builder import build_workbook
    from tests.xlwings_helpers import payload_from_file

    with tempfile.TemporaryDirectory() as tmp:
        book = build_workbook(Path(tmp) / "整改台账.xlsm", sample_records())
        path = Path(tmp) / "payload.json"
        path.write_text(json.dumps(payload_from_file(book), ensure_ascii=False), "utf-8")
        yield path


def _workers(run: str) -> list[int]:
    """Worker processes started for this test's runtime folder (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if _SERVE not in (entry / "cmdline").read_bytes().decode(errors="replace"):
                continue
            if f"XDG_RUNTIME_DIR={run}".encode() in (entry / "environ").read_bytes().split(b"\0"):
                found.append(int(entry.name))
        except OSError:
            continue
    return found


class Warm:
    """One test's private runtime folder and the environment a click runs in."""

    def __init__(self, run: str, home: Path) -> None:
        self.run = run
        self.env = {**os.environ, "RECTIFY_XL_WARM": "1", "XDG_RUNTIME_DIR": run,
                    "HOME": str(home), "XLWINGS_LICENSE_KEY": "noncommercial",
                    "RECTIFY_XL_WARM_IDLE": "60"}
        self.folder = Path(run) / "rectify-xl"

    def click(self, code: str = _CLICK, *args: str, cwd: Path | None = None,
              env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(LAUNCHER), "-B", "-c", code, *args], capture_output=True,
                              text=True, timeout=60, env=env or self.env, cwd=cwd or ROOT)

    def popen(self, code: str) -> subprocess.Popen[str]:
        return subprocess.Popen([str(LAUNCHER), "-B", "-c", code], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, env=self.env, cwd=ROOT)

    def socket(self) -> Path | None:
        socks = list(self.folder.glob("w-*.sock")) if self.folder.exists() else []
        return socks[0] if socks else None

    def ready(self, timeout: float = 20.0) -> int:
        """Wait until a worker listens; its pid."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            pids = list(self.folder.glob("w-*.pid")) if self.folder.exists() else []
            if self.socket() is not None and pids:
                return int(pids[0].read_text())
            time.sleep(0.05)
        raise AssertionError(f"no warm worker listening in {self.folder}")

    def start(self) -> int:
        """A worker listening, started the way a cold click starts it."""
        assert self.click("pass").returncode == 0
        return self.ready()


@pytest.fixture
def warm(tmp_path: Path) -> Iterator[Warm]:
    run = tempfile.mkdtemp(prefix="rx")  # short: a socket path holds ~100 bytes
    os.chmod(run, 0o700)
    try:
        yield Warm(run, tmp_path)
    finally:
        quiet = 0  # a worker alive now may be starting its successor: kill until none twice
        while quiet < 2:
            pids = _workers(run)
            for pid in pids:
                os.kill(pid, signal.SIGKILL)
            quiet = 0 if pids else quiet + 1
            time.sleep(0.1)
        subprocess.run(["rm", "-rf", run], check=False)


def _stable(actions: list[object]) -> str:
    """The actions with clock readings masked (校验结果's first line holds the time; 修改记录's hash
    chain covers it)."""
    text = re.sub(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?", "T", json.dumps(actions))
    return re.sub(r"\b[0-9a-f]{16}\b", "H", text)


def test_the_second_click_is_served_warm_with_the_cold_click_result(
        warm: Warm, payload: Path) -> None:
    cold = warm.click(_CLICK, str(payload), "--wb=整改台账.xlsm", "--from_xl=1")
    assert cold.returncode == 0, cold.stderr
    first = json.loads(cold.stdout)
    worker = warm.ready()
    assert worker != first["pid"]
    second_env = {**warm.env, "RX_TEST_MARK": "第二次"}
    elsewhere = Path(warm.run)
    served = warm.click(_CLICK, str(payload), "--wb=整改台账.xlsm", "--from_xl=1", env=second_env,
                        cwd=elsewhere)
    assert served.returncode == 0, served.stderr
    second = json.loads(served.stdout)
    assert second["pid"] == worker  # run by the warm worker, not by the launcher
    assert _stable(second["actions"]) == _stable(first["actions"])
    assert second["actions"][-1]["func"] == "alert" and "校验完成" in str(second["actions"][-1])
    assert second["argv"] == first["argv"] == ["-c", str(payload), "--wb=整改台账.xlsm",
                                               "--from_xl=1"]
    assert second["cwd"] == str(elsewhere) and second["env"] == "第二次"
    assert second["new"] == []  # the worker had loaded every module of ours the click needs
    assert "pandas" not in first["new"] and "jinja2" not in first["new"]
    assert warm.ready() != worker  # a successor took over for the next click


_FAILING = [
    "print('前'); 1/0",
    "import sys; print('out'); print('err', file=sys.stderr); sys.exit(3)",
    "raise SystemExit('坏了：第 3 行')",
    "def f():\n    raise ValueError('x')\ntry:\n    f()\nexcept ValueError as e:\n"
    "    raise KeyError('y') from e",
    "import sys; sys.exit(None)",
]


def test_exit_codes_and_output_are_those_of_python_c(warm: Warm) -> None:
    for code in _FAILING:
        worker = warm.ready() if warm.socket() else warm.start()
        tagged = f"import os; print(os.getpid())\n{code}"
        launched = warm.click(tagged, "a")
        direct = subprocess.run([sys.executable, "-B", "-c", tagged, "a"], capture_output=True,
                                text=True, timeout=60)
        pid, _, out = launched.stdout.partition("\n")
        assert int(pid) == worker, code
        assert (launched.returncode, out, launched.stderr) == (
            direct.returncode, direct.stdout.partition("\n")[2], direct.stderr), code


def test_the_cold_path_gives_the_same_exit_codes(warm: Warm) -> None:
    env = {**warm.env, "RECTIFY_XL_WARM": "0"}
    for code in _FAILING[:3]:
        launched = warm.click(code, env=env)
        direct = subprocess.run([sys.executable, "-B", "-c", code], capture_output=True,
                                text=True, timeout=60)
        assert (launched.returncode, launched.stdout, launched.stderr) == (
            direct.returncode, direct.stdout, direct.stderr), code
    assert not warm.folder.exists() and _workers(warm.run) == []  # switched off: nothing started


def test_folder_and_key_are_private(warm: Warm) -> None:
    warm.start()
    assert stat.S_IMODE(warm.folder.stat().st_mode) == 0o700
    key = warm.folder / "key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600 and key.stat().st_size == 32


def test_a_too_open_folder_is_refused_by_the_launcher(warm: Warm, payload: Path) -> None:
    worker = warm.start()
    os.chmod(warm.folder, 0o755)
    out = warm.click("import os; print(os.getpid())")
    assert out.returncode == 0 and int(out.stdout) != worker  # ran cold, in the launcher
    assert stat.S_IMODE(warm.folder.stat().st_mode) == 0o700  # the next worker made it private


def test_a_wrong_key_runs_the_click_cold(warm: Warm, payload: Path) -> None:
    worker = warm.start()
    key = warm.folder / "key"
    key.write_bytes(os.urandom(32))  # the launcher now holds another key than the worker
    out = warm.click(_CLICK, str(payload))
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["pid"] != worker and "校验完成" in str(result["actions"][-1])
    assert warm.ready() != worker  # the old worker made way for one that holds the new key


def test_a_changed_module_makes_the_worker_decline(warm: Warm, payload: Path) -> None:
    worker = warm.start()
    module = ROOT / "rectify_xl" / "core" / "gate.py"  # loaded by the worker's warm-up
    before = module.stat()
    try:
        os.utime(module, ns=(before.st_atime_ns, before.st_mtime_ns + 1_000_000_000))
        out = warm.click(_CLICK, str(payload))
    finally:
        os.utime(module, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["pid"] != worker and "校验完成" in str(result["actions"][-1])
    assert warm.ready() != worker  # a fresh worker, with the modules as they are now


def test_an_idle_worker_exits_and_removes_its_socket(warm: Warm) -> None:
    warm.env["RECTIFY_XL_WARM_IDLE"] = "1"
    worker = warm.start()
    end = time.monotonic() + 10
    while time.monotonic() < end and (warm.socket() or worker in _workers(warm.run)):
        time.sleep(0.1)
    assert warm.socket() is None and _workers(warm.run) == []
    assert not list(warm.folder.glob("w-*.pid"))


def test_a_worker_killed_mid_click_is_reported_not_silent(warm: Warm, tmp_path: Path) -> None:
    worker = warm.start()
    flag = tmp_path / "started"
    running = warm.popen(f"import pathlib, time; pathlib.Path({str(flag)!r}).write_text('x'); "
                         "time.sleep(60)")
    end = time.monotonic() + 20
    while not flag.exists() and time.monotonic() < end:
        time.sleep(0.05)
    assert flag.exists()
    os.kill(worker, signal.SIGKILL)
    _, err = running.communicate(timeout=20)
    assert running.returncode == 1
    assert "意外退出" in err and str(worker) in err and "Traceback" not in err


def test_one_worker_at_a_time(warm: Warm) -> None:
    warm.start()
    for _ in range(2):  # cold clicks while one listens: their workers find the lock taken
        warm_click_cold = {**warm.env}
        subprocess.run([sys.executable, "-c", "from rectify_xl.entrypoints.warm_click import "
                        "serve; serve()"], env=warm_click_cold, timeout=30, check=True)
    assert len(_workers(warm.run)) == 1



def test_a_terminated_worker_removes_its_socket(warm: Warm) -> None:
    worker = warm.start()
    os.kill(worker, signal.SIGTERM)
    end = time.monotonic() + 10
    while time.monotonic() < end and worker in _workers(warm.run):
        time.sleep(0.05)
    assert warm.socket() is None and not list(warm.folder.glob("w-*.pid"))


def test_the_launcher_of_a_warm_click_stays_light(warm: Warm) -> None:
    """What the launcher process itself imports when the worker takes the click."""
    worker = warm.start()
    probe = ("import sys\nfrom rectify_xl.entrypoints.buttons import python_launcher\n"
             "try:\n    python_launcher(['-c', 'import os; print(os.getpid())'])\n"
             "except SystemExit:\n    pass\n"
             "heavy = ('xlwings', 'pandas', 'numpy', 'openpyxl', 'jinja2', 'rectify_xl.core',\n"
             "         'rectify_xl.services', 'rectify_xl.adapters')\n"
             "print(sorted(m for m in sys.modules if m.startswith(heavy)))\n")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         timeout=60, env=warm.env, cwd=ROOT, check=True)
    ran, loaded = out.stdout.splitlines()
    assert int(ran) == worker and loaded == "[]", out.stdout

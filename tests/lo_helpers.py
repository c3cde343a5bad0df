"""Run LibreOffice (headless, UNO) from tests: a small API other test modules reuse.

UNO only imports in Debian's /usr/bin/python3, so each check is a script in tests/uno/ run as a
subprocess. Every call gets a fresh profile directory and a unique pipe name (parallel pytest
workers never share a soffice), and the whole process group is killed on time-out.

    from tests.lo_helpers import UNO_DIR, run_uno, soffice_available
    pytestmark = pytest.mark.skipif(not soffice_available(), reason="LibreOffice/UNO not installed")
    result = run_uno(UNO_DIR / "inspect_workbook.py", "--cells", "整改清单!I4", str(path))

A UNO script uses tests/uno/_office.py: ``with office() as desktop: doc = load(desktop, path)``,
then ``emit(result)`` prints the JSON answer as the last stdout line.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import tempfile
import uuid
from functools import cache
from pathlib import Path
from typing import Any

__all__ = ["UNO_DIR", "UNO_PYTHON", "UnoError", "run_uno", "soffice_available"]

UNO_PYTHON = "/usr/bin/python3"
UNO_DIR = Path(__file__).resolve().parent / "uno"


class UnoError(RuntimeError):
    """A UNO script failed, timed out or printed no JSON."""


@cache
def soffice_available() -> bool:
    """soffice on PATH and python3-uno importable by the system python."""
    if shutil.which("soffice") is None or not Path(UNO_PYTHON).exists():
        return False
    try:
        done = subprocess.run([UNO_PYTHON, "-c", "import uno"], capture_output=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def run_uno(script_path: str | Path, *args: str, timeout: float = 60) -> Any:
    """Run a UNO script with its own soffice; return the JSON it printed last on stdout."""
    profile = Path(tempfile.mkdtemp(prefix="rx-lo-profile-"))
    env = {**os.environ, "RX_LO_PROFILE": str(profile),
           "RX_LO_PIPE": f"rx_lo_{os.getpid()}_{uuid.uuid4().hex[:12]}"}
    env.pop("PYTHONPATH", None)  # the venv's packages must not shadow Debian's
    proc = subprocess.Popen([UNO_PYTHON, str(script_path), *map(str, args)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        os.killpg(proc.pid, signal.SIGKILL)  # the script and the soffice it started
        proc.communicate()
        raise UnoError(f"{Path(script_path).name} timed out after {timeout} s") from exc
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    lines = [line for line in out.splitlines() if line.strip()]
    if proc.returncode != 0 or not lines:
        raise UnoError(f"{Path(script_path).name} failed ({proc.returncode}):\n{err[-3000:]}")
    try:
        return json.loads(lines[-1])
    except json.JSONDecodeError as exc:
        raise UnoError(f"{Path(script_path).name} printed no JSON:\n{out[-2000:]}") from exc

"""How long one click on 校验 takes, as whole fresh processes (issue 3, item 6; issue 12, item 8).

RunPython starts ``python -B -c "import xlwings.utils; ...; import rectify_xl.entrypoints.buttons
as b; b.validate()"`` for every click, so start-up is what staff feel. Measured side by side in
one run, median of --runs:

  baseline              python -c: import openpyxl and load the sample ledger (the target's unit)
  click (RunPython)     import xlwings.utils (pandas, numpy come with it), read the book, validate,
                        write back: the remote engine over the JSON Excel would hand over stands
                        in for COM, which cannot run on Linux
  click, launcher cold  the same command under ``rectify-xl-python`` (the interpreter the
                        xlwings.conf sheet names) with no warm worker listening: xlwings imported
                        with pandas/numpy kept out, the click run in the launcher, then a worker
                        started for the next click — a user's first click (the worker it starts
                        is stopped before the next case, so it never competes for the CPU)
  click, launcher warm  the same command handed to the warm worker (docs/dev/decisions.md D3):
                        every click after the first; the worker is idle and listening before
                        the click, and its successor has finished warming up before the next case
  file, no xlwings      services.validate_workbook(path): what a "save, then pass the path"
                        button would cost before any write-back
  import xlwings        ``import xlwings.utils`` alone

Target (issue 12): the click through the launcher (what the shipped workbook uses) at most 0.5x
the baseline; the verdict is on the warm click (what staff feel from the second click on), and the
cold first click's ratio is printed beside it. CPU seconds are those of the processes this script
waits for: for the warm click that is the launcher only (the worker is not our child), marked *.
Figures on a shared, busy machine are noisy; compare columns of the same run only.
Usage: .venv/bin/python benchmarks/click_speed.py [--runs 7]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

_CLICK = (
    "import xlwings.utils, json, sys\n"
    "import xlwings as xw\n"
    "import rectify_xl.entrypoints.buttons as b\n"
    "book = xw.Book(json=json.load(open(sys.argv[1], encoding='utf-8')))\n"
    "b.validate(book)\n"
    "assert book.json()['actions'][-1]['args'][3] == 'info', book.json()['actions'][-1]\n"
    "import os; print(os.getpid())\n"  # which process ran it: the launcher or the warm worker
)
BASELINE = "baseline: openpyxl load"
COLD, WARM = "click, launcher cold", "click, launcher warm"
CASES = {
    BASELINE: "import openpyxl, sys; openpyxl.load_workbook(sys.argv[2])",
    "click (RunPython)": _CLICK,
    COLD: _CLICK,
    WARM: _CLICK,
    "file, no xlwings": ("import sys\nfrom rectify_xl.services.ledger import validate_workbook\n"
                         "validate_workbook(sys.argv[2])"),
    "import xlwings.utils": "import xlwings.utils",
}
LAUNCHER = Path(sys.executable).with_name("rectify-xl-python")


def _sample(folder: Path) -> tuple[Path, Path]:
    """The sample ledger as the real .xlsm, and the payload Excel would hand over for it."""
    from rectify_xl.adapters.sample_data import sample_records
    from rectify_xl.adapters.workbook_builder import build_workbook
    from tests.xlwings_helpers import payload_from_file

    book = build_workbook(folder / "整改台账.xlsm", sample_records())
    payload = folder / "payload.json"
    payload.write_text(json.dumps(payload_from_file(book), ensure_ascii=False), "utf-8")
    return book, payload


def _worker(run: Path, timeout: float = 30.0) -> int:
    """Wait until the worker of runtime folder ``run`` listens (warm-up done); its pid."""
    folder = run / "rectify-xl"
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        pids = list(folder.glob("w-*.pid")) if folder.exists() else []
        if pids and list(folder.glob("w-*.sock")):
            return int(pids[0].read_text())
        time.sleep(0.02)
    raise SystemExit(f"no warm worker started in {folder}")


def _stop_workers(run: Path, timeout: float = 5.0) -> None:
    """Stop the worker a cold click started in ``run`` (it writes its pid as soon as it runs)."""
    folder = run / "rectify-xl"
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        pids = list(folder.glob("w-*.pid")) if folder.exists() else []
        if pids:
            with contextlib.suppress(OSError, ValueError):
                os.kill(int(pids[0].read_text()), signal.SIGKILL)
            pids[0].unlink(missing_ok=True)
            return
        time.sleep(0.01)


def _time(name: str, args: list[str], env: dict[str, str], tmp: Path, warm: Path) -> float:
    code = CASES[name]
    command = [sys.executable, "-B", "-c", code, *args]
    if name in (COLD, WARM):
        command = [str(LAUNCHER), "-B", "-c", code, *args]
    run = warm
    if name == COLD:
        run = Path(tempfile.mkdtemp(dir=tmp, prefix="c"))  # nothing listens here
        os.chmod(run, 0o700)
    worker = _worker(warm) if name == WARM else 0
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    out = subprocess.run(command, check=True, env={**env, "XDG_RUNTIME_DIR": str(run)},
                         stdout=subprocess.PIPE, cwd=ROOT)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    _CPU.setdefault(name, []).append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    if name in (COLD, WARM):  # prove where the click ran
        ran = int(out.stdout.split()[-1])
        if (ran == worker) != (name == WARM):
            raise SystemExit(f"{name}: the click ran in pid {ran}, the worker was {worker}")
    if name == COLD:
        _stop_workers(run)
    if name == WARM:
        _worker(warm)  # the successor has warmed up: it does not compete with the next case
    return wall


_CPU: dict[str, list[float]] = {}  # case → CPU seconds per run: steadier than wall time when busy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    # RunPython passes -B (write no bytecode), so a module edited since its .pyc was written is
    # compiled from source on every click; pip compiles an installed package once at install
    # time, so do the same for this working tree before timing.
    import compileall

    compileall.compile_dir(ROOT / "rectify_xl", quiet=1)
    with tempfile.TemporaryDirectory(prefix="rxb") as name:
        tmp = Path(name)
        env = {**os.environ, "XLWINGS_LICENSE_KEY": "noncommercial", "HOME": str(tmp),
               "RECTIFY_XL_WARM": "1"}
        book, payload = _sample(tmp)
        args = [str(payload), str(book)]
        warm = tmp / "run"
        warm.mkdir(mode=0o700)
        try:
            subprocess.run([str(LAUNCHER), "-c", "pass"], check=True, cwd=ROOT,
                           env={**env, "XDG_RUNTIME_DIR": str(warm)})
            times: dict[str, list[float]] = {name: [] for name in CASES}
            for _ in range(runs):  # interleaved, so load changes hit every case alike
                for case in CASES:
                    times[case].append(_time(case, args, env, tmp, warm))
        finally:
            _stop_workers(warm, timeout=1.0)
    base = statistics.median(times[BASELINE])
    print(f"click speed, median of {runs} fresh processes (sample ledger: {book.name})")
    base_cpu = statistics.median(_CPU[BASELINE])
    print(f"{'case':<26}{'median s':>10}{'min s':>9}{'x baseline':>12}{'cpu s':>8}{'x cpu':>7}")
    for case, values in times.items():
        med = statistics.median(values)
        cpu = statistics.median(_CPU[case])
        mark = "*" if case == WARM else " "
        print(f"{case:<26}{med:>10.3f}{min(values):>9.3f}{med / base:>12.2f}{cpu:>8.3f}"
              f"{cpu / base_cpu:>7.2f}{mark}")
    print("* launcher process only: the warm worker's CPU is not counted")
    cold = statistics.median(times[COLD]) / base
    ratio = statistics.median(times[WARM]) / base
    verdict = "within" if ratio <= 0.5 else "OVER"
    print(f"target 0.5x of baseline: warm click (2nd click on) -> {ratio:.2f}x ({verdict}); "
          f"first (cold) click -> {cold:.2f}x")


if __name__ == "__main__":
    main()

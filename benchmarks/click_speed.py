"""How long one click on 校验 takes, as whole fresh processes (issue 3, item 6).

RunPython starts ``python -B -c "import xlwings.utils; ...; import rectify_xl.entrypoints.buttons
as b; b.validate()"`` for every click, so start-up is what staff feel. Measured side by side in
one run, median of --runs:

  baseline            python -c: import openpyxl and load the sample ledger (the target's unit)
  click (RunPython)   import xlwings.utils (pandas, numpy come with it), read the book, validate,
                      write back: the remote engine over the JSON Excel would hand over stands
                      in for COM, which cannot run on Linux
  click, launcher     the same command under ``rectify-xl-python`` (the interpreter the
                      xlwings.conf sheet names): xlwings imported with pandas/numpy kept out
  file, no xlwings    services.validate_workbook(path): what a "save, then pass the path" button
                      would cost before any write-back
  import xlwings      ``import xlwings.utils`` alone

Target (issue 12): the click through the launcher (what the shipped workbook uses) at most 0.5x
the baseline. Figures on a
shared, busy machine are noisy; compare columns of the same run only.
Usage: .venv/bin/python benchmarks/click_speed.py [--runs 7]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
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
)
CASES = {
    "baseline: openpyxl load": "import openpyxl, sys; openpyxl.load_workbook(sys.argv[2])",
    "click (RunPython)": _CLICK,
    "click, launcher": "LAUNCHER",
    "file, no xlwings": ("import sys\nfrom rectify_xl.services.ledger import validate_workbook\n"
                         "validate_workbook(sys.argv[2])"),
    "import xlwings.utils": "import xlwings.utils",
}


def _sample(folder: Path) -> tuple[Path, Path]:
    """The sample ledger as the real .xlsm, and the payload Excel would hand over for it."""
    from rectify_xl.adapters.sample_data import sample_records
    from rectify_xl.adapters.workbook_builder import build_workbook
    from tests.xlwings_helpers import payload_from_file

    book = build_workbook(folder / "整改台账.xlsm", sample_records())
    payload = folder / "payload.json"
    payload.write_text(json.dumps(payload_from_file(book), ensure_ascii=False), "utf-8")
    return book, payload


def _time(code: str, args: list[str], env: dict[str, str]) -> float:
    command = [sys.executable, "-B", "-c", code, *args]
    if code == "LAUNCHER":
        launcher = Path(sys.executable).with_name("rectify-xl-python")
        command = [str(launcher), "-B", "-c", _CLICK, *args]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL, cwd=ROOT)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    _CPU.setdefault(code, []).append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return wall


_CPU: dict[str, list[float]] = {}  # code → CPU seconds per run: steadier than wall time when busy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    env = {**os.environ, "XLWINGS_LICENSE_KEY": "noncommercial", "HOME": tempfile.mkdtemp()}
    # RunPython passes -B (write no bytecode), so a module edited since its .pyc was written is
    # compiled from source on every click; pip compiles an installed package once at install
    # time, so do the same for this working tree before timing.
    import compileall

    compileall.compile_dir(ROOT / "rectify_xl", quiet=1)
    with tempfile.TemporaryDirectory() as tmp:
        book, payload = _sample(Path(tmp))
        args = [str(payload), str(book)]
        times: dict[str, list[float]] = {name: [] for name in CASES}
        for _ in range(runs):  # interleaved, so load changes hit every case alike
            for name, code in CASES.items():
                times[name].append(_time(code, args, env))
    base = statistics.median(times["baseline: openpyxl load"])
    print(f"click speed, median of {runs} fresh processes (sample ledger: {book.name})")
    base_cpu = statistics.median(_CPU[CASES["baseline: openpyxl load"]])
    print(f"{'case':<26}{'median s':>10}{'min s':>9}{'x baseline':>12}{'cpu s':>8}{'x cpu':>7}")
    for name, values in times.items():
        med = statistics.median(values)
        cpu = statistics.median(_CPU[CASES[name]])
        print(f"{name:<26}{med:>10.3f}{min(values):>9.3f}{med / base:>12.2f}{cpu:>8.3f}"
              f"{cpu / base_cpu:>7.2f}")
    ratio = statistics.median(times["click, launcher"]) / base
    verdict = "within" if ratio <= 0.5 else "OVER"
    print(f"target 0.5x of baseline: click, launcher -> {ratio:.2f}x ({verdict})")


if __name__ == "__main__":
    main()

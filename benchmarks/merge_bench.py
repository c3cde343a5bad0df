"""`rectify-xl merge` over a round of generated unit ledgers, beside its floor (issue 7, item 5).

  floor   a bare script: python-calamine reads every sheet of every file, XlsxWriter writes all
          their rows into one workbook (no validation, no summary, no formatting)
  merge   `rectify-xl merge FOLDER -o out.xlsx`: read + validate + summarise every file, the
          formatted seven-sheet workbook

Whole fresh processes, run alternately, median of --runs; peak memory is the whole process
tree (the merge's workers included), sampled from /proc. Ledgers are generated before any timing.
Target: merge <= 1.5 x floor, peak < 500 MB. Figures on a shared, busy machine are noisy:
compare the columns of one run only.

Usage: .venv/bin/python benchmarks/merge_bench.py [--units 500] [--measures 50] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from _bench_common import median_cpu, medians, python, run_process, write_unit_ledger

FLOOR = """
import sys
from pathlib import Path
from python_calamine import CalamineWorkbook
import xlsxwriter

wb = xlsxwriter.Workbook(sys.argv[2], {"strings_to_formulas": False})
ws = wb.add_worksheet()
r = 0
for path in sorted(Path(sys.argv[1]).glob("*.xlsx")):
    book = CalamineWorkbook.from_path(str(path))
    for name in book.sheet_names:
        for row in book.get_sheet_by_name(name).to_python():
            ws.write_row(r, 0, row)
            r += 1
wb.close()
"""


def _generate(folder: Path, units: int, measures: int) -> None:
    jobs = [(folder / f"unit{i:04d}.xlsx", f"第{i + 1}单位", measures + (i % 7) - 3, i)
            for i in range(units)]
    with ProcessPoolExecutor(2) as pool:
        list(pool.map(_write, jobs, chunksize=16))


def _write(job: tuple[Path, str, int, int]) -> None:
    write_unit_ledger(*job)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=500)
    parser.add_argument("--measures", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="merge-bench-") as tmp:
        folder = Path(tmp) / "round"
        folder.mkdir()
        t = time.perf_counter()
        _generate(folder, args.units, args.measures)
        print(f"generated {args.units} ledgers x ~{args.measures} measures "
              f"in {time.perf_counter() - t:.1f} s (not timed below)")
        floor_script = Path(tmp) / "floor.py"
        floor_script.write_text(FLOOR, encoding="utf-8")
        cases = {
            "floor: calamine + XlsxWriter": [python(), str(floor_script), str(folder),
                                             str(Path(tmp) / "floor.xlsx")],
            "rectify-xl merge": [python(), "-m", "rectify_xl", "merge", str(folder),
                                 "-o", str(Path(tmp) / "汇总.xlsx"), "--as-of", "2021-10-31"],
        }
        runs: dict[str, list] = {name: [] for name in cases}
        load_before = os.getloadavg()[0]
        for _ in range(args.runs):  # alternate, so load on the machine hits both alike
            for name, cmd in cases.items():
                runs[name].append(run_process(cmd))
        floor, _ = medians(runs["floor: calamine + XlsxWriter"])
        print(f"\n{'case':32} {'median s':>9} {'ratio':>6} {'cpu s':>6} {'peak MB':>8}   (runs: {args.runs})")
        for name, result in runs.items():
            seconds, peak = medians(result)
            print(f"{name:32} {seconds:9.2f} {seconds / floor:6.2f} {median_cpu(result):6.2f} {peak:8.0f}")
        print(f"\nload average (1 min) before/after the runs: {load_before:.2f} / "
              f"{os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs (other work on the machine "
              "slows the two-process merge more than the one-process floor)")
        print("target: merge ratio <= 1.50, peak < 500 MB")


if __name__ == "__main__":
    main()

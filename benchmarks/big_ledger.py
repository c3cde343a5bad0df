"""`rectify-xl validate` and `rectify-xl summary` on one big ledger, beside pandas (issue 7, item 5).

  baseline   python -c "pandas.read_excel(path, sheet_name='整改清单')" (openpyxl engine)
  validate   rectify-xl validate path --as-of 2021-10-31
  summary    rectify-xl summary path --as-of 2021-10-31

The ledger (title row, merged problem cells, real and text dates, 长期坚持) is generated before
any timing. Whole fresh processes, run alternately, median of --runs; peak memory of the process
tree sampled from /proc. Targets (issue 12): at 10,000 measures each <= 0.3 x baseline; at
100,000 measures a peak within 300 MB.
--profile prints the cProfile hot spots of both commands in-process. Figures on a shared, busy
machine are noisy: compare the columns of one run only.

Usage: .venv/bin/python benchmarks/big_ledger.py [--measures 10000 100000] [--runs 3] [--profile]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import date
from pathlib import Path

from _bench_common import ROOT, median_cpu, medians, python, run_process, write_unit_ledger

BASELINE = "import pandas, sys; pandas.read_excel(sys.argv[1], sheet_name='整改清单', engine='openpyxl')"


def _profile(path: Path) -> None:
    import cProfile
    import pstats

    from rectify_xl.services.ledger import summarize_workbook, validate_workbook

    for name, call in (("validate", validate_workbook), ("summary", summarize_workbook)):
        profiler = cProfile.Profile()
        profiler.runcall(call, path, as_of=date(2021, 10, 31))
        print(f"\n--- hot spots: {name} ({path.name}) ---")
        pstats.Stats(profiler).sort_stats("tottime").print_stats(12)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--measures", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    # pip compiles an installed package to bytecode once, at install time; a working tree run
    # with PYTHONDONTWRITEBYTECODE (or -B) would compile every module again in every process
    import compileall

    compileall.compile_dir(ROOT / "rectify_xl", quiet=1)
    with tempfile.TemporaryDirectory(prefix="big-ledger-") as tmp:
        for n in args.measures:
            path = Path(tmp) / f"ledger-{n}.xlsx"
            t = time.perf_counter()
            write_unit_ledger(path, "某县委办公室", n, seed=n)
            print(f"\ngenerated {n:,} measures ({path.stat().st_size / 1e6:.1f} MB) "
                  f"in {time.perf_counter() - t:.1f} s (not timed below)")
            cases = {
                "baseline: pandas.read_excel": [python(), "-c", BASELINE, str(path)],
                "rectify-xl validate": [python(), "-m", "rectify_xl", "validate", str(path),
                                        "--as-of", "2021-10-31"],
                "rectify-xl summary": [python(), "-m", "rectify_xl", "summary", str(path),
                                       "--as-of", "2021-10-31"],
            }
            runs: dict[str, list] = {name: [] for name in cases}
            for _ in range(args.runs):
                for name, cmd in cases.items():
                    runs[name].append(run_process(cmd))
            base, _ = medians(runs["baseline: pandas.read_excel"])
            base_cpu = median_cpu(runs["baseline: pandas.read_excel"])
            print(f"{'case':30} {'median s':>9} {'ratio':>6} {'cpu s':>6} {'cpu ratio':>9}"
                  f" {'peak MB':>8}   (runs: {args.runs})")
            for name, result in runs.items():
                seconds, peak = medians(result)
                cpu = median_cpu(result)
                print(f"{name:30} {seconds:9.2f} {seconds / base:6.2f} {cpu:6.2f}"
                      f" {cpu / base_cpu:9.2f} {peak:8.0f}")
            if args.profile:
                _profile(path)
        print("\ntargets: at 10,000 measures validate and summary ratio <= 0.30 (wall; the cpu column is"
              " steadier on a busy machine); at 100,000 measures peak <= 300 MB")


if __name__ == "__main__":
    main()

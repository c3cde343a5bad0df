"""`rectify-xl validate` on a big ledger as .xls beside the same ledger as .xlsx (the baseline).

The ledger (benchmarks/_bench_common.write_unit_ledger) is written as .xlsx, then converted to
.xls by LibreOffice (the MS Excel 97 filter, as WPS and old Excel save it) before any timing.
Rows: validate on each in fresh processes (median of --runs, peak memory of the process tree),
and in-process the share of the .xls check (adapters.xls_extent: container, records, SST, every
cell record) in reading the grids. Target: validate on the .xls within 1.5 x the .xlsx.
Measured at 10,000 measures: 0.49 s / 55 MB against 0.45 s / 44 MB; the check 0.07 s of 0.19 s.
Figures on a shared machine are noisy: compare the rows of one run only.

Usage: .venv/bin/python benchmarks/xls_reading.py [--measures 10000] [--runs 3]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

from _bench_common import ROOT, medians, python, run_process, write_unit_ledger

sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--measures", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if shutil.which("soffice") is None:
        sys.exit("LibreOffice (soffice) is needed to make the .xls")
    from rectify_xl.adapters.xls_extent import xls_extents
    from rectify_xl.adapters.xlsx_reader import read_grids
    from tests.xls_helpers import to_xls

    with tempfile.TemporaryDirectory(prefix="xls-bench-") as tmp:
        xlsx = Path(tmp) / "台账.xlsx"
        write_unit_ledger(xlsx, "县委办", args.measures, seed=7)
        xls = to_xls([xlsx], Path(tmp), timeout=900)[0]
        print(f"{args.measures:,} measures: .xlsx {xlsx.stat().st_size / 1e6:.1f} MB, "
              f".xls {xls.stat().st_size / 1e6:.1f} MB")
        print(f"{'validate':24} {'median s':>9} {'peak MB':>8}")
        for label, path in (("baseline: .xlsx", xlsx), (".xls", xls)):
            runs = [run_process([python(), "-m", "rectify_xl", "validate", str(path),
                                 "--as-of", "2021-10-31"], cwd=ROOT) for _ in range(args.runs)]
            seconds, peak = medians(runs)
            print(f"{label:24} {seconds:>9.2f} {peak:>8.0f}")
        data = xls.read_bytes()
        start = time.perf_counter()
        xls_extents(data, xls.name)
        check = time.perf_counter() - start
        start = time.perf_counter()
        read_grids(xls)
        whole = time.perf_counter() - start
        print(f"in-process: .xls check {check:.2f} s of read_grids {whole:.2f} s "
              f"({100 * check / whole:.0f} %)")


if __name__ == "__main__":
    main()

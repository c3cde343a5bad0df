"""Bounded reading (issue 13, item 1): time and peak memory to refuse hostile workbooks.

Each hostile file (tests/hostile_files.py: a value in XFD1048576, cells far apart in every tag
form, beyond Excel's range) goes to `rectify-xl validate` in a fresh process; beside it, in the
same run, the same command on the sample ledger it was made from (the baseline). The old .xls
rows (tests/xls_helpers.py: one crafted record planted in the sample converted by LibreOffice —
a number in IV65536 under a tiny DIMENSIONS, an SST claiming 2^31 strings, FILEPASS; a FAT loop,
a cut-off file, a lying stream size) have the converted sample as their baseline. Target: every
hostile file refused (exit 2) within 2 s and 200 MB. Peak RSS is the process's own maximum
(getrusage of the child). Figures on a shared machine are noisy: compare the rows of one run.
Usage: .venv/bin/python benchmarks/hostile_reading.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


# a fresh intermediary per row, so the peak is that command's own (RUSAGE_CHILDREN only grows)
_MEASURE = """
import resource, subprocess, sys, time
t = time.perf_counter()
code = subprocess.run([sys.executable, "-m", "rectify_xl", "validate", sys.argv[1]],
                      capture_output=True, timeout=300).returncode
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print(code, time.perf_counter() - t, r.ru_utime + r.ru_stime, r.ru_maxrss / 1024)
"""


def run(path: Path) -> tuple[int, float, float, float]:
    out = subprocess.run([sys.executable, "-c", _MEASURE, str(path)], capture_output=True,
                         text=True, timeout=600, cwd=ROOT).stdout.split()
    return int(out[0]), float(out[1]), float(out[2]), float(out[3])  # exit, wall s, CPU s, MB


def _xls_rows(sample: Path, folder: Path) -> list[tuple[str, Path]]:
    """The sample as .xls (LibreOffice), then each hostile .xls crafted from it."""
    import shutil

    from tests.xls_helpers import HOSTILE, records, to_xls

    if shutil.which("soffice") is None:
        print("(LibreOffice not installed: no .xls rows)")
        return []
    xls = to_xls([sample], folder)[0]
    recs = records(xls.read_bytes())
    out = [("baseline: the sample as .xls", xls)]
    for i, (name, (craft, _words)) in enumerate(sorted(HOSTILE.items())):
        path = folder / f"hostile{i}.xls"
        path.write_bytes(craft(recs))
        out.append((f".xls: {name}", path))
    return out


def main() -> None:
    from tests.hostile_files import FAR_CELLS, sample_ledger

    with tempfile.TemporaryDirectory(prefix="hostile-") as tmp:
        folder = Path(tmp)
        rows = [("baseline: the sample ledger", sample_ledger(folder, "样例.xlsx"))]
        rows += [(name, make(folder)) for name, make in sorted(FAR_CELLS.items())]
        rows += _xls_rows(rows[0][1], folder)
        print(f"{'file':40} {'exit':>4} {'wall s':>7} {'CPU s':>6} {'peak MB':>8}"
              "  target: exit 2, <2 s, <200 MB")
        for name, path in rows:
            code, seconds, cpu, peak = run(path)
            print(f"{name:40} {code:>4} {seconds:>7.2f} {cpu:>6.2f} {peak:>8.0f}")


if __name__ == "__main__":
    main()

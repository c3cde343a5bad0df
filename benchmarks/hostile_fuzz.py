"""Every file is hostile: the full sweep of the mutation harness (tests/fuzz_inputs.py) through
every command that reads each kind, each run in a fresh process, with wall time, CPU time and
peak memory per case; beside it, in the same run, the same commands on the unmutated file of
that kind (the baseline: the sample ledger .xlsx/.xlsm, its .xls, the notice .docx/.txt, the
.eml and the .zip). Seeds are fixed: the same files on every run.

Verdicts per row: exit 0/1/2 (2: refused), "internal" when the output says 程序内部错误 or shows
a traceback, "named" when a refusal names the file, "changed" when the input file changed.
Target (as benchmarks/hostile_reading.py): every hostile file refused within 2 s and 200 MB;
a file still read (exit 0/1: a flip in a cell's text) within the baseline's figures. The rows
over a target are listed again at the end. Figures on a shared machine are noisy: compare the
rows of one run (the CPU column is steadier than wall time).

Usage: .venv/bin/python benchmarks/hostile_fuzz.py [--kinds xlsx docx ...] [--seeds 12]
       [--commands validate merge ...]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_S, TARGET_MB = 2.0, 200.0


# a fresh intermediary per row (as benchmarks/hostile_reading.py): a child's peak RSS on Linux
# starts from its parent's at the fork, and this script grows while it makes the cases
_MEASURE = """
import os, subprocess, sys, time
t = time.perf_counter()
proc = subprocess.Popen(sys.argv[2:], stdout=open(sys.argv[1], "wb"), stderr=subprocess.STDOUT)
try:
    code = proc.wait(float(os.environ["RX_TIMEOUT"]))
except subprocess.TimeoutExpired:
    proc.kill(); proc.wait(); code = "hang"
import resource
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(code, time.perf_counter() - t, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)
"""


def measure(args: list[str], timeout: float = 120) -> tuple[int | None, float, float, float, str]:
    """(exit code, or None when killed at the timeout; wall s; CPU s; peak MB; output) of one
    fresh process, measured by a fresh intermediary (RUSAGE_CHILDREN: that command's own peak)."""
    with tempfile.NamedTemporaryFile(suffix=".out") as out:
        figures = subprocess.run(
            [sys.executable, "-c", _MEASURE, out.name, sys.executable, "-m", "rectify_xl", *args],
            capture_output=True, text=True, cwd=ROOT, timeout=timeout + 60,
            env={**os.environ, "RX_TIMEOUT": str(timeout)}).stdout.split()
        text = Path(out.name).read_bytes().decode("utf-8", "replace")
    code = None if figures[0] == "hang" else int(figures[0])
    return code, float(figures[1]), float(figures[2]), float(figures[3]), text


def _args(argv: list[str], path: Path, bases: dict[str, Path], out: Path) -> list[str]:
    return [a.format(f=path, ok=bases["ok"], txt=bases["txt"], out=out) for a in argv]


def main() -> None:
    from tests import fuzz_inputs as F

    parser = argparse.ArgumentParser()
    parser.add_argument("--kinds", nargs="+", default=list(F.KINDS))
    parser.add_argument("--seeds", type=int, default=12)
    parser.add_argument("--commands", nargs="+", default=None,
                        help="only these commands (first word), e.g. validate merge")
    opts = parser.parse_args()
    over: list[str] = []
    with tempfile.TemporaryDirectory(prefix="hostile-fuzz-") as tmp:
        folder = Path(tmp)
        bases = {"ok": F.base_file("xlsx", folder, "基准台账.xlsx"),
                 "txt": F.base_file("txt", folder, "基准公告.txt")}
        print(f"{'case':34} {'command':13} {'exit':>4} {'wall s':>6} {'CPU s':>6} {'peak MB':>7}"
              f"  verdict   (target: refused < {TARGET_S:.0f} s, < {TARGET_MB:.0f} MB)")
        counter = 0
        for kind in opts.kinds:
            if F.base_bytes(kind) is None:
                print(f"({kind}: LibreOffice not installed, no rows)")
                continue
            commands = [c for c in F.COMMANDS[kind]
                        if opts.commands is None or c[0] in opts.commands]
            baseline = F.base_file(kind, folder, f"样例.{kind}")
            base_fig: dict[str, tuple[float, float, float]] = {}
            for argv in commands:
                counter += 1
                code, wall, cpu, peak, _ = measure(_args(argv, baseline, bases, folder / f"o{counter}"))
                base_fig[" ".join(argv)] = (wall, cpu, peak)
                print(f"{'baseline: ' + kind:34} {argv[0]:13} {code!s:>4} {wall:>6.2f} {cpu:>6.2f}"
                      f" {peak:>7.0f}")
            for case in F.cases(kind, seeds=range(opts.seeds)):
                sub = folder / f"c{counter}"
                sub.mkdir()
                path = case.make(sub)
                before = hashlib.sha256(path.read_bytes()).hexdigest()
                for argv in commands:
                    counter += 1
                    code, wall, cpu, peak, text = measure(_args(argv, path, bases, sub / f"o{counter}"))
                    verdict = []
                    if code is None:
                        verdict.append("HANG")
                    if "程序内部错误" in text or "Traceback" in text:
                        verdict.append("internal")
                    if code == 2:
                        verdict.append("named" if path.stem[:12] in text else "UNNAMED")
                    if hashlib.sha256(path.read_bytes()).hexdigest() != before:
                        verdict.append("CHANGED")
                    _, b_cpu, b_peak = base_fig[" ".join(argv)]
                    slow = (cpu > TARGET_S or peak > TARGET_MB) if code == 2 else \
                        (cpu > max(TARGET_S, 3 * b_cpu) or peak > max(TARGET_MB, 1.5 * b_peak))
                    if slow:
                        verdict.append("OVER")
                    line = (f"{case.name[:34]:34} {argv[0]:13} {code!s:>4} {wall:>6.2f} {cpu:>6.2f}"
                            f" {peak:>7.0f}  {' '.join(verdict)}")
                    print(line, flush=True)
                    if any(v.isupper() for v in verdict) or "internal" in verdict:
                        over.append(line)
    print(f"\n{len(over)} rows over a target or wrong:" if over else "\nevery row within target")
    for line in over:
        print(line)


if __name__ == "__main__":
    main()

"""Shared by merge_bench.py and big_ledger.py: generated ledgers and whole-process timing.

Ledgers are written with XlsxWriter (fast, outside any timing) in the layout staff use: a
基本信息 sheet, a title row above the header, problem-level cells merged over each problem's rows,
real dates, some text dates (2021年9月30日) and 长期坚持 deadlines.
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rectify_xl.core.schema import COLUMNS, DEADLINE_ONGOING, INFO_FIELDS, SHEETS, Status  # noqa: E402

_PHRASES = ("学习贯彻", "制度建设", "监督检查", "作风建设", "基层党建", "意识形态", "选人用人",
            "财务管理", "专项整治", "责任落实", "廉政风险", "问题整改")


def write_unit_ledger(path: Path, unit: str, measures: int, seed: int,
                      as_of: date = date(2021, 10, 31)) -> None:
    import xlsxwriter

    rng = random.Random(seed)
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False})
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    info = wb.add_worksheet(SHEETS.INFO)
    values = {"unit": unit, "group": "县委第一巡察组", "start": date(2021, 3, 11),
              "end": date(2021, 4, 25), "feedback_date": date(2021, 7, 7), "as_of": as_of}
    info.write_row(0, 0, ["项目", "内容"])
    for r, f in enumerate(INFO_FIELDS, start=1):
        info.write_string(r, 0, f.label)
        value = values.get(f.key)
        if isinstance(value, date):
            info.write_datetime(r, 1, value, date_fmt)
        elif value:
            info.write_string(r, 1, value)
    ws = wb.add_worksheet(SHEETS.LEDGER)
    ws.write_string(0, 0, f"{unit}巡察整改台账")
    ws.write_row(1, 0, [c.header for c in COLUMNS])
    keys = [c.key for c in COLUMNS]
    problem_cols = [keys.index(k) for k in ("aspect", "feedback", "problem")]
    row, n = 2, 0
    while n < measures:
        size = min(rng.randint(1, 4), measures - n)
        p = n // 3
        topic = _PHRASES[p % len(_PHRASES)]
        problem = (f"{topic}方面存在薄弱环节，第{p + 1}项：" + "落实不够到位，" * rng.randint(2, 6))[:120]
        for c, text in zip(problem_cols, (f"{topic}方面", f"反馈问题{p // 2 + 1}", problem),
                           strict=True):
            if size > 1:
                ws.merge_range(row, c, row + size - 1, c, text)
            else:
                ws.write_string(row, c, text)
        for i in range(size):
            _measure_row(ws, row + i, n + i, rng, keys, date_fmt, as_of)
        row += size
        n += size
    wb.close()


def _measure_row(ws, r: int, n: int, rng: random.Random, keys: list[str], date_fmt,
                 as_of: date) -> None:
    deadline = as_of + timedelta(days=rng.randint(-90, 120))
    status = rng.choice((Status.DONE, Status.DONE, Status.ONGOING, Status.IN_PROGRESS))
    ws.write_number(r, keys.index("seq"), n + 1)
    text = f"第{n + 1}条措施：" + "建立健全制度并抓好落实，" * rng.randint(1, 3)
    ws.write_string(r, keys.index("measure"), text)
    ws.write_string(r, keys.index("leader"), f"副书记{rng.randint(1, 4)}")
    ws.write_string(r, keys.index("department"), rng.choice(("办公室", "组织科", "纪检组", "财务科")))
    col = keys.index("deadline")
    if n % 17 == 0:
        ws.write_string(r, col, DEADLINE_ONGOING)
    elif n % 11 == 0:
        ws.write_string(r, col, f"{deadline.year}年{deadline.month}月{deadline.day}日")
    else:
        ws.write_datetime(r, col, deadline, date_fmt)
    ws.write_string(r, keys.index("status"), status.value)
    if status is not Status.IN_PROGRESS:
        done = min(deadline, as_of) - timedelta(days=rng.randint(0, 20))
        ws.write_datetime(r, keys.index("done_date"), done, date_fmt)
        ws.write_string(r, keys.index("progress"), "已按要求完成整改，" * rng.randint(2, 8))


@dataclass
class Run:
    seconds: float
    peak_rss_mb: float  # the process's own peak, or its tree's (parent and workers) sampled
    returncode: int
    cpu_seconds: float = 0.0  # user + sys of the tree: less sensitive to a busy machine


def _tree_rss_kb(root: int) -> int:
    """Resident memory of a process and all its descendants, from /proc (Linux)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                ppid = int(f.read().rsplit(b")", 1)[1].split()[1])
            with open(f"/proc/{entry}/statm", "rb") as f:
                rss[int(entry)] = int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, ()))
    return total


def run_process(cmd: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> Run:
    import resource

    peak = 0
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss_kb(proc.pid))
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    errors: list[bytes] = []
    reader = threading.Thread(target=lambda: errors.append(proc.stderr.read()), daemon=True)
    reader.start()
    # reaped here, not by communicate(): wait4 gives this process's own peak (ru_maxrss), which
    # a sample every 50 ms misses when the peak is short (a big ledger's rows beside calamine's)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    reader.join()
    err = errors[0] if errors else b""
    done.set()
    sampler.join()
    peak = max(peak, usage.ru_maxrss)  # KB on Linux
    if proc.returncode not in (0, 1):
        sys.stderr.write(f"{' '.join(cmd[:4])}… exited {proc.returncode}: {err.decode()[-500:]}\n")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Run(seconds, peak / 1024, proc.returncode, cpu)


def medians(runs: list[Run]) -> tuple[float, float]:
    return statistics.median(r.seconds for r in runs), max(r.peak_rss_mb for r in runs)


def median_cpu(runs: list[Run]) -> float:
    return statistics.median(r.cpu_seconds for r in runs)


def python() -> str:
    return sys.executable

"""Use cases for superiors: consolidate a round of units' ledgers, compare two versions (issue 7).

Each file is read, validated and summarised on its own (in worker processes when there are
many: reading and checking are CPU-bound and each file is independent). A file that cannot be
read is listed with its reason and never stops the merge. Inputs are only ever read.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from rectify_xl.core.consolidate import Consolidation, FailedFile, UnitFile, normalize_unit
from rectify_xl.core.findings import Report
from rectify_xl.core.model import Info, Layout, Ledger, Measure
from rectify_xl.core.progress import Summary
from rectify_xl.core.schema import COLUMN_BY_KEY, SHEETS
from rectify_xl.errors import InputError, RectifyError

if TYPE_CHECKING:
    from rectify_xl.adapters.inputs import Source
    from rectify_xl.adapters.merge_writer import HeaderDiff, UnitChanges
    from rectify_xl.core.diff import LedgerDiff
    from rectify_xl.core.settings import Settings

__all__ = ["MergeResult", "diff_files", "load_unit_file", "merge_ledgers", "password_from_env"]

def password_from_env() -> str | None:
    """The password of encrypted attachments, from RECTIFY_ATTACHMENT_PASSWORD (never a prompt)."""
    from rectify_xl.adapters.inputs import password_from_env as from_env

    return from_env()


# Below this many files the worker start-up costs more than it saves.
PARALLEL_MIN_FILES = 12
# Files per task sent to a worker: fewer round trips, but the last task leaves a worker idle.
CHUNK_MAX = 16


@dataclass(frozen=True)
class MergeResult:
    output: Path
    consolidation: Consolidation
    files: int  # ledger files found in the inputs
    changes: tuple[UnitChanges, ...] | None = None  # with --previous: per unit, diff or note

    @property
    def has_errors(self) -> bool:
        return self.consolidation.has_errors


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def load_unit_file(name: str, path: Path, mtime: float, as_of: date | None = None,
                   today: date | None = None) -> UnitFile | FailedFile:
    """Read, validate and summarise one file; every failure becomes a FailedFile with a reason."""
    from rectify_xl.adapters.xlsx_reader import read_grids
    from rectify_xl.core.parse import parse_ledger
    from rectify_xl.core.progress import summarize
    from rectify_xl.services.ledger import as_of_date
    from rectify_xl.services.settings import load_settings

    try:
        grids = read_grids(path)
        if _is_consolidation(grids):
            return FailedFile(name, "这是汇总表，不是单位台账，已跳过")
        ledger = parse_ledger(grids)
        settings = load_settings(grids)
        report = _checked(ledger, name, as_of, today, settings)
        summary = summarize(ledger, as_of=as_of_date(ledger, as_of, today), settings=settings,
                            breakdowns=False)  # counts only: no pandas in the workers
        return UnitFile(name, _sha256(path), mtime, ledger, summary, report)
    except RectifyError as exc:
        return FailedFile(name, _naming(exc.message, path, name))
    except OSError as exc:
        from rectify_xl.adapters.files import read_failure

        return FailedFile(name, read_failure(exc))
    except Exception as exc:  # a broken file must never stop the merge of the others
        return FailedFile(name, f"文件内容异常，无法解析（{type(exc).__name__}）")
    except BaseException as exc:  # a Rust panic in the reader (pyo3's PanicException) is one too
        if isinstance(exc, KeyboardInterrupt | SystemExit):
            raise
        return FailedFile(name, f"文件内容异常，无法解析（{type(exc).__name__}）")


def _naming(message: str, path: Path, name: str) -> str:
    """A reader's message names the file it read: say the name the user knows instead of a
    private copy's or an upload's generated one."""
    shown = Path(name.replace("\\", "/")).name
    return message if shown == path.name else message.replace(f"“{path.name}”", f"“{shown}”")


def _checked(ledger: Ledger, name: str, as_of: date | None, today: date | None,
             settings: Settings) -> Report:
    """Validation findings; a fault inside a rule must not drop the unit from the counts."""
    from rectify_xl.services.ledger import check

    try:
        return check(ledger, name, as_of=as_of, today=today, settings=settings)
    except RectifyError:
        raise
    except Exception as exc:
        from rectify_xl.core.consolidate import CHECK_FAILED

        return Report.build(name, [CHECK_FAILED.finding(ledger.ledger_sheet,
                                                        error=type(exc).__name__)])


# What a worker process sends back for a readable file: plain values and a few small objects
# instead of the Ledger's object graph (pickling 25,000 Measure objects cost more than reading).
_Packed = tuple[str, str, float, Info, Layout, str, tuple[Measure, ...], Summary, Report,
                tuple[tuple[object, ...], ...]]
_Job = tuple[str, Path, float, date | None, date | None, bool]  # name, path, mtime, as_of, today, keep


def _load_packed(job: _Job) -> _Packed | FailedFile:
    """In a worker: load one file, send back what the merge needs (measures only if asked)."""
    from rectify_xl.core.consolidate import detail_values

    name, path, mtime, as_of, today, keep_measures = job
    u = load_unit_file(name, path, mtime, as_of, today)
    if isinstance(u, FailedFile):
        return u
    led = u.ledger
    return (u.source, u.sha256, u.mtime, led.info, led.layout, led.ledger_sheet,
            led.measures if keep_measures else (), u.summary, u.report,
            tuple(map(detail_values, led.measures)))


def _unpack(p: _Packed | FailedFile) -> UnitFile | FailedFile:
    if isinstance(p, FailedFile):
        return p
    source, sha, mtime, info, layout, sheet, measures, summary, report, detail = p
    ledger = Ledger(info, measures, layout=layout, ledger_sheet=sheet)
    return UnitFile(source, sha, mtime, ledger, summary, report, detail=detail)


def _load_all(sources: Sequence[Source], as_of: date | None, today: date | None,
              progress: bool, keep_measures: bool = True) -> Iterator[UnitFile | FailedFile]:
    jobs = [(s.name, s.path, s.mtime, as_of, today, keep_measures) for s in sources]
    workers = min(os.cpu_count() or 1, 4)
    if len(jobs) < PARALLEL_MIN_FILES or workers < 2:
        yield from _with_bar((_load_isolated(job) for job in jobs), len(jobs), progress)
        return
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    # Import what the workers run before they are forked, so each does not import it again.
    from rectify_xl.adapters import xlsx_reader  # noqa: F401
    from rectify_xl.adapters.rulepacks import default_lexicon, load_typos
    from rectify_xl.core import consolidate, parse, rules  # noqa: F401
    from rectify_xl.services import ledger  # noqa: F401

    load_typos()  # cached: parsed once here, shared by the forked workers
    default_lexicon().targets()  # the same-sound check's lexicon (≈ 0.1 s), read once, shared
    chunk = max(1, min(CHUNK_MAX, len(jobs) // (workers * 4)))
    done = 0
    try:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            results = map(_unpack, pool.map(_load_packed, jobs, chunksize=chunk))
            for r in _with_bar(results, len(jobs), progress):
                done += 1
                yield r
    except BrokenProcessPool:
        # a file killed its worker (a native crash, memory): the files not yet answered are
        # read again one process each, so the one that kills its process fails alone
        yield from (_load_isolated(job) for job in jobs[done:])


# Per file, when read in a process of its own: a 100,000-measure ledger needs well under this.
FILE_LIMITS_SECONDS, FILE_LIMITS_MEMORY_MB = 600.0, 3072


def _load_isolated(job: _Job) -> UnitFile | FailedFile:
    """One file in a process of its own (POSIX: a fork, a few milliseconds), so a file that
    crashes the reader or exhausts memory becomes that file's error; in-process on Windows."""
    from rectify_xl.adapters.isolation import JobFailed, JobTimeout, Limits, run_isolated

    if os.name != "posix":
        return _unpack(_load_packed(job))
    limits = Limits(seconds=FILE_LIMITS_SECONDS, memory_mb=FILE_LIMITS_MEMORY_MB)
    try:
        return _unpack(run_isolated(_load_packed, job, limits=limits))
    except (JobFailed, JobTimeout) as exc:
        return FailedFile(job[0], exc.message)
    except RectifyError as exc:
        return FailedFile(job[0], _naming(exc.message, job[1], job[0]))


def _with_bar(items: Iterable[UnitFile | FailedFile], total: int, progress: bool
              ) -> Iterable[UnitFile | FailedFile]:
    if not progress or total < 2:
        return items
    from tqdm import tqdm  # lazy, and only on a terminal

    return tqdm(items, total=total, desc="读取台账", unit="个", file=sys.stderr, leave=False)


def _header_diff(u: UnitFile) -> HeaderDiff | None:
    layout = u.ledger.layout
    lacks = [COLUMN_BY_KEY[k].header for k in layout.missing]
    aliased = [f"{text}→{COLUMN_BY_KEY[k].header}" for k, text in layout.aliased.items()]
    if not (lacks or layout.extra or aliased):
        return None
    return (u.source, u.unit, lacks, list(layout.extra), aliased)


def _previous_ledgers(previous: Path) -> dict[str, Ledger]:
    """Each unit's measures in a previous round's workbook, read first so a wrong file fails fast."""
    from rectify_xl.adapters.xlsx_reader import read_grids
    from rectify_xl.core.consolidate import as_of_by_unit, ledgers_from_detail

    grids = read_grids(previous, {SHEETS.MERGE_DETAIL, SHEETS.MERGE_SUMMARY})
    if SHEETS.MERGE_DETAIL not in grids:
        raise InputError(f"“{previous.name}”中没有“{SHEETS.MERGE_DETAIL}”工作表，不是上一轮的汇总表")
    dates = as_of_by_unit(grids[SHEETS.MERGE_SUMMARY]) if SHEETS.MERGE_SUMMARY in grids else {}
    return ledgers_from_detail(grids[SHEETS.MERGE_DETAIL], dates)


def _is_consolidation(grids: Mapping[str, object]) -> bool:
    """A workbook this command wrote (明细 but no 整改清单) is not a unit's ledger."""
    return SHEETS.MERGE_DETAIL in grids and SHEETS.LEDGER not in grids


def _changes(old: dict[str, Ledger], c: Consolidation) -> tuple[UnitChanges, ...]:
    """Each unit's diff since the previous round; then the units of that round not in this one."""
    from rectify_xl.core.diff import diff_ledgers

    present = {normalize_unit(u.unit) for u in c.units}
    now: list[UnitChanges] = [
        (u.unit, diff_ledgers(old[key], u.ledger) if (key := normalize_unit(u.unit)) in old
         else "上轮汇总中无该单位")
        for u in c.units
    ]
    gone: list[UnitChanges] = [(ledger.info.unit or key, "本轮未收到该单位的台账（上轮汇总中有）")
                               for key, ledger in old.items() if key not in present]
    return (*now, *gone)


def _check_output(output: Path, sources: Sequence[Source]) -> None:
    target = output.resolve()
    for s in sources:
        if s.path.resolve() == target:
            raise InputError(f"输出文件“{output.name}”也是输入文件之一，请另选输出文件名")


def merge_ledgers(inputs: Sequence[Path], output: Path, *, units: Path | None = None,
                  as_of: date | None = None, previous: Path | None = None,
                  today: date | None = None, password: str | None = None,
                  progress: bool = False, names: Sequence[str] | None = None) -> MergeResult:
    """Consolidate every ledger reachable from ``inputs`` into the workbook ``output``.

    ``names`` (one per input) label the files in 来源文件 and the failure list instead of their
    paths: the server saves uploads under generated names but the user knows them by theirs.
    """
    with _no_collector_passes():
        return _merge(inputs, output, units=units, as_of=as_of, previous=previous, today=today,
                      password=password, progress=progress, names=names)


@contextlib.contextmanager
def _no_collector_passes() -> Iterator[None]:
    """Pause the cyclic garbage collector for the merge (and its forked workers).

    A merge builds hundreds of thousands of long-lived objects (measures, workbook cells) and
    almost no reference cycles; the collector's repeated passes over them cost about a tenth
    of the run. Memory stays bounded: everything is freed by reference counting.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _merge(inputs: Sequence[Path], output: Path, *, units: Path | None, as_of: date | None,
           previous: Path | None, today: date | None, password: str | None,
           progress: bool, names: Sequence[str] | None) -> MergeResult:
    from rectify_xl.adapters.inputs import expand_inputs, read_unit_list
    from rectify_xl.adapters.merge_writer import ConsolidationWriter
    from rectify_xl.core.consolidate import consolidate

    for given, what in ((previous, "上一轮的汇总表（--previous）"), (units, "单位名单（--units）")):
        if given is not None and given.resolve() == output.resolve():  # inputs are only read
            raise InputError(f"输出文件“{output.name}”就是{what}，请另选输出文件名")
    expected = read_unit_list(units) if units else None
    old = _previous_ledgers(previous) if previous else None
    chase_log = _chase_log(output)  # read before the writer replaces the file
    with expand_inputs(inputs, password=password, exclude=[output], names=names) as found, \
            ConsolidationWriter(output) as book:
        _check_output(output, found.sources)
        if not found.sources and not found.skipped:
            raise InputError("输入中没有找到任何台账文件（.xlsx/.xlsm/.zip/.eml）")
        files: list[UnitFile] = []
        failed = [FailedFile(s.name, s.reason) for s in found.skipped]
        # Each file's 明细 rows are written as it arrives (in input order), while the workers
        # read the next ones; the writer puts them in the final unit order at the end.
        packs = {s.name: s.pack_problems for s in found.sources if s.pack_problems}
        for r in _load_all(found.sources, as_of, today, progress, keep_measures=old is not None):
            if isinstance(r, UnitFile):
                if r.source in packs:
                    r = _with_pack_problems(r, packs[r.source])
                files.append(r)
                book.add_detail(r)
            else:
                failed.append(r)
        if not files and expected is None:
            raise InputError("没有可以读取的台账：" + "；".join(f"{f.source}：{f.reason}"
                                                       for f in failed[:3]))
        result = consolidate(files, failed, expected=expected, as_of=as_of)
        changes = _changes(old, result) if old is not None else None
        diffs = [d for u in files if (d := _header_diff(u))]
        book.finish(result, header_diffs=diffs, changes=changes, chase_log=chase_log)
    return MergeResult(output, result, len(found.sources), changes)


def _chase_log(output: Path) -> list[list[object]]:
    """The 催报记录 of the workbook about to be replaced (issue 18): a new merge of the round
    keeps the record of who was chased. Nothing when there is no such readable workbook."""
    if not output.is_file():
        return []
    from rectify_xl.adapters.xlsx_reader import read_grids

    try:
        grids = read_grids(output, {SHEETS.CHASE_LOG})
    except (RectifyError, OSError):
        return []
    grid = grids.get(SHEETS.CHASE_LOG)
    return [list(r) for r in grid.rows if any(v not in (None, "") for v in r)] if grid else []


def _with_pack_problems(u: UnitFile, problems: Sequence[tuple[str, str]]) -> UnitFile:
    """A 报送包 whose files do not match its manifest: one error per file, in the unit's report."""
    from dataclasses import replace

    from rectify_xl.core.evidence import PACK_MISMATCH

    found = [PACK_MISMATCH.finding(u.ledger.ledger_sheet, None, path=path or "报送清单",
                                   problem=problem) for path, problem in problems]
    return replace(u, report=Report.build(u.report.source, [*u.report.findings, *found]))


def diff_files(old: Path, new: Path) -> LedgerDiff:
    """What changed between two versions of one unit's ledger (services.diff on two files)."""
    from rectify_xl.services.diff import diff
    from rectify_xl.services.source import FileSource

    return diff(FileSource(old), FileSource(new)).diff

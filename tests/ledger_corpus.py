"""A corpus of ledgers in the shapes real units keep, built by code (issue 14).

Each shape is written with openpyxl the way a unit's own file looks: its sheet name, a title block,
one- or two-row headers with merged group titles, merged problem cells, headers as real systems
export them (core/aliases.py names the sources), three-state statuses, weekly percentages, two
leader columns, 文稿/基本信息 variants, duplicated headers. The expected counts are computed here
from what each row SAYS (every status word is written together with the state it means), never
by the code under test. Used by tests/integration/test_real_ledgers.py and benchmarks/real_ledgers.py.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

__all__ = ["CORPUS", "Expected", "Shape", "build", "expected_counts"]

DONE, ONGOING, BASIC, DOING, UNKNOWN = "done", "ongoing", "basic", "in_progress", "unknown"
AS_OF = date(2021, 10, 31)


@dataclass(frozen=True)
class M:
    """One measure row: its text, the status word as written and the state it means."""

    text: str
    word: str
    state: str
    leader: str = "李副书记"
    dept: str = "办公室"
    person: str = "张三"
    deadline: object = date(2021, 9, 30)
    done: object = None
    progress: str = ""
    percent: object = None


@dataclass(frozen=True)
class P:
    aspect: str
    feedback: str
    problem: str
    measures: tuple[M, ...]


@dataclass(frozen=True)
class Expected:
    sheet: str
    feedback: int
    problems: int
    measures: int
    done: int
    ongoing: int
    basic: int
    in_progress: int
    unset: int
    problems_closed: int
    validate_exit: int  # 0 or 1: whether the ledger has errors (duplicated header, unknown word…)
    counts_final: bool  # False when an error changes a count: summary exits 1
    codes: tuple[str, ...] = ()  # finding codes that must be reported
    other_sheets: tuple[str, ...] = ()
    notice_final: bool | None = None  # None: same as counts_final (the notice has no dates)

    @property
    def notice_is_final(self) -> bool:
        return self.counts_final if self.notice_final is None else self.notice_final


@dataclass(frozen=True)
class Shape:
    name: str
    build: Callable[[Path], Path]
    expected: Expected
    note: str = ""


# --- the problems every shape carries (texts differ by shape, counts by the status words) -------
def _problems(words: Sequence[tuple[str, str]], *, percent: bool = False) -> tuple[P, ...]:
    """Three aspects, four feedback problems, five concrete problems, len(words) measures."""
    slots = [("党的领导", "理论学习不深入", "中心组学习流于形式"),
             ("党的领导", "理论学习不深入", "学习记录不完整"),
             ("全面从严治党", "监督责任落实不到位", "廉政风险排查不全面"),
             ("全面从严治党", "作风建设有差距", "公务接待不规范"),
             ("选人用人", "干部档案管理不规范", "干部档案材料缺失")]
    by_problem: dict[int, list[M]] = {}
    for i, (word, state) in enumerate(words):
        closed = state in (DONE, ONGOING)
        pct = 100 if closed else (90 if state == BASIC else 40)
        by_problem.setdefault(i % len(slots), []).append(M(
            text=f"整改措施{i + 1}：制定并落实第{i + 1}项制度",
            word=word, state=state,
            leader=("李副书记", "王副局长", "赵主任")[i % 3],
            dept=("办公室", "组织科", "纪检组")[i % 3],
            person=("张三", "李四", "王五")[i % 3],
            deadline="长期坚持" if state == ONGOING else date(2021, 8 + i % 4, 28),
            done=date(2021, 8, 1 + i % 20) if closed else None,
            progress=f"已完成第{i + 1}项整改，建立长效机制。" if closed or state == BASIC else "",
            percent=pct if percent else None,
        ))
    return tuple(P(*slots[k], tuple(ms)) for k, ms in sorted(by_problem.items()))


THREE_STATE = [("已完成", DONE), ("基本完成", BASIC), ("未完成", DOING), ("已完成", DONE),
               ("已完成", DONE), ("基本完成", BASIC), ("未完成", DOING), ("已完成", DONE),
               ("已完成", DONE), ("已完成", DONE)]
TEMPLATE_WORDS = [("已完成", DONE), ("长期坚持", ONGOING), ("正在推进", DOING),
                  ("已完成", DONE), ("已完成", DONE), ("正在推进", DOING), ("已完成", DONE)]
SYSTEM_WORDS = [("已整改", DONE), ("已销号", DONE), ("进行中", DOING), ("整改中", DOING),
                ("推进中", DOING), ("已完成整改", DONE), ("超期未完", DOING), ("立行立改", DONE),
                ("持续整改", ONGOING), ("长期坚持", ONGOING), ("已完成", DONE)]
AUDIT_WORDS = [("已整改", DONE), ("部分整改", DOING), ("未整改", DOING), ("已整改", DONE),
               ("已整改", DONE), ("整改延期", DOING)]


def expected_counts(problems: Sequence[P], sheet: str, **kw: Any) -> Expected:
    """What the rows say: counts by the state each status word was written for."""
    measures = [m for p in problems for m in p.measures]
    states = [m.state for m in measures]

    def problem_closed(p: P) -> bool:
        return all(m.state in (DONE, ONGOING) for m in p.measures)

    values: dict[str, Any] = {
        "sheet": sheet,
        "feedback": len({p.feedback for p in problems}),
        "problems": len(problems),
        "measures": len(measures),
        "done": states.count(DONE), "ongoing": states.count(ONGOING),
        "basic": states.count(BASIC), "in_progress": states.count(DOING),
        "unset": states.count(UNKNOWN),
        "problems_closed": sum(1 for p in problems if problem_closed(p)),
        "validate_exit": 0, "counts_final": True,
    }
    return Expected(**{**values, **kw})  # kw: what the file's shape changes (no 反馈问题 column…)


# --- writing -------------------------------------------------------------------------------------
Column = tuple[str, Callable[[P, M], object]]  # header, value of one measure row


@dataclass
class Book:
    sheets: list[tuple[str, list[list[object]], list[str]]] = field(default_factory=list)

    def add(self, name: str, rows: list[list[object]], merges: Sequence[str] = ()) -> None:
        self.sheets.append((name, rows, list(merges)))

    def save(self, path: Path) -> Path:
        import openpyxl

        wb = openpyxl.Workbook()
        wb.remove(wb.active)
        for name, rows, merges in self.sheets:
            ws = wb.create_sheet(name)
            for row in rows:
                ws.append(row)
            for ref in merges:
                ws.merge_cells(ref)
        wb.save(path)
        return path


def _letter(c: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(c)


def ledger_rows(problems: Sequence[P], columns: Sequence[Column], *, first_row: int,
                merge_problem: Sequence[str] = ()) -> tuple[list[list[object]], list[str]]:
    """Data rows under a header; problem-level columns (by header) merged over a problem."""
    rows: list[list[object]] = []
    merges: list[str] = []
    r = first_row
    for p in problems:
        top = r
        for i, m in enumerate(p.measures):
            row = []
            for header, get in columns:
                value = get(p, m)
                if i and header in merge_problem:
                    value = None  # Excel keeps a merged value in the top-left cell only
                row.append(value)
            rows.append(row)
            r += 1
        if len(p.measures) > 1:
            for c, (header, _get) in enumerate(columns, start=1):
                if header in merge_problem:
                    merges.append(f"{_letter(c)}{top}:{_letter(c)}{r - 1}")
    return rows, merges


def _info_rows(unit: str) -> list[list[object]]:
    return [["项目", "内容"], ["被巡察单位", unit], ["巡察组", "县委第一巡察组"],
            ["巡察开始日期", date(2021, 3, 11)], ["巡察结束日期", date(2021, 4, 25)],
            ["反馈日期", date(2021, 7, 7)], ["统计截止日期", AS_OF],
            ["联系电话", "0913-3253456"]]


def _template_columns() -> list[Column]:
    return [("序号", lambda p, m: None), ("方面", lambda p, m: p.aspect),
            ("反馈问题", lambda p, m: p.feedback), ("具体问题", lambda p, m: p.problem),
            ("整改措施", lambda p, m: m.text), ("责任领导", lambda p, m: m.leader),
            ("责任部门", lambda p, m: m.dept), ("完成时限", lambda p, m: m.deadline),
            ("整改状态", lambda p, m: m.word), ("完成日期", lambda p, m: m.done),
            ("整改落实情况", lambda p, m: m.progress), ("佐证材料", lambda p, m: None),
            ("备注", lambda p, m: None)]


# --- the shapes ------------------------------------------------------------------------------------
def _shape_template(path: Path) -> Path:
    problems = _problems(TEMPLATE_WORDS)
    cols = _template_columns()
    rows, merges = ledger_rows(problems, cols, first_row=2)
    book = Book()
    book.add("整改清单", [[h for h, _ in cols], *rows], merges)
    book.add("基本信息", _info_rows("县委办"))
    return book.save(path)


def _shape_sheet1_title_block(path: Path) -> Path:
    """Sheet1; a merged title, a 填报单位/统计截止日期 line, then the header (no 基本信息)."""
    problems = _problems(THREE_STATE)
    cols: list[Column] = [
        ("序号", lambda p, m: None), ("问题类别", lambda p, m: p.aspect),
        ("反馈问题", lambda p, m: p.feedback), ("存在问题", lambda p, m: p.problem),
        ("整改措施", lambda p, m: m.text), ("责任领导", lambda p, m: m.leader),
        ("责任单位", lambda p, m: m.dept), ("整改时限", lambda p, m: m.deadline),
        ("完成情况", lambda p, m: m.word), ("整改成效", lambda p, m: m.progress)]
    rows, merges = ledger_rows(problems, cols, first_row=4,
                               merge_problem=("问题类别", "反馈问题", "存在问题"))
    book = Book()
    book.add("Sheet1", [["县审计局巡察反馈问题整改台账"], ["填报单位：县审计局", None, None, None, None,
                                                  None, None, "统计截止日期：2021年10月31日"],
                        [h for h, _ in cols], *rows], ["A1:J1", *merges])
    return book.save(path)


def _shape_two_row_header(path: Path) -> Path:
    """整改台账: a title, then a two-row header whose upper row has merged group titles."""
    problems = _problems([*TEMPLATE_WORDS, ("基本完成", BASIC)])
    cols: list[Column] = [
        ("序号", lambda p, m: None), ("方面", lambda p, m: p.aspect),
        ("反馈问题", lambda p, m: p.feedback), ("具体问题", lambda p, m: p.problem),
        ("整改措施", lambda p, m: m.text), ("责任领导", lambda p, m: m.leader),
        ("责任部门", lambda p, m: m.dept), ("责任人", lambda p, m: m.person),
        ("完成时限", lambda p, m: m.deadline), ("整改状态", lambda p, m: m.word),
        ("整改落实情况", lambda p, m: m.progress)]
    upper: list[object] = ["序号", "巡察反馈问题", None, None, "整改措施", "责任落实", None, None,
                           "完成时限", "整改进展", None]
    lower: list[object] = [None, "方面", "反馈问题", "具体问题", None, "责任领导", "责任部门", "责任人",
                           None, "整改状态", "整改落实情况"]
    rows, merges = ledger_rows(problems, cols, first_row=4,
                               merge_problem=("方面", "反馈问题", "具体问题"))
    book = Book()
    book.add("整改台账", [["某镇党委巡察整改台账"], upper, lower, *rows],
             ["A1:K1", "A2:A3", "B2:D2", "E2:E3", "F2:H2", "I2:I3", "J2:K2", *merges])
    book.add("基本信息", _info_rows("某镇党委"))
    return book.save(path)


def _shape_s1_system(path: Path) -> Path:
    """The S1 system's export: 巡视反馈… columns, weekly percentages, no status column."""
    problems = _problems(TEMPLATE_WORDS, percent=True)
    problems = tuple(P(p.aspect, p.feedback, p.problem, tuple(
        M(m.text, f"{m.percent}%", DONE if m.percent == 100 else DOING, m.leader, m.dept,
          m.person, m.deadline if m.deadline != "长期坚持" else date(2021, 12, 31), m.done,
          m.progress, m.percent) for m in p.measures)) for p in problems)
    cols: list[Column] = [
        ("序号", lambda p, m: None), ("巡视反馈重点方面", lambda p, m: p.aspect),
        ("巡视反馈重点内容", lambda p, m: p.feedback), ("巡视反馈具体问题", lambda p, m: p.problem),
        ("整改计划", lambda p, m: m.text), ("上周进度 %", lambda p, m: 10),
        ("本周进度 %", lambda p, m: m.percent / 100), ("整改描述", lambda p, m: m.progress),
        ("责任领导", lambda p, m: m.leader), ("分管领导", lambda p, m: "分管" + m.leader),
        ("整体牵头部门/负责人", lambda p, m: f"{m.dept}/{m.person}"),
        ("整改时限", lambda p, m: m.deadline)]
    rows, merges = ledger_rows(problems, cols, first_row=2, merge_problem=(
        "巡视反馈重点方面", "巡视反馈重点内容", "巡视反馈具体问题"))
    book = Book()
    book.add("整改清单（2021）", [[h for h, _ in cols], *rows], merges)
    return book.save(path)


def _shape_problem_list(path: Path) -> Path:
    """问题清单 with line breaks, padding and full-width characters in the headers; system
    status words; a vertical 基本信息 whose sheet name has stray spaces."""
    problems = _problems(SYSTEM_WORDS)
    cols: list[Column] = [
        ("序　号", lambda p, m: None), ("问题\n类别", lambda p, m: p.aspect),
        ("反馈\n问题 ", lambda p, m: p.feedback), (" 存在\n问题", lambda p, m: p.problem),
        ("整改\n措施", lambda p, m: m.text), ("责任\n领导", lambda p, m: m.leader),
        ("责任部门（单位）", lambda p, m: m.dept), ("责任人", lambda p, m: m.person),
        ("完成\n时限*", lambda p, m: m.deadline), ("整改\n状态", lambda p, m: m.word),
        ("完成日期", lambda p, m: m.done), ("整改落实\n情况", lambda p, m: m.progress)]
    rows, merges = ledger_rows(problems, cols, first_row=2)
    book = Book()
    book.add("问题清单", [[h for h, _ in cols], *rows], merges)
    book.add(" 基本信息 ", [["被巡察党组织", "巡察组", "巡察反馈时间", "截止日期"],
                         ["县财政局党组", "县委第二巡察组", date(2021, 7, 7), AS_OF]])
    return book.save(path)


def _shape_weekly_percent(path: Path) -> Path:
    """台账 with a status column AND a 整改进度 column of percentages ("80%")."""
    problems = _problems(THREE_STATE, percent=True)
    cols = [*_template_columns()[:9], ("整改进度", lambda p, m: f"{m.percent}%"),
            *_template_columns()[9:11]]
    rows, merges = ledger_rows(problems, cols, first_row=2)
    book = Book()
    book.add("台账", [[h for h, _ in cols], *rows], merges)
    book.add("基本信息", _info_rows("县教育局"))
    return book.save(path)


def _shape_two_leaders(path: Path) -> Path:
    """牵头领导 + 责任领导, 牵头部门 + 配合单位, 责任人; 持续整改 / 立行立改 words."""
    problems = _problems(SYSTEM_WORDS[5:] + SYSTEM_WORDS[:3])
    cols: list[Column] = [
        ("序号", lambda p, m: None), ("方面", lambda p, m: p.aspect),
        ("反馈问题", lambda p, m: p.feedback), ("具体问题", lambda p, m: p.problem),
        ("整改措施", lambda p, m: m.text), ("牵头领导", lambda p, m: "书记"),
        ("责任领导", lambda p, m: m.leader), ("牵头部门", lambda p, m: m.dept),
        ("配合单位", lambda p, m: "财务科"), ("责任人", lambda p, m: m.person),
        ("完成时限", lambda p, m: m.deadline), ("整改状态", lambda p, m: m.word),
        ("完成日期", lambda p, m: m.done), ("整改落实情况", lambda p, m: m.progress)]
    rows, merges = ledger_rows(problems, cols, first_row=2)
    book = Book()
    book.add("整改清单", [[h for h, _ in cols], *rows], merges)
    book.add("基本信息", _info_rows("县卫健局"))
    return book.save(path)


def _shape_text_variant(path: Path) -> Path:
    """The template's ledger; 文稿 headed 部分/标题/内容; 基本信息 horizontal at C5 with the
    labels other units use."""
    problems = _problems(TEMPLATE_WORDS)
    cols = _template_columns()
    rows, merges = ledger_rows(problems, cols, first_row=2)
    book = Book()
    book.add("整改清单", [[h for h, _ in cols], *rows], merges)
    info: list[list[object]] = [[], [], [], [], [None, None, "被巡察单位", "县水利局"],
                                [None, None, "巡察组", "县委第三巡察组"],
                                [None, None, "巡察反馈时间", date(2021, 7, 7)],
                                [None, None, "统计截止时间", AS_OF]]
    book.add("基本信息", info)
    book.add("文稿", [["部分", "标题", "内容"], ["一", "", "县水利局党组高度重视巡察整改。"],
                    ["一", "提高政治站位。", "召开专题会议研究部署。"]])
    return book.save(path)


def _shape_odd_optional_sheets(path: Path) -> Path:
    """文稿 and 选项 laid out unlike the template: warnings, the ledger is read anyway."""
    problems = _problems(TEMPLATE_WORDS)
    cols = _template_columns()
    rows, merges = ledger_rows(problems, cols, first_row=2)
    book = Book()
    book.add("整改清单", [[h for h, _ in cols], *rows], merges)
    book.add("基本信息", _info_rows("县民政局"))
    book.add("文稿", [["这里是我们自己写的说明"], ["第一部分见附件"]])
    book.add("选项", [["下拉选项"], ["是"], ["否"]])
    book.add("设置", [["随便", "写的"]])
    return book.save(path)


def _shape_duplicated_header(path: Path) -> Path:
    """Two 完成时限 columns (one an old copy): an error naming both header cells."""
    problems = _problems(TEMPLATE_WORDS)
    cols = [*_template_columns(), ("完成时限", lambda p, m: date(2020, 1, 1))]
    rows, merges = ledger_rows(problems, cols, first_row=2)
    book = Book()
    book.add("整改清单", [[h for h, _ in cols], *rows], merges)
    book.add("基本信息", _info_rows("县林业局"))
    return book.save(path)


def _shape_unknown_status(path: Path) -> Path:
    """One status word no table knows: an error at its cell, counts not final."""
    words = [*TEMPLATE_WORDS[:-1], ("差不多了", UNKNOWN)]
    problems = _problems(words)
    cols = _template_columns()
    rows, merges = ledger_rows(problems, cols, first_row=2)
    book = Book()
    book.add("整改清单", [[h for h, _ in cols], *rows], merges)
    book.add("基本信息", _info_rows("县交通局"))
    return book.save(path)


def _shape_several_sheets(path: Path) -> Path:
    """A 说明 sheet, a last year's ledger with fewer columns, and this year's 整改台账."""
    problems = _problems(THREE_STATE[:6])
    cols = _template_columns()
    rows, merges = ledger_rows(problems, cols, first_row=3)
    old = _problems([("已完成", DONE), ("未完成", DOING)])
    old_cols = [("序号", lambda p, m: None), ("存在问题", lambda p, m: p.problem),
                ("整改措施", lambda p, m: m.text), ("完成情况", lambda p, m: m.word)]
    old_rows, _m = ledger_rows(old, old_cols, first_row=2)
    book = Book()
    book.add("说明", [["本表按县委巡察办要求填报"], ["每月25日前报送"]])
    book.add("2020年台账", [[h for h, _ in old_cols], *old_rows])
    book.add("整改台账 ", [["县统计局巡察整改台账"], [h for h, _ in cols], *rows], merges)
    book.add("基本信息", _info_rows("县统计局"))
    return book.save(path)


def _shape_audit_combined(path: Path) -> Path:
    """An audit-style list: 问题描述 / 整改方案 / 整改责任单位/责任人 in one column."""
    problems = _problems(AUDIT_WORDS)
    cols: list[Column] = [
        ("序号", lambda p, m: None), ("问题描述", lambda p, m: p.problem),
        ("整改方案", lambda p, m: m.text), ("整改责任单位/责任人", lambda p, m: f"{m.dept}/{m.person}"),
        ("整改期限", lambda p, m: m.deadline), ("整改完成情况", lambda p, m: m.word),
        ("整改情况描述", lambda p, m: m.progress), ("备注", lambda p, m: None)]
    rows, merges = ledger_rows(problems, cols, first_row=2)
    book = Book()
    book.add("审计整改台账", [[h for h, _ in cols], *rows], merges)
    book.add("基本信息", _info_rows("县国资中心"))
    return book.save(path)


def _shape_own_status_words(path: Path) -> Path:
    """The unit's own word (办结) taught in 选项 (状态用语 | 视为状态)."""
    words = [("办结", DONE), ("正在推进", DOING), ("办结", DONE), ("长期坚持", ONGOING),
             ("基本完成", BASIC)]
    problems = _problems(words)
    cols = _template_columns()
    rows, merges = ledger_rows(problems, cols, first_row=2)
    book = Book()
    book.add("整改清单", [[h for h, _ in cols], *rows], merges)
    book.add("基本信息", _info_rows("县商务局"))
    book.add("选项", [["整改状态", "方面", "状态用语", "视为状态"], ["已完成", "党的领导", "办结", "已完成"],
                    ["长期坚持", "全面从严治党", None, None], ["正在推进", "选人用人", None, None]])
    return book.save(path)


# --- shapes built from the layouts of issue 13's material (benchmarks/ledger_words/headers.toml) ---
# 完成情况 written as free text, the state said first (published 整改情况 sentences)
FREE_TEXT_WORDS = [("已完成。制定了学习计划并印发。", DONE), ("已完成整改，长期坚持。", ONGOING),
                   ("正在推进。方案已起草，待党组会审议。", DOING), ("基本完成，制度已起草待印发。", BASIC),
                   ("已完成。", DONE), ("未完成", DOING), ("已整改到位，建立长效机制。", DONE),
                   ("按时完成", DONE), ("持续推进", ONGOING), ("已完成。开展专项检查2次。", DONE)]


def _shape_attachment_title_two_row(path: Path) -> Path:
    """附件1 of a 整改方案: a title row "…关于…反馈问题的整改台账", a 填报单位/反馈时间/统计截止 line, a
    two-row header with a merged 责任落实 group over 责任领导/责任单位/责任人, 方面 bands across the
    table (一、…方面), measures numbered 1.1/1.2 under each 存在问题 (typed as numbers), 整改时限
    立行立改/长期坚持/dates, the state inside 完成情况 text, then 合计, 注： and 填表人 lines."""
    problems = _problems(FREE_TEXT_WORDS)
    cols: list[Column] = [
        ("序号", lambda p, m: None), ("存在问题", lambda p, m: p.problem),
        ("整改措施", lambda p, m: m.text), ("责任领导", lambda p, m: m.leader),
        ("责任单位", lambda p, m: m.dept), ("责任人", lambda p, m: m.person),
        ("整改时限", lambda p, m: "立行立改" if m.state == DONE and m.done and m.done.day % 2
         else m.deadline),
        ("完成情况", lambda p, m: m.word), ("备注", lambda p, m: None)]
    width = len(cols)
    rows: list[list[object]] = []
    merges = [f"A1:{_letter(width)}1", "A3:A4", "B3:B4", "C3:C4", "D3:F3", "G3:G4", "H3:H4", "I3:I4"]
    r = 5
    numerals = "一二三四五"
    aspects = list(dict.fromkeys(p.aspect for p in problems))
    for a, aspect in enumerate(aspects):
        rows.append([f"{numerals[a]}、{aspect}方面", *[None] * (width - 1)])
        merges.append(f"A{r}:{_letter(width)}{r}")
        r += 1
        group = [p for p in problems if p.aspect == aspect]
        body, group_merges = ledger_rows(group, cols, first_row=r, merge_problem=("存在问题",))
        numbers = [float(f"{problems.index(p) + 1}.{j}")  # 序号 1.1, 1.2 … typed as numbers
                   for p in group for j in range(1, len(p.measures) + 1)]
        for row, number in zip(body, numbers, strict=True):
            row[0] = number
        rows.extend(body)
        merges.extend(group_merges)
        r += len(body)
    rows.append(["合计", None, f"共{len(problems)}个问题{sum(len(p.measures) for p in problems)}条措施",
                 *[None] * (width - 3)])
    rows.append(["注：完成情况栏请写明已完成、基本完成或正在推进，并简述整改情况。", *[None] * (width - 1)])
    merges.append(f"A{r + 1}:{_letter(width)}{r + 1}")
    rows.append(["填表人：张三", None, None, "联系电话：0913-1234567", *[None] * (width - 4)])
    upper: list[object] = ["序号", "存在问题", "整改措施", "责任落实", None, None, "整改时限", "完成情况",
                           "备注"]
    lower: list[object] = [None, None, None, "责任领导", "责任单位", "责任人", None, None, None]
    book = Book()
    book.add("附件1", [["中共某县人社局党组关于县委第二巡察组反馈问题的整改台账"],
                     ["填报单位：县人社局党组", None, None, None, "巡察反馈时间：2021年7月7日", None, None,
                      "统计截止日期：2021年10月31日"], upper, lower, *rows], merges)
    book.add("Sheet2", [])
    return book.save(path)


def _shape_supervision_grid(path: Path) -> Path:
    """A 工作督办 grid exported to Sheet1 (public code, id 28641373499): 事项名称 | 具体问题 | 整改目标 |
    牵头领导 | 责任处室 | 整改措施 | 配合处室 | 完成时限 | 完成率 | 长期坚持 (是/否); no status column:
    the state is the 完成率 (100% = 已完成, RX110); 责任处室 and 配合处室 are read by their words."""
    problems = _problems([(w, DONE if s in (DONE, ONGOING) else DOING) for w, s in THREE_STATE],
                         percent=True)
    cols: list[Column] = [
        ("事项名称", lambda p, m: p.feedback), ("具体问题", lambda p, m: p.problem),
        ("整改目标", lambda p, m: "建立长效机制"), ("牵头领导", lambda p, m: m.leader),
        ("责任处室", lambda p, m: m.dept), ("整改措施", lambda p, m: m.text),
        ("配合处室", lambda p, m: "财务处"),
        ("完成时限", lambda p, m: m.deadline if m.deadline != "长期坚持" else date(2021, 12, 31)),
        ("完成率", lambda p, m: f"{m.percent}%"), ("长期坚持", lambda p, m: "否")]
    rows, merges = ledger_rows(problems, cols, first_row=3)
    book = Book()
    book.add("Sheet1", [["工作督办事项（导出）"], [h for h, _ in cols], *rows], ["A1:J1", *merges])
    return book.save(path)


def _supervision_expected() -> Expected:
    states = [(w, DONE if s in (DONE, ONGOING) else DOING) for w, s in THREE_STATE]
    problems = _problems(states)
    # 事项名称 (the supervised item) is not read as 反馈问题: each 具体问题 is one (RX113)
    return expected_counts(problems, "Sheet1", feedback=len(problems),
                           codes=("RX110", "RX113", "RX103"))


def _shape_three_lists_sheets(path: Path) -> Path:
    """The three lists as three sheets (问题清单 | 任务清单 | 责任清单, each 附件 of a 整改方案): only
    任务清单 names both the problem and the measure; 责任清单 repeats the measures with the
    responsible people, so the ledger read has no 责任领导 column (RX102, no count changes).
    Under the table, 合计 and 备注 rows written in other columns than the first (RX116)."""
    problems = _problems(THREE_STATE)
    tasks: list[Column] = [
        ("序号", lambda p, m: None), ("存在问题", lambda p, m: p.problem),
        ("整改任务", lambda p, m: m.text), ("完成时限", lambda p, m: m.deadline),
        ("完成情况", lambda p, m: m.word)]
    duty: list[Column] = [
        ("序号", lambda p, m: None), ("整改任务", lambda p, m: m.text),
        ("责任领导", lambda p, m: m.leader), ("责任单位", lambda p, m: m.dept),
        ("责任人", lambda p, m: m.person)]
    task_rows, task_merges = ledger_rows(problems, tasks, first_row=3, merge_problem=("存在问题",))
    duty_rows, _m = ledger_rows(problems, duty, first_row=3)
    book = Book()
    book.add("问题清单", [["巡察反馈问题清单"], ["序号", "存在问题", "整改目标"],
                       *[[i, p.problem, "建立长效机制"] for i, p in enumerate(problems, start=1)]])
    # under the table: 合计 typed in the wide 存在问题 column with the count beside it, and a
    # 备注 label beside its text (the 序号 column is too narrow for either)
    tail: list[list[object]] = [[None, "合计", f"{len(task_rows)}项", None, None],
                                ["备注", "本清单由办公室汇总，每月25日前报送。", None, None, None]]
    book.add("任务清单", [["巡察反馈问题整改任务清单"], [h for h, _ in tasks], *task_rows, *tail],
             ["A1:E1", *task_merges])
    book.add("责任清单", [["巡察反馈问题整改责任清单"], [h for h, _ in duty], *duty_rows], ["A1:E1"])
    return book.save(path)


def _shape_internal_control_export(path: Path) -> Path:
    """An internal-control 缺陷整改台账 export (public code, id 69481234651): 问题概述 | 缺陷具体描述 |
    问题类别 | 主责部门 | 反馈意见 | 整改计划 | 预计完成时间 | 整改落实人 | 审批状态 | 整改措施 | 整改时限 |
    整改进展情况 | 完成状态 (未完成/已完成). It names the deadline twice (预计完成时间 of the plan,
    整改时限 of the measure): an error naming both cells, and the counts that depend on the
    deadline (and, 整改计划 beside 整改措施, the notice's texts) are not final."""
    words = [(w, s) for w, s in THREE_STATE if s != BASIC]
    problems = _problems(words)
    cols: list[Column] = [
        ("内控评价年度", lambda p, m: 2021), ("一级流程", lambda p, m: "财务管理"),
        ("问题概述", lambda p, m: p.problem), ("缺陷具体描述", lambda p, m: p.problem + "的具体情况"),
        ("问题类别", lambda p, m: p.aspect), ("缺陷等级", lambda p, m: "一般"),
        ("定性依据", lambda p, m: "内控手册"), ("主责部门", lambda p, m: m.dept),
        ("反馈意见", lambda p, m: p.feedback), ("整改计划", lambda p, m: "按计划整改"),
        ("预计完成时间", lambda p, m: m.deadline), ("整改落实人", lambda p, m: m.person),
        ("审批状态", lambda p, m: "审批通过"), ("整改措施", lambda p, m: m.text),
        ("整改时限", lambda p, m: m.deadline), ("整改进展情况", lambda p, m: m.progress),
        ("完成状态", lambda p, m: m.word)]
    rows, merges = ledger_rows(problems, cols, first_row=2)
    book = Book()
    book.add("问题台账", [[h for h, _ in cols], *rows], merges)
    return book.save(path)


def _counted(words: Sequence[tuple[str, str]], **kw: Any) -> Callable[[str], Expected]:
    return lambda sheet: expected_counts(_problems(words), sheet, **kw)


def _s1_expected() -> Expected:
    states = [(f"{100 if s in (DONE, ONGOING) else 40}%", DONE if s in (DONE, ONGOING) else DOING)
              for _w, s in TEMPLATE_WORDS]
    return expected_counts(_problems(states), "整改清单（2021）", codes=("RX110",))


CORPUS: tuple[Shape, ...] = (
    Shape("template", _shape_template, _counted(TEMPLATE_WORDS)("整改清单")),
    Shape("sheet1_title_block", _shape_sheet1_title_block,
          _counted(THREE_STATE, codes=("RX109",))("Sheet1")),
    Shape("two_row_header", _shape_two_row_header,
          _counted([*TEMPLATE_WORDS, ("基本完成", BASIC)])("整改台账")),
    Shape("s1_system_export", _shape_s1_system, _s1_expected()),
    Shape("problem_list_fullwidth", _shape_problem_list, _counted(SYSTEM_WORDS)("问题清单")),
    Shape("weekly_percent", _shape_weekly_percent, _counted(THREE_STATE)("台账")),
    Shape("two_leaders", _shape_two_leaders,
          _counted(SYSTEM_WORDS[5:] + SYSTEM_WORDS[:3])("整改清单")),
    Shape("text_info_variants", _shape_text_variant, _counted(TEMPLATE_WORDS)("整改清单")),
    Shape("odd_optional_sheets", _shape_odd_optional_sheets,
          _counted(TEMPLATE_WORDS, codes=("RX107",))("整改清单")),
    Shape("duplicated_header", _shape_duplicated_header,
          _counted(TEMPLATE_WORDS, validate_exit=1, counts_final=False, notice_final=True,
                   codes=("RX106",))("整改清单")),
    Shape("unknown_status", _shape_unknown_status,
          _counted([*TEMPLATE_WORDS[:-1], ("差不多了", UNKNOWN)], validate_exit=1,
                   counts_final=False, codes=("RX401",))("整改清单")),
    Shape("several_sheets", _shape_several_sheets,
          _counted(THREE_STATE[:6], codes=("RX109", "RX117"),
                   other_sheets=("2020年台账",))("整改台账 ")),
    # no 方面/反馈问题/责任领导 columns: one level of problems (each is a feedback problem,
    # RX113), no aspects (RX111); the missing 责任领导 is an error (RX102) that changes no count
    Shape("audit_combined", _shape_audit_combined,
          _counted(AUDIT_WORDS, feedback=len({p.problem for p in _problems(AUDIT_WORDS)}), validate_exit=1,
                   codes=("RX102", "RX111", "RX113"))("审计整改台账")),
    Shape("attachment_title_two_row", _shape_attachment_title_two_row,
          _counted(FREE_TEXT_WORDS, feedback=len({p.problem for p in _problems(FREE_TEXT_WORDS)}),
                   codes=("RX109", "RX113", "RX116", "RX311", "RX409"))("附件1")),
    Shape("supervision_grid", _shape_supervision_grid, _supervision_expected()),
    Shape("three_lists_sheets", _shape_three_lists_sheets,
          _counted(THREE_STATE, feedback=len({p.problem for p in _problems(THREE_STATE)}),
                   validate_exit=1, codes=("RX102", "RX109", "RX113", "RX116"))("任务清单")),
    Shape("internal_control_export", _shape_internal_control_export,
          # two 整改措施 columns too: the notice's texts are not final either
          _counted([(w, s) for w, s in THREE_STATE if s != BASIC], validate_exit=1,
                   counts_final=False, codes=("RX106",))("问题台账")),
    Shape("own_status_words", _shape_own_status_words,
          _counted([("办结", DONE), ("正在推进", DOING), ("办结", DONE), ("长期坚持", ONGOING),
                    ("基本完成", BASIC)])("整改清单")),
)


def build(shape: Shape, folder: Path) -> Path:
    return shape.build(folder / f"{shape.name}.xlsx")

"""A table inside a notice, as the paragraphs the notice reader takes (issue 14).

Pure. Many units publish the problems of their notice as a table (序号 | 反馈问题 | 整改措施 |
整改情况 | 责任单位 | 完成时限). A Word table is not a paragraph, so it was silently skipped; here
each row becomes labelled paragraphs — 问题N：… then 整改情况：… and 责任单位：…；完成时限：… —
which core.notice.reader reads like any 问题/整改情况 pair. A table without a problem column and a
narrative column is kept as one paragraph per row (its cells joined by spaces), so nothing is lost.
"""

from __future__ import annotations

import re

__all__ = ["table_paragraphs"]

_PROBLEM_HEADER = re.compile(r"问题|存在不足|反馈意见")
# what was done (preferred) and what was planned: one narrative column is read
_DONE_HEADER = re.compile(r"整改(?:落实|进展)?情况|落实情况|完成情况|整改进展|整改成效")
_PLAN_HEADER = re.compile(r"整改措施|整改举措|整改任务")
_FIELD_HEADERS = (("责任领导", re.compile(r"责任领导|牵头领导|分管领导")),
                  ("责任单位", re.compile(r"责任(?:单位|部门|科室)|牵头(?:单位|部门)|责任人")),
                  ("完成时限", re.compile(r"完成时限|整改时限|整改期限|完成时间")),
                  ("整改状态", re.compile(r"整改状态|完成状态|整改进度|是否(?:完成|整改)")))


def _clean(cell: str) -> str:
    return re.sub(r"\s*\n\s*", "", cell).strip()


def _column(header: list[str], pattern: re.Pattern[str]) -> int | None:
    return next((i for i, h in enumerate(header) if pattern.search(h)), None)


def table_paragraphs(rows: list[list[str]]) -> list[str]:
    """The rows of one table (cell texts, merged cells repeated as Word gives them) → paragraphs."""
    rows = [[_clean(c) for c in row] for row in rows if any(c.strip() for c in row)]
    if not rows:
        return []
    header = rows[0]
    problem = _column(header, _PROBLEM_HEADER)
    narrative = _column(header, _DONE_HEADER)
    if narrative is None:
        narrative = _column(header, _PLAN_HEADER)
    if problem is None or narrative is None or problem == narrative:
        return ["　".join(dict.fromkeys(c for c in row if c)) for row in rows]
    fields = [(label, i) for label, pattern in _FIELD_HEADERS
              if (i := _column(header, pattern)) is not None and i not in (problem, narrative)]
    out: list[str] = []
    last, number = "", 0
    for row in rows[1:]:
        cells = row + [""] * (len(header) - len(row))
        text = cells[problem].rstrip("。；; ")
        if text and text != last:  # a problem merged down its measures' rows is one problem
            number += 1
            out.append(f"问题{number}：{text}。")
            last = text
        if not last:
            continue  # a row before the first problem (a sub-header): nothing to attach it to
        if cells[narrative]:
            out.append(f"整改情况：{cells[narrative]}")
        said = [f"{label}：{cells[i]}" for label, i in fields if cells[i]]
        if said:
            out.append("；".join(said) + "。")
    return out

"""`rectify-xl adopt`: a unit's own ledger → the template's records and an 导入报告 (issue 14).

Pure: the ledger was read through the one reading path (core.parse: sheet found by content,
headers through the documented alias table, statuses through the status table). Every row and
every column is carried over: the columns the template has go into its columns, the others
(责任人, a second leader or department column, the unit's own columns) become extra columns
after the template's, under their own headers. What needs a person's decision (a status no
table knows, a date that is not a date, two columns naming one field…) is listed in the report.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from rectify_xl.core.findings import Finding, Severity
from rectify_xl.core.model import Layout, Ledger, Measure, col_letter
from rectify_xl.core.records import LedgerRecords
from rectify_xl.core.schema import (
    COLUMN_BY_KEY,
    COLUMNS,
    DEADLINE_ONGOING,
    INFO_FIELDS,
    READ_COLUMNS,
    SHEETS,
    Closure,
    Status,
)

__all__ = ["REPORT_HEADER", "Adoption", "adopt_ledger"]

REPORT_HEADER = ("项目", "原台账", "导入后", "说明")
_TEMPLATE_KEYS = frozenset(c.key for c in COLUMNS)


@dataclass(frozen=True)
class Adoption:
    records: LedgerRecords
    report: list[list[object]]  # the 导入报告 sheet, REPORT_HEADER first
    decisions: int  # rows a person must look at


def _original_header(layout: Layout, key: str, header_row: int) -> str:
    c = layout.columns.get(key)
    return f"{col_letter(c)}{header_row}" if c else ""


def _status_cell(m: Measure) -> object:
    """The template's 整改状态: the canonical word, the closure step kept, the raw text if unknown."""
    if m.status is None:
        return m.status_raw or None
    closure = Closure.parse(m.status_raw)
    return closure.value if closure and m.status is Status.DONE else m.status.value


def _deadline_cell(m: Measure) -> object:
    if m.deadline_ongoing:
        return DEADLINE_ONGOING
    return m.deadline or m.deadline_raw or None


def _measure_record(m: Measure, layout: Layout, extra_keys: list[str]) -> dict[str, Any]:
    record: dict[str, Any] = {
        "seq": m.seq or None, "aspect": m.aspect, "feedback": m.feedback, "problem": m.problem,
        "measure": m.text, "leader": m.leader, "department": m.department,
        "deadline": _deadline_cell(m), "status": _status_cell(m),
        "done_date": m.done_date or m.done_date_raw or None, "progress": m.progress,
        "evidence": m.evidence, "remark": m.remark,
        "percent": m.percent if m.percent is not None else (m.percent_raw or None),
        "start_date": m.start_date or m.start_date_raw or None,
        "accept_by": m.accept_by, "accept_date": m.accept_date or m.accept_date_raw or None,
        "accept_note": m.accept_note, "stream": m.stream,
    }
    record.update({key: value for key, value in m.outcomes})
    if layout.derived.get("problem") == "feedback":
        record["feedback"] = m.problem  # one level of problems: the same text in both columns
    record["extra"] = [getattr(m, k) or None for k in extra_keys] + [v or None for v in m.extra]
    return {k: v for k, v in record.items() if k == "extra" or k in _TEMPLATE_KEYS}


def adopt_ledger(ledger: Ledger, findings: list[Finding], source: str) -> Adoption:
    """The template's records for ``ledger`` and the 导入报告 rows."""
    layout = ledger.layout
    hr = layout.header_row
    read_keys = [c.key for c in READ_COLUMNS if c.key in layout.columns]
    extra_headers = [_extra_header(ledger, k) for k in read_keys]
    extra_headers += [_unique(h, extra_headers) for h in layout.extra]
    records = LedgerRecords(
        info={f.key: getattr(ledger.info, f.key) for f in INFO_FIELDS
              if getattr(ledger.info, f.key) not in (None, "")},
        measures=[_measure_record(m, layout, read_keys) for m in ledger.measures],
        texts=[{"section": t.section, "lead": t.lead, "body": t.body} for t in ledger.texts],
        aspect_options=list(ledger.aspect_options),
        extra_columns=extra_headers,
    )
    rows: list[list[object]] = [list(REPORT_HEADER)]
    rows.append(["原文件", source, "", "原文件未作任何修改"])
    others = "、".join(ledger.other_sheets)
    rows.append(["台账工作表", ledger.ledger_sheet, SHEETS.LEDGER,
                 f"表头在第{hr}行" + ("（两行表头）" if layout.header_rows == 2 else "")
                 + (f"；另有也像台账的工作表：{others}，未导入" if others else "")])
    rows.append(["整改措施行数", len(ledger.measures), len(records.measures), "逐行导入，行序不变"])
    rows += _column_rows(ledger, read_keys, extra_headers)
    rows += _status_rows(ledger)
    decisions = _decision_rows(findings)
    rows += decisions
    info_missing = [f.label for f in INFO_FIELDS if f.required and f.key not in records.info]
    if info_missing:
        rows.append(["需人工确认", SHEETS.INFO, SHEETS.INFO,
                     f"原台账中找不到：{'、'.join(info_missing)}，请在“{SHEETS.INFO}”中补填"])
    return Adoption(records, rows, len(decisions) + bool(info_missing))


def _extra_header(ledger: Ledger, key: str) -> str:
    """A kept column under the header the unit gave it (责任人, 分管领导, 配合单位 …)."""
    c = ledger.layout.columns[key]
    if key in ledger.layout.split:
        return COLUMN_BY_KEY[key].header
    return ledger.layout.aliased.get(key) or _header_text(ledger, c) or COLUMN_BY_KEY[key].header


def _header_text(ledger: Ledger, c: int) -> str:
    return next((text for key, text in ledger.layout.aliased.items()
                 if ledger.layout.columns.get(key) == c), "")


def _unique(header: str, taken: list[str]) -> str:
    """An extra header that names a template column (a duplicated column) is kept as 原…."""
    from rectify_xl.core.parse import normalize_header
    from rectify_xl.core.schema import HEADER_KEYS

    out = f"原{header}" if normalize_header(header) in HEADER_KEYS else header
    n = 2
    while out in taken:
        out, n = f"{header}{n}", n + 1
    return out


def _column_rows(ledger: Ledger, read_keys: list[str], extra_headers: list[str]
                 ) -> list[list[object]]:
    layout = ledger.layout
    hr = layout.header_row
    rows: list[list[object]] = []
    for col in COLUMNS:
        c = layout.columns.get(col.key)
        if c is None:
            continue
        found = layout.aliased.get(col.key, col.header)
        if layout.derived.get(col.key) == "percent":
            found = layout.aliased.get("percent", COLUMN_BY_KEY["percent"].header)
        how = {"percent": "按进度百分比确定（100%为已完成）", "feedback": "按“反馈问题”列"}.get(
            layout.derived.get(col.key, ""), "")
        if col.key in layout.split:
            how = "原列同时写部门和负责人，按“/”拆开"
        rows.append(["列", f"{col_letter(c)}列“{found}”", col.header,
                     how or ("按别名识别" if col.key in layout.aliased else "同名")])
    for key, header in zip(read_keys, extra_headers, strict=False):
        c = layout.columns[key]
        rows.append(["列", f"{col_letter(c)}列“{header}”", f"附加列“{header}”",
                     f"模板没有此列，保留在模板列之后（{COLUMN_BY_KEY[key].note}）"])
    for c, text, header in zip(layout.extra_columns, layout.extra,
                               extra_headers[len(read_keys):], strict=False):
        rows.append(["列", f"{col_letter(c)}列“{text}”", f"附加列“{header}”",
                     "模板没有此列，原样保留在模板列之后"])
    missing = [COLUMN_BY_KEY[k].header for k in layout.missing if COLUMN_BY_KEY[k].required]
    if missing:
        rows.append(["需人工确认", "（无此列）", "、".join(missing),
                     f"原台账第{hr}行表头中没有这些必填列，导入后为空，请补填"])
    return rows


def _status_rows(ledger: Ledger) -> list[list[object]]:
    if ledger.layout.derived.get("status") == "percent":
        return []  # one line above says how: 100% is 已完成
    words = Counter((m.status_raw, _status_cell(m)) for m in ledger.measures if m.status_raw)
    rows: list[list[object]] = []
    for (word, mapped), n in sorted(words.items(), key=lambda t: (-t[1], t[0][0])):
        known = mapped in {s.value for s in Status} | {c.value for c in Closure}
        how = (f"{n}行" + ("" if word == mapped else "，按状态用语表换算")) if known else \
            f"{n}行：无法识别，原样保留，请改为规范状态"
        rows.append(["状态" if known else "需人工确认", word, mapped if known else word, how])
    return rows


def _decision_rows(findings: list[Finding]) -> list[list[object]]:
    """Errors of the original that a person must decide on (the original's cells)."""
    return [["需人工确认", f.location, f.code, f.message]
            for f in findings if f.severity is Severity.ERROR]


"""The sheets of the ledger workbook, written with XlsxWriter from core/schema.py.

Every header, label, list and sheet name comes from the schema. Text is written with
write_string, so a cell that starts with "=" stays text (CWE-1236).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from rectify_xl.core.book_sheets import LINE_HEIGHT, text_lines
from rectify_xl.core.dates import parse_date
from rectify_xl.core.model import col_letter
from rectify_xl.core.records import LedgerRecords
from rectify_xl.core.schedule import DEFAULT_MARGIN, DEFAULT_PROGRESS, UNKNOWN_STATUS_PROGRESS
from rectify_xl.core.schema import (
    COLUMN_BY_KEY,
    COLUMNS,
    DEADLINE_ONGOING,
    DONE_STATUSES,
    INFO_BY_KEY,
    INFO_FIELDS,
    OPTIONS_STATUS_AS,
    OPTIONS_STATUS_WORD,
    OUTCOMES,
    SHEETS,
    STATUS_CHOICES,
    TEXT_COLUMNS,
    TEXT_SECTIONS,
    Closure,
    Stream,
)
from rectify_xl.core.sheet_spec import COLOURS, LEDGER_FONT, LEDGER_HEADER_FONT

__all__ = [
    "BLANK_ROWS",
    "HEADER_ROW",
    "NAME_ASPECTS",
    "NAME_AS_OF",
    "NAME_FEEDBACK",
    "NAME_MARGIN",
    "Formats",
    "illustrative_headers",
    "make_formats",
    "write_info_sheet",
    "write_ledger_sheet",
    "write_options_sheet",
    "write_text_sheet",
]

HEADER_ROW = 3  # 1-based: rows 1-2 are the title/toolbar band
BLANK_ROWS = 200  # empty table rows in a blank template
VALIDATED_ROWS = 2000  # dropdowns and highlights reach this far below the header
ASPECT_SLOTS = 100  # rows of the 方面 list in 选项 (filled + empty ones to add to)
NAME_ASPECTS = "rx_aspects"
NAME_STATUSES = "rx_statuses"
NAME_AS_OF = "rx_as_of"
NAME_FEEDBACK = "rx_feedback_date"  # 基本信息 反馈日期: where 序时进度 starts by default
NAME_MARGIN = "rx_schedule_margin"  # 设置 序时进度容差, read as a fraction (see schedule_names)
TABLE_NAME = "tbl_ledger"
BODY_FONT, HEADER_FONT = LEDGER_FONT, LEDGER_HEADER_FONT
# ISO dates fit the ledger's 12-character date columns; 基本信息 has room for the Chinese form.
DATE_FORMAT = "yyyy-mm-dd"
DATE_FORMAT_CN = 'yyyy"年"m"月"d"日"'


@dataclass(frozen=True)
class Formats:
    text: Any
    wrap: Any
    date: Any
    date_cn: Any
    header: Any
    title: Any
    note: Any
    label: Any
    required: Any
    hint: Any
    amber: Any
    red: Any
    fill_in: Any
    percent: Any


def make_formats(wb: Any) -> Formats:
    base = {"font_name": BODY_FONT, "font_size": 11, "valign": "top"}
    return Formats(
        text=wb.add_format(base),
        wrap=wb.add_format({**base, "text_wrap": True}),
        date=wb.add_format({**base, "num_format": DATE_FORMAT, "align": "left"}),
        date_cn=wb.add_format({**base, "num_format": DATE_FORMAT_CN, "align": "left",
                               "bg_color": "#FFFFF0", "border": 1, "border_color": "#D9D9D9"}),
        header=wb.add_format({"font_name": HEADER_FONT, "font_size": 11, "bold": True,
                              "text_wrap": True, "align": "center", "valign": "vcenter",
                              "border": 1, "bg_color": COLOURS["blue"].upper()}),
        title=wb.add_format({"font_name": HEADER_FONT, "font_size": 16, "bold": True,
                             "valign": "vcenter"}),
        note=wb.add_format({**base, "font_size": 9, "font_color": "#7F7F7F", "text_wrap": True,
                            "valign": "vcenter"}),
        label=wb.add_format({**base, "bold": True}),
        required=wb.add_format({**base, "font_color": "#C00000"}),
        hint=wb.add_format({**base, "font_color": "#7F7F7F", "text_wrap": True}),
        # the findings' fills (core.sheet_spec.COLOURS), with Excel's text colours for them
        amber=wb.add_format({"bg_color": COLOURS["amber"].upper(), "font_color": "#9C5700"}),
        red=wb.add_format({"bg_color": COLOURS["red"].upper(), "font_color": "#9C0006"}),
        fill_in=wb.add_format({**base, "bg_color": "#FFFFF0", "border": 1, "border_color": "#D9D9D9"}),
        percent=wb.add_format({**base, "num_format": "0%", "align": "right"}),
    )


def _quoted(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


def row_height(record: Mapping[str, object]) -> float:
    """Explicit height for a filled ledger row: neither XlsxWriter nor LibreOffice fits it on load."""
    lines = max(text_lines(str(record.get(c.key) or ""), c.width) for c in COLUMNS)
    return min(409.0, lines * LINE_HEIGHT + 3)


def write_value(ws: Any, row: int, col: int, value: object, fmt: Any, date_fmt: Any,
                *, as_date: bool = False) -> None:
    """One cell, 0-based. Strings stay strings; date texts in date columns become real dates."""
    if value is None or value == "":
        ws.write_blank(row, col, None, date_fmt if as_date else fmt)
        return
    if isinstance(value, bool):
        ws.write_boolean(row, col, value, fmt)
    elif isinstance(value, datetime | date):
        when = value if isinstance(value, datetime) else datetime(value.year, value.month, value.day)
        ws.write_datetime(row, col, when, date_fmt)
    elif isinstance(value, int | float):
        ws.write_number(row, col, value, date_fmt if as_date else fmt)
    else:
        text = str(value)
        parsed = parse_date(text) if as_date and text != DEADLINE_ONGOING else None
        if parsed is not None and parsed.value is not None:
            write_value(ws, row, col, parsed.value, fmt, date_fmt)
        else:
            ws.write_string(row, col, text, fmt)


def illustrative_headers(records: LedgerRecords) -> list[str]:
    """Chinese names of the fields the data marks as illustrative (info key `illustrative`)."""
    keys = records.info.get("illustrative") or []
    names = []
    for key in keys:
        if key in COLUMN_BY_KEY:
            names.append(COLUMN_BY_KEY[key].header)
        elif key in INFO_BY_KEY:
            names.append(INFO_BY_KEY[key].label)
    return names


def _title(records: LedgerRecords) -> str:
    unit = str(records.info.get("unit") or "").strip()
    return f"{unit}巡察整改台账" if unit else "巡察整改台账"


def _band_note(records: LedgerRecords) -> str:
    note = (f"填写方法见“{SHEETS.HELP}”工作表；一条整改措施占一行，"
            "同一问题的多条措施请重复填写方面、反馈问题、具体问题。")
    shown = illustrative_headers(records)
    if shown:
        note += ("【示例说明】" + "、".join(f"“{n}”" for n in shown)
                 + "为示意数据（公告原文未载明），仅供参考。")
    return note


def write_ledger_sheet(wb: Any, ws: Any, records: LedgerRecords, f: Formats) -> int:
    """整改清单: title band, header row 3, the table, dropdowns, highlights, print setup.

    Returns the last table row (1-based).
    """
    extra = records.extra_columns  # a unit's own columns, kept after the template's (adopt)
    ncols = len(COLUMNS) + len(extra)
    first = HEADER_ROW  # 1-based header row; data starts below it
    rows = records.measures
    last = first + (len(rows) if rows else BLANK_ROWS)
    _ledger_band(ws, records, f)
    for c, col in enumerate(COLUMNS):
        ws.set_column(c, c, col.width, _column_format(col.kind, f))
    if extra:
        ws.set_column(len(COLUMNS), ncols - 1, 14, f.wrap)
    ws.add_table(first - 1, 0, last - 1, ncols - 1, {
        "name": TABLE_NAME,
        "style": "Table Style Light 9",
        "banded_rows": True,
        "autofilter": True,
        "columns": [{"header": col.header, "header_format": f.header} for col in COLUMNS]
        + [{"header": h, "header_format": f.header} for h in extra],
    })
    for j, header in enumerate(extra):
        ws.write_string(first - 1, len(COLUMNS) + j, header, f.header)
    for c, col in enumerate(COLUMNS):
        ws.write_string(first - 1, c, col.header, f.header)
        if col.note:
            ws.write_comment(first - 1, c, col.note, {"author": "rectify-xl", "font_name": BODY_FONT,
                                                       "x_scale": 1.6, "y_scale": 1.2})
    for i, record in enumerate(rows):
        r = first + i  # 0-based row of data row i
        for c, col in enumerate(COLUMNS):
            value = record.get(col.key)
            if col.key == "seq" and isinstance(value, str) and value.strip().isdigit():
                value = int(value)
            write_value(ws, r, c, value, _column_format(col.kind, f), f.date,
                        as_date=col.kind in ("date", "deadline"))
        for j, value in enumerate((record.get("extra") or [])[:len(extra)]):
            write_value(ws, r, len(COLUMNS) + j, value, f.wrap, f.date, as_date=False)
        ws.set_row(r, row_height(record))
    _ledger_validation(ws, f)
    _ledger_highlights(ws, f)
    _ledger_print(ws)
    ws.freeze_panes(first, 0)
    return last


def _column_format(kind: str, f: Formats) -> Any:
    return {"date": f.date, "deadline": f.date, "percent": f.percent}.get(kind, f.wrap)


def _ledger_band(ws: Any, records: LedgerRecords, f: Formats) -> None:
    span = _title_span()
    ws.set_row(0, 33)
    ws.merge_range(0, 0, 0, span, _title(records), f.title)
    note = _band_note(records)
    span_width = sum(c.width for c in COLUMNS[:span + 1]) * 11 / 9  # the note is 9 pt
    ws.set_row(1, max(30, text_lines(note, span_width) * 12 + 4))
    ws.merge_range(1, 0, 1, span, note, f.note)
    ws.set_row(HEADER_ROW - 1, 30)


def _title_span() -> int:
    """The title covers the columns up to 具体问题; the buttons sit to the right of it."""
    return [c.key for c in COLUMNS].index("problem")


def button_anchor() -> int:
    """0-based column where the toolbar buttons start."""
    return _title_span() + 1


def _col(key: str) -> str:
    return col_letter([c.key for c in COLUMNS].index(key) + 1)


def _ledger_validation(ws: Any, f: Formats) -> None:
    top, bottom = HEADER_ROW, HEADER_ROW + VALIDATED_ROWS - 1  # 0-based data rows
    index = {c.key: i for i, c in enumerate(COLUMNS)}
    ws.data_validation(top, index["status"], bottom, index["status"], {
        "validate": "list", "source": list(STATUS_CHOICES), "error_type": "stop",
        "input_title": "整改状态",
        "input_message": "请从下拉列表选择：" + " / ".join(STATUS_CHOICES),
        "error_title": "整改状态", "error_message": "只能填写：" + "、".join(STATUS_CHOICES),
    })
    ws.data_validation(top, index["aspect"], bottom, index["aspect"], {
        "validate": "list", "source": f"={NAME_ASPECTS}", "error_type": "warning",
        "input_title": "方面",
        "input_message": f"从下拉列表选择；新的方面可直接输入，并请补充到“{SHEETS.OPTIONS}”表",
        "error_title": "方面", "error_message": f"该方面不在“{SHEETS.OPTIONS}”表的列表中，确定要使用吗？",
    })
    h = _col("deadline")
    ws.data_validation(top, index["deadline"], bottom, index["deadline"], {
        "validate": "custom", "value": f'=OR(ISNUMBER({h}{top + 1}),{h}{top + 1}="{DEADLINE_ONGOING}")',
        "error_type": "warning", "input_title": "完成时限",
        "input_message": f"填写日期（如 2021-08-31 或 2021年8月31日），长期工作填“{DEADLINE_ONGOING}”",
        "error_title": "完成时限", "error_message": f"完成时限应为日期或“{DEADLINE_ONGOING}”",
    })
    ws.data_validation(top, index["stream"], bottom, index["stream"], {
        "validate": "list", "source": [s.value for s in Stream], "error_type": "stop",
        "input_title": "类别",
        "input_message": "请从下拉列表选择：" + " / ".join(s.value for s in Stream) + "；留空按反馈问题统计",
        "error_title": "类别", "error_message": "只能填写：" + "、".join(s.value for s in Stream),
    })
    for o in OUTCOMES:  # numbers only: the summary and the round 通报 add them up
        ws.data_validation(top, index[o.key], bottom, index[o.key], {
            "validate": "integer" if o.integer else "decimal", "criteria": ">=", "value": 0,
            "error_type": "stop", "input_title": o.header,
            "input_message": f"填该措施取得的成效（数字，单位：{o.unit}），没有则留空",
            "error_title": o.header,
            "error_message": f"请填不小于0的{'整数' if o.integer else '数字'}（单位：{o.unit}）",
        })
    ws.data_validation(top, index["done_date"], bottom, index["done_date"], {
        "validate": "date", "criteria": "between",
        "minimum": date(2000, 1, 1), "maximum": date(2100, 12, 31), "error_type": "warning",
        "input_title": "完成日期", "input_message": "措施已完成或长期坚持时填写实际完成日期",
        "error_title": "完成日期", "error_message": "完成日期应为日期（如 2021-09-24）",
    })


def _ledger_highlights(ws: Any, f: Formats) -> None:
    """Red: overdue. Amber: behind schedule (序时进度, the rule of core.schedule as a formula)."""
    top, bottom = HEADER_ROW, HEADER_ROW + VALIDATED_ROWS - 1
    r = top + 1
    deadline, status = f"${_col('deadline')}{r}", f"${_col('status')}{r}"
    start, pct = f"${_col('start_date')}{r}", f"${_col('percent')}{r}"
    as_of = f"IF(ISNUMBER({NAME_AS_OF}),{NAME_AS_OF},TODAY())"
    not_closed = ",".join(f'{status}<>"{s}"' for s in _closed_words())
    ws.conditional_format(top, 0, bottom, len(COLUMNS) - 1, {
        "type": "formula", "criteria": f"=AND(ISNUMBER({deadline}),{deadline}<{as_of},{not_closed})",
        "format": f.red, "stop_if_true": True,
    })
    begin = f"IF(ISNUMBER({start}),{start},{NAME_FEEDBACK})"
    by_status = str(UNKNOWN_STATUS_PROGRESS)
    for state, share in DEFAULT_PROGRESS.items():  # the open states whose default differs
        if state is not None and state not in DONE_STATUSES and share != UNKNOWN_STATUS_PROGRESS:
            by_status = f'IF({status}="{state.value}",{share},{by_status})'
    progress = (f"IF(ISNUMBER({pct}),IF({pct}>1,{pct}/100,{pct}),"
                f'IF({status}="",{DEFAULT_PROGRESS[None]},{by_status}))')
    ws.conditional_format(top, 0, bottom, len(COLUMNS) - 1, {
        "type": "formula", "format": f.amber,
        "criteria": (f"=AND(ISNUMBER({deadline}),ISNUMBER({begin}),{deadline}>={as_of},"
                     f"{deadline}>{begin},{as_of}>={begin},{not_closed},"
                     f"({as_of}-{begin})/({deadline}-{begin})-{progress}>{NAME_MARGIN}+0.000001)"),
    })


def _closed_words() -> list[str]:
    """Status words of a closed measure, as the dropdown offers them."""
    return sorted({s.value for s in DONE_STATUSES} | {c.value for c in Closure})


def schedule_names(feedback_row: int, margin_row: int) -> dict[str, str]:
    """Defined names the amber rule uses: the 反馈日期 cell and the margin as a fraction."""
    cell = f"'{SHEETS.SETTINGS}'!$B${margin_row}"
    raw = f"IFERROR(IF(ISNUMBER({cell}),{cell},VALUE({cell})),{DEFAULT_MARGIN})"
    return {NAME_FEEDBACK: f"='{SHEETS.INFO}'!$B${feedback_row}",
            NAME_MARGIN: f"=IF({raw}>1,{raw}/100,{raw})"}


def _ledger_print(ws: Any) -> None:
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(0, HEADER_ROW - 1)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.7)
    ws.center_horizontally()
    ws.set_footer("&C第 &P 页 共 &N 页")


def write_info_sheet(ws: Any, records: LedgerRecords, f: Formats) -> int:
    """基本信息: 项目/内容/必填/填写说明 rows. Returns the 1-based row of 统计截止日期."""
    ws.set_column(0, 0, 16, f.label)
    ws.set_column(1, 1, 40, f.fill_in)
    ws.set_column(2, 2, 8)
    ws.set_column(3, 3, 48, f.hint)
    for c, head in enumerate(("项目", "内容", "必填", "填写说明")):
        ws.write_string(0, c, head, f.header)
    illustrative = set(records.info.get("illustrative") or [])
    as_of_row = 0
    for i, field in enumerate(INFO_FIELDS, start=1):
        ws.write_string(i, 0, field.label, f.label)
        fill = f.date_cn if field.kind == "date" else f.fill_in
        write_value(ws, i, 1, records.info.get(field.key), fill, f.date_cn, as_date=field.kind == "date")
        ws.write_string(i, 2, "必填" if field.required else "选填", f.required if field.required else f.hint)
        hint = ("日期，如 " + field.example) if field.kind == "date" and field.example else (
            f"例：{field.example}" if field.example else "")
        if field.key in illustrative:
            hint = (hint + "；" if hint else "") + "本样例中为示意数据"
        if field.key == "as_of":
            hint += "；留空则按今天统计逾期"
        if hint:
            ws.write_string(i, 3, hint, f.hint)
        if field.kind == "date":
            ws.data_validation(i, 1, i, 1, {
                "validate": "date", "criteria": "between", "minimum": date(2000, 1, 1),
                "maximum": date(2100, 12, 31), "error_type": "warning",
                "error_message": "请填写日期，如 2021-07-07"})
        if field.key == "as_of":
            as_of_row = i + 1
    ws.freeze_panes(1, 0)
    return as_of_row


def write_text_sheet(ws: Any, records: LedgerRecords, f: Formats) -> None:
    """文稿: 部分/标题句/正文, a 部分 dropdown, and a guide to the 部分 values beside the table."""
    widths = {"section": 8, "lead": 32, "body": 100}
    for c, (key, label) in enumerate(TEXT_COLUMNS):
        ws.set_column(c, c, widths.get(key, 20), f.wrap)
        ws.write_string(0, c, label, f.header)
    section_col = [k for k, _ in TEXT_COLUMNS].index("section")
    ws.write_comment(0, section_col, "；".join(f"{k}：{v}" for k, v in TEXT_SECTIONS.items()),
                     {"author": "rectify-xl", "x_scale": 3, "y_scale": 3})
    for r, text in enumerate(records.texts, start=1):
        for c, (key, _) in enumerate(TEXT_COLUMNS):
            write_value(ws, r, c, text.get(key), f.wrap, f.date)
    ws.data_validation(1, section_col, VALIDATED_ROWS, section_col, {
        "validate": "list", "source": list(TEXT_SECTIONS), "error_type": "stop",
        "input_title": "部分", "input_message": "开头 / 一 / 三 / 结尾（见右侧说明）",
        "error_message": "只能填写：" + "、".join(TEXT_SECTIONS),
    })
    guide = len(TEXT_COLUMNS) + 1
    ws.set_column(guide, guide, 10, f.label)
    ws.set_column(guide + 1, guide + 1, 60, f.hint)
    ws.write_string(0, guide, "“部分”可填", f.header)
    ws.write_string(0, guide + 1, "含义", f.header)
    for r, (key, meaning) in enumerate(TEXT_SECTIONS.items(), start=1):
        ws.write_string(r, guide, key, f.label)
        ws.write_string(r, guide + 1, meaning, f.hint)
    ws.freeze_panes(1, 0)


def write_options_sheet(wb: Any, ws: Any, records: LedgerRecords, f: Formats) -> None:
    """选项: the status list and the 方面 list the ledger's dropdown uses (defined name)."""
    aspects = records.aspect_options or list(
        dict.fromkeys(str(m["aspect"]) for m in records.measures if m.get("aspect")))
    ws.set_column(0, 0, 12, f.text)
    ws.set_column(1, 1, 50, f.fill_in)
    ws.set_column(2, 2, 50, f.hint)
    ws.write_string(0, 0, COLUMN_BY_KEY["status"].header, f.header)
    ws.write_string(0, 1, COLUMN_BY_KEY["aspect"].header, f.header)
    ws.write_string(0, 2, "说明", f.header)
    statuses = list(STATUS_CHOICES)
    for r, status in enumerate(statuses, start=1):
        ws.write_string(r, 0, status, f.text)
    for r, aspect in enumerate(aspects, start=1):
        ws.write_string(r, 1, aspect, f.fill_in)
    ws.write_string(1, 2, f"“方面”列的下拉选项；可在空行中补充新的方面（共 {ASPECT_SLOTS} 行）", f.hint)
    ws.write_string(2, 2, "整改状态固定为左列几种：“已验收”“已销号”是已完成措施验收、销号后的状态，"
                    "“长期坚持”视为已完成", f.hint)
    # the unit's own status words (issue 14): 状态用语 | 视为状态, read on top of the built-in table
    ws.set_column(3, 4, 12, f.fill_in)
    ws.write_string(0, 3, OPTIONS_STATUS_WORD, f.header)
    ws.write_string(0, 4, OPTIONS_STATUS_AS, f.header)
    ws.write_string(3, 2, f"单位自己的状态写法可在“{OPTIONS_STATUS_WORD}”列填写，并在“{OPTIONS_STATUS_AS}”"
                    "列写明按哪种整改状态统计（如：办结 → 已完成）；常见写法已内置，无需填写", f.hint)
    slots = max(ASPECT_SLOTS, len(aspects) + 20)
    sheet = _quoted(SHEETS.OPTIONS)
    wb.define_name(NAME_ASPECTS, f"={sheet}!$B$2:$B${slots + 1}")
    wb.define_name(NAME_STATUSES, f"={sheet}!$A$2:$A${len(statuses) + 1}")

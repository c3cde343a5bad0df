"""The side sheets of the ledger workbook: 设置, 使用说明, xlwings.conf (the 导入报告 is described:
core.book_sheets)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rectify_xl.adapters.workbook_sheets import LINE_HEIGHT, Formats, text_lines, write_value
from rectify_xl.core.schedule import DEFAULT_MARGIN
from rectify_xl.core.schema import (
    BUTTONS,
    SETTINGS_FIELDS,
    SETTINGS_SECURITY,
    SHEETS,
    Closure,
    Status,
)

__all__ = [
    "BUTTON_ACTIONS",
    "CLI_EQUIVALENTS",
    "XLWINGS_CONF",
    "help_lines",
    "write_help_sheet",
    "write_settings_sheet",
    "write_xlwings_conf",
]

# macro → the CLI command that does the same, and what the button does (for 使用说明)
CLI_EQUIVALENTS = {"Validate": "validate", "Summarize": "summary", "MakeNotice": "notice",
                   "SendToSuperiors": "mail"}
BUTTON_ACTIONS = {
    "Validate": f"检查台账，问题单元格标色并加批注，全部问题列在“{SHEETS.RESULTS}”表",
    "Summarize": f"生成“{SHEETS.SUMMARY}”表，并在“{SHEETS.HISTORY}”表追加一行进度记录",
    "MakeNotice": f"生成“{SHEETS.NOTICE}”表，并在台账旁保存公告文本",
    "SendToSuperiors": f"保存台账，把不含宏的副本发送给“{SHEETS.SETTINGS}”表中的收件人",
    "Remind": "对临期、逾期的措施按责任部门生成提醒函、督办函（台账旁的文件夹），"
              f"并记入“{SHEETS.REMIND_LOG}”表",
}


def help_lines(macro_enabled: bool, illustrative: Sequence[str],
               server_url: str | None = None) -> list[tuple[str, str]]:
    statuses = "；".join(
        f"{s.value}：" + {Status.DONE: "措施已办结，需填完成日期和整改落实情况",
                         Status.ONGOING: "已办结并作为长效机制坚持，视为完成",
                         Status.BASIC: "主体工作已完成、仍需持续整改，不计入已完成",
                         Status.IN_PROGRESS: "尚未完成"}[s] for s in Status)
    statuses += ("；" + Closure.ACCEPTED.value
                 + "：已完成的措施经验收合格，需填验收人、验收日期（不早于完成日期）；"
                 + Closure.CLOSED.value + "：验收后销号，须先验收。两者在公告中均计入“已完成”")
    lines: list[tuple[str, str]] = [
        ("h", "巡察整改台账 使用说明"),
        ("h", "一、各工作表的用途"),
        ("p", f"{SHEETS.LEDGER}：整改台账主表，一条整改措施占一行（问题清单、任务清单、责任清单合一）。"),
        ("p", f"{SHEETS.INFO}：被巡察单位、巡察组、巡察起止日期、反馈日期、统计截止日期、"
              "联系方式等，公告开头和结尾据此生成。"),
        ("p", f"{SHEETS.TEXT}：公告中需要自己撰写的段落（第一部分、第三部分等），每行一段，"
              "“部分”列说明放在哪一部分。"),
        ("p", f"{SHEETS.OPTIONS}：“方面”“整改状态”的下拉选项，可补充新的方面。"),
        ("p", f"{SHEETS.SETTINGS}：报送上级的邮箱设置（密码不在此填写）。"),
        ("h", "二、如何填写一行"),
        ("p", "方面、反馈问题、具体问题：同一具体问题有多条措施时，每行都重复填写（也可合并单元格）。"),
        ("p", "整改措施、责任领导、责任部门、完成时限、整改状态为必填；"
              "完成时限填日期，长期工作填“长期坚持”。"),
        ("p", "措施完成后：整改状态改为“已完成”或“长期坚持”，填写完成日期和整改落实情况"
              "（公告按“一是、二是”依次列出）。"),
        ("p", "红色底纹：已过完成时限仍未完成；黄色底纹：序时进度滞后，即从开始日期（未填则从反馈日期）"
              "到完成时限已过去的时间比例，超过完成进度（未填则“正在推进”按50%、“基本完成”按80%、未填状态按0%估计）"
              f"达“{SHEETS.SETTINGS}”中的序时进度容差（默认20%）。"
              f"逾期和序时进度按“{SHEETS.INFO}”中的统计截止日期判断，未填则按今天。"),
        ("h", "三、整改状态"),
        ("p", statuses),
        ("h", "四、不用宏也能用"),
        ("p", "本工作簿不启用宏也能完整填写（Excel 和 WPS 均可）：下拉列表、日期格式、逾期标色都不依赖宏。"
              "报送上级时请发送不含宏的 .xlsx 文件。"),
        ("h", "五、按钮与命令行"),
    ]
    if macro_enabled and server_url:
        lines.append(("p", f"本工作簿（.xlsm，服务器版）在“{SHEETS.LEDGER}”顶部有按钮，需启用宏；"
                           f"按钮把台账内容发给本单位的 rectify-xl 服务器（{server_url}）处理，"
                           "本机不必安装 Python。服务器地址变更时请找技术人员重新生成台账。"
                           "“发送上级”请在服务器网页工作台中操作。WPS 用户请直接使用网页工作台。"))
    elif macro_enabled:
        lines.append(("p", f"本工作簿（.xlsm）在“{SHEETS.LEDGER}”顶部有按钮，"
                           "需启用宏并安装 Python 与 rectify-xl；WPS 不支持这些按钮，请改用下列命令行。"))
        lines.append(("p", f"按钮通过 rectify-xl 自带的启动器 {LAUNCHER} 运行；如提示找不到，请在"
                           f"“{SHEETS.XLWINGS_CONF}”表的 Interpreter_Win 一行填写它的完整路径"
                           "（通常在 Python 安装目录的 Scripts 文件夹中）。"))
    else:
        lines.append(("p", "本文件不含宏和按钮；带按钮的版本为“整改台账.xlsm”。每个按钮都有等价的命令行："))
    for b in BUTTONS:
        cmd = CLI_EQUIVALENTS.get(b.macro, b.function)
        action = BUTTON_ACTIONS.get(b.macro, "")
        lines.append(("p", f"【{b.caption}】{action}；等同于命令：rectify-xl {cmd} 台账.xlsx"))
    if illustrative:
        lines += [("h", "六、关于样例数据"),
                  ("p", "本样例依据已公布的整改进展情况公告整理；"
                        + "、".join(f"“{n}”" for n in illustrative) + "为示意数据，公告原文未载明。")]
    return lines


def write_help_sheet(ws: Any, f: Formats, *, macro_enabled: bool, illustrative: Sequence[str],
                     server_url: str | None = None) -> None:
    width = 72  # within A4 portrait: LibreOffice shrinks no single column wider than the page
    ws.set_column(0, 0, width, f.wrap)
    ws.hide_gridlines(2)
    for r, (kind, text) in enumerate(help_lines(macro_enabled, illustrative, server_url)):
        ws.write_string(r, 0, text, f.title if r == 0 else (f.label if kind == "h" else f.wrap))
        if r and kind != "h":  # LibreOffice keeps the default height on load: a long line is cut
            ws.set_row(r, text_lines(text, width) * LINE_HEIGHT + 3)


LAUNCHER = "rectify-xl-python"

# xlwings reads A1 downwards until the first blank (GetConfigFromSheet), keys upper-cased.
XLWINGS_CONF: tuple[tuple[str, object, str], ...] = (
    # rectify-xl's launcher keeps pandas out of a validate click (docs/dev/decisions.md)
    ("Interpreter_Win", LAUNCHER,
     "rectify-xl 自带的启动器（点按钮更快）；找不到时填它或 python.exe 的完整路径"),
    # macOS starts it with a minimal PATH, so only a full path works there: left to the user
    ("Interpreter_Mac", "",
     "macOS：填终端中 which rectify-xl-python 显示的完整路径；留空则用 python（较慢）"),
    ("PYTHONPATH", "", "一般留空"),
    ("UDF Modules", "", "本台账不使用自定义函数"),
    ("Debug UDFs", False, ""),
    ("Use UDF Server", False, "保持 FALSE：每次点击按钮启动新的 Python 进程"),
    ("Show Console", False, ""),
)


def write_xlwings_conf(ws: Any, f: Formats) -> None:
    ws.set_column(0, 0, 18, f.text)
    ws.set_column(1, 1, 40, f.fill_in)
    ws.set_column(2, 2, 60, f.hint)
    for r, (key, value, hint) in enumerate(XLWINGS_CONF):
        ws.write_string(r, 0, key, f.text)
        if isinstance(value, bool):
            ws.write_boolean(r, 1, value, f.fill_in)
        elif value:
            ws.write_string(r, 1, str(value), f.fill_in)
        else:
            ws.write_blank(r, 1, None, f.fill_in)
        if hint:
            ws.write_string(r, 2, hint, f.hint)


def write_settings_sheet(ws: Any, f: Formats) -> None:
    """设置: mail settings, label/value/help. Never a password row."""
    ws.set_column(0, 0, 14, f.label)
    ws.set_column(1, 1, 36, f.fill_in)
    ws.set_column(2, 2, 60, f.hint)
    for c, head in enumerate(("项目", "内容", "说明")):
        ws.write_string(0, c, head, f.header)
    for r, field in enumerate(SETTINGS_FIELDS, start=1):
        ws.write_string(r, 0, field.label, f.label)
        if field.key == "schedule_margin":  # a number, so Excel shows and edits it as 20%
            ws.write_number(r, 1, DEFAULT_MARGIN, f.percent)
        else:
            write_value(ws, r, 1, field.default, f.fill_in, f.date)
        if field.help:
            ws.write_string(r, 2, field.help, f.hint)
        choices = list(SETTINGS_SECURITY) if field.key == "security" else (
            ["是", "否"] if field.key == "encrypt" else None)
        if choices:
            ws.data_validation(r, 1, r, 1, {"validate": "list", "source": choices, "error_type": "stop",
                                            "error_message": "只能填写：" + "、".join(choices)})
    note = len(SETTINGS_FIELDS) + 2
    ws.write_string(note, 0, "注意", f.label)
    ws.write_string(note, 2, "邮箱密码不要写在本工作簿中：发送时从环境变量、系统钥匙串或弹窗获取。",
                    f.required)


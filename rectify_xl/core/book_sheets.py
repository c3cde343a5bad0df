"""The sheets the ledger workbook builder lays out beside the ledger, described once
(core.sheet_spec) in the ledger workbook's own look (styles ``ledger_*``: 黑体 headers on blue,
宋体 body cells, pale ruled cells to fill in, grey hints); adapters.sheet_xlsxwriter writes them.

- ``report_sheet``: a table whose first row is its header (导入报告 of ``rectify-xl import`` and
  ``rectify-xl adopt``), each column as wide as its longest value (CJK characters count two),
  the header frozen and ruled for printing;
- ``help_sheet`` (使用说明), ``settings_sheet`` (设置), ``xlwings_conf_sheet`` (xlwings.conf, .xlsm).

The input sheets (整改清单, 基本信息, 文稿, 选项: tables, drop-downs, conditional formats and names
for the user to fill in) are laid out by adapters.workbook_sheets.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from rectify_xl.core.model import col_letter
from rectify_xl.core.schedule import DEFAULT_MARGIN
from rectify_xl.core.schema import (
    BUTTONS,
    SETTINGS_FIELDS,
    SETTINGS_SECURITY,
    SHEETS,
    Closure,
    Status,
)
from rectify_xl.core.sheet_spec import Block, Choice, SheetSpec, Styled

__all__ = [
    "BUTTON_ACTIONS",
    "CLI_EQUIVALENTS",
    "HELP_WIDTH",
    "LAUNCHER",
    "LINE_HEIGHT",
    "REPORT_MAX_WIDTH",
    "REPORT_MIN_WIDTH",
    "XLWINGS_CONF",
    "help_lines",
    "help_sheet",
    "report_sheet",
    "settings_sheet",
    "text_lines",
    "xlwings_conf_sheet",
]

REPORT_MIN_WIDTH, REPORT_MAX_WIDTH = 8, 60


def _width(value: object) -> int:
    """A column wide enough for ``value``: two per character (CJK is two wide), bounded."""
    return min(REPORT_MAX_WIDTH, max(REPORT_MIN_WIDTH, len(str(value or "")) * 2))


def _body_styles(rows: Sequence[Sequence[object]]) -> list[Styled]:
    """Each body cell's style: dates get the date style, every other cell wraps. Runs of one
    kind along a row become one rectangle, and equal runs of consecutive rows grow it down."""
    out: list[Styled] = []
    previous: dict[tuple[int, int, str], int] = {}  # a run of the row above → its index in out
    for r, row in enumerate(rows[1:], start=2):
        runs: list[tuple[int, int, str]] = []  # (left, right, style)
        for c, value in enumerate(row, start=1):
            style = "ledger_date" if isinstance(value, date) else "ledger_wrap"
            if runs and runs[-1][2] == style:
                runs[-1] = (runs[-1][0], c, style)
            else:
                runs.append((c, c, style))
        current: dict[tuple[int, int, str], int] = {}
        for run in runs:
            above = previous.get(run)
            if above is not None:
                s = out[above]
                out[above] = Styled(s.top, s.left, r, s.right, s.style)
                current[run] = above
            else:
                current[run] = len(out)
                out.append(Styled(r, run[0], r, run[1], run[2]))
        previous = current
    return out


def report_sheet(name: str, rows: Sequence[Sequence[object]]) -> SheetSpec:
    """A report table: ``rows[0]`` is the header. Values are written as they are (text always
    as text, never a formula)."""
    table = tuple(tuple(row) for row in rows)
    widths: dict[int, int] = {}
    for row in table:
        for c, value in enumerate(row, start=1):
            widths[c] = max(widths.get(c, REPORT_MIN_WIDTH), _width(value))
    styles: list[Styled] = []
    if table and table[0]:  # "header" starts the ruled, repeated table; ledger_header: its look
        styles += [Styled(1, 1, 1, len(table[0]), "header"),
                   Styled(1, 1, 1, len(table[0]), "ledger_header")]
    styles += _body_styles(table)
    return SheetSpec(
        name, (Block(1, 1, table),) if table else (), styles=tuple(styles),
        widths=tuple((col_letter(c), float(w)) for c, w in sorted(widths.items())),
        freeze="A2" if table else None,
    )


# --- 使用说明, 设置, xlwings.conf: the side sheets of every ledger workbook ------------------------
LAUNCHER = "rectify-xl-python"
HELP_WIDTH = 72  # within A4 portrait: LibreOffice shrinks no single column wider than the page
LINE_HEIGHT = 14.5  # points per wrapped line of 11 pt 宋体

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


def text_lines(text: str, width: float) -> int:
    """Lines a wrapped cell needs: CJK characters are two width units, others one."""
    usable = max(width - 1, 1)
    lines = 0
    for part in text.split("\n"):
        units = sum(2 if ord(ch) > 0x2E7F else 1 for ch in part)
        lines += max(1, -(-units // int(usable)))
    return lines
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


def _rows_styled(kinds: Sequence[str], col: int) -> list[Styled]:
    """One rectangle per run of rows of one style in column ``col`` (rows 1-based)."""
    out: list[Styled] = []
    for r, style in enumerate(kinds, start=1):
        if out and out[-1].style == style and out[-1].bottom == r - 1:
            s = out[-1]
            out[-1] = Styled(s.top, s.left, r, s.right, style)
        else:
            out.append(Styled(r, col, r, col, style))
    return out


def help_sheet(*, macro_enabled: bool, illustrative: Sequence[str],
               server_url: str | None = None) -> SheetSpec:
    """使用说明: the title, headings and paragraphs in one wrapped column, no gridlines; each
    paragraph's row as high as its lines (LibreOffice keeps the default height on load and
    would cut a long line)."""
    lines = help_lines(macro_enabled, illustrative, server_url)
    kinds = ["ledger_title" if r == 0 else ("ledger_label" if kind == "h" else "ledger_wrap")
             for r, (kind, _) in enumerate(lines)]
    return SheetSpec(
        SHEETS.HELP, (Block(1, 1, tuple((text,) for _, text in lines)),),
        styles=tuple(_rows_styled(kinds, 1)),
        widths=(("A", float(HELP_WIDTH)),), column_styles=(("A", "ledger_wrap"),),
        heights=tuple((r + 1, text_lines(text, HELP_WIDTH) * LINE_HEIGHT + 3)
                      for r, (kind, text) in enumerate(lines) if r and kind != "h"),
        gridlines=False,
    )


def settings_sheet() -> SheetSpec:
    """设置: label / value to fill in / help for every setting (SETTINGS_FIELDS), drop-downs
    where the values are fixed, and the note that no password belongs here."""
    rows: list[tuple[object, ...]] = [("项目", "内容", "说明")]
    warning = "邮箱密码不要写在本工作簿中：发送时从环境变量、系统钥匙串或弹窗获取。"
    choices: list[Choice] = []
    for r, field in enumerate(SETTINGS_FIELDS, start=2):
        # the margin is a number, so Excel shows and edits it as 20%
        value = DEFAULT_MARGIN if field.key == "schedule_margin" else field.default
        rows.append((field.label, value, field.help or None))
        values = tuple(SETTINGS_SECURITY) if field.key == "security" else (
            ("是", "否") if field.key == "encrypt" else ())
        if values:
            choices.append(Choice(f"B{r}", values, "只能填写：" + "、".join(values)))
    last = len(rows)
    note = last + 2
    margin_row = 2 + [f.key for f in SETTINGS_FIELDS].index("schedule_margin")
    styles = [
        Styled(1, 1, 1, 3, "header"), Styled(1, 1, 1, 3, "ledger_header"),
        Styled(2, 1, last, 1, "ledger_label"),
        *[Styled(top, 2, bottom, 2, "ledger_fill_in")
          for top, bottom in ((2, margin_row - 1), (margin_row + 1, last)) if top <= bottom],
        Styled(margin_row, 2, margin_row, 2, "ledger_percent"),
        *[Styled(r, 3, r, 3, "ledger_hint") for r in range(2, last + 1) if rows[r - 1][2]],
        Styled(note, 1, note, 1, "ledger_label"), Styled(note, 3, note, 3, "ledger_required"),
    ]
    return SheetSpec(
        SHEETS.SETTINGS,
        (Block(1, 1, tuple(rows)),
         Block(note, 1, (("注意", None, warning),))),
        styles=tuple(styles), widths=(("A", 14.0), ("B", 36.0), ("C", 60.0)),
        column_styles=(("A", "ledger_label"), ("B", "ledger_fill_in"), ("C", "ledger_hint")),
        choices=tuple(choices),
    )


def xlwings_conf_sheet() -> SheetSpec:
    """xlwings.conf: key / value / hint from A1 down, no header (xlwings reads to the first blank)."""
    rows = tuple((key, value if value != "" else None, hint or None)
                 for key, value, hint in XLWINGS_CONF)
    n = len(rows)
    styles = [Styled(1, 1, n, 1, "ledger_text"), Styled(1, 2, n, 2, "ledger_fill_in"),
              *[Styled(r, 3, r, 3, "ledger_hint") for r, row in enumerate(rows, start=1) if row[2]]]
    return SheetSpec(
        SHEETS.XLWINGS_CONF, (Block(1, 1, rows),), styles=tuple(styles),
        widths=(("A", 18.0), ("B", 40.0), ("C", 60.0)),
        column_styles=(("A", "ledger_text"), ("B", "ledger_fill_in"), ("C", "ledger_hint")),
    )

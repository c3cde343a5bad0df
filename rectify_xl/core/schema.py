"""The one source of truth for sheet names, column headers, statuses and info fields.

Everything user-facing that names a part of the ledger comes from here: the workbook builder
writes headers and dropdowns from it, the reader maps headers to keys through it, the rules and
the summary use the keys, and the docs tables are generated from it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from rectify_xl.core.aliases import HEADER_ALIASES, STATUS_WORDS, header_form, status_form

__all__ = [
    "ALIASES",
    "ALL_COLUMNS",
    "BUTTONS",
    "CLOSURE_WORDS",
    "COLUMNS",
    "COLUMN_BY_KEY",
    "DEADLINE_ONGOING",
    "DONE_STATUSES",
    "GROUP_STATUSES",
    "HEADER_KEYS",
    "INFO_BY_KEY",
    "INFO_FIELDS",
    "MERGE_CHANGES_COLUMNS",
    "MERGE_FINDINGS_COLUMNS",
    "MERGE_HEADERS_COLUMNS",
    "MERGE_OVERDUE_COLUMNS",
    "MERGE_ROSTER_COLUMNS",
    "MERGE_SUMMARY_COLUMNS",
    "MERGE_UNIT",
    "PROBLEM_LEVEL_KEYS",
    "READ_COLUMNS",
    "SETTINGS_FIELDS",
    "SETTINGS_SECURITY",
    "SHEETS",
    "STATUS_CHOICES",
    "STATUS_SYNONYMS",
    "TEXT_COLUMNS",
    "TEXT_SECTIONS",
    "Button",
    "Closure",
    "Column",
    "InfoField",
    "SettingField",
    "Status",
]
__all__ += [
    "CHANGE_LOG_COLUMNS",
    "CONTACT_COLUMNS",
    "CONTACT_TABLE",
    "EVIDENCE_FOLDER_SUFFIX",
    "LIFE_KEYS",
    "OUTCOMES",
    "OUTCOME_BY_KEY",
    "PACK_MANIFEST",
    "REMIND_COLUMNS",
    "ROUND_KEYS",
    "Outcome",
    "Stream",
]


class SHEETS:
    """Sheet names (Chinese, user-facing)."""

    INFO = "基本信息"
    LEDGER = "整改清单"
    TEXT = "文稿"
    OPTIONS = "选项"
    HELP = "使用说明"
    RESULTS = "校验结果"
    SUMMARY = "进度汇总"
    HISTORY = "进度历史"
    NOTICE = "公告"
    SETTINGS = "设置"
    IMPORT_REPORT = "导入报告"
    EVIDENCE = "佐证材料清单"  # issue 17: `rectify-xl evidence`, in the annotated copy
    REMIND_LOG = "催办记录"  # issue 17: one row per reminder letter (`rectify-xl remind`)
    CHANGE_LOG = "修改记录"  # issue 17: `rectify-xl record`, one row per changed cell
    CHANGE_SNAPSHOT = "修改记录快照"  # hidden: the values at the last record, and the seal
    XLWINGS_CONF = "xlwings.conf"
    # the consolidated workbook of `rectify-xl merge` (issue 7)
    MERGE_SUMMARY = "汇总"
    MERGE_DETAIL = "明细"
    MERGE_OVERDUE = "逾期"
    MERGE_ROSTER = "未报送"
    MERGE_FINDINGS = "校验问题"
    MERGE_HEADERS = "表头差异"
    MERGE_CHANGES = "变化"
    # the round's sheets (issue 18)
    MERGE_STREAMS = "分类统计"
    MERGE_RANKING = "排名"
    CHASE_LOG = "催报记录"


# Sheets the actions write: never mistaken for the ledger when 整改清单 is missing.
OUTPUT_SHEETS = (SHEETS.RESULTS, SHEETS.SUMMARY, SHEETS.HISTORY, SHEETS.NOTICE)
__all__ += ["OUTPUT_SHEETS"]


class Status(StrEnum):
    """整改状态. 长期坚持 counts as done: the item is closed and kept up as standing practice.
    基本完成 is a state of its own: not closed; notices report it as
    "基本完成、取得阶段性成果并持续整改"."""

    DONE = "已完成"
    ONGOING = "长期坚持"
    BASIC = "基本完成"
    IN_PROGRESS = "正在推进"

    @classmethod
    def parse(cls, text: str, extra: Mapping[str, Status] | None = None) -> Status | None:
        """The state a status cell names: the standard words, the documented table
        (core/aliases.STATUS_WORDS), then the unit's own words from 选项 (``extra``)."""
        word = status_form(text)
        if extra and word in extra:
            return extra[word]
        known = STATUS_SYNONYMS.get(word)
        if known is not None:
            return known
        from rectify_xl.core.status_words import infer_status  # imports this module

        return infer_status(text)  # a phrase no table lists: by its words (RX409)


# Every word accepted on reading (standard values included), in status_form; RX402 names the rest.
STATUS_SYNONYMS: dict[str, Status] = {
    **{status_form(word): Status(value) for word, (value, _source) in STATUS_WORDS.items()},
    **{s.value: s for s in Status},
}
# The states whose measures the summary's breakdown tables show in their own columns; the last
# column (正在推进) holds every measure that is not closed (基本完成 included).
GROUP_STATUSES: tuple[Status, ...] = (Status.DONE, Status.ONGOING, Status.IN_PROGRESS)

DONE_STATUSES = frozenset({Status.DONE, Status.ONGOING})


class Closure(StrEnum):
    """The steps after 已完成 where a unit uses them (issue 17): 已完成 → 已验收 → 已销号.

    They are not statuses of their own for counting: a measure 已验收 or 已销号 is 已完成, so the
    notice counts stay as published notices phrase them ("已完成整改N个"); the summary and the merge
    count these steps separately when a ledger uses them.
    """

    ACCEPTED = "已验收"
    CLOSED = "已销号"

    @classmethod
    def parse(cls, status_text: str) -> Closure | None:
        if status_text in CLOSURE_WORDS:  # as typed (the keys hold no spaces): no split
            return CLOSURE_WORDS[status_text]
        return CLOSURE_WORDS.get("".join(status_text.split()))


# Status words that name a closure step (each is also a STATUS_SYNONYMS entry → 已完成).
CLOSURE_WORDS: dict[str, Closure] = {
    "已验收": Closure.ACCEPTED,
    "已销号": Closure.CLOSED,
}

# The 整改状态 dropdown of the template: the three statuses with the two closure steps after 已完成.
STATUS_CHOICES: tuple[str, ...] = (
    Status.DONE.value, Closure.ACCEPTED.value, Closure.CLOSED.value,
    Status.ONGOING.value, Status.BASIC.value, Status.IN_PROGRESS.value,
)
class Stream(StrEnum):
    """类别 (issue 18): the three streams a 巡察办 tracks. A blank 类别 cell is 反馈问题."""

    FEEDBACK = "反馈问题"  # problems in the feedback (反馈意见)
    IMMEDIATE = "立行立改"  # items fixed during the inspection itself
    TRANSFERRED = "移交意见"  # opinions handed to functional departments

    @classmethod
    def parse(cls, text: str) -> Stream | None:
        """The stream a 类别 cell names ("" → 反馈问题); None for a word that is none of them."""
        if not text:  # the usual blank cell
            return cls.FEEDBACK
        word = "".join(text.split())
        if not word:
            return cls.FEEDBACK
        return next((s for s in cls if s.value == word), STREAM_SYNONYMS.get(word))


# Other words for the streams, as published round notices and ledgers write them
# (docs/dev/round.md lists the sources).
STREAM_SYNONYMS: dict[str, Stream] = {
    "反馈意见": Stream.FEEDBACK,
    "巡察反馈问题": Stream.FEEDBACK,
    "立行立改问题": Stream.IMMEDIATE,
    "即知即改": Stream.IMMEDIATE,
    "移交问题": Stream.TRANSFERRED,
    "移交事项": Stream.TRANSFERRED,
    "移交职能部门": Stream.TRANSFERRED,
}


@dataclass(frozen=True, slots=True)
class Outcome:
    """An outcome figure of a measure (issue 18): summed by summary and merge, stated by the
    round 通报 as published ones do ("建立完善制度589项", "挽回经济损失1369.5万元", "问责552人")."""

    key: str
    header: str  # the template's header, with the unit in brackets
    unit: str  # 项 / 万元 / 人
    integer: bool  # a count (项, 人) rather than an amount (万元)
    phrase: str  # what the notice says before the figure


OUTCOMES: tuple[Outcome, ...] = (
    Outcome("systems", "完善制度（项）", "项", True, "建立完善制度"),
    Outcome("recovered", "挽回损失/追缴资金（万元）", "万元", False, "挽回损失、追缴资金"),
    Outcome("accountable", "追责问责（人）", "人", True, "追责问责"),
    Outcome("lessons", "举一反三（项）", "项", True, "举一反三整改问题"),
    Outcome("campaigns", "专项整治（项）", "项", True, "开展专项整治"),
)
OUTCOME_BY_KEY: dict[str, Outcome] = {o.key: o for o in OUTCOMES}

# 佐证材料 live beside the ledger in "<ledger name>-佐证材料/" (issue 17, core.evidence).
EVIDENCE_FOLDER_SUFFIX = "-佐证材料"
# 联系人 (issue 17): an optional table on the 设置 sheet, a header row 部门 | 邮箱 and one
# department a row below it; `remind --mail` sends each department its letter there.
CONTACT_TABLE = "联系人"
CONTACT_COLUMNS = ("部门", "邮箱")
# 修改记录 (issue 17, core.change_log): 校验码 chains each row to the one before.
CHANGE_LOG_COLUMNS = ("序号", "时间", "修改人", "工作表", "单元格", "原值", "新值", "校验码")
# The manifest inside a 报送包 (`rectify-xl pack`), at the root of the archive.
PACK_MANIFEST = "报送清单.json"

# The deadline cell holds a date or this token (ongoing work without an end date).
DEADLINE_ONGOING = "长期坚持"


@dataclass(frozen=True, slots=True)
class Column:
    key: str  # English identifier used everywhere in code
    header: str  # the Chinese header in the workbook
    required: bool  # a value is required in every measure row
    kind: str = "text"  # text | date | deadline | status
    width: float = 14  # column width in the template (characters)
    problem_level: bool = False  # the same value over all rows of one concrete problem
    note: str = ""  # the header comment in the template


COLUMNS: tuple[Column, ...] = (
    Column("seq", "序号", False, width=6, note="措施序号，不可重复"),
    Column("aspect", "方面", True, width=16, problem_level=True,
           note="反馈意见中的问题方面，可从下拉列表选择（在“选项”表维护）"),
    Column("feedback", "反馈问题", True, width=22, problem_level=True,
           note="巡察组反馈的原始问题（简称即可），用于统计反馈问题数"),
    Column("problem", "具体问题", True, width=36, problem_level=True,
           note="细化分解后的具体问题，按反馈原文填写；同一问题的多条措施可重复填写或合并单元格"),
    Column("measure", "整改措施", True, width=36, note="一条措施一行"),
    Column("leader", "责任领导", True, width=10),
    Column("department", "责任部门", True, width=12, note="责任部门或责任人"),
    Column("deadline", "完成时限", True, kind="deadline", width=12,
           note="日期，或填“长期坚持”"),
    Column("status", "整改状态", True, kind="status", width=10,
           note=" / ".join(STATUS_CHOICES)),
    Column("done_date", "完成日期", False, kind="date", width=12, note="已完成、长期坚持的措施必填"),
    Column("progress", "整改落实情况", False, width=48,
           note="已完成、长期坚持的措施必填；公告中按“一是、二是”依次列出"),
    Column("evidence", "佐证材料", False, width=20),
    Column("percent", "完成进度", False, kind="percent", width=9,
           note="选填：百分比，如 60%；用于判断序时进度，留空则按整改状态估计"),
    Column("start_date", "开始日期", False, kind="date", width=12,
           note="选填：措施的开始日期；留空则从巡察反馈日期起算序时进度"),
    Column("accept_by", "验收人", False, width=10, note="选填：验收人（已验收、已销号的措施必填）"),
    Column("accept_date", "验收日期", False, kind="date", width=12,
           note="选填：验收日期，不早于完成日期（已验收、已销号的措施必填）"),
    Column("accept_note", "验收意见", False, width=24),
    Column("remark", "备注", False, width=16),
    # issue 18: optional, after the template's original columns; a ledger without them is
    # complete (they are never reported as missing)
    Column("stream", "类别", False, kind="stream", width=10, problem_level=True,
           note="反馈问题 / 立行立改 / 移交意见；留空按“反馈问题”统计"),
    *(Column(o.key, o.header, False, kind="number", width=10,
             note=f"该措施取得的成效，填数字（单位：{o.unit}），没有则留空") for o in OUTCOMES),
)
# Optional columns of the round's figures: not listed as missing when a ledger lacks them.
ROUND_KEYS: frozenset[str] = frozenset({"stream", *(o.key for o in OUTCOMES)})

# issue 17: optional columns of 序时进度 and 验收; a ledger without them is complete too.
LIFE_KEYS: frozenset[str] = frozenset({"percent", "start_date", "accept_by", "accept_date",
                                       "accept_note"})

# A required column whose absence is a shape of its own, not an error: many real ledgers group
# their problems under no 方面; the notice then numbers the problems directly under 二、.
SHAPE_KEYS: frozenset[str] = frozenset({"aspect"})

# Columns real ledgers keep that the template does not have (issue 14): recognised on reading
# (through core/aliases.HEADER_ALIASES), kept in the model, carried over by `adopt` as extra
# columns. Their header here is how the tool names them in messages.
READ_COLUMNS: tuple[Column, ...] = (
    Column("person", "责任人", False, width=10, note="责任人（个人），不是责任部门"),
    Column("leader2", "分管领导", False, width=10,
           note="第二个领导列（如“责任领导”之外的“分管领导”“牵头领导”），原样保留"),
    Column("department2", "配合部门", False, width=12,
           note="第二个部门列（如“牵头部门”之外的“配合单位”），原样保留"),
)
ALL_COLUMNS: tuple[Column, ...] = COLUMNS + READ_COLUMNS
COLUMN_BY_KEY: dict[str, Column] = {c.key: c for c in ALL_COLUMNS}
PROBLEM_LEVEL_KEYS: tuple[str, ...] = tuple(c.key for c in COLUMNS if c.problem_level)
# 催办记录 (issue 17): one row per letter; 序号 lists the measures (their 序号, else "第N行");
# 类别 here is the kind of letter (提醒/督办), not the stream column.
REMIND_COLUMNS = ("日期", COLUMN_BY_KEY["department"].header, "类别", COLUMN_BY_KEY["seq"].header,
                  "措施数", "方式", "文件")

# Header text (in aliases.header_form) → column key: the template's headers, then the documented
# alias table of real ledgers and systems (core/aliases.py lists each one's source).
ALIASES: dict[str, str] = {alias: key for alias, (key, _source) in HEADER_ALIASES.items()}
HEADER_KEYS: dict[str, str] = {
    **ALIASES,
    **{header_form(c.header): c.key for c in ALL_COLUMNS if c.key not in ("leader2", "department2")},
}


@dataclass(frozen=True, slots=True)
class InfoField:
    key: str
    label: str  # the Chinese label in column A of 基本信息
    kind: str = "text"  # text | date
    required: bool = True
    example: str = ""


INFO_FIELDS: tuple[InfoField, ...] = (
    InfoField("unit", "被巡察单位", example="县委政法委"),
    InfoField("group", "巡察组", example="县委第一巡察组"),
    InfoField("deployer", "部署机关", required=False, example="县委"),
    InfoField("start", "巡察开始日期", "date", example="2021-03-11"),
    InfoField("end", "巡察结束日期", "date", example="2021-04-25"),
    InfoField("feedback_date", "反馈日期", "date", example="2021-07-07"),
    InfoField("as_of", "统计截止日期", "date", example="2021-10-31"),
    InfoField("publish_date", "公布日期", "date", required=False, example="2021-11-05"),
    InfoField("issuer", "发文机关", required=False, example="中共某县委政法委员会"),
    InfoField("title", "公告标题", required=False),
    InfoField("phone", "联系电话", required=False, example="0913-3253456"),
    InfoField("address", "通讯地址", required=False, example="某县某街道某街61号"),
    InfoField("email", "电子邮箱", required=False, example="example@163.com"),
    # the number of feedback problems the feedback states, for a ledger whose 反馈问题 column is
    # not grouped yet (an imported notice says "6个问题" but not which concrete problem is which)
    InfoField("feedback_count", "反馈问题数", required=False, example="6"),
)
INFO_BY_KEY: dict[str, InfoField] = {f.key: f for f in INFO_FIELDS}

# 选项: besides the 方面 list, a unit may list its own status words and the state each counts as
# (issue 14): one row per word, e.g. 办结 | 已完成. Read on top of aliases.STATUS_WORDS.
OPTIONS_STATUS_WORD = "状态用语"
OPTIONS_STATUS_AS = "视为状态"
__all__ += ["OPTIONS_STATUS_AS", "OPTIONS_STATUS_WORD"]

# 文稿: the free-text sections of the notice, one paragraph per row.
TEXT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("section", "部分"),
    ("lead", "标题句"),
    ("body", "正文"),
)
# Header words accepted for each 文稿 column (the template's first): units retitle them.
TEXT_HEADERS: dict[str, tuple[str, ...]] = {
    "section": ("部分", "段落", "所属部分"),
    "lead": ("标题句", "标题", "小标题"),
    "body": ("正文", "内容"),
}
__all__ += ["TEXT_HEADERS"]
# Values of the 部分 column and what each holds.
TEXT_SECTIONS: dict[str, str] = {
    "开头": "开头段落（可选；留空则按基本信息自动生成）",
    "一": "第一部分“党委履行巡察整改工作主体责任情况”：第一行只填正文（导语），其后每行一个（一）（二）…",
    "三": "第三部分“下一步打算”：第一行只填正文（导语），其后每行一个（一）（二）…",
    "结尾": "结尾段落（联系方式自动接在其后）",
}


@dataclass(frozen=True, slots=True)
class SettingField:
    key: str
    label: str  # column A of the 设置 sheet
    default: str = ""
    help: str = ""


# The 设置 sheet (issue 4). No password here, ever: it comes from the environment, keyring or a prompt.
SETTINGS_FIELDS: tuple[SettingField, ...] = (
    SettingField("to", "收件人", help="多个地址用分号隔开"),
    SettingField("cc", "抄送", help="多个地址用分号隔开"),
    SettingField("sender_name", "发件人姓名"),
    SettingField("sender", "发件人地址"),
    SettingField("smtp_host", "SMTP服务器", help="留空则只生成邮件草稿（.eml）"),
    SettingField("smtp_port", "SMTP端口", help="SSL 一般为 465，STARTTLS 一般为 587"),
    SettingField("security", "加密方式", "SSL", help="SSL / STARTTLS / 无"),
    SettingField("user", "用户名", help="密码不在此填写：运行时从环境变量、系统钥匙串或弹窗获取"),
    SettingField("encrypt", "附件加密", "否", help="是 / 否；密码另行告知收件人"),
    SettingField("schedule_margin", "序时进度容差", "20%",
                 help="时间已过比例超过完成进度多少即为“序时进度滞后”，如 20%"),
    SettingField("due_days", "临期提醒天数", help="完成时限前多少天算“临期”；留空为 14 天"),
)
SETTINGS_SECURITY = ("SSL", "STARTTLS", "无")


@dataclass(frozen=True, slots=True)
class Button:
    caption: str  # Chinese caption on the sheet
    macro: str  # the VBA Sub in macros/Buttons.bas
    function: str  # the Python function in rectify_xl.entrypoints.buttons


BUTTONS: tuple[Button, ...] = (
    Button("校验", "Validate", "validate"),
    Button("汇总进度", "Summarize", "summary"),
    Button("生成公告", "MakeNotice", "notice"),
    Button("发送上级", "SendToSuperiors", "send"),
    Button("催办", "Remind", "remind"),
)


# Headers of the consolidated workbook (issue 7), sheet by sheet. 明细 is 单位 + COLUMNS headers.
MERGE_UNIT = "单位"
# The summary's key of each state's measure count (Summary.measures_<key>, UnitRow.<key>).
STATUS_KEYS: dict[Status, str] = {Status.DONE: "done", Status.ONGOING: "ongoing",
                                  Status.BASIC: "basic", Status.IN_PROGRESS: "in_progress"}
_STATUS_COLUMNS: tuple[tuple[str, str], ...] = tuple((STATUS_KEYS[s], s.value) for s in Status)
MERGE_SUMMARY_COLUMNS: tuple[tuple[str, str], ...] = (
    ("unit", MERGE_UNIT), ("problems", "具体问题数"), ("measures", "整改措施数"),
    *_STATUS_COLUMNS, ("overdue", "逾期"),
    ("due_soon", "临期"), ("accepted", "其中已验收"), ("closed_off", "其中已销号"),
    ("behind", "序时进度滞后"), ("reminders", "催办次数"), ("completion_rate", "完成率"),
    ("on_time_rate", "按期完成率"),
    ("as_of", INFO_BY_KEY["as_of"].label), ("errors", "校验错误"), ("source", "来源文件"),
    ("sha256", "SHA-256"),
)
__all__ += ["STATUS_KEYS"]
# Derived from COLUMNS / INFO_FIELDS (one source of names, issue 12 item 3): a renamed header
# renames these too.
MERGE_OVERDUE_COLUMNS = (MERGE_UNIT, *(COLUMN_BY_KEY[k].header for k in (
    "seq", "aspect", "problem", "measure", "leader", "department", "deadline")),
    "逾期天数", COLUMN_BY_KEY["status"].header, "来源文件")
MERGE_ROSTER_COLUMNS = (MERGE_UNIT, "情况", INFO_BY_KEY["as_of"].label, "来源文件", "说明")
MERGE_FINDINGS_COLUMNS = (MERGE_UNIT, "来源文件", "级别", "代码", "位置", "说明")
MERGE_HEADERS_COLUMNS = ("来源文件", MERGE_UNIT, "缺少的列", "多出的列", "按别名识别的列")
MERGE_CHANGES_COLUMNS = (MERGE_UNIT, "变化", "行号", COLUMN_BY_KEY["problem"].header,
                         COLUMN_BY_KEY["measure"].header, "详情")
# 分类统计 (issue 18): per unit and 类别, problems by state as round notices count them; 合计 rows
MERGE_STREAM_COLUMNS: tuple[tuple[str, str], ...] = (
    ("unit", MERGE_UNIT), ("stream", COLUMN_BY_KEY["stream"].header), ("problems", "问题数"),
    ("rectified", "已整改"), ("basic", Status.BASIC.value), ("open", "未完成"), ("completion_rate", "完成率"),
    ("measures", "整改措施数"), ("measures_closed", "措施已完成"),
)
MERGE_TOTAL = "合计"
# 排名 (issue 18): units best first for the 巡察办's meeting — problems rectified over fed back
# (the round 通报's rate), then fewer overdue measures, then less 序时进度 lag (issue 17)
MERGE_RANKING_COLUMNS: tuple[tuple[str, str], ...] = (
    ("rank", "名次"), ("unit", MERGE_UNIT), ("problem_rate", "问题整改完成率"),
    ("problems", "反馈问题数"), ("rectified", "已整改"), ("overdue", "逾期"),
    ("behind", "序时进度滞后"), ("completion_rate", "措施完成率"), ("measures", "整改措施数"),
)
__all__ += ["MERGE_RANKING_COLUMNS"]
__all__ += ["MERGE_STREAM_COLUMNS", "MERGE_TOTAL"]


# Sheets the buttons write (issue 3). 校验结果 keeps, right of the findings, the cells the last run
# coloured, so the next run restores exactly those and nothing the user formatted.
RESULT_COLUMNS = ("级别", "代码", "位置", "说明")
RESULT_MARKS_HEADER = "已标记单元格（下次校验时自动清除，请勿修改）"
RESULT_FILL_HEADER = "原填充色"
HISTORY_COLUMNS: tuple[tuple[str, str], ...] = (
    ("as_of", INFO_BY_KEY["as_of"].label), ("generated", "生成时间"), ("feedback", "反馈问题数"),
    ("problems", "具体问题数"), ("problems_closed", "具体问题已完成"), ("measures", "整改措施数"),
    *_STATUS_COLUMNS, ("overdue", "逾期"), ("due_soon", "临期"), ("completion_rate", "完成率"),
)
__all__ += ["HISTORY_COLUMNS", "RESULT_COLUMNS", "RESULT_FILL_HEADER", "RESULT_MARKS_HEADER"]

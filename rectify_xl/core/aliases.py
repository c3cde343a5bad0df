"""How real ledgers and real systems name our columns and statuses (issue 14).

This is the one alias table beside ``schema``: the reader maps a header cell to a column key
through it, and a status cell to a ``Status`` through ``STATUS_WORDS`` (plus whatever the unit
adds in its 选项 sheet). Every entry names the source it was taken from; add an entry only with a
source of the same kind (a real ledger, a real system's import/export template, a published
notice) — never because one test file or the bundled sample uses it.

Sources (public material read for issue 14; the short tags are used below):

- ``S1`` the Vue front end of a 巡视整改 tracking system (vxe-table columns of "…党委关于落实…
  巡视组反馈意见的整改清单"): 序号, 巡视反馈重点方面, 巡视反馈重点内容, 巡视反馈具体问题, 整改计划,
  上周进度 %, 本周进度 %, 整改进度 %, 整改描述, 责任领导, 分管领导, 整体牵头部门/负责人, 整改时限;
  its data rows merge the 方面/内容/问题/计划 cells over the rows of one problem.
- ``S2`` JeecgBoot entities of a rectification (整改) module: ``@Excel(name = "整改措施")``,
  ``"整改时限"``, ``"责任单位"``, ``"整治牵头单位"``, ``"单位负责人"``.
- ``S3`` hazard/inspection rectification export templates (RuoYi ``@Excel`` entities, vue
  json-excel field maps, a C# 整改 entity): 问题描述, 存在隐患, 整改措施, 整改方案, 整改期限,
  整改时限, 整改责任人, 整改责任单位/责任人, 整改完成情况 (values 未整改 / 已整改 / 整改延期),
  整改完成时间, 整改情况描述, 备注.
- ``S4`` 督查督办 / key-task systems: 牵头领导, 牵头部门, 牵头单位, 完成情况, 完成日期,
  主要责任人, 配合领导, 配合单位.
- ``S5`` a risk-control measure table: 具体控制措施, 预计完成时间, 责任人, 配合单位或部门,
  措施完成时间.
- ``S6`` a 巡视整改 statistics form that counts measures as 已完成 / 进行中 / 超期未完.
- ``S7`` published 整改进展情况 notices and 整改台账 templates of party/government units (the
  three lists 问题清单·任务清单·责任清单; 整改落实情况, 整改成效, 完成时限, 责任单位/责任人;
  statuses 已完成 / 基本完成 / 未完成, 立行立改, 长期坚持, 持续整改, 已销号).
- ``L`` the 序时进度 / 验收 columns added by issue 17 (core/schedule.py; their sources are in
  that issue's notes).
- ``R`` the published round notices of 巡察办 that issue 18's outcome figures come from (listed
  in docs/dev/round.md).
- ``S8`` audit rectification (审计整改) reports and ledgers: 已整改 / 部分整改 / 未整改, 整改进展情况.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "COMBINED_SEPARATORS",
    "HEADER_ALIASES",
    "INFO_ALIASES",
    "SECOND_KEYS",
    "STATUS_WORDS",
    "header_form",
    "status_form",
]

# Header text (in ``header_form``) → column key, with the sources that use it. The template's own
# headers (schema.COLUMNS) are matched before this table and are not repeated here.
HEADER_ALIASES: dict[str, tuple[str, str]] = {
    # 序号
    "编号": ("seq", "S7"),
    # 方面
    "问题类别": ("aspect", "S7"),
    "问题类型": ("aspect", "S7"),
    "问题方面": ("aspect", "S7"),
    "巡视反馈重点方面": ("aspect", "S1"),
    "巡察反馈重点方面": ("aspect", "S1"),
    # 反馈问题
    "反馈意见": ("feedback", "S7"),
    "巡察反馈问题": ("feedback", "S7"),
    "巡视反馈问题": ("feedback", "S7"),
    "巡察反馈意见": ("feedback", "S7"),
    "巡视反馈意见": ("feedback", "S7"),
    "巡视反馈重点内容": ("feedback", "S1"),
    "巡察反馈重点内容": ("feedback", "S1"),
    # 具体问题
    "存在问题": ("problem", "S7"),
    "问题描述": ("problem", "S3"),
    "问题清单": ("problem", "S7"),
    "巡视反馈具体问题": ("problem", "S1"),
    "巡察反馈具体问题": ("problem", "S1"),
    "存在的问题": ("problem", "S7"),
    # 整改措施
    "整改任务": ("measure", "S7"),
    "任务清单": ("measure", "S7"),
    "整改计划": ("measure", "S1"),
    "整改方案": ("measure", "S3"),
    # 责任领导 (a second leader column is kept as leader2, see SECOND_KEYS)
    "分管领导": ("leader", "S1"),
    "牵头领导": ("leader", "S4"),
    "分管责任领导": ("leader", "S7"),
    # 责任部门 (a second department column is kept as department2)
    "责任单位": ("department", "S2"),
    "牵头部门": ("department", "S4"),
    "牵头单位": ("department", "S4"),
    "责任科室": ("department", "S7"),
    "整改责任单位": ("department", "S3"),
    "整改牵头部门": ("department", "S1"),
    "整体牵头部门": ("department", "S1"),
    "整治牵头单位": ("department", "S2"),
    "配合单位": ("department", "S4"),
    "配合部门": ("department", "S4"),
    "配合单位或部门": ("department", "S5"),
    # 责任人: a person, never a department
    "责任人": ("person", "S1"),
    "负责人": ("person", "S1"),
    "整改责任人": ("person", "S3"),
    "主要责任人": ("person", "S4"),
    "具体责任人": ("person", "S7"),
    "单位负责人": ("person", "S2"),
    # 完成时限
    "时限": ("deadline", "S7"),
    "整改时限": ("deadline", "S1"),
    "完成期限": ("deadline", "S7"),
    "整改期限": ("deadline", "S3"),
    "预计完成时间": ("deadline", "S5"),
    "计划完成时间": ("deadline", "S7"),
    "整改完成时限": ("deadline", "S7"),
    # 整改状态
    "整改进展": ("status", "S7"),
    "整改进度": ("status", "S1"),  # a column of percentages under this header is read as percent
    "完成情况": ("status", "S4"),
    "整改完成情况": ("status", "S3"),
    "状态": ("status", "S7"),
    "完成状态": ("status", "S7"),
    # 完成日期
    "销号日期": ("done_date", "S7"),
    "实际完成时间": ("done_date", "S7"),
    "实际完成日期": ("done_date", "S7"),
    "整改完成时间": ("done_date", "S3"),
    "措施完成时间": ("done_date", "S5"),
    # 整改落实情况
    "整改情况": ("progress", "S7"),
    "整改成效": ("progress", "S7"),
    "完成概述": ("progress", "S7"),
    "整改描述": ("progress", "S1"),
    "整改进展情况": ("progress", "S8"),
    "整改情况描述": ("progress", "S3"),
    "整改落实情况及成效": ("progress", "S7"),
    # progress percentage: a field of its own
    "本周进度": ("percent", "S1"),
    "整改进度%": ("percent", "S1"),
    "本周进度%": ("percent", "S1"),
    "完成进度": ("percent", "S7"),
    "完成比例": ("percent", "S7"),
    "完成百分比": ("percent", "S7"),
    "进度%": ("percent", "S1"),
    # 佐证材料
    "佐证资料": ("evidence", "S7"),
    "证明材料": ("evidence", "S7"),
    "佐证": ("evidence", "S7"),
    # issue 17: 序时进度 and 验收 columns (``L``)
    "开始时间": ("start_date", "L"),
    "启动时间": ("start_date", "L"),
    "进度百分比": ("percent", "L"),
    "完成进度%": ("percent", "L"),
    "验收责任人": ("accept_by", "L"),
    "验收单位": ("accept_by", "L"),
    "验收时间": ("accept_date", "L"),
    "验收情况": ("accept_note", "L"),
    "验收结论": ("accept_note", "L"),
    # issue 18: streams and outcome figures as published round notices name them (``R``: the
    # round notices docs/dev/round.md lists); matched after the hint in brackets is removed
    "问题来源": ("stream", "R"),
    "完善制度": ("systems", "R"),
    "建立完善制度": ("systems", "R"),
    "完善和新建制度": ("systems", "R"),
    "建立完善规章制度": ("systems", "R"),
    "建章立制": ("systems", "R"),
    "挽回损失/追缴资金": ("recovered", "R"),
    "挽回损失": ("recovered", "R"),
    "挽回经济损失": ("recovered", "R"),
    "追缴资金": ("recovered", "R"),
    "清退清收资金": ("recovered", "R"),
    "追责问责": ("accountable", "R"),
    "问责": ("accountable", "R"),
    "问责人数": ("accountable", "R"),
    "举一反三": ("lessons", "R"),
    "专项整治": ("campaigns", "R"),
}

# A second column of the same kind is kept in its own field instead of being an error: units keep
# 责任领导 and 分管领导 side by side (S1), 牵头部门 and 配合单位 (S4, S5).
SECOND_KEYS: dict[str, str] = {"leader": "leader2", "department": "department2"}

# One header holding a department and a person, e.g. "整体牵头部门/负责人" (S1),
# "整改责任单位/责任人" (S3); its values ("办公室/张三") are split the same way.
COMBINED_SEPARATORS = re.compile(r"[/、]|及|和")

# Status words units type (in ``status_form``) → the value of a ``schema.Status``.
# 基本完成 is a state of its own (not closed; notices report it as "基本完成、取得阶段性成果并持续整改").
STATUS_WORDS: dict[str, tuple[str, str]] = {
    "已完成": ("已完成", "S6"),
    "完成": ("已完成", "S7"),
    "已整改": ("已完成", "S3"),
    "已销号": ("已完成", "S7"),  # counted as 已完成; core.schema.Closure tells the step apart
    "已验收": ("已完成", "L"),
    "整改完成": ("已完成", "S7"),
    "已完成整改": ("已完成", "S7"),
    "已整改完成": ("已完成", "S7"),
    "立行立改": ("已完成", "S7"),
    "已办结": ("已完成", "S4"),
    "基本完成": ("基本完成", "S7"),
    "基本完成整改": ("基本完成", "S7"),
    "长期坚持": ("长期坚持", "S7"),
    "持续整改": ("长期坚持", "S7"),
    "持续推进": ("长期坚持", "S7"),
    "长期推进": ("长期坚持", "S7"),
    "长期整改": ("长期坚持", "S7"),
    "正在推进": ("正在推进", "S7"),
    "推进中": ("正在推进", "S7"),
    "进行中": ("正在推进", "S6"),
    "整改中": ("正在推进", "S7"),
    "正在整改": ("正在推进", "S7"),
    "未完成": ("正在推进", "S7"),
    "超期未完": ("正在推进", "S6"),
    "超期未完成": ("正在推进", "S6"),
    "未整改": ("正在推进", "S3"),
    "整改延期": ("正在推进", "S3"),
    "部分整改": ("正在推进", "S8"),
    "未销号": ("正在推进", "S7"),
}

_SPACES = re.compile(r"\s+")
_HINT = re.compile(r"\([^()]*\)$")
_MARKS = "*＊※"


def header_form(text: str) -> str:
    """The comparable form of a header: full-width folded (NFKC), spaces and line breaks removed,
    required marks and a trailing hint in brackets dropped ("完成\\n时限（日期）*" → "完成时限").

    A trailing "(%)" is kept as "%": "本周进度（%）" and "本周进度 %" both read "本周进度%".
    """
    s = _SPACES.sub("", unicodedata.normalize("NFKC", text)).strip(_MARKS).rstrip(":")
    if s.endswith("(%)"):
        return s[:-3] + "%"
    while _HINT.search(s) and _HINT.sub("", s):
        s = _HINT.sub("", s)
    return s


def status_form(text: str) -> str:
    """The comparable form of a status cell: folded, without spaces and trailing punctuation."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", text)).rstrip("。.;；,，")

# Labels of 基本信息 items (in header_form) → schema.INFO_FIELDS key. The template's own labels are
# matched first. Units write these in a 基本信息 sheet, in rows or in columns, or in the title
# block above the ledger ("填报单位：××局　统计截止日期：2021年10月31日", S7).
INFO_ALIASES: dict[str, tuple[str, str]] = {
    "被巡察党组织": ("unit", "S7"),
    "被巡视单位": ("unit", "S1"),
    "被巡视党组织": ("unit", "S1"),
    "被巡察单位名称": ("unit", "S7"),
    "单位名称": ("unit", "S7"),
    "填报单位": ("unit", "S7"),
    "巡视组": ("group", "S1"),
    "巡察组别": ("group", "S7"),
    "巡察开始时间": ("start", "S7"),
    "进驻时间": ("start", "S7"),
    "巡察结束时间": ("end", "S7"),
    "反馈时间": ("feedback_date", "S7"),
    "巡察反馈日期": ("feedback_date", "S7"),
    "巡察反馈时间": ("feedback_date", "S7"),
    "巡视反馈时间": ("feedback_date", "S1"),
    "截止日期": ("as_of", "S7"),
    "统计截止时间": ("as_of", "S7"),
    "截止时间": ("as_of", "S7"),
    "统计时间": ("as_of", "S7"),
    "电话": ("phone", "S7"),
    "邮政信箱": ("address", "S7"),
    "地址": ("address", "S7"),
    "邮箱": ("email", "S7"),
    "发布日期": ("publish_date", "S7"),
}

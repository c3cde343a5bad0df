"""The field a header names when no alias knows it: by the words it is built from.

The alias table (core/aliases.py) lists headers seen in real material, exactly. Units write
many more: 问题表现, 主要问题, 具体整改措施, 整改举措, 问题整改完成时限, 目前进展, 问题控制状态…
Their words are few and stable (the vocabulary of 整改 forms): 问题/措施/举措/时限/期限/领导/部门/
单位/责任人/进展/状态/情况/佐证/备注. A header is classified by those words in a fixed order,
the more specific first (整改措施完成情况 is a state, not a measure; 整改完成时限 a deadline, not a
completion date).

Conservative by design: a header is guessed only when it is short (a header, not a sentence), is
not an identifier or a count (负责人ID, 问题个数), does not hold two things (责任人/期限), and names
the field itself rather than another actor's unit (督办单位, 检查部门) or an attribute of it
(隐患部位, 问题严重程度); columns guessed this way never displace a column named exactly
(core/parse drops a guess that collides) and every guess is reported (RX103), so the user sees how
each column was read. Examples in the tests come from public code and forms (issue 14's S1–S8 and
rectification systems' column maps: 问题简述, 问题整改完成时限, 整改进度, 问题控制状态); the rules
are measured on 44 real header sets by benchmarks/ledger_words.py (sources in its data files).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rectify_xl.core.lazy_re import lazy_compile

__all__ = ["guess_header_key", "guess_info_key"]

_SEPARATORS = lazy_compile(r"[/、]")
_MAX_LEN = 12  # longer "headers" are notes or sentences

# A column of identifiers or counts, whatever field its words name: 负责人ID, 检查问题单号,
# 问题个数, 整改问题金额, 被检查人账号 (public rectification systems keep these beside the ledger's
# columns). Plain 编号/序号 are the seq rule's.
_NOT_A_FIELD = lazy_compile(r"(ID|Id|id|主键|单号|账号|编码|个数|笔数|数量|人数|次数|金额|数)$")
# The unit or person of another actor than the one rectifying: 督办单位, 填报单位, 检查部门,
# 问题上报部门, 被检查单位, 发现人, 复查人 (hazard and audit systems name them beside 责任单位).
_OTHER_ACTOR = r"被|督办|督查|督导|填报|检查|排查|监管|监督|上报|报送|发现|审核|审批|审查"

# (key, words that make a header this field, words that forbid it), tried in order
_Rule = tuple[str, re.Pattern[str], re.Pattern[str] | None]
_RULES: tuple[_Rule, ...] = (
    ("seq", lazy_compile(r"^(问题|措施|任务|整改)?(序号|编号)$|^(序|号|no\.?|NO\.?|No\.?)$"), None),
    # a proof: 佐证, 证明/支撑材料, 附件, 图片/文件举证, and photos of the rectification (整改后照片,
    # 整改结果现场照片; not a bare 照片, which may show the problem)
    ("evidence", lazy_compile(r"佐证|证明材料|支撑材料|印证材料|附件|举证|影像资料|整改.{0,4}(照片|图片)"),
     None),
    ("remark", lazy_compile(r"^备注|^说明$|^其他$"), None),
    ("accept_by", lazy_compile(r"(验收|复查|复核)(人|责任人|人员|单位|部门)"), None),
    ("accept_date", lazy_compile(r"验收(日期|时间)"), None),
    ("accept_note", lazy_compile(r"验收(意见|结论|情况)|(复查|复核)(意见|结论)"), None),
    # the measure's start, not that of the audit or inspection that found the problem
    ("start_date", lazy_compile(r"(开始|启动)(日期|时间)"),
     lazy_compile(r"审计|检查|排查|巡[察视]|督[察查导办]|项目")),
    # a planned date: 时限, 期限, 截止, 计划/预计/要求 完成, the latest day allowed (最晚整改时间)
    ("deadline", lazy_compile(r"时限|期限|截止|(计划|预计|要求|规定|承诺)(完成|办结)?(日期|时间)"
                            r"|时间节点|时间要求|^整改(日期|时间)$|(最晚|最迟)\S{0,4}(日期|时间)"),
     lazy_compile(r"实际|剩余")),
    ("done_date", lazy_compile(r"(完成|办结|销号|整改到位|改正)(日期|时间)"), None),
    ("percent", lazy_compile(r"(进度|完成)(%|百分比|比例|率)"), None),
    ("leader", lazy_compile(r"领导"), lazy_compile(r"部门|单位|科室|处室|部室|审核|意见")),
    # a person: 责任人, 整改落实人, 整改人, 对接人 — said last (主要负责人责任类型 is not a person)
    ("person", lazy_compile(r"(责任|负责|经办|联系|联络|落实|承办|整改|对接|跟踪)人(员)?(姓名)?$"),
     lazy_compile(r"部门|单位|科室|处室|部室|领导|" + _OTHER_ACTOR)),
    ("department", lazy_compile(r"部门|单位|科室|处室|股室|部室|责任主体|整改主体"),
     lazy_compile(_OTHER_ACTOR + r"|名称$")),
    # a state: 状态, 是否完成, 完成情况, 进展/进度 alone or "as of now" (目前进度, 当前进展; not a
    # workflow's 审核状态)
    ("status", lazy_compile(r"状态|是否(完成|办结|整改|销号)|^(目前|当前|现在|最新)?(整改)?(进展|进度)$"
                          r"|^(整改|落实)?完成情况$|^办结情况$|^销号情况$"),
     lazy_compile(r"审核|审批|流程|签收")),
    # a narrative: 落实情况, 进展情况, 整改情况/效果, 成效, 结果, 跟踪反馈
    ("progress", lazy_compile(r"(落实|进展|整改|推进|工作)(情况|成效|结果|效果)|成效|整改结果|目前进展"
                            r"|(情况|进展)(说明|描述)|(跟踪|进展)(反馈|记录)"), None),
    # a grouping of the problems: 问题类别, 问题分类, 类型 — not 风险类别 or 检查类别, nor a kind of
    # rectification (整改类型: 立行立改, 限期整改), which groups measures, not problems
    ("aspect", lazy_compile(r"^(问题|反馈|巡[视察]|主要|所属)?(的)?(类别|类型|方面|领域|板块|分类)$"),
     None),
    ("feedback", lazy_compile(r"反馈(的)?(问题|意见)|反馈意见|巡[视察]指出|巡[视察](发现)?问题"),
     lazy_compile(r"具体")),
    # the measure itself, not an attribute of a plan or task (方案名称, 计划编号, 任务类型, 计划周期)
    ("measure", lazy_compile(r"措施|举措|任务|方案|计划|办法|做法|对策"),
     lazy_compile(r"情况|时间|日期|(名称|编号|类型|类别|周期|来源)$")),
    # the problem itself, said last: 问题表现, 主要问题, 隐患具体情况, 隐患名称 — not an attribute of
    # it (问题原因, 问题严重程度, 隐患部位, 问题词条一级)
    ("problem", lazy_compile(r"(问题|隐患|不足|表现|风险)(的)?(描述|概述|简述|表现|具体情况|情况|内容"
                           r"|名称|清单|详情|摘要|事项)?$"),
     lazy_compile(r"措施|原因|来源|线索|性质|编号|序号|^问题数")),
)


def guess_header_key(form: str) -> str | None:
    """The column key of a header in ``aliases.header_form``, by its words; None if unsure."""
    if not form or len(form) > _MAX_LEN or form.isdigit() or _NOT_A_FIELD.search(form):
        return None
    parts = [p for p in _SEPARATORS.split(form) if p]
    if len(parts) > 1:
        # 责任单位/部门 is a department; 责任人/期限, 督办部门/人员 or 任务分解/时序进度 hold two
        # things (a department and a person is split by core/parse, not guessed here)
        keys = {_by_rules(p) for p in parts}
        return keys.pop() if len(keys) == 1 else None
    return _by_rules(form)


def _by_rules(form: str, rules: Sequence[_Rule] = ()) -> str | None:
    """The key of the first rule whose words the form holds and whose forbidden words it lacks."""
    for key, words, forbidden in rules or _RULES:
        if words.search(form) and not (forbidden and forbidden.search(form)):
            return key
    return None


# 基本信息 labels by their words ("period" is a 巡察时间 of two days: core/dates.parse_period).
_INFO_RULES: tuple[_Rule, ...] = (
    ("feedback_count", lazy_compile(r"反馈.*(问题|意见)(数|个数|数量|总数)"), None),
    ("feedback_date", lazy_compile(r"反馈(会)?(日期|时间)"), None),
    ("as_of", lazy_compile(r"(截止|截至|统计|填报)(日期|时间)|数据截[止至]"), None),
    ("publish_date", lazy_compile(r"(公布|发布|公开)(日期|时间)"), None),
    ("start", lazy_compile(r"(进驻|开始|入驻|启动)(日期|时间)"), lazy_compile(r"结束|撤离|至")),
    ("end", lazy_compile(r"(结束|撤离|离开)(日期|时间)"), None),
    ("period", lazy_compile(r"^巡[察视](工作)?(时间|期间|起止时间|时间段)$|^(进驻|巡[察视])起止(日期|时间)$"),
     None),
    ("group", lazy_compile(r"^巡[察视](组|组别|组名称|工作组)$|^(派出|实施)巡[察视]组"), None),
    ("unit", lazy_compile(r"^被巡[察视](单位|党组织|党委|党组|对象|部门)|^(填报|报送)单位"), None),
    ("phone", lazy_compile(r"电话"), None),
    ("email", lazy_compile(r"邮箱|电子信箱|e-?mail", re.IGNORECASE), None),
    ("address", lazy_compile(r"地址|信箱"), None),
)


def guess_info_key(form: str) -> str | None:
    """The 基本信息 item a label in ``aliases.header_form`` names, by its words; None if unsure."""
    if not form or len(form) > _MAX_LEN or ":" in form:  # 填报单位：某局 is a label with its value
        return None
    return _by_rules(form, _INFO_RULES)

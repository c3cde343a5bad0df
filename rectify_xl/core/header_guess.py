"""The field a header names when no alias knows it: by the words it is built from.

The alias table (core/aliases.py) lists headers seen in real material, exactly. Units write
many more: 问题表现, 主要问题, 具体整改措施, 整改举措, 问题整改完成时限, 目前进展, 问题控制状态…
Their words are few and stable (the vocabulary of 整改 forms): 问题/措施/举措/时限/期限/领导/部门/
单位/责任人/进展/状态/情况/佐证/备注. A header is classified by those words in a fixed order,
the more specific first (整改措施完成情况 is a state, not a measure; 整改完成时限 a deadline, not a
completion date).

Conservative by design: a header is guessed only when it is short (a header, not a sentence) and
holds no word of another field; columns guessed this way never displace a column named exactly
(core/parse drops a guess that collides) and every guess is reported (RX103), so the user sees how
each column was read. Examples in the tests come from public code and forms (issue 14's S1–S8 and
rectification systems' column maps: 问题简述, 问题整改完成时限, 整改进度, 问题控制状态).
"""

from __future__ import annotations

import re

from rectify_xl.core.lazy_re import lazy_compile

__all__ = ["guess_header_key", "guess_info_key"]

_MAX_LEN = 12  # longer "headers" are notes or sentences

# (key, words that make a header this field, words that forbid it), tried in order.
_RULES: tuple[tuple[str, re.Pattern[str], re.Pattern[str] | None], ...] = (
    ("seq", lazy_compile(r"^(序号|编号|序|号|no\.?|NO\.?|No\.?)$"), None),
    ("evidence", lazy_compile(r"佐证|证明材料|支撑材料|印证材料|附件"), None),
    ("remark", lazy_compile(r"^备注|^说明$|^其他$"), None),
    ("accept_by", lazy_compile(r"验收(人|责任人)"), None),
    ("accept_date", lazy_compile(r"验收(日期|时间)"), None),
    ("accept_note", lazy_compile(r"验收(意见|结论|情况)"), None),
    ("start_date", lazy_compile(r"(开始|启动)(日期|时间)"), None),
    # a planned date: 时限, 期限, 截止, 计划/预计/要求 完成
    ("deadline", lazy_compile(r"时限|期限|截止|(计划|预计|要求|规定|承诺)(完成|办结)?(日期|时间)"
                            r"|时间节点|时间要求|^整改(日期|时间)$"), lazy_compile(r"实际")),
    ("done_date", lazy_compile(r"(完成|办结|销号|整改到位)(日期|时间)"), None),
    ("percent", lazy_compile(r"(进度|完成)(%|百分比|比例|率)"), None),
    ("leader", lazy_compile(r"领导"), lazy_compile(r"部门|单位|科室|处室")),
    ("person", lazy_compile(r"(责任|负责|经办|联系|落实|承办)人"),
     lazy_compile(r"部门|单位|科室|处室|领导")),
    ("department", lazy_compile(r"部门|单位|科室|处室|股室|责任主体"), lazy_compile(r"被巡")),
    # a state: 状态, 是否完成, 完成情况, 进展/进度 alone
    ("status", lazy_compile(r"状态|是否(完成|办结|整改|销号)|^(整改)?(进展|进度)$|^目前进展$"
                          r"|^(整改|落实)?完成情况$|^办结情况$|^销号情况$"), None),
    # a narrative: 落实情况, 进展情况, 整改情况, 成效, 结果
    ("progress", lazy_compile(r"(落实|进展|整改|推进|工作)(情况|成效|结果)|成效|整改结果|目前进展"
                            r"|(情况|进展)(说明|描述)"), None),
    ("aspect", lazy_compile(r"类别|类型|方面|领域|板块|分类"), lazy_compile(r"问题描述|具体")),
    ("feedback", lazy_compile(r"反馈(的)?(问题|意见)|反馈意见|巡[视察]指出|巡[视察](发现)?问题"),
     lazy_compile(r"具体")),
    ("measure", lazy_compile(r"措施|举措|任务|方案|计划|办法|做法|对策"), lazy_compile(r"情况|时间|日期")),
    ("problem", lazy_compile(r"问题|表现|隐患|不足"),
     lazy_compile(r"措施|情况|原因|来源|线索|性质|编号|序号|数量|个数|级别|等级|^问题数")),
)


def guess_header_key(form: str) -> str | None:
    """The column key of a header in ``aliases.header_form``, by its words; None if unsure."""
    if not form or len(form) > _MAX_LEN or form.isdigit():
        return None
    for key, words, forbidden in _RULES:
        if words.search(form) and not (forbidden and forbidden.search(form)):
            return key
    return None


# 基本信息 labels by their words ("period" is a 巡察时间 of two days: core/dates.parse_period).
_INFO_RULES: tuple[tuple[str, re.Pattern[str], re.Pattern[str] | None], ...] = (
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
    for key, words, forbidden in _INFO_RULES:
        if words.search(form) and not (forbidden and forbidden.search(form)):
            return key
    return None

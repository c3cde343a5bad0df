"""The state a status phrase states, when no table lists the phrase: by its words.

Units write states as phrases, not as one of four words: 已完成整改并长期坚持, 正在整改中, 已整改到位,
尚未完成, 基本整改到位, 已完成。建立了……制度 (a 整改进展情况 cell that begins with its state). The
table (core/aliases.STATUS_WORDS) knows the common whole phrases; this reads the rest from the
words of a short cell, or of a longer cell's *leading clause* (up to the first 。；，: the state
is said first, the narrative after it), in a fixed order:

0. a completion of a part only (一般隐患已完成整改，…), an intention (确保…整改到位), a step
   awaiting a check (已整改待审核) or a completion said not to be in time (未按期完成: still open,
   or finished late?) → unsure;
1. a negated completion (未/尚未/待/拒不 (+ 能/全部/彻底) + 完成/整改/办结/落实/启动/到位/开始/
   执行/实施/办理/处理/处置) or one that falls short (整改不到位/不彻底/不合格) → 正在推进;
2. 基本/初步/阶段性 + (a few words) + 完成/整改/到位/解决 → 基本完成;
3. 长期/持续/常态化 + 坚持/整改/推进/落实 → 长期坚持, unless said to be under way (正在持续推进,
   持续整改中, 进行持续整改: unsure);
4. a word of the table said first (办结。……, 已销号，……) → its state;
5. 正在/…中/推进/进行/部分/逐步/启动, paused (暂停), overdue (已超期), postponed (延期), sent
   back (驳回) →
   正在推进 (unless a completion is said too: unsure);
6. 已 + 完成/整改/办结/落实/到位/销号/验收/解决/纠正/改正/处置/处理/闭环, 整改到位/完毕/通过/合格, a
   completion with its manner or time (全部/按期/按时/正常/提前/超额/延时/逾期 完成) → 已完成.

The rules were measured on real status options and notice wording (benchmarks/ledger_words.py,
material and sources in benchmarks/ledger_words/statuses.toml): a state counted wrongly publishes a
wrong figure, so a rule that refuses is preferred to one that guesses.

Unsure (no such word, or words of two states in the clause that the order above does not settle,
such as a completion and a negation of something else) → None: the cell stays unrecognised
(RX401) rather than counted under a guessed state. Each state found this way is reported
(rules/consistency RX409) so the user can check it.
"""

from __future__ import annotations

import re

from rectify_xl.core.aliases import status_form
from rectify_xl.core.schema import STATUS_SYNONYMS, Status

__all__ = ["infer_status", "leading_clause"]

_MAX_CLAUSE = 16  # a state is said in a few words; a longer clause is narrative
_CLAUSE_END = re.compile(r"[。；;，,：:！!？?\n（(]")

_COMPLETE = r"(完成|整改|办结|落实|启动|到位|销号|解决|开始|执行|实施|办理|处理|处置)"
# a completion negated (未整改, 尚未完成, 待整改, 拒不整改, 未开始) or said to fall short (整改不到位,
# 整改不够到位, 整改不彻底, 整改不合格, 复查不通过); not 无法/不可整改, which say no state, nor a
# workflow's 审核不通过
_NEGATED = re.compile(r"(未|尚未|暂未|仍未|没有|待|拒不)(能|全部|完全|彻底)?" + _COMPLETE
                      + r"|不够?(到位|彻底|合格)"
                      r"|(复查|复核|验收)不(通过|合格)")
# a completion of a part only (一般隐患已完成整改, 个别问题已整改…), an intention (确保…整改到位,
# 力争年底前完成), or a step awaiting a check (已整改待审核, 整改待复查): no state of the measure
_PARTIAL = re.compile(r"^(一般|部分|个别|少数|多数|大部分|大多数|主要)\S{1,8}?已")
_INTENT = re.compile(r"^(确保|力争|争取|务必|计划|预计|拟|将|要|应)")
_AWAITING = re.compile(r"待(审核|审批|复查|复核|验收|确认|核实)")
# not done *in time* (未按期完成, 未如期办结): systems write it both for a measure still open past
# its deadline and for one finished late; the phrase does not say which
_LATE = re.compile(r"(未|没有|未能|不能)(按期|如期|按时|及时|限期)" + _COMPLETE)
_BASIC = re.compile(r"(基本|初步|阶段性)[^，。；,;]{0,6}?(完成|整改|到位|落实|办结|解决)")
_LASTING = re.compile(r"(长期|持续|常态化|久久为功)(坚持|整改|推进|落实|开展|巩固)?")
# under way, or not closed: 正在, …中, 推进, 部分, 启动; overdue (已超期, 即将逾期), postponed (延期),
# the rectification sent back (驳回整改; not a workflow's 审批驳回)
_DOING = re.compile(r"正在|推进中|进行中|整改中|落实中|实施中|办理中|处理中|处置中|推进|进行|部分|逐步|有序"
                    r"|启动|延期|暂停|(已|即将)(超期|逾期)|(驳回|退回)整改|整改(被)?(驳回|退回)")
_UNDER_WAY = re.compile(r"正在|进行|中$")
# not 已制定/已建立/已修订: "已制定方案，正在推进" names a step, not the state of the measure
_DONE = re.compile(r"已(经)?(全部)?(完成|整改|办结|落实|到位|销号|验收|解决|纠正|改正|处置|处理|闭环)"
                   r"|整改(到位|完毕|完成|通过|合格)"
                   # completed, whenever: 按时/正常/提前 and also 延时/逾期 完成 (late, but done)
                   r"|(全部|按期|如期|按时|正常|顺利|圆满|提前|超额|延时|逾期)(完成|整改|办结)"
                   r"|^完成(整改)?$|办结$|闭环$")



def leading_clause(text: str) -> str:
    """The first clause of a status or progress cell, in status_form ('' if none)."""
    first = _CLAUSE_END.split(text.strip(), maxsplit=1)[0]
    return status_form(first)


def infer_status(text: str) -> Status | None:
    """The state a phrase states; None if unsure. (schema.Status.parse asks this module only
    for phrases its table does not list, importing it then: no cycle at import time.)"""
    whole = status_form(text)
    # a short cell is read whole (已整改，长期坚持); a longer one by its first clause
    clause = whole if len(whole) <= _MAX_CLAUSE else leading_clause(text)
    if not clause or len(clause) > _MAX_CLAUSE:
        return None
    first = leading_clause(text)  # 办结。…, 已销号，…: a listed word said first
    if (_PARTIAL.search(first) or _INTENT.search(first) or _AWAITING.search(clause)
            or _LATE.search(clause)):
        return None
    if _NEGATED.search(clause):
        return Status.IN_PROGRESS
    if _BASIC.search(clause):
        return Status.BASIC
    if _LASTING.search(clause):
        # 正在持续推进, 持续整改中, 进行持续整改: kept up, or not yet closed? unsure
        return None if _UNDER_WAY.search(clause) else Status.ONGOING
    if first in STATUS_SYNONYMS:  # a listed word said first
        return STATUS_SYNONYMS[first]
    if _DOING.search(clause):
        return Status.IN_PROGRESS if not _DONE.search(clause) else None
    if _DONE.search(clause):
        return Status.DONE
    return None

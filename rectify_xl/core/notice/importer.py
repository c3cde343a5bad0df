"""A notice or feedback document → ledger records, and the import report (issue 8).

Pure. core.notice.reader finds the parts of the document; this module writes them as
``LedgerRecords`` (one row per measure narrative, or per problem for a feedback document) and
lists, as findings with the paragraph number, everything the staff must know: paragraphs not
placed, facts the text does not state (which problem belongs to which feedback problem), and
columns to fill in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from rectify_xl.core.dates import format_cn
from rectify_xl.core.findings import Finding, Severity
from rectify_xl.core.notice.doc import DocMeasure, NoticeDoc
from rectify_xl.core.notice.facts import nfkc, short_title
from rectify_xl.core.notice.reader import read_notice
from rectify_xl.core.notice.statuses import StatusSource, read_statuses
from rectify_xl.core.records import LedgerRecords
from rectify_xl.core.rules.registry import code_registrar
from rectify_xl.core.schema import COLUMN_BY_KEY, DONE_STATUSES, INFO_FIELDS, SHEETS, Status
from rectify_xl.core.structure import read_structure

__all__ = ["ImportResult", "StatusDate", "import_findings", "import_paragraphs", "records_from_doc",
           "report_rows", "status_date"]

_code = code_registrar("import")


UNPLACED = _code("RX781", Severity.WARNING, "段落未按常规位置导入", "第{para}段：{why}")
FEEDBACK_UNKNOWN = _code(
    "RX782", Severity.INFO, "具体问题属于哪个反馈问题未写明",
    "{said}文中列出{problems}个具体问题，但没有写明各属于哪个反馈问题；"
    f"“{COLUMN_BY_KEY['feedback'].header}”列暂按“{COLUMN_BY_KEY['problem'].header}”填写，"
    "请对照反馈意见修改（不作猜测）")
SUMMARY_SKIPPED = _code("RX783", Severity.INFO, "统计句不导入",
                        "第{para}段是统计句，不导入：公告由台账按实际数量重新生成")
INFO_MISSING = _code("RX784", Severity.WARNING, "开头段落中找不到基本信息",
                     f"开头段落中找不到：{{missing}}，请在“{SHEETS.INFO}”中补填")
NO_ASPECTS = _code("RX785", Severity.WARNING, "没有“方面”一级",
                   f"文中没有“方面”一级标题，“{COLUMN_BY_KEY['aspect'].header}”列留空，请补填")
OPENING_KEPT = _code("RX786", Severity.INFO, "开头段落原样保存",
                     f"开头段落的写法与自动生成的不同，已原样保存到“{SHEETS.TEXT}”的“开头”行")
TO_FILL = _code("RX787", Severity.INFO, "需补填的台账列",
                f"文中没有{{columns}}，请在“{SHEETS.LEDGER}”中补填")
NO_NARRATIVE = _code("RX788", Severity.WARNING, "问题下没有整改落实情况",
                     "第{para}段的问题下没有整改落实情况，已导入一行空措施")
CONTACT_REWRITTEN = _code("RX789", Severity.INFO, "联系方式将重新生成",
                          f"联系方式的写法与自动生成的不同，生成公告时将按“{SHEETS.INFO}”中的电话、地址、"
                          "邮箱重写")
RENUMBERED = _code("RX790", Severity.INFO, "第一、三部分的小标题编号将规范",
                   "第{para}段的“{marker}”直接位于一级标题之下，已作为小标题导入；生成公告时按"
                   "公文层级写作“（一）”")
TITLE_STANDARD = _code("RX791", Severity.INFO, "一级标题按标准写法生成",
                       "第{para}段的一级标题“{title}”是公告的第{section}部分；生成公告时写作“{standard}”")
ASPECT_AS_PROBLEM = _code("RX770", Severity.INFO, "方面下没有列出具体问题",
                          "第{para}段的方面“{aspect}”下没有列出具体问题，已将该方面作为一个问题导入，"
                          "其下文字作为整改落实情况（{measures}条）")
ASPECT_NOTE = _code("RX771", Severity.WARNING, "方面的说明文字未导入",
                    "第{para}段是方面“{aspect}”的说明文字，台账中没有对应的列，未导入")
INNER_PARAGRAPH = _code("RX772", Severity.INFO, "列举中间的段落并入上一条",
                        "第{para}段位于“一是、二是……”的两项之间，已并入上一条整改落实情况")
STATUS_READ = _code("RX773", Severity.INFO, "整改状态取自原文",
                    "第{para}段“{words}”：{scope}的“整改状态”填为“{status}”")
STATUS_UNSAID = _code("RX774", Severity.WARNING, "原文未写明整改状态",
                      "第{paras}段的问题，文中没有写明整改状态，“整改状态”列留空，请补填（不作猜测）")
NORMALISED = _code("RX775", Severity.INFO, "标点已按公文规范改为全角",
                   "已将{count}处半角标点改为全角（第{paras}段），引号按前后配对")
FEEDBACK_COUNT_KEPT = _code(
    "RX776", Severity.INFO, "反馈问题数已保存",
    f"第{{para}}段称巡察反馈{{count}}个问题，已填入“{SHEETS.INFO}”的“反馈问题数”；生成公告时按此数书写")
DONE_DATE_BOUND = _code(
    "RX777", Severity.INFO, "完成日期按公告所述日期填写",
    "第{para}段{words}：文中写为已完成或长期坚持的{count}条措施，“完成日期”填为{date}，"
    "即实际完成不晚于此日（已在“备注”中注明），请按实际完成日期修改")
AS_OF_READ = _code("RX778", Severity.INFO, "统计截止日期取自原文",
                   f"第{{para}}段“{{words}}”：“{SHEETS.INFO}”的“统计截止日期”填为{{date}}")
_SCOPES = {"measure": "该条措施", "problem": "该问题各条措施", "all": "原文未另写状态的各条措施"}
_REQUIRED_INFO = ("unit", "group", "start", "end", "feedback_date")


@dataclass(frozen=True, slots=True)
class StatusDate:
    """The day a notice's statuses hold at: its 截至 date, else its publication date."""

    day: date
    para: int
    words: str  # where: “截至2021年10月31日” as written, or 的发布日期 (落款)


def status_date(doc: NoticeDoc) -> StatusDate | None:
    """None when the text states neither (截至目前 and no 落款 date): then nothing is inferred."""
    if doc.as_of_from is not None and isinstance(doc.info.get("as_of"), date):
        para, words = doc.as_of_from
        return StatusDate(doc.info["as_of"], para, f"“{words}”")
    published, fed_back = doc.info.get("publish_date"), doc.info.get("feedback_date")
    if (doc.published_in is not None and isinstance(published, date)
            and (not isinstance(fed_back, date) or published >= fed_back)):
        return StatusDate(published, doc.published_in, "的发布日期")
    return None


def _done_rows(records: LedgerRecords) -> list[dict[str, Any]]:
    return [r for r in records.measures if Status.parse(r.get("status") or "") in DONE_STATUSES]


def _date_done_rows(records: LedgerRecords, bound: StatusDate) -> int:
    """完成日期 of measures the text reports as finished: the status date, an upper bound said
    in 备注 (a notice never gives each measure's own day). Returns how many rows."""
    rows = _done_rows(records)
    note = f"完成日期取自公告第{bound.para}段{bound.words}，实际完成不晚于此日"
    for row in rows:
        row["done_date"] = bound.day
        row["remark"] = f"{row['remark']}；{note}" if row.get("remark") else note
    return len(rows)


def records_from_doc(doc: NoticeDoc) -> LedgerRecords:
    """The ledger as records: one row per measure (per problem for a feedback document)."""
    info = {k: v for k, v in doc.info.items()}
    texts = [{k: t[k] for k in ("section", "lead", "body")} for t in doc.texts]
    # a feedback document's opening (…现将巡察发现的主要问题反馈如下) is not the notice's
    if doc.kind == "notice" and doc.opening is not None and not _standard_opening(doc):
        texts.insert(0, {"section": "开头", "lead": "", "body": doc.opening.text})
    stated = next((c for c in doc.counts if c.kind == "feedback"), None)
    if stated is not None and not any(p.explicit_feedback for p in doc.problems):
        info["feedback_count"] = str(int(stated.value))
    rows: list[dict[str, Any]] = []
    for problem in doc.problems:
        base = {"aspect": problem.aspect, "feedback": problem.feedback, "problem": problem.text}
        fields = {k: v for k, v in problem.fields.items() if k != "status"}
        measures = problem.measures or [DocMeasure(problem.para, "")]
        for m in measures:
            status = m.status or problem.fields.get("status", "")
            rows.append({**base, "seq": str(len(rows) + 1), "measure": short_title(m.narrative),
                         "progress": m.narrative, **fields, **({"status": status} if status else {})})
    aspects = list(dict.fromkeys(a for a, _ in doc.aspects if a))
    return LedgerRecords(info=info, measures=rows, texts=texts, aspect_options=aspects)


def _standard_opening(doc: NoticeDoc) -> bool:
    """True when the opening reads exactly as the notice generator writes it from 基本信息."""
    from rectify_xl.core.model import Info
    from rectify_xl.core.notice.render import opening_paragraph

    assert doc.opening is not None
    fields = {k: v for k, v in doc.info.items() if k in Info.__slots__}  # type: ignore[attr-defined]
    return nfkc(opening_paragraph(Info(**fields))) == nfkc(doc.opening.text)


def status_findings(doc: NoticeDoc, sources: list[StatusSource], source: str) -> list[Finding]:
    """Where each status came from, and the problems whose status the text does not state."""
    out = [STATUS_READ.finding(source, row=s.para, para=s.para, words=s.words,
                               scope=_SCOPES[s.scope], status=s.status.value) for s in sources]
    unsaid = [p.para for p in doc.problems if not p.measures or any(not m.status for m in p.measures)]
    if unsaid and doc.kind == "notice":
        out.append(STATUS_UNSAID.finding(source, row=unsaid[0],
                                         paras="、".join(map(str, unsaid))))
    return out


def import_findings(doc: NoticeDoc, source: str) -> list[Finding]:
    """The import report: what was not placed, what was not said, what staff must fill in."""
    out = [UNPLACED.finding(source, row=p.no, para=p.no, why=why) for p, why in doc.unplaced]
    out += [ASPECT_AS_PROBLEM.finding(source, row=p.para, para=p.para, aspect=p.aspect,
                                      measures=len(p.measures))
            for p in doc.problems if p.from_aspect]
    out += [ASPECT_NOTE.finding(source, row=p.no, para=p.no, aspect=a) for p, a in doc.aspect_notes]
    out += [INNER_PARAGRAPH.finding(source, row=no, para=no) for no in doc.inner_paragraphs]
    out += _title_findings(doc, source)
    out += [RENUMBERED.finding(source, row=p.no, para=p.no, marker=marker)
            for p, marker in doc.renumbered]
    out += _front_findings(doc, source)
    if doc.kind == "notice":
        out += _notice_findings(doc, source)
    else:
        out.append(TO_FILL.finding(source, columns="整改措施及责任、时限、状态等各列"))
    if doc.no_aspect_level and doc.problems:
        out.append(NO_ASPECTS.finding(source))
    return out


def _title_findings(doc: NoticeDoc, source: str) -> list[Finding]:
    """Part titles worded otherwise than the generator's (一、整改工作基本情况): said, not lost."""
    from rectify_xl.core.notice.render import HEADINGS
    from rectify_xl.core.structure import split_lead

    out = []
    for para, section in doc.section_titles:
        standard = HEADINGS["一二三".index(section)]
        title = para.text
        for sep in "、.．，,":
            if sep in title[:4]:
                title = title.split(sep, 1)[1]
                break
        if nfkc(split_lead(title)[0]).rstrip("。") != nfkc(standard):
            out.append(TITLE_STANDARD.finding(source, row=para.no, para=para.no, title=title,
                                              section=section, standard=f"{section}、{standard}"))
    return out


def _front_findings(doc: NoticeDoc, source: str) -> list[Finding]:
    labels = {f.key: f.label for f in INFO_FIELDS}
    missing = [labels[k] for k in _REQUIRED_INFO if not doc.info.get(k)]
    if doc.opening is None:
        return [INFO_MISSING.finding(source, missing="、".join(missing))]
    out = []
    if missing:
        out.append(INFO_MISSING.finding(source, row=doc.opening.no, missing="、".join(missing)))
    if doc.kind == "notice" and not _standard_opening(doc):
        out.append(OPENING_KEPT.finding(source, row=doc.opening.no))
    return out


def _notice_findings(doc: NoticeDoc, source: str) -> list[Finding]:
    out = [SUMMARY_SKIPPED.finding(source, row=p.no, para=p.no) for p in doc.summary]
    stated = next((c for c in doc.counts if c.kind == "feedback"), None)
    if doc.problems and not any(p.explicit_feedback for p in doc.problems):
        said = f"公告称巡察反馈{int(stated.value)}个问题，" if stated is not None else ""
        out.append(FEEDBACK_UNKNOWN.finding(source, said=said, problems=len(doc.problems)))
        if stated is not None:
            out.append(FEEDBACK_COUNT_KEPT.finding(source, row=stated.para, para=stated.para,
                                                   count=int(stated.value)))
    out += [NO_NARRATIVE.finding(source, row=p.para, para=p.para)
            for p in doc.problems if not p.measures]
    if doc.contact_text and doc.closing is not None:
        from rectify_xl.core.model import Info
        from rectify_xl.core.notice.render import contact_line

        fields = {k: doc.info.get(k, "") for k in ("phone", "address", "email")}
        if nfkc(contact_line(Info(**fields))) != nfkc(doc.contact_text):
            out.append(CONTACT_REWRITTEN.finding(source, row=doc.closing.no))
    given = {k for p in doc.problems for k in p.fields}
    if doc.problems and all(m.status for p in doc.problems for m in p.measures):
        given.add("status")
    keys = ("leader", "department", "deadline", "status")
    missing = [COLUMN_BY_KEY[k].header for k in keys if k not in given]
    if "status" not in given or status_date(doc) is None:
        missing.append(COLUMN_BY_KEY["done_date"].header)
    out.append(TO_FILL.finding(source, columns="、".join(missing)))
    return out


def report_rows(doc: NoticeDoc, findings: list[Finding], source: str) -> list[list[object]]:
    """The 导入报告 sheet: counts first, then one row per finding (段落 = paragraph number)."""
    kind = "整改进展情况公告" if doc.kind == "notice" else "巡察反馈意见"
    rows: list[list[object]] = [["项目", "段落", "说明"]]
    rows.append(["来源文件", None, source])
    rows.append(["识别为", None, kind])
    rows.append(["方面", None, f"{len(doc.aspects)}个"])
    rows.append(["具体问题", None, f"{len(doc.problems)}个"])
    rows.append(["整改措施", None, f"{doc.measure_count}条"])
    for c in doc.counts:
        rows.append(["文中所述数字", c.para, c.text])
    for f in findings:
        rows.append([f"{f.severity.label} {f.code}", f.row, f.message])
    return rows


@dataclass
class ImportResult:
    """What ``import_paragraphs`` found: the document, the records, the report (findings and
    the 导入报告 sheet rows)."""

    doc: NoticeDoc
    records: LedgerRecords
    findings: list[Finding]
    rows: list[list[object]]


def normalise(paragraphs: list[str] | str) -> tuple[list[str], int, list[int]]:
    """The paragraphs as a 公文 writes them: half-width punctuation in Chinese text made full
    width, straight quotes paired “…”. Returns the texts, how many marks, which paragraphs."""
    from rectify_xl.core.structure import split_paragraphs
    from rectify_xl.core.textcheck import to_full_width

    lines = paragraphs.splitlines() if isinstance(paragraphs, str) else list(paragraphs)
    paras = split_paragraphs("\n".join(lines))
    texts, count, changed = [], 0, []
    for para in paras:
        fixed, n = to_full_width(para.text)
        texts.append(fixed)
        if n:
            count += n
            changed.append(para.no)
    return texts, count, changed


def _paras(numbers: list[int]) -> str:
    shown = "、".join(map(str, numbers[:8]))
    return shown + (f"等{len(numbers)}" if len(numbers) > 8 else "")


def import_paragraphs(paragraphs: list[str] | str, source: str) -> ImportResult:
    """Paragraphs of a notice or feedback document → records + import report."""
    texts, count, changed = normalise(paragraphs)
    doc = read_notice(read_structure(texts))
    sources = read_statuses(doc) if doc.kind == "notice" else []
    findings = import_findings(doc, source) + status_findings(doc, sources, source)
    if count:
        findings.append(NORMALISED.finding(source, row=changed[0], count=count,
                                           paras=_paras(changed)))
    records = records_from_doc(doc)
    findings += _date_findings(doc, records, source)
    return ImportResult(doc, records, findings, report_rows(doc, findings, source))


def _date_findings(doc: NoticeDoc, records: LedgerRecords, source: str) -> list[Finding]:
    """统计截止日期 read, and 完成日期 filled from the status date (said, with its paragraph)."""
    out = []
    if doc.as_of_from is not None and isinstance(doc.info.get("as_of"), date):
        para, words = doc.as_of_from
        out.append(AS_OF_READ.finding(source, row=para, para=para, words=words,
                                      date=format_cn(doc.info["as_of"])))
    bound = status_date(doc) if doc.kind == "notice" else None
    if bound is not None and (count := _date_done_rows(records, bound)):
        out.append(DONE_DATE_BOUND.finding(source, row=bound.para, para=bound.para,
                                           words=bound.words, count=count,
                                           date=format_cn(bound.day)))
    return out

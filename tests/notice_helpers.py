"""Notice texts built by code for the structure reader, import and check-notice tests."""

from __future__ import annotations

from pathlib import Path

# Published notices (public documents) committed verbatim, so every check runs from a clean
# clone: the seed (a county 政法委, 2021) and the beginnings of two notices of other shapes.
NOTICES = Path(__file__).resolve().parent / "data" / "notices"
SEED = NOTICES / "seed-2021.txt"

OPENING = ("据县委统一部署，2021年3月11日至4月25日，县委第一巡察组对县委政法委开展了巡察，"
           "2021年7月7日反馈了巡察意见。按照巡察工作有关要求，现将巡察整改进展情况予以公布。")
CLOSING = ("欢迎广大干部群众对巡察整改落实情况进行监督。联系方式：电话0913-1234567；"
           "邮政信箱：某县某街1号；电子邮箱：a@example.com。")


def seed_path() -> Path:
    """The published seed notice (committed in tests/data/notices)."""
    return SEED


def notice(*sections: str, opening: str = OPENING, closing: str = CLOSING) -> str:
    """A notice: opening, the given section texts (already numbered), closing."""
    return "\n".join([opening, *sections, closing]) + "\n"


def section_one(*leads: str) -> str:
    lines = ["一、党委履行巡察整改工作主体责任情况", "我委高度重视巡察整改工作。"]
    marks = "一二三四五六"
    lines += [f"（{marks[i]}）{lead}。正文{i + 1}。" for i, lead in enumerate(leads)]
    return "\n".join(lines)


SUMMARY = "截至目前，整改工作取得积极进展。我委根据巡察反馈的2个问题细化分解了3个问题，已完成3个。"


def section_two(summary: str = SUMMARY, body: str = "", number: str = "二") -> str:
    return "\n".join([f"{number}、巡察反馈意见整改落实情况", summary, body or STANDARD_BODY])


STANDARD_BODY = "\n".join([
    "（一）理论学习方面。",
    "1.关于“学习不深入。一是学习少。二是心得少”问题的整改情况。",
    "整改落实情况：一是制定学习计划，按月组织学习。二是撰写心得体会。",
    "2.关于“制度不健全”问题的整改情况。",
    "整改落实情况：修订完善学习制度。",
    "（二）作风建设方面。",
    "1.关于“会议记录不全”问题的整改情况。",
    "整改落实情况：一是补齐会议记录。二是专人管理档案。三是定期检查。",
])

SECTION_THREE = "\n".join(["三、下一步打算", "我们将持续推进整改。",
                           "（一）进一步深化认识。加强学习。", "（二）进一步健全机制。完善制度。"])


def standard_notice() -> str:
    """A clean notice: 2 aspects, 3 problems, 6 measures, counts that match."""
    return notice(section_one("深入领会精神", "确定了6条整改措施"), section_two(), SECTION_THREE)


def write_docx(path: Path, paragraphs: list[tuple[int | None, str]]) -> Path:
    """A .docx whose (level, text) paragraphs use Word automatic numbering: level 0 一、,
    1 （一）, 2 1.; level None is a plain paragraph. As Word's AutoFormat leaves them."""
    from docx import Document
    from docx.oxml import parse_xml

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    levels = [("chineseCounting", "%1、"), ("chineseCounting", "（%2）"), ("decimal", "%3.")]
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/></w:lvl>' for i, (fmt, text) in enumerate(levels))
    doc = Document()
    numbering = doc.part.numbering_part.element
    numbering.insert(0, parse_xml(f'<w:abstractNum {w} w:abstractNumId="90">{lvls}</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {w} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    for level, text in paragraphs:
        p = doc.add_paragraph(text)
        if level is not None:
            p._p.get_or_add_pPr().append(parse_xml(
                f'<w:numPr {w}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>'))
    doc.save(path)
    return path

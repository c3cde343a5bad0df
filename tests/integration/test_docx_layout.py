"""The notice .docx read back with python-docx: page set-up, styles, footers, text (issue 6)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.oxml.ns import qn

from rectify_xl.adapters.profiles import load_profile
from rectify_xl.adapters.sample_data import sample_ledger
from rectify_xl.core.document import STYLE_NAMES, heading_gaps, parse_marker
from rectify_xl.errors import InputError, LockedError, OutputError
from rectify_xl.services.document import write_notice_document
from rectify_xl.services.ledger import notice_text
from tests.conftest import sha256
from tests.document_helpers import squeeze

MM_EMU = 36000  # python-docx lengths are EMU


def style_value(style: Any, read: Any) -> Any:
    """A run property as the style chain resolves it (the style, then its base styles)."""
    while style is not None:
        rpr = style.element.rPr
        value = read(rpr) if rpr is not None else None
        if value is not None:
            return value
        style = style.base_style
    return None


def east_asia(style: Any) -> str | None:
    def read(rpr: Any) -> str | None:
        return rpr.rFonts.get(qn("w:eastAsia")) if rpr.rFonts is not None else None
    return style_value(style, read)


def size_pt(style: Any) -> float | None:
    return style_value(style, lambda rpr: rpr.sz_val.pt if rpr.sz_val is not None else None)


@pytest.fixture(scope="module")
def sample_docx(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    ledger = sample_ledger()
    text = notice_text(ledger)
    out = tmp_path_factory.mktemp("docx") / "公告.docx"
    assert write_notice_document(ledger, text, out) == [out]
    return out, text


class TestPageSetup:
    def test_page_is_a4_with_gbt9704_margins_within_half_a_millimetre(self, sample_docx) -> None:
        """5.1/5.2.1: A4, 天头 37, 订口 28, bottom 35, right 26 (mm)."""
        section = Document(str(sample_docx[0])).sections[-1]
        measured = [section.page_width, section.page_height, section.top_margin,
                    section.bottom_margin, section.left_margin, section.right_margin]
        for got, want in zip(measured, (210, 297, 37, 35, 28, 26), strict=True):
            assert abs(got / MM_EMU - want) <= 0.5

    def test_line_spacing_is_exact_and_the_grid_holds_22_lines(self, sample_docx) -> None:
        doc = Document(str(sample_docx[0]))
        spacing = doc.styles["Normal"].element.pPr.find(qn("w:spacing"))
        grid = doc.sections[-1]._sectPr.find(qn("w:docGrid"))
        assert (spacing.get(qn("w:line")), spacing.get(qn("w:lineRule"))) == ("579", "exact")
        assert (grid.get(qn("w:type")), grid.get(qn("w:linePitch"))) == ("lines", "579")


class TestStyles:
    @pytest.mark.parametrize(("role", "font", "size"), [
        ("title", "方正小标宋简体", 22), ("heading1", "黑体", 16), ("heading2", "楷体_GB2312", 16),
        ("heading3", "仿宋_GB2312", 16), ("heading4", "仿宋_GB2312", 16), ("body", "仿宋_GB2312", 16),
        ("signature", "仿宋_GB2312", 16), ("date", "仿宋_GB2312", 16),
    ])
    def test_each_paragraph_style_has_its_east_asian_font_and_size(
            self, sample_docx, role: str, font: str, size: float) -> None:
        """7.3.1/7.3.3: 2号小标宋 title, 黑体/楷体/仿宋 headings, 3号仿宋 body."""
        style = Document(str(sample_docx[0])).styles[STYLE_NAMES[role]]
        assert (east_asia(style), size_pt(style)) == (font, size)

    def test_every_paragraph_uses_the_style_of_its_level(self, sample_docx) -> None:
        doc = Document(str(sample_docx[0]))
        paragraphs = [p for p in doc.paragraphs if p.text]
        assert paragraphs[0].style.name == STYLE_NAMES["title"]
        assert paragraphs[-2].style.name == STYLE_NAMES["signature"]
        assert paragraphs[-1].style.name == STYLE_NAMES["date"]
        for p in paragraphs[1:-2]:
            marker = parse_marker(p.text)
            want = STYLE_NAMES[f"heading{marker[0]}"] if marker else STYLE_NAMES["body"]
            assert p.style.name == want, p.text[:20]

    def test_run_in_heading_rest_is_body_font(self, sample_docx) -> None:
        """（一）lead。rest: lead in the 楷体 paragraph style, rest in a 仿宋 character style."""
        doc = Document(str(sample_docx[0]))
        para = next(p for p in doc.paragraphs if p.text.startswith("（一）深入领会精神"))
        lead, rest = para.runs
        assert lead.text == "（一）深入领会精神，统一思想认识。"
        assert lead.style.name != STYLE_NAMES["run_in_rest"]
        assert rest.style.name == STYLE_NAMES["run_in_rest"]
        assert east_asia(rest.style) == "仿宋_GB2312"

    def test_first_line_indent_is_two_characters(self, sample_docx) -> None:
        ind = Document(str(sample_docx[0])).styles["Normal"].element.pPr.find(qn("w:ind"))
        assert ind.get(qn("w:firstLineChars")) == "200"


class TestFooters:
    def test_odd_and_even_footers_carry_page_fields_on_opposite_sides(self, sample_docx) -> None:
        """7.5: — n —, odd pages right, even pages left, one character in."""
        doc = Document(str(sample_docx[0]))
        assert doc.settings.odd_and_even_pages_header_footer
        section = doc.sections[-1]
        sides = []
        for footer in (section.footer, section.even_page_footer):
            xml = footer._element.xml
            assert "PAGE" in xml and 'w:fldCharType="begin"' in xml
            para = footer.paragraphs[0]
            assert para.text.startswith("— ") and para.text.endswith(" —")
            sides.append(para._p.pPr.find(qn("w:jc")).get(qn("w:val")))
        assert sides == ["right", "left"]
        style = doc.styles[STYLE_NAMES["footer"]]
        assert (east_asia(style), size_pt(style)) == ("宋体", 14)


class TestText:
    def test_docx_text_is_the_notice_plus_title_and_signature(self, sample_docx) -> None:
        path, text = sample_docx
        ledger = sample_ledger()
        paragraphs = [p.text for p in Document(str(path)).paragraphs if p.text]
        assert paragraphs[0] == ledger.info.title
        assert paragraphs[-2:] == [ledger.info.issuer, "2021年11月5日"]
        assert squeeze("".join(paragraphs[1:-2])) == squeeze(text)

    def test_heading_numbers_are_gapless(self, sample_docx) -> None:
        assert heading_gaps(p.text for p in Document(str(sample_docx[0])).paragraphs) == []


class TestHouseProfile:
    def test_house_profile_margins_and_line_spacing_are_applied(self, tmp_path: Path) -> None:
        """上下 3 cm、左右 2.9 cm、29 磅 from a TOML file; the profile file is not modified."""
        profile = tmp_path / "本单位版式.toml"
        profile.write_text(
            "[page]\ntop_mm = 30\nbottom_mm = 30\nleft_mm = 29\nright_mm = 29\n"
            "[grid]\nline_spacing_pt = 29\n[fonts.heading1]\neast_asia = \"方正黑体_GBK\"\n",
            encoding="utf-8")
        before = sha256(profile)
        out = tmp_path / "公告.docx"
        ledger = sample_ledger()
        write_notice_document(ledger, notice_text(ledger), out, profile=profile)
        doc = Document(str(out))
        section = doc.sections[-1]
        margins = [section.top_margin, section.bottom_margin, section.left_margin, section.right_margin]
        assert [round(m / MM_EMU, 1) for m in margins] == [30, 30, 29, 29]
        assert doc.styles["Normal"].element.pPr.find(qn("w:spacing")).get(qn("w:line")) == "580"
        assert east_asia(doc.styles[STYLE_NAMES["heading1"]]) == "方正黑体_GBK"
        assert sha256(profile) == before

    @pytest.mark.parametrize(("toml", "jc", "has_page"), [
        ("[footer]\nodd_even = false\n", "center", True),
        ("[footer]\nenabled = false\n", None, False),
    ])
    def test_house_profile_can_centre_or_drop_page_numbers(
            self, tmp_path: Path, toml: str, jc: str | None, has_page: bool) -> None:
        profile = tmp_path / "p.toml"
        profile.write_text(toml, encoding="utf-8")
        out = tmp_path / "a.docx"
        write_notice_document(sample_ledger(), "正文", out, profile=profile)
        doc = Document(str(out))
        footer = doc.sections[-1].footer
        assert not doc.settings.odd_and_even_pages_header_footer
        assert ("PAGE" in footer._element.xml) is has_page
        if jc:
            assert footer.paragraphs[0]._p.pPr.find(qn("w:jc")).get(qn("w:val")) == jc

    def test_profile_with_a_typo_is_refused_with_the_key(self, tmp_path: Path) -> None:
        profile = tmp_path / "p.toml"
        profile.write_text("[page]\ntopmm = 30\n", encoding="utf-8")
        with pytest.raises(InputError, match=r"page\.topmm"):
            write_notice_document(sample_ledger(), "正文", tmp_path / "a.docx", profile=profile)

    def test_profile_with_a_syntax_error_names_the_line_in_chinese(self, tmp_path: Path) -> None:
        profile = tmp_path / "坏版式.toml"
        profile.write_text('name = "x"\n[page\ntop_mm = 30\n', encoding="utf-8")
        with pytest.raises(InputError) as caught:
            write_notice_document(sample_ledger(), "正文", tmp_path / "a.docx", profile=profile)
        assert caught.value.message.startswith("版式文件“坏版式.toml”第 2 行第 6 列格式有误")
        assert "Expected" not in caught.value.message  # tomllib's English reason stays out

    def test_the_readme_house_profile_loads_as_shown(self, tmp_path: Path) -> None:
        """The TOML block of the README's document section is a working house profile."""
        readme = (Path(__file__).resolve().parents[2] / "README.md").read_text("utf-8")
        section = readme.split("<!-- section:document -->")[1].split("<!-- /section:document -->")[0]
        toml = section.split("```toml\n")[1].split("```")[0]
        profile = tmp_path / "本单位版式.toml"
        profile.write_text(toml, encoding="utf-8")
        layout = load_profile(profile)
        page = layout.page
        assert (page.top_mm, page.bottom_mm, page.left_mm, page.right_mm) == (30, 30, 29, 29)
        assert (layout.line_pitch_pt, layout.grid.chars_per_line) == (29, 27)
        assert layout.footer_distance_mm == pytest.approx(19.3)  # page numbers follow the margin

    def test_missing_profile_is_an_input_error(self, tmp_path: Path) -> None:
        with pytest.raises(InputError, match="找不到版式文件"):
            write_notice_document(sample_ledger(), "正文", tmp_path / "a.docx", profile=tmp_path / "x.toml")


class TestOutput:
    def test_other_suffix_is_refused(self, tmp_path: Path) -> None:
        with pytest.raises(OutputError):
            write_notice_document(sample_ledger(), "正文", tmp_path / "公告.txt")

    def test_document_open_in_word_is_not_overwritten(self, tmp_path: Path) -> None:
        out = tmp_path / "公告.docx"
        out.write_bytes(b"old")
        (tmp_path / "~$公告.docx").write_bytes(b"lock")
        with pytest.raises(LockedError):
            write_notice_document(sample_ledger(), "正文", out)
        assert out.read_bytes() == b"old"

    def test_no_temporary_file_is_left_behind(self, tmp_path: Path) -> None:
        write_notice_document(sample_ledger(), "正文", tmp_path / "公告.docx")
        assert sorted(p.name for p in tmp_path.iterdir()) == ["公告.docx"]

    def test_default_profile_file_equals_the_core_defaults(self) -> None:
        """gbt9704.toml documents exactly the values the code uses."""
        from rectify_xl.core.profile import Profile

        assert load_profile() == Profile()

"""The notice PDF from LibreOffice, measured: page size, lines, characters, page numbers, text.

One conversion per session (a long generated ledger, many full pages of body text); every test
measures that one PDF with pdfplumber. The official font names render through the tool's own
fontconfig file (adapters/fonts.py): nothing is set in the environment here.
"""

from __future__ import annotations

import itertools
import re
import shutil
import statistics
import subprocess
from pathlib import Path
from typing import Any

import pytest

from rectify_xl.core.document import text_cells
from rectify_xl.core.profile import Profile
from rectify_xl.core.records import ledger_from_records
from rectify_xl.services.document import write_notice_document
from rectify_xl.services.ledger import notice_text
from tests.conftest import sha256
from tests.document_helpers import MM, line_text, long_records, pdf_lines, squeeze

pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed"),
]

PAGE = Profile().page
TEXT_LEFT, TEXT_RIGHT = PAGE.left_mm, PAGE.width_mm - PAGE.right_mm  # 28, 184 mm
TEXT_TOP, TEXT_BOTTOM = PAGE.top_mm, PAGE.height_mm - PAGE.bottom_mm  # 37, 262 mm
CHAR_MM = Profile().char_pitch_pt / MM  # one character of the 28-character line: 5.57 mm


class Notice:
    def __init__(self, docx: Path, pdf: Path, text: str, title: str, issuer: str, date: str) -> None:
        import pdfplumber

        self.docx, self.pdf, self.text = docx, pdf, text
        self.notes: list[str] = []
        self.title, self.issuer, self.date = title, issuer, date
        with pdfplumber.open(pdf) as doc:
            self.size = (float(doc.pages[0].width), float(doc.pages[0].height))
            self.sizes = {(round(float(p.width)), round(float(p.height))) for p in doc.pages}
            self.body = [pdf_lines(p, bottom_mm=TEXT_BOTTOM + 2) for p in doc.pages]
            self.footers = [self._footer(p) for p in doc.pages]
            self.fonts = {c["fontname"] for p in doc.pages for c in p.chars}
            self.pdffonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True,
                                           check=True).stdout

    @staticmethod
    def _footer(page: Any) -> list[dict[str, Any]]:
        return [c for c in page.chars if c["text"].strip() and c["top"] >= (TEXT_BOTTOM + 2) * MM]


@pytest.fixture(scope="session")
def notice(tmp_path_factory: pytest.TempPathFactory) -> Notice:
    ledger = ledger_from_records(long_records(24, aspects=4, measures=2, words=4))
    text = notice_text(ledger)
    out = tmp_path_factory.mktemp("pdf") / "公告.pdf"
    notes: list[str] = []
    docx, pdf = write_notice_document(ledger, text, out, notes=notes)
    info = ledger.info
    made = Notice(docx, pdf, text, info.title or f"{info.unit}关于巡察整改进展情况的公告", info.issuer,
                  "2021年11月5日")
    made.notes = notes
    return made


def _full_pages(notice: Notice) -> list[list[list[dict[str, Any]]]]:
    return notice.body[1:-1]  # page 1 has the title and its blank line; the last page is short


class TestPage:
    def test_every_page_is_a4(self, notice: Notice) -> None:
        assert notice.sizes == {(595, 842)}

    def test_text_starts_at_the_left_margin_and_below_the_top_margin(self, notice: Notice) -> None:
        """订口 28 mm, 天头 37 mm: the text block's left edge and top."""
        lefts = [line[0]["x0"] / MM for page in notice.body for line in page]
        assert abs(min(lefts) - TEXT_LEFT) < 0.5
        first_top = notice.body[1][0][0]["top"] / MM
        assert TEXT_TOP <= first_top < TEXT_TOP + 29 / MM

    def test_cjk_text_is_rendered_with_cjk_fonts_not_boxes(self, notice: Notice) -> None:
        assert notice.fonts and all("Fandol" in name for name in notice.fonts)


def _face(chars: list[dict[str, Any]]) -> set[str]:
    """The faces of some characters, without the subset prefix (ABCDEF+FandolFang-Regular)."""
    return {c["fontname"].split("+", 1)[-1] for c in chars if c["text"].strip()}


class TestFaces:
    """GB/T 9704 5.2.2 and 7.3: 3号仿宋 body, 小标宋 title, 黑体 一、, 楷体 （一）, 宋体 page numbers,
    set in the free faces made for those roles (docs/dev/fonts.md), simplified-Chinese designs."""

    def test_pdffonts_lists_only_the_embedded_fandol_faces(self, notice: Notice) -> None:
        rows = notice.pdffonts.splitlines()[2:]
        names = {row.split()[0].split("+", 1)[-1] for row in rows}
        assert names == {"FandolSong-Bold", "FandolFang-Regular", "FandolHei-Regular",
                         "FandolKai-Regular", "FandolSong-Regular"}
        assert all(row.split()[-5] == "yes" for row in rows)  # every face embedded
        assert notice.notes == []  # nothing stood in for a missing face

    def test_no_japanese_korean_or_traditional_cut(self, notice: Notice) -> None:
        assert not re.search(r"(?i)CJK(jp|kr|tc|hk)|Sans|Mincho|Gothic|Ming", notice.pdffonts)

    def test_title_is_set_in_the_bold_song_face(self, notice: Notice) -> None:
        assert _face(notice.body[0][0]) == {"FandolSong-Bold"}

    def test_body_text_is_set_in_fangsong(self, notice: Notice) -> None:
        lines = [line for page in notice.body[1:] for line in page
                 if not re.match(r"[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）", line_text(line))]
        assert len(lines) > 50
        assert set.union(*(_face(line) for line in lines)) == {"FandolFang-Regular"}

    def test_first_level_headings_are_hei_and_second_level_kai(self, notice: Notice) -> None:
        """一、 lines wholly in 黑体; （一） lines: the heading sentence in 楷体, the rest 仿宋."""
        lines = [line for page in notice.body for line in page]
        first = [line for line in lines if re.match(r"[一二三四五六七八九十]+、", line_text(line))]
        second = [line for line in lines if re.match(r"（[一二三四五六七八九十]+）", line_text(line))]
        assert first and second
        for line in first:
            assert _face(line) == {"FandolHei-Regular"}, line_text(line)
        for line in second:
            text = line_text(line)
            lead = text[:text.index("。") + 1] if "。" in text else text
            assert _face(line[:len(lead)]) == {"FandolKai-Regular"}, text

    def test_page_numbers_are_song_with_real_em_dashes(self, notice: Notice) -> None:
        """7.5: 4号宋体, 一字线 either side: U+2014, a full em (14 pt) wide, not a hyphen or a box."""
        for chars in notice.footers:
            dashes = [c for c in chars if c["text"] == "\u2014"]
            assert len(dashes) == 2 and chars[0] is dashes[0] and chars[-1] is dashes[1]
            assert all(abs((c["x1"] - c["x0"]) - 14) < 1.5 for c in dashes)
            assert _face(chars) == {"FandolSong-Regular"}


class TestLinesAndCharacters:
    def test_a_full_page_of_body_text_has_22_lines(self, notice: Notice) -> None:
        """5.2.3: 一般每面排22行 — every page between the first and the last."""
        pages = _full_pages(notice)
        assert len(pages) >= 3
        assert [len(lines) for lines in pages] == [22] * len(pages)

    def test_lines_are_evenly_pitched_at_28_95_points(self, notice: Notice) -> None:
        tops = [line[0]["top"] for line in notice.body[1]]
        pitches = [b - a for a, b in itertools.pairwise(tops)]
        assert abs(statistics.median(pitches) - 28.95) < 0.3

    def test_no_line_holds_more_than_28_characters_inside_the_text_block(self, notice: Notice) -> None:
        """5.2.3: 每行排28个字, and no punctuation hangs outside the text block.

        LibreOffice 7.4 drops a hanging 、 from its PDF, so hanging punctuation is turned off
        (see reference_docx._paragraph_props); nothing may stick out past the right edge.
        """
        for lines in notice.body:
            for line in lines:
                inside = [c for c in line if c["x1"] / MM <= TEXT_RIGHT + 0.3]
                assert text_cells(line_text(inside)) <= 28, line_text(line)
                assert len(inside) == len(line), line_text(line)

    def test_full_lines_hold_exactly_28_characters(self, notice: Notice) -> None:
        """并撑满版心: justified lines reach the right edge with 28 characters, not 27."""
        cells = [text_cells(line_text([c for c in line if c["x1"] / MM <= TEXT_RIGHT + 0.3]))
                 for lines in _full_pages(notice) for line in lines]
        assert max(cells) == 28
        assert sum(1 for n in cells if n >= 27.5) > len(cells) / 2

    def test_every_continued_line_is_justified_to_the_edge_with_28_characters(
            self, notice: Notice) -> None:
        """并撑满版心, line by line: a line whose paragraph goes on (the next line starts at the
        left edge, not indented) ends at the right edge and holds 28 characters (a first line: 2
        of indent and 26); 27 only when the next line starts with a mark that may not begin a
        line (no hanging punctuation, see test_no_line_holds_more…); lines with half-width
        digits (LibreOffice sets them wider than ½ and spaced from Chinese) only reach the edge."""
        lines = [line for page in notice.body for line in page]
        continued = [(line, nxt) for line, nxt in itertools.pairwise(lines)
                     if abs(nxt[0]["x0"] / MM - TEXT_LEFT) < 0.5
                     and line[0]["x0"] / MM < TEXT_LEFT + 3 * CHAR_MM]  # not title/signature/date
        assert len(continued) > 100
        for line, nxt in continued:
            text = line_text(line)
            assert TEXT_RIGHT - line[-1]["x1"] / MM < 0.8, text
            cells = text_cells(text) + round((line[0]["x0"] / MM - TEXT_LEFT) / CHAR_MM)  # + indent
            if any(ch.isascii() for ch in text):  # digits: wider than ½ and spaced; edge only
                continue
            if any(c["text"] in "，。、；：？！”’）》" for c in nxt[:2]) or nxt[0]["text"] in "“‘（《":
                assert cells >= 27, text  # 避头尾: a mark that may not start (end) a line moved
            else:
                assert cells == 28, text

    def test_title_line_is_centred_in_the_text_block(self, notice: Notice) -> None:
        title = notice.body[0][0]
        assert line_text(title) == notice.title
        centre = (title[0]["x0"] + title[-1]["x1"]) / 2 / MM
        assert abs(centre - (TEXT_LEFT + TEXT_RIGHT) / 2) < 1.0

    def test_date_is_four_characters_from_the_right_edge(self, notice: Notice) -> None:
        """7.3.5.1: 成文日期右空四字."""
        last = notice.body[-1][-1]
        assert line_text(last) == notice.date
        assert abs((TEXT_RIGHT - last[-1]["x1"] / MM) - 4 * CHAR_MM) < 1.5


class TestPageNumbers:
    def test_every_page_carries_its_number_between_dashes(self, notice: Notice) -> None:
        """7.5: — n — on every page."""
        numbers = [line_text(f) for f in notice.footers]
        assert numbers == [f"—{n}—" for n in range(1, len(numbers) + 1)]

    def test_odd_pages_right_even_pages_left_one_character_in(self, notice: Notice) -> None:
        """7.5: 单页码居右空一字，双页码居左空一字."""
        for n, chars in enumerate(notice.footers, start=1):
            if n % 2:
                assert abs(TEXT_RIGHT - chars[-1]["x1"] / MM - CHAR_MM) < 1.5
            else:
                assert abs(chars[0]["x0"] / MM - TEXT_LEFT - CHAR_MM) < 1.5

    def test_dashes_sit_7_mm_below_the_text_block(self, notice: Notice) -> None:
        """7.5: 一字线上距版心下边缘7mm (measured at the middle of the 4号 line)."""
        dash = notice.footers[0][0]
        middle = (dash["top"] + dash["bottom"]) / 2 / MM
        assert abs(middle - (TEXT_BOTTOM + 7)) < 1.5


class TestText:
    def test_pdf_text_is_the_notice_plus_title_and_signature(self, notice: Notice) -> None:
        """NFKC and whitespace aside, the PDF says exactly what the .txt notice says."""
        pdf_text = "".join(line_text(line) for page in notice.body for line in page)
        expected = notice.title + notice.text + notice.issuer + notice.date
        assert squeeze(pdf_text) == squeeze(expected)

    def test_conversion_leaves_the_docx_untouched_and_no_lock_file(self, notice: Notice) -> None:
        assert sorted(p.name for p in notice.docx.parent.iterdir()) == ["公告.docx", "公告.pdf"]
        before = sha256(notice.docx)
        from rectify_xl.adapters.pdf import convert_to_pdf

        again = notice.docx.parent / "again" / "公告.pdf"
        again.parent.mkdir()
        assert convert_to_pdf(notice.docx, again) == again
        assert sha256(notice.docx) == before


HOUSE_TOML = """name = "本单位版式"
[page]
top_mm = 30
bottom_mm = 30
left_mm = 29
right_mm = 29
[grid]
line_spacing_pt = 29
chars_per_line = 27
"""


@pytest.fixture(scope="module")
def house(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Any], list[Any]]:
    """The README's house profile applied to a generated ledger, converted once."""
    import pdfplumber

    folder = tmp_path_factory.mktemp("house")
    profile = folder / "本单位版式.toml"
    profile.write_text(HOUSE_TOML, encoding="utf-8")
    ledger = ledger_from_records(long_records(8, aspects=2, measures=2, words=4))
    _, pdf = write_notice_document(ledger, notice_text(ledger), folder / "公告.pdf", profile=profile)
    with pdfplumber.open(pdf) as doc:
        body = [pdf_lines(p, bottom_mm=297 - 30 + 2) for p in doc.pages]
        footers = [[c for c in p.chars if c["text"].strip() and c["top"] >= (297 - 28) * MM]
                   for p in doc.pages]
    assert len(body) >= 3
    return body, footers


class TestHouseProfilePdf:
    """上下 3 cm、左右 2.9 cm、29 磅, 27 characters (the README's example), measured in the PDF."""

    def test_margins_lines_and_characters_follow_the_house_profile(self, house: Any) -> None:
        """Text from 29 mm left and 30 mm top; 237 mm / 29 pt = 23 lines; at most 27 a line."""
        body, _ = house
        assert abs(min(line[0]["x0"] for page in body for line in page) / MM - 29) < 0.5
        assert max(c["x1"] for page in body for line in page for c in line) / MM <= 210 - 29 + 0.3
        assert 30 <= body[1][0][0]["top"] / MM < 30 + 29 / MM
        assert [len(page) for page in body[1:-1]] == [23] * len(body[1:-1])
        cells = [text_cells(line_text(line)) for page in body for line in page]
        assert max(cells) == 27

    def test_page_numbers_move_with_the_bottom_margin(self, house: Any) -> None:
        """7.5: 一字线 7 mm below the 30 mm bottom margin's text block, on every page."""
        _, footers = house
        for n, chars in enumerate(footers, start=1):
            assert line_text(chars) == f"—{n}—"
            middle = (chars[0]["top"] + chars[0]["bottom"]) / 2 / MM
            assert abs(middle - (297 - 30 + 7)) < 1.0

"""The layout profile of the notice document: page, margins, fonts, grid, footer.

The defaults are GB/T 9704-2012 《党政机关公文格式》 (clause numbers in the comments);
rectify_xl/data/profiles/gbt9704.toml states the same values as a readable file, and a house
profile (TOML) overrides some of them. Pure: the adapter reads the TOML, this module merges
the data and derives the Word units (twips, grid pitch) from it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, is_dataclass, replace
from typing import Any

__all__ = [
    "FONT_ROLES",
    "Font",
    "Footer",
    "Grid",
    "Page",
    "Paragraphs",
    "Profile",
    "ProfileProblem",
    "merge_profile",
    "mm_to_twips",
    "pt_to_twips",
]

MM_PER_PT = 25.4 / 72
TWIPS_PER_PT = 20
_DASH_BELOW_TEXT_MM = 7.0  # 7.5: 一字线上距版心下边缘7mm
_DASH_ABOVE_FOOTER_MM = 3.7  # footer distance → middle of the — n — line (measured: 28.0 − 24.3)
FONT_ROLES = ("title", "heading1", "heading2", "heading3", "heading4", "body")


class ProfileProblem(ValueError):
    """A profile value that cannot be used; the adapter turns it into an InputError."""


def mm_to_twips(mm: float) -> int:
    # Word stores page geometry in twips; rounding here is what Word itself does on save.
    return round(mm / MM_PER_PT * TWIPS_PER_PT)


def pt_to_twips(pt: float) -> int:
    return round(pt * TWIPS_PER_PT)


@dataclass(frozen=True, slots=True)
class Font:
    east_asia: str  # w:eastAsia: the Chinese face
    ascii: str  # w:ascii/w:hAnsi: digits and Latin letters
    size_pt: float
    bold: bool = False


@dataclass(frozen=True, slots=True)
class Page:
    width_mm: float = 210  # 5.1: A4 (GB/T 148), 210 mm × 297 mm
    height_mm: float = 297
    top_mm: float = 37  # 5.2.1: 天头 37 mm ± 1 mm
    left_mm: float = 28  # 5.2.1: 订口 28 mm ± 1 mm
    # 5.2.1: 版心 156 mm × 225 mm, so the bottom and right margins follow from it
    bottom_mm: float = 35  # 297 − 37 − 225
    right_mm: float = 26  # 210 − 28 − 156

    @property
    def text_width_mm(self) -> float:
        return self.width_mm - self.left_mm - self.right_mm

    @property
    def text_height_mm(self) -> float:
        return self.height_mm - self.top_mm - self.bottom_mm

    @property
    def text_width_twips(self) -> int:
        return mm_to_twips(self.width_mm) - mm_to_twips(self.left_mm) - mm_to_twips(self.right_mm)

    @property
    def text_height_twips(self) -> int:
        return mm_to_twips(self.height_mm) - mm_to_twips(self.top_mm) - mm_to_twips(self.bottom_mm)


@dataclass(frozen=True, slots=True)
class Grid:
    """5.2.3: 一般每面排22行，每行排28个字，并撑满版心."""

    lines_per_page: int = 22
    chars_per_line: int = 28
    # Exact line spacing in points; 0 derives it from lines_per_page (the text block height
    # divided by the lines, rounded down to a twip: 28.95 pt for GB/T 9704).
    line_spacing_pt: float = 0
    # w:docGrid type: "lines" (Word: 只指定行网格), "linesAndChars" (指定行和字符网格) or "none".
    # "lines" by default: LibreOffice 7.4 lays a character grid out at 14 characters a line
    # (measured), so the 28 characters come from char_spacing_twips instead, in both apps.
    type: str = "lines"


def _default_fonts() -> dict[str, Font]:
    return {
        # 7.3.1: 标题一般用2号小标宋体字 (2号 = 22 pt)
        "title": Font("方正小标宋简体", "方正小标宋简体", 22),
        # 7.3.3: 一般第一层用黑体字、第二层用楷体字、第三层和第四层用仿宋体字; 5.2.2: 3号 (16 pt)
        "heading1": Font("黑体", "黑体", 16),
        "heading2": Font("楷体_GB2312", "楷体_GB2312", 16),
        "heading3": Font("仿宋_GB2312", "仿宋_GB2312", 16),
        "heading4": Font("仿宋_GB2312", "仿宋_GB2312", 16),
        # 5.2.2: 如无特殊说明，公文格式各要素一般用3号仿宋体字
        "body": Font("仿宋_GB2312", "仿宋_GB2312", 16),
    }


@dataclass(frozen=True, slots=True)
class Paragraphs:
    first_line_indent_chars: float = 2  # 7.3.3: 每个自然段左空二字，回行顶格
    title_blank_lines_after: int = 1  # 7.3.2: 标题下空一行 (a 公告 has no 主送机关: the body)
    signature_blank_lines_before: int = 1  # 7.3.5.2: 在正文下空一行编排发文机关署名
    date_right_chars: float = 4  # 7.3.5.1: 成文日期一般右空四字编排
    justify: bool = True  # 5.2.3: 并撑满版心


@dataclass(frozen=True, slots=True)
class Footer:
    """7.5 页码: 4号半角宋体阿拉伯数字，数字左右各放一条一字线；单页码居右空一字，双页码居左空一字."""

    enabled: bool = True
    text: str = "— {page} —"  # {page} becomes a PAGE field
    font: Font = field(default_factory=lambda: Font("宋体", "宋体", 14))  # 4号 = 14 pt
    # Footer distance from the page's bottom edge; 0 derives it from the bottom margin so that
    # 7.5 holds for any margin: the dashes sit 7 mm below the text block (Profile.footer_distance_mm).
    distance_mm: float = 0
    indent_chars: float = 1  # 居右空一字 / 居左空一字
    odd_even: bool = True  # odd pages right, even pages left


@dataclass(frozen=True, slots=True)
class Profile:
    name: str = "GB/T 9704-2012"
    page: Page = field(default_factory=Page)
    grid: Grid = field(default_factory=Grid)
    fonts: Mapping[str, Font] = field(default_factory=_default_fonts)
    paragraphs: Paragraphs = field(default_factory=Paragraphs)
    footer: Footer = field(default_factory=Footer)

    def font(self, role: str) -> Font:
        return self.fonts[role]

    @property
    def footer_distance_mm(self) -> float:
        """The footer's distance from the page bottom: distance_mm, or derived (24.3 mm for 35 mm).

        7.5: 一字线上距版心下边缘7mm. The dash's middle sits _DASH_ABOVE_FOOTER_MM above the footer
        distance (4号 on the footer style's exact 18.2 pt line, measured in LibreOffice's PDF).
        """
        if self.footer.distance_mm:
            return self.footer.distance_mm
        return max(0.0, self.page.bottom_mm - _DASH_BELOW_TEXT_MM - _DASH_ABOVE_FOOTER_MM)

    @property
    def line_pitch_twips(self) -> int:
        """Exact line spacing (and w:docGrid linePitch) in twips: 579 for GB/T 9704."""
        if self.grid.line_spacing_pt:
            return pt_to_twips(self.grid.line_spacing_pt)
        return self.page.text_height_twips // self.grid.lines_per_page

    @property
    def line_pitch_pt(self) -> float:
        return self.line_pitch_twips / TWIPS_PER_PT

    @property
    def char_pitch_pt(self) -> float:
        """The width of one grid character: the text width over chars_per_line."""
        return self.page.text_width_twips / TWIPS_PER_PT / self.grid.chars_per_line

    @property
    def char_space(self) -> int:
        """w:docGrid charSpace: (pitch − body size) in 1/4096 pt, rounded down so 28 fit: −842."""
        return math.floor((self.char_pitch_pt - self.font("body").size_pt) * 4096)

    @property
    def char_spacing_twips(self) -> int:
        """Character spacing (w:spacing in the run properties) so glyphs advance no more than a cell.

        LibreOffice puts a glyph wider than a grid cell into two cells (14 characters a line),
        Word squeezes it; condensing every glyph to within the cell makes both lay out 28. In
        twips, rounded down: −5 (−0.25 pt) for 16 pt in 15.79 pt cells.
        """
        return min(0, math.floor((self.char_pitch_pt - self.font("body").size_pt) * TWIPS_PER_PT))

    def chars_twips(self, chars: float) -> int:
        """A distance of n characters (e.g. the first-line indent) on the character grid."""
        return math.floor(chars * self.char_pitch_pt * TWIPS_PER_PT)

    def problems(self) -> list[str]:
        """Values that would make no usable page, in plain Chinese."""
        out: list[str] = []
        p = self.page
        if min(p.width_mm, p.height_mm) <= 0 or min(p.top_mm, p.bottom_mm, p.left_mm, p.right_mm) < 0:
            out.append("页面尺寸和页边距必须为正数")
        elif p.text_width_mm < 50 or p.text_height_mm < 50:
            out.append("页边距过大：版心不足 50 毫米")
        if self.grid.lines_per_page < 1 or self.grid.chars_per_line < 1:
            out.append("每页行数、每行字数必须大于 0")
        if self.grid.type not in ("linesAndChars", "lines", "none"):
            out.append("文档网格类型应为 linesAndChars、lines 或 none")
        missing = [r for r in FONT_ROLES if r not in self.fonts]
        if missing:
            out.append(f"缺少字体设置：{'、'.join(missing)}")
        if "{page}" not in self.footer.text:
            out.append("页码格式中须含 {page}")
        return out or self._text_problems()  # the text checks divide by the values above

    def _text_problems(self) -> list[str]:
        """Sizes, line spacing and characters a line that would print overlapping text."""
        body = self.font("body").size_pt
        sizes = [self.font(r).size_pt for r in FONT_ROLES] + [self.footer.font.size_pt]
        if not all(0 < size <= 72 for size in sizes):
            return ["字号（size_pt）应在 1 至 72 磅之间"]
        if self.grid.line_spacing_pt < 0 or self.line_pitch_pt < body:
            return [f"行距 {self.line_pitch_pt:g} 磅小于正文字号 {body:g} 磅，文字会重叠："
                    "请减少每页行数或加大行距"]
        # Up to a fifth of the glyph may be condensed away (−0.25 pt of 16 for GB/T 9704).
        if self.char_pitch_pt < 0.8 * body:
            most = math.floor(self.page.text_width_twips / TWIPS_PER_PT / (0.8 * body))
            return [f"每行 {self.grid.chars_per_line} 字过多：按正文字号，版心每行最多排 {most} 字"]
        return []


def merge_profile(base: Profile, data: Mapping[str, Any]) -> Profile:
    """Override base with TOML-shaped data; unknown keys and wrong types raise ProfileProblem."""
    return _merge(base, data, "")


def _merge(obj: Any, data: Mapping[str, Any], where: str) -> Any:
    if not isinstance(data, Mapping):
        raise ProfileProblem(f"“{where.rstrip('.')}”应为一个表（[...] 小节）")
    if isinstance(obj, Mapping):  # fonts: role → Font
        merged = dict(obj)
        for key, value in data.items():
            if key not in merged:
                raise ProfileProblem(f"未知的字体角色“{where}{key}”，可用：{'、'.join(FONT_ROLES)}")
            merged[key] = _merge(merged[key], value, f"{where}{key}.")
        return merged
    names = {f.name: f for f in fields(obj)}
    changes: dict[str, Any] = {}
    for key, value in data.items():
        if key not in names:
            raise ProfileProblem(f"未知的设置项“{where}{key}”")
        current = getattr(obj, key)
        if is_dataclass(current) or isinstance(current, Mapping):
            changes[key] = _merge(current, value, f"{where}{key}.")
        else:
            changes[key] = _coerce(current, value, f"{where}{key}")
    return replace(obj, **changes)


def _coerce(current: Any, value: Any, where: str) -> Any:
    if isinstance(current, bool):
        if not isinstance(value, bool):
            raise ProfileProblem(f"“{where}”应为 true 或 false")
        return value
    if isinstance(current, int | float):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ProfileProblem(f"“{where}”应为数字")
        if isinstance(current, int):
            if not float(value).is_integer():
                raise ProfileProblem(f"“{where}”应为整数")
            return int(value)
        return float(value)
    if not isinstance(value, str):
        raise ProfileProblem(f"“{where}”应为文字")
    return value

"""core.profile: GB/T 9704 defaults, derived Word units, merging a house profile."""

from __future__ import annotations

import pytest

from rectify_xl.core.profile import Profile, ProfileProblem, merge_profile


class TestDefaults:
    def test_text_block_is_156_by_225_mm(self) -> None:
        """5.2.1: 天头 37, 订口 28, 版心 156 × 225 mm on A4."""
        page = Profile().page
        assert (page.width_mm, page.height_mm) == (210, 297)
        assert (page.text_width_mm, page.text_height_mm) == (156, 225)

    def test_line_pitch_fits_22_lines_in_the_text_block(self) -> None:
        """5.2.3: 22 lines; 579 twips (28.95 pt) is the largest pitch that fits 22 in 225 mm."""
        profile = Profile()
        assert profile.line_pitch_twips == 579
        assert 22 * profile.line_pitch_twips <= profile.page.text_height_twips < 23 * profile.line_pitch_twips

    def test_character_spacing_fits_28_characters_of_16_pt(self) -> None:
        """5.2.3: 28 characters; 16 pt glyphs condensed by 0.25 pt advance 15.75 pt."""
        profile = Profile()
        advance = profile.font("body").size_pt + profile.char_spacing_twips / 20
        width = profile.page.text_width_twips / 20
        assert profile.char_spacing_twips == -5
        assert 28 * advance <= width < 29 * advance

    def test_grid_char_space_is_the_conventional_word_value(self) -> None:
        """w:docGrid charSpace −842 (15.79 pt per character), used with the linesAndChars grid."""
        assert Profile().char_space == -842

    def test_default_profile_has_no_problems(self) -> None:
        assert Profile().problems() == []


class TestMerge:
    def test_house_profile_overrides_only_what_it_names(self) -> None:
        """上下 3 cm、左右 2.9 cm、29 磅: margins and line spacing change, fonts stay."""
        house = merge_profile(Profile(), {
            "page": {"top_mm": 30, "bottom_mm": 30, "left_mm": 29, "right_mm": 29},
            "grid": {"line_spacing_pt": 29},
        })
        assert (house.page.top_mm, house.page.left_mm, house.page.width_mm) == (30, 29, 210)
        assert house.line_pitch_twips == 580
        assert house.font("body") == Profile().font("body")

    def test_page_numbers_stay_7_mm_below_a_house_text_block(self) -> None:
        """7.5: the footer distance follows the bottom margin unless a profile sets it."""
        assert Profile().footer_distance_mm == pytest.approx(24.3)
        house = merge_profile(Profile(), {"page": {"bottom_mm": 30}})
        assert house.footer_distance_mm == pytest.approx(19.3)
        fixed = merge_profile(Profile(), {"page": {"bottom_mm": 30}, "footer": {"distance_mm": 15}})
        assert fixed.footer_distance_mm == 15

    def test_font_fields_merge_per_role(self) -> None:
        house = merge_profile(Profile(), {"fonts": {"heading1": {"east_asia": "方正黑体_GBK"}}})
        assert house.font("heading1").east_asia == "方正黑体_GBK"
        assert house.font("heading1").size_pt == 16

    @pytest.mark.parametrize(("data", "words"), [
        ({"page": {"topmargin": 30}}, "page.topmargin"),
        ({"fonts": {"heading9": {"size_pt": 16}}}, "heading9"),
        ({"page": {"top_mm": "三十"}}, "page.top_mm"),
        ({"footer": {"enabled": 1}}, "footer.enabled"),
        ({"page": 30}, "page"),
        ({"grid": {"lines_per_page": 22.5}}, "grid.lines_per_page"),
    ])
    def test_unknown_keys_and_wrong_types_are_named(self, data: dict, words: str) -> None:
        """A typo in a house profile is reported with its key, not silently ignored."""
        with pytest.raises(ProfileProblem, match=words.replace(".", r"\.")):
            merge_profile(Profile(), data)

    def test_impossible_margins_are_problems(self) -> None:
        profile = merge_profile(Profile(), {"page": {"left_mm": 100, "right_mm": 100}})
        assert profile.problems() == ["页边距过大：版心不足 50 毫米"]

    def test_footer_without_page_placeholder_is_a_problem(self) -> None:
        profile = merge_profile(Profile(), {"footer": {"text": "第页"}})
        assert "页码格式中须含 {page}" in profile.problems()

    @pytest.mark.parametrize(("data", "words"), [
        ({"fonts": {"body": {"size_pt": 0}}}, "字号"),
        ({"grid": {"line_spacing_pt": -3}}, "行距 -3 磅小于正文字号 16 磅"),
        ({"grid": {"lines_per_page": 60}}, "行距 10.6 磅小于正文字号 16 磅"),
        ({"grid": {"chars_per_line": 100}}, "每行 100 字过多"),
    ])
    def test_values_that_would_overlap_text_are_problems(self, data: dict, words: str) -> None:
        """A profile that would print text on text is refused, in words the user can act on."""
        (problem,) = merge_profile(Profile(), data).problems()
        assert words in problem

    def test_no_lines_is_one_problem_not_a_division_by_zero(self) -> None:
        profile = merge_profile(Profile(), {"grid": {"lines_per_page": 0}})
        assert profile.problems() == ["每页行数、每行字数必须大于 0"]

"""Chinese numerals and document numbering (core.numbering)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rectify_xl.core.numbering import (
    cn_numeral,
    enumeration,
    heading_marker,
    parse_cn_numeral,
    parse_number,
)

KNOWN = {
    0: "零", 1: "一", 9: "九", 10: "十", 11: "十一", 19: "十九", 20: "二十", 23: "二十三",
    99: "九十九", 100: "一百", 101: "一百零一", 105: "一百零五", 110: "一百一十",
    111: "一百一十一", 120: "一百二十", 999: "九百九十九", 1000: "一千", 1001: "一千零一",
    1010: "一千零一十", 1011: "一千零一十一", 1100: "一千一百", 2019: "二千零一十九",
    10000: "一万", 10001: "一万零一", 10010: "一万零一十", 10100: "一万零一百",
    11000: "一万一千", 100000 - 1: "九万九千九百九十九", 20020: "二万零二十",
    100000: "十万", 100010: "十万零一十", 110000: "十一万", 1000000: "一百万",
    10000001: "一千万零一", 100000000: "一亿", 100000010: "一亿零一十",
    101000000: "一亿零一百万", 123456789: "一亿二千三百四十五万六千七百八十九",
}


class TestCnNumeral:
    @pytest.mark.parametrize(("n", "text"), sorted(KNOWN.items()))
    def test_known_numerals_are_written_the_official_way(self, n: int, text: str) -> None:
        """十 not 一十 at the start, 零 for each gap, 一十 inside larger numbers."""
        assert cn_numeral(n) == text

    @pytest.mark.parametrize("n", [-1, 10**12])
    def test_out_of_range_numbers_are_refused(self, n: int) -> None:
        """0..999999999999 is supported (any count); anything else is a programming error."""
        with pytest.raises(ValueError):
            cn_numeral(n)

    @given(st.integers(min_value=0, max_value=10**12 - 1))
    def test_parse_inverts_cn_numeral(self, n: int) -> None:
        """Round trip over the whole range."""
        assert parse_cn_numeral(cn_numeral(n)) == n

    @given(st.integers(min_value=1, max_value=10**12 - 1))
    def test_numeral_never_has_doubled_zero_or_trailing_zero(self, n: int) -> None:
        """零 appears once per gap and never at the end."""
        text = cn_numeral(n)
        assert "零零" not in text
        assert not text.endswith("零")
        assert not text.startswith("一十")


class TestParseCnNumeral:
    @pytest.mark.parametrize(("text", "n"), [
        ("十", 10), ("一十五", 15), ("两百", 200), ("两万", 20000), ("零", 0), ("〇", 0),
        ("十万", 100000), ("两亿", 200000000),
    ])
    def test_common_variants_are_read(self, text: str, n: int) -> None:
        """两 and a leading 一十 are read, as staff write them."""
        assert parse_cn_numeral(text) == n

    @pytest.mark.parametrize("text", ["", "十十", "一二", "二〇二一", "万", "百", "三个", "abc",
                                      "一百五", "万亿", "十亿万"])
    def test_malformed_or_non_numerals_are_none(self, text: str) -> None:
        """No wrong number is read from a malformed string (a count check relies on it)."""
        assert parse_cn_numeral(text) is None


class TestParseNumber:
    @pytest.mark.parametrize(("text", "n"), [
        ("23", 23), ("２３", 23), (" 6 ", 6), ("二十三", 23), ("十", 10),
    ])
    def test_arabic_fullwidth_and_chinese_numbers(self, text: str, n: int) -> None:
        """Numbers as written in notice prose."""
        assert parse_number(text) == n

    def test_text_is_not_a_number(self) -> None:
        """Words are None."""
        assert parse_number("若干") is None


class TestMarkers:
    def test_the_four_heading_levels_of_gb_t_9704(self) -> None:
        """一、 （一） 1. （1）."""
        assert [heading_marker(level, 1) for level in (1, 2, 3, 4)] == ["一、", "（一）", "1.", "（1）"]

    def test_level_two_markers_count_past_ten(self) -> None:
        """（十）（十一）… not （一十一）."""
        assert [heading_marker(2, n) for n in (4, 10, 11, 20)] == ["（四）", "（十）", "（十一）", "（二十）"]

    def test_unknown_level_is_refused(self) -> None:
        """There is no level 5."""
        with pytest.raises(ValueError):
            heading_marker(5, 1)

    def test_enumerations(self) -> None:
        """一是 二是 … 十一是."""
        assert [enumeration(n) for n in (1, 2, 10, 11)] == ["一是", "二是", "十是", "十一是"]

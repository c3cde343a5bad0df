"""Dates as typed and as written in official documents (core.dates)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rectify_xl.core.dates import format_cn, format_cn_range, is_plausible, parse_date

JULY_31 = date(2021, 7, 31)


class TestParseDate:
    @pytest.mark.parametrize("value", [
        "2021年7月31日", "2021年07月31日", "2021 年 7 月 31 日", "2021年7月31", "２０２１年７月３１日",
        "2021年7月31号",
        "2021.7.31", "2021/7/31", "2021-07-31", "2021-7-31", " 2021-07-31 ", "20210731",
        "2021-07-31T00:00:00Z", "2021-07-31T00:00:00.000Z", "2021-07-31T08:00:00+08:00",
        "2021/7/31 0:00", "2021-07-31 00:00:00",
    ])
    def test_text_forms_staff_type_are_read(self, value: str) -> None:
        """Chinese, dotted, slashed, ISO and date-time forms all give the date."""
        result = parse_date(value)
        assert (result.value, result.raw) == (JULY_31, "")

    @pytest.mark.parametrize("value", [44408, 44408.0, 44408.75, "44408", 20210731])
    def test_excel_serials_and_number_cells_are_read(self, value: object) -> None:
        """Serial 44408 is 2021-07-31 (1900 date system); 20210731 typed as a number too."""
        assert parse_date(value).value == JULY_31

    @pytest.mark.parametrize("value", [JULY_31, datetime(2021, 7, 31, 15, 30)])
    def test_date_objects_pass_through(self, value: object) -> None:
        """openpyxl/calamine dates and date-times."""
        assert parse_date(value).value == JULY_31

    @pytest.mark.parametrize("value", [None, "", "   "])
    def test_blank_is_empty_not_an_error(self, value: object) -> None:
        """A blank cell is neither a date nor bad text."""
        result = parse_date(value)
        assert result.empty and result.ok

    @pytest.mark.parametrize(("value", "raw"), [
        ("明天", "明天"), ("2021-02-30", "2021-02-30"), ("2021-13-01", "2021-13-01"),
        ("2021年7月", "2021年7月"), ("7月31日", "7月31日"), (12, "12"), (1.5, "1.5"),
        (True, "True"), (20211331, "20211331"), ("长期坚持", "长期坚持"),
    ])
    def test_garbage_keeps_its_text_and_has_no_value(self, value: object, raw: str) -> None:
        """Unreadable input is reported with the text the user typed."""
        result = parse_date(value)
        assert (result.value, result.raw, result.ok) == (None, raw, False)

    @given(st.dates(min_value=date(1982, 3, 1), max_value=date(2118, 12, 31)))
    def test_any_date_survives_every_text_form_and_its_serial(self, d: date) -> None:
        """Property: each accepted form and the Excel serial give the same date back."""
        forms = [f"{d.year}年{d.month}月{d.day}日", f"{d.year}.{d.month}.{d.day}",
                 f"{d.year}/{d.month}/{d.day}", d.isoformat(), d.isoformat() + "T00:00:00Z"]
        serial = (d - date(1899, 12, 30)).days
        if 30000 <= serial <= 80000:
            forms.append(serial)  # type: ignore[arg-type]
        assert {parse_date(f).value for f in forms} == {d}


class TestFormat:
    def test_format_cn_has_no_leading_zeros(self) -> None:
        """2021年3月1日, not 2021年03月01日."""
        assert format_cn(date(2021, 3, 1)) == "2021年3月1日"
        assert format_cn(date(2021, 3, 1), with_year=False) == "3月1日"

    def test_range_within_one_year_drops_the_second_year(self) -> None:
        """The seed's 2021年3月11日至4月25日."""
        assert format_cn_range(date(2021, 3, 11), date(2021, 4, 25)) == "2021年3月11日至4月25日"

    def test_range_across_years_keeps_both_years(self) -> None:
        """2021年12月1日至2022年1月15日."""
        assert format_cn_range(date(2021, 12, 1), date(2022, 1, 15)) == "2021年12月1日至2022年1月15日"

    @given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)),
           st.integers(min_value=0, max_value=800))
    def test_range_round_trips_through_parse(self, start: date, days: int) -> None:
        """Property: both halves of a range parse back (the year filled in when dropped)."""
        end = start + timedelta(days=days)
        first, second = format_cn_range(start, end).split("至")
        if start.year == end.year:
            assert "年" not in second
            second = f"{start.year}年{second}"
        assert (parse_date(first).value, parse_date(second).value) == (start, end)

    def test_plausible_years(self) -> None:
        """Typing slips like 1900 or 2201 are implausible."""
        assert is_plausible(JULY_31)
        assert not is_plausible(date(1900, 1, 1))
        assert not is_plausible(date(2201, 1, 1))

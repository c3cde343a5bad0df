"""core.textcheck: pure text checks with offsets (shared by validate and check-notice)."""

from __future__ import annotations

import pytest

from rectify_xl.core.textcheck import (
    Hit,
    TypoEntry,
    TypoPack,
    check_text,
    halfwidth_punctuation,
    snippet,
    typo_hits,
    unbalanced_pairs,
)

PACK = TypoPack.from_mapping({
    "typo": [
        {"wrong": "制定勒", "right": "制定了"},
        {"wrong": "了了", "right": "了", "allow": ["不了了之", "了了解"]},
    ],
    "typos": {"健立": "建立"},
})


class TestHalfwidth:
    @pytest.mark.parametrize(("text", "found"), [
        ("制定了方案,明确了分工", [","]),
        ("电话:0913-3253456", [":"]),
        ("是否落实?请核查", ["?"]),
        ("坚决整改!", ["!"]),
        ("一是学习;二是落实", [";"]),
        ("(1)加强学习", ["(", ")"]),
        ("使用Excel(WPS)表格", ["(", ")"]),
    ])
    def test_marks_touching_chinese_are_hits_with_the_fullwidth_form(
            self, text: str, found: list[str]) -> None:
        hits = halfwidth_punctuation(text)
        assert [h.found for h in hits] == found
        assert all(h.kind == "halfwidth" and text[h.start:h.end] == h.found for h in hits)
        assert hits[0].suggestion in "，：？！；（）"

    @pytest.mark.parametrize("text", [
        "共1,200人", "于10:30召开", "详见https://www.gov.cn/a?b=1,c。", "邮箱dl3253456@163.com",
        "印发〔2021〕1号文件", "县政法委发(2021)3号", "Excel (WPS) works, fine!", "e.g. a,b;c",
        "全角，标点：没问题（好）",
    ])
    def test_numbers_times_urls_emails_file_numbers_and_ascii_are_left_alone(
            self, text: str) -> None:
        assert halfwidth_punctuation(text) == []

    @pytest.mark.parametrize(("text", "at"), [
        ("总体完成率98.71%.截至目前", 11), ("认真进行了整改.学院党委", 7), ("已完成整改.", 5),
        ("“回头看”.随后", 5),
    ])
    def test_a_full_stop_typed_as_a_period_after_chinese(self, text: str, at: int) -> None:
        assert halfwidth_punctuation(text) == [Hit(at, at + 1, ".", "。", "halfwidth")]

    @pytest.mark.parametrize("text", [
        "1.关于“学习不深入”问题", "一.关于问题", "占3.82%", "2021.7.31完成", "见www.a.gov.cn。",
        "等等...", "（一）.加强学习",
    ])
    def test_periods_of_numbers_numbering_urls_and_ellipses_are_left_alone(self, text: str) -> None:
        assert halfwidth_punctuation(text) == []

    def test_offsets_point_into_the_text(self) -> None:
        assert halfwidth_punctuation("甲,乙") == [Hit(1, 2, ",", "，", "halfwidth")]

    def test_straight_quotes_in_chinese_get_opening_and_closing_curly_quotes(self) -> None:
        """"回头看" typed with ASCII quotes: the first becomes “, the second ”."""
        hits = halfwidth_punctuation('开展"回头看"活动')
        assert [(h.start, h.suggestion) for h in hits] == [(2, "“"), (6, "”")]
        assert halfwidth_punctuation('He said "ok", fine') == []


class TestPairs:
    @pytest.mark.parametrize("text", ["“甲”", "“一“二”三”", "《方案》（试行）", "‘甲’", ""])
    def test_balanced_and_nested_pairs_are_fine(self, text: str) -> None:
        assert unbalanced_pairs(text) == []

    def test_missing_closing_quote_points_at_the_opening_one(self) -> None:
        assert unbalanced_pairs("落实“三个规定") == [
            Hit(2, 3, "“", "”", "unbalanced", "缺少后半个")]

    def test_stray_closing_bracket_points_at_itself(self) -> None:
        assert [(h.start, h.found, h.suggestion) for h in unbalanced_pairs("甲）乙《丙")] == [
            (1, "）", "（"), (3, "《", "》")]


class TestTypoPack:
    def test_hits_carry_offsets_and_suggestions(self) -> None:
        assert typo_hits("我们制定勒方案", PACK) == [Hit(2, 5, "制定勒", "制定了", "typo")]

    def test_allowed_words_are_not_flagged_but_a_real_slip_nearby_is(self) -> None:
        assert typo_hits("为了了解，不了了之", PACK) == []
        assert [h.start for h in typo_hits("不了了之，完成了了", PACK)] == [7]

    def test_doubled_character_entries_have_kind_doubled(self) -> None:
        assert typo_hits("完成了了", PACK)[0].kind == "doubled"

    def test_plain_table_form_is_read(self) -> None:
        assert typo_hits("健立机制", PACK)[0].suggestion == "建立"

    def test_merge_adds_entries_and_the_later_pack_overrides(self) -> None:
        user = TypoPack.from_mapping({"typos": {"健立": "建设", "帐目": "账目"}})
        merged = PACK.merge(user, source="mine.toml")
        assert len(merged) == 4
        assert typo_hits("健立帐目", merged)[0].suggestion == "建设"
        assert "mine.toml" in merged.sources
        assert len(PACK) == 3  # the default pack is unchanged

    @pytest.mark.parametrize("data", [
        {"typo": [{"wrong": "甲"}]},
        {"typo": [{"wrong": "甲", "right": "甲"}]},
        {"typo": [{"wrong": "甲", "right": "乙", "allow": "甲乙"}]},
        {"typos": {"": "乙"}},
        {"typos": ["甲", "乙"]},
        {"typo": {"wrong": "甲", "right": "乙"}},
    ])
    def test_malformed_entries_raise_value_error(self, data: dict) -> None:
        with pytest.raises(ValueError):
            TypoPack.from_mapping(data)

    def test_empty_pack_finds_nothing(self) -> None:
        assert typo_hits("制定勒", TypoPack()) == []

    def test_entry_kind(self) -> None:
        assert TypoEntry("的的", "的").kind == "doubled"
        assert TypoEntry("健立", "建立").kind == "typo"


class TestDefaultPack:
    def test_required_entries_are_present(self) -> None:
        from rectify_xl.adapters.rulepacks import default_typos

        pack = default_typos()
        wanted = {"截止目前": "截至目前", "的的": "的", "了了": "了"}
        have = {e.wrong: e.right for e in pack.entries}
        assert wanted.items() <= have.items()
        assert len(pack) >= 3 + 12
        # the sample's own slips are no entries: general rules find them (test_textrules)
        assert not {"制定勒", "健立", "五中全精神"} & set(have)

    @pytest.mark.parametrize("text", [
        "截至目前，已全部完成", "的确", "的的确确", "目的的实现", "为了了解情况", "不了了之",
        "建立健全长效机制", "稳健立足", "十九届五中全会精神", "截止日期", "部署", "公布署名文章",
        "台账", "党风廉政建设", "不忘初心、牢记使命", "贯彻落实", "一如既往",
    ])
    def test_correct_words_are_never_flagged(self, text: str) -> None:
        from rectify_xl.adapters.rulepacks import default_typos

        assert typo_hits(text, default_typos()) == []


class TestCheckText:
    def test_all_checks_sorted_by_offset(self) -> None:
        hits = check_text("“制定勒方案,", PACK)
        assert [(h.start, h.kind) for h in hits] == [(0, "unbalanced"), (1, "typo"),
                                                    (6, "halfwidth")]

    def test_snippet_shows_the_words_around_a_hit(self) -> None:
        text = "结合我县实际，制定勒县委政法委实施方案"
        hit = typo_hits(text, PACK)[0]
        assert snippet(text, hit, width=3) == "…实际，制定勒县委政…"


class TestToFullWidth:
    @pytest.mark.parametrize("text, fixed, count", [
        ("落实”三会一课”制度,开展”回头看”。", "落实“三会一课”制度，开展“回头看”。", 3),
        ("“学懂弄通做实”与“三会一课”", "“学懂弄通做实”与“三会一课”", 0),
        ('他说"好",然后(1)', "他说“好”，然后（1）", 5),
        ("邮箱a@b.com,时间10:30。", "邮箱a@b.com，时间10:30。", 1),
        ("“甲”乙”", "“甲”乙”", 0),  # a mixture is left as written (check-notice reports it)
    ])
    def test_half_width_marks_and_one_way_quotes(self, text: str, fixed: str, count: int) -> None:
        from rectify_xl.core.textcheck import to_full_width

        assert to_full_width(text) == (fixed, count)

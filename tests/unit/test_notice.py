"""The notice context and rendering (core.notice.render); the shipped template is tested in e2e."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from rectify_xl.core.model import Info, Ledger
from rectify_xl.core.notice.render import (
    contact_line,
    notice_context,
    opening_paragraph,
    render_notice,
    summary_sentence,
)
from rectify_xl.errors import TemplateError
from tests.conftest import measure_row, open_row

MakeLedger = Callable[..., Ledger]
SEED_OPENING = ("据县委统一部署，2021年3月11日至4月25日，县委第一巡察组对县委政法委开展了巡察，"
                "2021年7月7日反馈了巡察意见。按照巡察工作有关要求，现将巡察整改进展情况予以公布。")


def env() -> SandboxedEnvironment:
    return SandboxedEnvironment(undefined=StrictUndefined, autoescape=False,
                                keep_trailing_newline=True)


class TestOpening:
    def test_generated_from_info_like_the_seed(self, make_ledger: MakeLedger) -> None:
        """Deployer, date range within one year, group, unit, feedback date."""
        assert opening_paragraph(make_ledger().info) == SEED_OPENING

    def test_text_row_overrides_the_generated_opening(self, make_ledger: MakeLedger) -> None:
        """A 文稿 row with 部分 = 开头 is used as written."""
        ledger = make_ledger(texts=[{"section": "开头", "lead": "", "body": "自定义开头。"}])
        assert notice_context(ledger)["opening"] == "自定义开头。"

    def test_missing_optional_info_is_left_out_cleanly(self) -> None:
        """No deployer (optional): no dangling commas or empty 据…统一部署; the missing dates the
        sentence needs are visible placeholders, never silently dropped (issue 14)."""
        text = opening_paragraph(Info(unit="某局", group="市委第二巡察组"))
        assert text.startswith("【待补：巡察开始日期、巡察结束日期】，市委第二巡察组对某局开展了巡察，"
                               "【待补：反馈日期】反馈了巡察意见。")
        assert "据" not in text and "，，" not in text

    def test_no_info_at_all_never_reads_like_a_finished_sentence(self) -> None:
        text = opening_paragraph(Info())
        assert "【待补：巡察组】对【待补：被巡察单位】开展了巡察" in text

    def test_range_across_years_keeps_both_years(self) -> None:
        """2021年12月1日至2022年1月10日."""
        info = Info(unit="某局", group="巡察组", start=date(2021, 12, 1), end=date(2022, 1, 10),
                    feedback_date=date(2022, 3, 1))
        assert "2021年12月1日至2022年1月10日，巡察组对某局开展了巡察，2022年3月1日反馈了巡察意见" \
            in opening_paragraph(info)


class TestFreeSections:
    def test_rows_with_a_lead_are_numbered_and_others_are_not(self, make_ledger: MakeLedger
                                                              ) -> None:
        """Intro unnumbered; （一）（二）… count only rows with a 标题句."""
        texts = [{"section": "一", "lead": "", "body": "导语。"}] + [
            {"section": "一", "lead": f"标题{i}。", "body": "正文。"} for i in range(1, 12)
        ] + [{"section": "三", "lead": "打算。", "body": "内容。"}]
        ctx = notice_context(make_ledger(texts=texts))
        lines = [p["text"] for p in ctx["section_one"]]
        assert lines[:3] == ["导语。", "（一）标题1。正文。", "（二）标题2。正文。"]
        assert lines[-1] == "（十一）标题11。正文。"
        assert [p["text"] for p in ctx["section_three"]] == ["（一）打算。内容。"]

    def test_no_text_sheet_gives_empty_sections(self, make_ledger: MakeLedger) -> None:
        """Missing 文稿 rows are not an error."""
        ctx = notice_context(make_ledger())
        assert ctx["section_one"] == ctx["section_three"] == []


class TestSummarySentence:
    def test_all_closed_with_ongoing_measures(self, sample_ledger: Ledger) -> None:
        """The seed's sentence with the ledger's real counts (10, not 9)."""
        assert summary_sentence(sample_ledger) == (
            "截至目前，整改工作取得积极进展。县委政法委根据巡察反馈的6个问题细化分解了10个问题，"
            "已完成10个并将长期坚持。持续性开展的整改措施均取得了阶段性成效。")

    def test_all_closed_without_ongoing_measures(self, make_ledger: MakeLedger) -> None:
        """Nothing kept up as standing practice: no 长期坚持 wording."""
        text = summary_sentence(make_ledger(rows=[measure_row(problem="甲"), measure_row(problem="乙")]))
        assert "细化分解了2个问题，已全部完成整改。" in text
        assert "长期坚持" not in text

    def test_partly_closed_states_both_counts(self, make_ledger: MakeLedger) -> None:
        """已完成8个，正在推进2个 style."""
        rows = [measure_row(problem=f"完{i}") for i in range(8)] + \
            [open_row(problem=f"未{i}") for i in range(2)]
        text = summary_sentence(make_ledger(rows=rows))
        assert "根据巡察反馈的1个问题细化分解了10个问题，已完成8个，正在推进2个。" in text

    def test_nothing_closed_yet(self, make_ledger: MakeLedger) -> None:
        """No 已完成0个."""
        text = summary_sentence(make_ledger(rows=[open_row()]))
        assert "均在积极推进中" in text and "已完成0个" not in text

    def test_empty_ledger(self, make_ledger: MakeLedger) -> None:
        """No problems: a sentence, not a crash."""
        assert "尚未录入" in summary_sentence(make_ledger(rows=[]))


class TestProblems:
    def test_aspect_numbers_continue_and_problem_numbers_restart(self, make_ledger: MakeLedger
                                                                 ) -> None:
        """（一）（二）… over aspects; 1. 2. … within each aspect."""
        rows = [measure_row(aspect=f"方面{a}", problem=f"问题{a}-{p}")
                for a in range(1, 12) for p in range(1, 3)]
        aspects = notice_context(make_ledger(rows=rows))["aspects"]
        assert [a["marker"] for a in aspects][:4] == ["（一）", "（二）", "（三）", "（四）"]
        assert aspects[10]["heading"] == "（十一）方面11。"
        assert [p["marker"] for a in aspects for p in a["problems"]][:4] == ["1.", "2.", "1.", "2."]

    def test_problem_heading_quotes_the_text_without_trailing_stop(self, make_ledger: MakeLedger
                                                                   ) -> None:
        """关于“…”问题的整改情况。 with a typed trailing 。 removed."""
        ledger = make_ledger(rows=[measure_row(problem="学习不深入。")])
        problem = notice_context(ledger)["aspects"][0]["problems"][0]
        assert problem["heading"] == "1.关于“学习不深入”问题的整改情况。"

    def test_narratives_are_enumerated_in_order_skipping_empty(self, make_ledger: MakeLedger
                                                               ) -> None:
        """一是…二是…; a measure without narrative is skipped; a missing 。 is added."""
        ledger = make_ledger(rows=[
            measure_row(seq="1", progress="建立制度。"), open_row(seq="2"),
            measure_row(seq="3", progress="开展督查"),
        ])
        line = notice_context(ledger)["aspects"][0]["problems"][0]["progress_line"]
        assert line == "整改落实情况：一是建立制度。二是开展督查。"

    def test_line_breaks_inside_cells_do_not_split_paragraphs(self, make_ledger: MakeLedger
                                                              ) -> None:
        """Alt+Enter in a cell must not break the one-paragraph-per-line layout."""
        ledger = make_ledger(rows=[measure_row(problem="学习\n不深入", progress="建立\n制度。")],
                             texts=[{"section": "一", "lead": "标题。", "body": "第一句。\n第二句。"}])
        ctx = notice_context(ledger)
        problem = ctx["aspects"][0]["problems"][0]
        assert problem["heading"] == "1.关于“学习不深入”问题的整改情况。"
        assert problem["progress_line"] == "整改落实情况：建立制度。"
        assert ctx["section_one"][0]["text"] == "（一）标题。第一句。第二句。"

    def test_single_narrative_has_no_enumeration(self, make_ledger: MakeLedger) -> None:
        """One narrative reads 整改落实情况：… without 一是."""
        line = notice_context(make_ledger())["aspects"][0]["problems"][0]["progress_line"]
        assert line == "整改落实情况：制定了年度学习计划并组织实施。"

    @pytest.mark.parametrize(("status", "expected"), [
        ("正在推进", "整改落实情况：正在推进整改。"),
        ("已完成", "整改落实情况：已完成整改。"),
        ("长期坚持", "整改落实情况：已完成整改并将长期坚持。"),
        # 基本完成 is not closed: never 已完成整改
        ("基本完成", "整改落实情况：已基本完成整改，取得阶段性成果，正在持续整改。"),
    ])
    def test_problem_without_any_narrative_states_its_status(
            self, make_ledger: MakeLedger, status: str, expected: str) -> None:
        """No narrative at all: the line says where the problem stands."""
        ledger = make_ledger(rows=[measure_row(status=status, progress="")])
        assert notice_context(ledger)["aspects"][0]["problems"][0]["progress_line"] == expected


class TestContact:
    def test_full_contact_line(self) -> None:
        """The seed's form."""
        info = Info(phone="0913-1", address="某街61号", email="a@b.cn")
        assert contact_line(info) == "联系方式：电话0913-1；邮政信箱：某街61号；电子邮箱：a@b.cn。"

    def test_missing_parts_are_omitted(self) -> None:
        """No empty 电话；."""
        assert contact_line(Info(email="a@b.cn")) == "联系方式：电子邮箱：a@b.cn。"
        assert contact_line(Info()) == ""

    def test_contact_joins_the_last_closing_row(self, make_ledger: MakeLedger) -> None:
        """结尾 + 联系方式 on one line; without 结尾 the contact line stands alone."""
        texts = [{"section": "结尾", "lead": "", "body": "欢迎监督。"}]
        lines = notice_context(make_ledger(texts=texts))["closing_lines"]
        assert lines == ["欢迎监督。联系方式：电话0913-3253456；邮政信箱：某县某街道某街61号；"
                         "电子邮箱：test@example.com。"]
        assert notice_context(make_ledger())["closing_lines"][0].startswith("联系方式：")

    def test_nothing_to_close_gives_no_line(self, make_ledger: MakeLedger) -> None:
        """No 结尾 and no contact data: no empty line."""
        ledger = make_ledger(info={"phone": "", "address": "", "email": ""})
        assert notice_context(ledger)["closing_lines"] == []


class TestRender:
    def test_renders_context_values(self, make_ledger: MakeLedger) -> None:
        """A minimal template sees counts and headings computed in Python."""
        text = render_notice(make_ledger(), "{{ headings[1] }}|{{ counts.measures }}", env())
        assert text == "二、巡察反馈意见整改落实情况|1"

    def test_undeclared_variable_is_named(self, make_ledger: MakeLedger) -> None:
        """Unknown names are reported before rendering."""
        with pytest.raises(TemplateError, match=r"unit_name、zzz"):
            render_notice(make_ledger(), "{{ unit_name }}{{ zzz }}", env())

    def test_syntax_error_names_the_line(self, make_ledger: MakeLedger) -> None:
        """The line number of the error is in the message."""
        with pytest.raises(TemplateError, match="第3行"):
            render_notice(make_ledger(), "a\nb\n{% for x in aspects %}\n", env())

    def test_missing_attribute_is_a_template_error(self, make_ledger: MakeLedger) -> None:
        """StrictUndefined: a misspelt attribute fails instead of printing nothing."""
        with pytest.raises(TemplateError):
            render_notice(make_ledger(), "{{ aspects[0].nmae }}", env())

    def test_sandbox_refuses_python_internals(self, make_ledger: MakeLedger) -> None:
        """A template cannot climb to Python classes."""
        with pytest.raises(TemplateError):
            render_notice(make_ledger(), "{{ unit.__class__.__mro__ }}", env())

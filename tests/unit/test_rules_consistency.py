"""RX4xx: consistency of the rows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from rectify_xl.core.findings import Severity
from rectify_xl.core.model import Ledger
from rectify_xl.core.records import LedgerRecords, ledger_from_records
from tests.conftest import measure_row
from tests.validation_helpers import only, run, without_options


class TestStatus:
    def test_unknown_status_is_an_error_at_the_status_cell(
            self, make_ledger: Callable[..., Ledger]) -> None:
        report = run(make_ledger(rows=[measure_row(status="搞定了")]))
        assert only(report, "RX401") == [("RX401", "I2")]
        assert report.has_errors()

    def test_synonym_is_accepted_with_an_info_naming_the_standard_word(
            self, make_ledger: Callable[..., Ledger]) -> None:
        report = run(make_ledger(rows=[measure_row(status="整改完成")]))
        assert report.flatten("code", "cell", "severity") == [("RX402", "I2", Severity.INFO)]
        assert "已完成" in report.findings[0].message

    def test_standard_words_give_nothing(self, make_ledger: Callable[..., Ledger]) -> None:
        rows = [measure_row(seq="1", status="已完成"),
                measure_row(seq="2", measure="二", status="长期坚持")]
        assert run(make_ledger(rows=rows)).findings == ()


class TestStatusAgainstProgress:
    def test_done_beside_a_progress_that_starts_under_way_is_rx410(
            self, make_ledger: Callable[..., Ledger]) -> None:
        report = run(make_ledger(rows=[measure_row(progress="目前正在推进中，预计年底前完成。")]))
        assert report.flatten("code", "cell", "severity") == [("RX410", "I2", Severity.WARNING)]
        assert "目前正在推进中" in report.findings[0].message

    def test_under_way_beside_a_progress_that_says_done_is_rx410(
            self, make_ledger: Callable[..., Ledger]) -> None:
        row = measure_row(status="正在推进", done_date=None, deadline=date(2021, 12, 31),
                          progress="已全部整改到位，建立了长效机制。")
        assert only(run(make_ledger(rows=[row])), "RX410") == [("RX410", "I2")]

    def test_a_progress_that_starts_with_a_step_says_no_state(
            self, make_ledger: Callable[..., Ledger]) -> None:
        rows = [measure_row(seq="1", progress="召开专题会议，正在推进制度修订。"),
                measure_row(seq="2", measure="二", progress="已完成。正在巩固成果。")]
        assert only(run(make_ledger(rows=rows)), "RX410") == []

    def test_each_row_is_judged_by_its_own_text(self, make_ledger: Callable[..., Ledger]) -> None:
        """RX410 reads a text repeated down the column once (issue 12, item 8): rows of the same
        state with different texts, and the same text beside different states, each count."""
        under_way = "目前正在推进中，预计年底前完成。"
        rows = [measure_row(seq="1", progress="已全部整改到位。"),
                measure_row(seq="2", measure="二", progress=under_way),
                measure_row(seq="3", measure="三", progress="已全部整改到位。"),
                measure_row(seq="4", measure="四", progress=under_way),
                measure_row(seq="5", measure="五", status="正在推进", done_date=None,
                            deadline=date(2021, 12, 31), progress=under_way),
                measure_row(seq="6", measure="六", status="正在推进", done_date=None,
                            deadline=date(2021, 12, 31), progress="已全部整改到位。")]
        assert only(run(make_ledger(rows=rows)), "RX410") == [("RX410", "I3"), ("RX410", "I5"),
                                                              ("RX410", "I7")]


class TestClosedMeasures:
    def test_done_measure_without_completion_date_is_rx403(
            self, make_ledger: Callable[..., Ledger]) -> None:
        report = run(make_ledger(rows=[measure_row(done_date=None)]))
        assert report.flatten("code", "cell") == [("RX403", "J2")]

    def test_ongoing_measure_without_progress_text_is_rx404(
            self, make_ledger: Callable[..., Ledger]) -> None:
        report = run(make_ledger(rows=[measure_row(status="长期坚持", progress="")]))
        assert report.flatten("code", "cell") == [("RX404", "K2")]

    def test_open_measure_needs_neither(self, make_ledger: Callable[..., Ledger]) -> None:
        row = measure_row(status="正在推进", done_date=None, progress="",
                          deadline=date(2021, 12, 31))
        assert run(make_ledger(rows=[row])).findings == ()


class TestDuplicates:
    def test_duplicate_seq_is_reported_at_the_second_row(
            self, make_ledger: Callable[..., Ledger]) -> None:
        rows = [measure_row(seq="1"), measure_row(seq="1", measure="二")]
        report = run(make_ledger(rows=rows))
        assert report.flatten("code", "cell") == [("RX405", "A3")]
        assert "第2行" in report.findings[0].message

    def test_same_measure_twice_after_whitespace_normalisation_is_rx406(
            self, make_ledger: Callable[..., Ledger]) -> None:
        rows = [measure_row(seq="1", measure="制定学习计划"),
                measure_row(seq="2", measure="制定 学习\n计划")]
        assert run(make_ledger(rows=rows)).flatten("code", "cell") == [("RX406", "E3")]

    def test_same_measure_under_another_problem_is_fine(
            self, make_ledger: Callable[..., Ledger]) -> None:
        rows = [measure_row(seq="1"), measure_row(seq="2", problem="另一个问题")]
        assert run(make_ledger(rows=rows)).findings == ()


class TestProblemWithoutMeasure:
    def test_problem_whose_rows_all_lack_a_measure_is_one_error_at_the_problem(
            self, make_ledger: Callable[..., Ledger]) -> None:
        rows = [measure_row(seq="1"),
                measure_row(seq="2", problem="问题二", measure=""),
                measure_row(seq="3", problem="问题二", measure=None)]
        report = run(make_ledger(rows=rows))
        assert only(report, "RX201", "RX407") == [("RX407", "D3")]
        assert "共2行" in report.findings[0].message

    def test_problem_row_typed_before_its_measures_is_only_rx407(
            self, make_ledger: Callable[..., Ledger]) -> None:
        """Leader, department, deadline and status blank too: still one finding, at the problem."""
        rows = [measure_row(seq="1"),
                measure_row(seq="2", problem="问题二", measure="", leader="", department="",
                            deadline=None, status="", done_date=None, progress="")]
        assert run(make_ledger(rows=rows)).flatten("code", "cell") == [("RX407", "D3")]


class TestAspectOptions:
    def _ledger(self, make_records: Callable[..., LedgerRecords], options: list[str]) -> Ledger:
        records = make_records(rows=[measure_row(seq="1"),
                                     measure_row(seq="2", measure="二", aspect="其他方面"),
                                     measure_row(seq="3", measure="三", aspect="其他方面")])
        records.aspect_options = options
        return ledger_from_records(records)

    def test_aspect_missing_from_the_option_list_is_a_warning_once(
            self, make_records: Callable[..., LedgerRecords]) -> None:
        report = run(self._ledger(make_records, ["理论学习方面"]))
        assert report.flatten("code", "cell", "severity") == [("RX408", "B3", Severity.WARNING)]

    def test_listed_aspects_and_an_empty_list_give_nothing(
            self, make_records: Callable[..., LedgerRecords]) -> None:
        assert run(self._ledger(make_records, ["理论学习方面", "其他方面"])).findings == ()
        assert run(without_options(self._ledger(make_records, ["x"]))).findings == ()


class TestStatusAgainstPercent:
    def test_done_beside_less_than_full_is_rx414(self, make_ledger: Callable[..., Ledger]) -> None:
        report = run(make_ledger(rows=[measure_row(percent="60%")]))
        assert report.flatten("code", "cell", "severity") == [("RX414", "I2", Severity.WARNING)]
        assert "“已完成”" in report.findings[0].message and "60%" in report.findings[0].message

    def test_under_way_beside_full_is_rx414(self, make_ledger: Callable[..., Ledger]) -> None:
        row = measure_row(status="正在推进", done_date=None, progress="", percent=1.0,
                          deadline=date(2021, 12, 31))
        assert only(run(make_ledger(rows=[row])), "RX414") == [("RX414", "I2")]

    def test_agreeing_and_open_ended_states_give_nothing(
            self, make_ledger: Callable[..., Ledger]) -> None:
        rows = [measure_row(seq="1", percent="100%"),
                measure_row(seq="2", measure="二", status="长期坚持", percent="80%"),
                measure_row(seq="3", measure="三", status="正在推进", done_date=None, progress="",
                            percent="40%", deadline=date(2021, 12, 31)),
                measure_row(seq="4", measure="四", status="基本完成", done_date=None,
                            percent="100%", deadline=date(2021, 12, 31)),
                measure_row(seq="5", measure="五")]  # no percentage written
        assert only(run(make_ledger(rows=rows)), "RX414") == []


class TestNameVariants:
    def _rows(self, key: str, usual: str, variant: str, times: int = 3) -> list[dict[str, object]]:
        rows = [measure_row(seq=str(i + 1), measure=f"措施{i}", **{key: usual})
                for i in range(times)]
        return [*rows, measure_row(seq=str(times + 1), measure="另一条", **{key: variant})]

    def test_a_department_one_same_sound_character_off_is_rx416(
            self, make_ledger: Callable[..., Ledger]) -> None:
        from rectify_xl.adapters.rulepacks import default_typos

        ledger = make_ledger(rows=self._rows("department", "县委组织部", "县委组织布"))
        report = run(ledger, typos=default_typos())
        assert only(report, "RX416") == [("RX416", "G5")]
        message = next(f.message for f in report.findings if f.code == "RX416")
        assert "“县委组织布”" in message and "疑为“县委组织部”" in message and "同音" in message

    def test_a_leader_title_one_look_alike_character_off_is_rx416(
            self, make_ledger: Callable[..., Ledger]) -> None:
        ledger = make_ledger(rows=self._rows("leader", "副书记", "副书纪"))
        assert only(run(ledger), "RX416") == [("RX416", "F5")]  # by shape: no lexicon needed

    def test_different_names_are_left_alone(self, make_ledger: Callable[..., Ledger]) -> None:
        from rectify_xl.adapters.rulepacks import default_typos

        pack = default_typos()
        for usual, variant in (("第一党支部", "第二党支部"),  # numerals: another branch
                               ("县委办", "县政办"),  # neither alike in sound nor in shape
                               ("办公室", "办公室、财务科")):  # not one character apart
            ledger = make_ledger(rows=self._rows("department", usual, variant))
            assert only(run(ledger, typos=pack), "RX416") == [], (usual, variant)

    def test_two_names_used_alike_often_are_both_names(
            self, make_ledger: Callable[..., Ledger]) -> None:
        rows = self._rows("leader", "副书记", "副书纪", times=1)  # once each: who is to say
        assert only(run(make_ledger(rows=rows)), "RX416") == []

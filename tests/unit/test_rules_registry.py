"""The code registry and the rule runner."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from rectify_xl.core.findings import Severity
from rectify_xl.core.model import Ledger
from rectify_xl.core.rules import LEDGER_RULES, all_codes, check_ledger, code_spec, registry
from rectify_xl.core.textcheck import TypoPack
from tests.conftest import measure_row


class TestRegistry:
    def test_every_ledger_rule_has_a_unique_registered_code(self) -> None:
        codes = [r.spec.code for r in LEDGER_RULES]
        assert len(codes) == len(set(codes))
        assert all(code_spec(c) is not None for c in codes)
        assert {c for c in codes} >= {"RX104", "RX201", "RX301", "RX401", "RX503", "RX603"}

    def test_codes_are_sorted_and_well_formed(self) -> None:
        codes = [s.code for s in all_codes()]
        assert codes == sorted(codes)
        assert all(len(c) == 5 and c.startswith("RX") for c in codes)

    def test_another_domain_can_register_a_code_and_build_findings(
            self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(registry, "_CODES", dict(registry._CODES))
        spec = registry.register_code("RX799", Severity.WARNING, "测试", "第{para}段：{what}",
                                      domain="notice")
        finding = spec.finding("公告.txt", None, row=3, para=3, what="示例")
        assert (finding.code, finding.sheet, finding.row, finding.message) == (
            "RX799", "公告.txt", 3, "第3段：示例")
        assert registry.register_code("RX799", Severity.WARNING, "测试", "第{para}段：{what}",
                                      domain="notice") == spec

    def test_a_taken_code_cannot_be_redefined(self) -> None:
        with pytest.raises(ValueError):
            registry.register_code("RX301", Severity.INFO, "别的", "别的")

    def test_malformed_code_is_refused(self) -> None:
        with pytest.raises(ValueError):
            registry.register_code("E301", Severity.INFO, "x", "x")

    def test_template_may_use_sheet_and_row_without_passing_them(self) -> None:
        finding = code_spec("RX101").finding("整改清单", None, row=3, header="备注")
        assert finding.message.startswith("“整改清单”第3行")
        assert finding.extra == {"header": "备注"}


class TestRunner:
    def test_garbage_everywhere_yields_findings_not_exceptions(
            self, make_ledger: Callable[..., Ledger]) -> None:
        """Every field wrong at once: the runner collects, never raises, renders every message."""
        rows = [measure_row(seq="1", deadline="明年", status="？？", done_date="昨天", progress="",
                            leader=None, measure="“,"),
                measure_row(seq="1", deadline=date(1900, 1, 1), done_date=date(2999, 1, 1),
                            measure="“,"),
                measure_row(seq=None, problem="空问题", measure=None, status=None, deadline=None)]
        texts = [{"section": "一", "lead": "“", "body": "确定了99条整改措施,完成率1%"}]
        ledger = make_ledger(rows=rows, texts=texts,
                             info={"start": "三月", "end": date(2000, 1, 1), "unit": ""})
        findings = check_ledger(ledger, as_of=date(2021, 10, 31),
                                typos=TypoPack.from_mapping({"typos": {"明年": "今年"}}))
        codes = {f.code for f in findings}
        assert {"RX201", "RX202", "RX301", "RX302", "RX303", "RX304", "RX401", "RX405",
                "RX406", "RX407", "RX501", "RX506", "RX601", "RX602"} <= codes
        assert all("{" not in f.message and f.message for f in findings)

    def test_large_ledger_reports_every_duplicate_seq_once(
            self, make_ledger: Callable[..., Ledger]) -> None:
        """2,000 rows, each seq used twice: exactly one RX405 per second row."""
        rows = [measure_row(seq=str(i // 2), measure=f"措施{i}") for i in range(2000)]
        findings = check_ledger(make_ledger(rows=rows), as_of=date(2021, 10, 31))
        assert sum(f.code == "RX405" for f in findings) == 1000

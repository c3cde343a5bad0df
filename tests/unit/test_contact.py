"""core.contact and RX415/RX417: the 联系电话 and 电子邮箱 a notice publishes."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from rectify_xl.core.contact import email_problems, is_email, phone_problems
from rectify_xl.core.findings import Severity
from rectify_xl.core.model import Ledger
from tests.conftest import measure_row
from tests.validation_helpers import only, run

# forms published in real 巡察 notices (county sites, 2020–2022) and the usual office forms
WELL_FORMED = ["0913-3253456", "029-33229182", "010-12345678", "0755-12345678", "（0913）3253456",
               "0913 3253456", "0913—3253456", "０９１３－３２５３４５６", "3253456", "15837314715",
               "138-1234-5678", "12388", "12388（纪检监察举报）", "400-123-4567",
               "0553-2595762 15212242863", "0913-3253456、12388", "0913-3253456转8001",
               "县纪委监委：12388；县委巡察办：0913-3253456"]


@pytest.mark.parametrize("text", WELL_FORMED)
def test_published_forms_are_accepted(text: str) -> None:
    assert phone_problems(text) == []


@pytest.mark.parametrize(("text", "bad"), [
    ("0913-325345", "0913-325345"),  # a digit dropped: 10 digits with an area code
    ("010-1234567", "010-1234567"),  # a three-digit area code has eight-digit numbers
    ("0913-32534O6", "0913-32534O6"),  # the letter O for a zero
    ("1381234567", "1381234567"),  # a mobile number one digit short
    ("2318", "2318"),
    ("0913-3253456、0913-325345", "0913-325345"),  # only the bad one of two
])
def test_slips_are_named(text: str, bad: str) -> None:
    assert phone_problems(text) == [bad]


def test_addresses() -> None:
    assert all(is_email(a) for a in ("dl3253456@163.com", "whxwxcz3@outlook.com", "jw@xx.gov.cn"))
    assert email_problems("a@b.gov.cn；c@d.com") == []
    assert email_problems("xcb＠163.com") == []  # full-width @ is the same character to NFKC
    assert email_problems("xcb@163com") == ["xcb@163com"]
    assert email_problems("xcb163.com") == ["xcb163.com"]
    assert email_problems("a@b.com、name@example.c0m") == ["name@example.c0m"]


def test_rx415_and_rx417_at_their_cells(make_ledger: Callable[..., Ledger]) -> None:
    ledger = make_ledger(rows=[measure_row()], info={"phone": "0913-32534O6",
                                                     "email": "dl3253456@163com"})
    report = run(ledger)
    found = {f.code: f for f in report.findings}
    assert set(found) == {"RX415", "RX417"}
    assert found["RX415"].severity is Severity.WARNING and "0913-32534O6" in found["RX415"].message
    assert found["RX415"].cell == ledger.info.cells["phone"]
    assert found["RX417"].cell == ledger.info.cells["email"]


def test_well_formed_or_missing_contacts_give_nothing(make_ledger: Callable[..., Ledger]) -> None:
    assert only(run(make_ledger(rows=[measure_row()])), "RX415", "RX417") == []
    blank = make_ledger(rows=[measure_row()], info={"phone": "", "email": ""})
    assert only(run(blank), "RX415", "RX417") == []


def _notice_codes(line: str) -> list[tuple[str, str]]:
    from rectify_xl.core.notice.rules import check_notice_text

    found = check_notice_text(["关于巡察整改进展情况的通报", line], "公告.txt")
    return [(f.code, f.message) for f in found if f.code in ("RX628", "RX629")]


@pytest.mark.parametrize("line", [
    "3.举报电话:0553-2595762 15212242863;",  # a numbered contact line, as a county published it
    "联系电话：0913-3253456；电子邮箱：dl3253456@163.com。",
    "巡察组受理电话时间为工作日8:30-12:00、14:30-18:00。",  # not a number after its label
    "电话抽查193人次，谈话331人次。",
    "邮政信箱：县邮政局001号信箱。",  # a post-office box is no mail address
])
def test_notice_contact_lines_as_published_pass(line: str) -> None:
    assert _notice_codes(line) == []


def test_notice_contact_slips_are_rx628_and_rx629() -> None:
    found = _notice_codes("3.举报电话:0553-259576;举报电子邮箱:whxwxcz2@163com;")
    assert [c for c, _ in found] == ["RX628", "RX629"]
    assert "“0553-259576”" in found[0][1] and "“whxwxcz2@163com”" in found[1][1]

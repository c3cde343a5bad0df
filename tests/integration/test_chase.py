"""`rectify-xl chase` (issue 18): 催报 of the units a consolidated workbook lists as 未报送 / 未更新,
mailed (aiosmtpd on 127.0.0.1) or drafted, recorded in 催报记录 without touching the rest."""

from __future__ import annotations

import shutil
import subprocess
import uuid
import zipfile
from datetime import date, datetime, timedelta
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from rectify_xl.adapters.settings import MailSettings
from rectify_xl.core.chase import CHASE_LOG_COLUMNS
from rectify_xl.core.schema import SHEETS
from rectify_xl.entrypoints.cli import cli
from rectify_xl.errors import LockedError
from rectify_xl.services.merge import merge_ledgers
from rectify_xl.services.round import chase
from tests.mail_helpers import smtp_server
from tests.merge_helpers import AS_OF, write_ledger
from tests.round_helpers import ROUND, round_records, write_round

NOW = datetime(2021, 11, 3, 9, 30)
LATE, STALE = "某某村", "县教育局"


def _log(path: Path) -> list[list[object]]:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    if SHEETS.CHASE_LOG not in wb.sheetnames:
        return []
    return [list(r) for r in wb[SHEETS.CHASE_LOG].iter_rows(values_only=True)]


@pytest.fixture
def round_dir(tmp_path: Path) -> Path:
    """Four listed units: 某某村 did not report, 县教育局 reported an older 统计截止日期."""
    inbox = tmp_path / "收到"
    write_round(inbox, [u for u in ROUND if u not in (LATE, STALE)])
    stale = round_records(STALE)
    stale.info["as_of"] = AS_OF - timedelta(days=31)
    write_ledger(inbox / f"{STALE}.xlsx", stale)
    (tmp_path / "名单.txt").write_text(
        "单位,邮箱,联系人\n" + "\n".join(f"{u},{i}@example.gov.cn,联系人{i}"
                                       for i, u in enumerate(ROUND)), encoding="utf-8")
    merge_ledgers([inbox], tmp_path / "汇总.xlsx", units=tmp_path / "名单.txt", as_of=AS_OF)
    return tmp_path


def test_drafts_per_unit_and_the_log_keeps_everything_else(round_dir: Path) -> None:
    workbook = round_dir / "汇总.xlsx"
    before = {i.filename: zipfile.ZipFile(workbook).read(i) for i in
              zipfile.ZipFile(workbook).infolist()}
    result = chase(workbook, units=round_dir / "名单.txt", now=NOW, deadline=date(2021, 11, 10))
    assert {(o.unit, o.state, o.sent) for o in result.outcomes} == {
        (LATE, "未报送", False), (STALE, "未更新", False)}
    drafts = {o.unit: BytesParser(policy=policy.default).parsebytes(o.draft.read_bytes())
              for o in result.outcomes if o.draft}
    late = drafts[LATE]
    assert late["To"] == f"{list(ROUND).index(LATE)}@example.gov.cn"
    assert LATE in str(late["Subject"]) and "催报" in str(late["Subject"])
    body = late.get_body().get_content()
    assert "尚未收到" in body and "2021年11月10日前" in body and "2021年10月31日" in body
    assert "2021年9月30日" in drafts[STALE].get_body().get_content()  # the stale date it reported
    log = _log(workbook)
    assert log[0] == list(CHASE_LOG_COLUMNS)
    assert {(r[1], r[2], r[3], r[4]) for r in log[1:]} == {
        (LATE, "未报送", 1, "邮件草稿"), (STALE, "未更新", 1, "邮件草稿")}
    after = {i.filename: zipfile.ZipFile(workbook).read(i) for i in
             zipfile.ZipFile(workbook).infolist()}
    changed = {n for n in before if before[n] != after.get(n)}
    assert changed <= {"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml"}
    assert any("chart" in n for n in after)  # the bar charts of 汇总 and 排名 are still there


def test_a_second_run_chases_nobody_twice_and_not_who_has_reported(round_dir: Path) -> None:
    workbook = round_dir / "汇总.xlsx"
    chase(workbook, units=round_dir / "名单.txt", now=NOW)
    again = chase(workbook, units=round_dir / "名单.txt", now=NOW + timedelta(hours=2))
    assert not again.outcomes and set(again.skipped) == {LATE, STALE}
    # 某某村 reports; the round is merged again into the same workbook: the log is kept
    write_ledger(round_dir / "收到" / f"{LATE}.xlsx", round_records(LATE))
    merge_ledgers([round_dir / "收到"], workbook, units=round_dir / "名单.txt", as_of=AS_OF)
    assert len(_log(workbook)) == 3  # header + the two chases of the first run
    later = chase(workbook, units=round_dir / "名单.txt", now=NOW + timedelta(days=2))
    assert [(o.unit, o.state) for o in later.outcomes] == [(STALE, "未更新")]
    log = _log(workbook)
    assert len(log) == 4 and log[-1][1] == STALE and log[-1][3] == 2  # its second chase


def test_mail_through_the_configured_server(round_dir: Path) -> None:
    workbook = round_dir / "汇总.xlsx"
    with smtp_server() as server:
        settings = MailSettings(sender="xcb@example.gov.cn", sender_name="县委巡察办",
                                smtp_host=server.host, smtp_port=server.port, security="无")
        result = chase(workbook, units=round_dir / "名单.txt", settings=settings, now=NOW)
    assert all(o.sent for o in result.outcomes) and len(server.received) == 2
    got = {m.message["To"]: m.message for m in server.received}
    assert {o.to for o in result.outcomes} == set(got)
    assert all("县委巡察办" in m.get_body().get_content() for m in got.values())
    assert {r[6] for r in _log(workbook)[1:]} == {"已发送"}


def test_a_unit_without_an_address_gets_a_draft_even_with_a_server(round_dir: Path) -> None:
    workbook = round_dir / "汇总.xlsx"
    with smtp_server() as server:
        settings = MailSettings(sender="xcb@example.gov.cn", smtp_host=server.host,
                                smtp_port=server.port, security="无")
        result = chase(workbook, settings=settings, now=NOW)  # no 名单: no addresses
    assert not server.received
    assert all(o.draft and o.draft.is_file() and not o.to for o in result.outcomes)
    assert "名单中没有邮箱" in result.outcomes[0].message


def test_an_open_workbook_is_refused_before_any_mail(round_dir: Path) -> None:
    workbook = round_dir / "汇总.xlsx"
    (round_dir / "~$汇总.xlsx").write_bytes(b"lock")
    with pytest.raises(LockedError):
        chase(workbook, units=round_dir / "名单.txt", now=NOW)
    assert not (round_dir / "催报草稿").exists() and not _log(workbook)


def test_cli_reports_each_unit_and_exit_code(round_dir: Path) -> None:
    result = CliRunner().invoke(cli, ["chase", str(round_dir / "汇总.xlsx"), "--units",
                                      str(round_dir / "名单.txt"), "--eml"])
    assert result.exit_code == 0, result.output
    assert f"{LATE}（未报送）" in result.output and "催报记录" in result.output
    unit_ledger = round_dir / "收到" / f"{STALE}.xlsx"
    refused = CliRunner().invoke(cli, ["chase", str(unit_ledger)])
    assert refused.exit_code == 2 and "不是汇总表" in refused.output


@pytest.mark.libreoffice
@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice not installed")
def test_the_updated_workbook_opens_in_libreoffice(round_dir: Path) -> None:
    workbook = round_dir / "汇总.xlsx"
    chase(workbook, units=round_dir / "名单.txt", now=NOW)
    profile = round_dir / f"lo-profile-{uuid.uuid4().hex}"
    out = round_dir / "csv"
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
         "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,"
         "false,-1", "--outdir", str(out), str(workbook)],
        check=True, capture_output=True, timeout=120)
    log_csv = next(p for p in out.iterdir() if SHEETS.CHASE_LOG in p.name)
    text = log_csv.read_text(encoding="utf-8")
    assert LATE in text and STALE in text and "催报时间" in text


def test_a_missing_password_drafts_every_unit_and_says_why(round_dir: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from rectify_xl.adapters.secrets import ENV_PASSWORD
    from tests.mail_helpers import USER

    monkeypatch.delenv(ENV_PASSWORD, raising=False)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    with smtp_server(auth=True) as server:
        settings = MailSettings(user=USER, smtp_host=server.host, smtp_port=server.port,
                                security="无")
        result = chase(round_dir / "汇总.xlsx", units=round_dir / "名单.txt", settings=settings,
                       now=NOW)
    assert not server.received and result.failed
    assert all(o.draft and "密码" in o.error for o in result.outcomes)
    assert all("发送失败" in str(r[6]) for r in _log(round_dir / "汇总.xlsx")[1:])


def test_the_list_given_to_chase_names_the_units_merge_was_not_told_about(tmp_path: Path) -> None:
    """merge without --units lists nobody as 未报送; chase --units adds the list's absentees."""
    write_round(tmp_path / "收到", [u for u in ROUND if u != LATE])
    (tmp_path / "名单.txt").write_text("\n".join(f"{u},{i}@example.gov.cn"
                                               for i, u in enumerate(ROUND)), encoding="utf-8")
    merge_ledgers([tmp_path / "收到"], tmp_path / "汇总.xlsx", as_of=AS_OF)
    result = chase(tmp_path / "汇总.xlsx", units=tmp_path / "名单.txt", now=NOW)
    assert [(o.unit, o.state) for o in result.outcomes] == [(LATE, "未报送")]

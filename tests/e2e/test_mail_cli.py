"""`rectify-xl mail` end to end: loopback SMTP with STARTTLS + AUTH, --eml drafts, failures."""

from __future__ import annotations

import subprocess
import sys
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from rectify_xl.entrypoints.cli import cli
from tests.conftest import ROOT, sha256
from tests.mail_helpers import PASSWORD, USER, Server, free_port, make_tls, smtp_server, write_ledger

SUBJECT = "县委政法委巡察整改进展情况（截至2021年10月31日）"


def _run(args: list[str], env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, ["mail", *args], env=env, catch_exceptions=False)


def test_mail_sends_over_starttls_with_the_password_from_the_environment(tmp_path: Path) -> None:
    tls = make_tls(tmp_path)
    ledger = write_ledger(tmp_path / "台账.xlsx")
    before = sha256(ledger)
    with smtp_server(auth=True, starttls=tls) as server:
        result = _run([str(ledger), "--to", "xcb@example.gov.cn", "--cc", "jw@example.gov.cn",
                       "--smtp", server.address, "--starttls", "--user", USER, "--timeout", "5"],
                      env={"RECTIFY_SMTP_PASSWORD": PASSWORD, "SSL_CERT_FILE": str(tls.ca_pem)})
    assert result.exit_code == 0, result.output
    assert "邮件已发送至：xcb@example.gov.cn、jw@example.gov.cn" in result.output
    [received] = server.received
    assert received.message["Subject"] == SUBJECT and server.logins == [USER]
    assert PASSWORD not in result.output
    assert sha256(ledger) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["test-ca.pem", "台账.xlsx"]


def test_the_shipped_sample_arrives_value_for_value_with_its_summary(tmp_path: Path) -> None:
    """workbook/samples/seed-notice-2021.xlsx from a Chinese-named folder, plain SMTP."""
    import io

    from openpyxl import load_workbook

    from rectify_xl.core.schema import SHEETS

    folder = tmp_path / "报送" / "十月"
    folder.mkdir(parents=True)
    ledger = folder / "县委政法委台账.xlsx"
    ledger.write_bytes((ROOT / "workbook" / "samples" / "seed-notice-2021.xlsx").read_bytes())
    before = sha256(ledger)
    with smtp_server() as server:
        result = _run([str(ledger), "--to", "xcb@example.gov.cn", "--smtp", server.address,
                       "--no-tls", "--sender", USER, "--sender-name", "县委政法委办公室"])
    assert result.exit_code == 0, result.output
    [received] = server.received
    msg = received.message
    assert msg["Subject"] == SUBJECT and msg["From"].addresses[0].display_name == "县委政法委办公室"
    parts = {p.get_filename(): p.get_content() for p in msg.iter_attachments()}
    copy = load_workbook(io.BytesIO(parts["县委政法委整改台账（截至2021年10月31日）.xlsx"]))
    original = load_workbook(ledger, data_only=True)
    assert copy.sheetnames == [SHEETS.LEDGER, SHEETS.SUMMARY,
                               *[n for n in original.sheetnames if n != SHEETS.LEDGER]]
    for sheet in original.sheetnames:
        assert (list(copy[sheet].iter_rows(values_only=True))
                == list(original[sheet].iter_rows(values_only=True))), sheet
    assert set(parts) >= {"县委政法委巡察整改进展情况公告.txt", "县委政法委巡察整改进展情况公告.docx"}
    assert [p.name for p in folder.iterdir()] == ["县委政法委台账.xlsx"] and sha256(ledger) == before


def test_mail_with_eml_writes_a_draft_and_sends_nothing(tmp_path: Path) -> None:
    ledger = write_ledger(tmp_path / "台账.xlsx")
    before = sha256(ledger)
    out = tmp_path / "草稿.eml"
    with smtp_server() as server:
        result = _run([str(ledger), "--to", "xcb@example.gov.cn", "--smtp", server.address,
                       "--no-tls", "--sender", USER, "--eml", str(out), "--encrypt"])
    assert result.exit_code == 0, result.output
    assert server.received == []
    msg = BytesParser(policy=policy.default).parsebytes(out.read_bytes())
    assert msg["Subject"] == SUBJECT
    assert next(p.get_filename() for p in msg.iter_attachments()).endswith(".xlsx")
    assert "附件密码：" in result.output and "最后一次保存" not in result.output
    password = result.output.split("附件密码：")[1][:12]
    assert password.encode() not in out.read_bytes()
    assert sha256(ledger) == before


def test_server_down_exits_2_with_one_clear_line_and_keeps_the_draft(tmp_path: Path) -> None:
    ledger = write_ledger(tmp_path / "台账.xlsx")
    before = sha256(ledger)
    down = Server("127.0.0.1", free_port())
    result = _run([str(ledger), "--to", "xcb@example.gov.cn", "--smtp", down.address, "--no-tls",
                   "--sender", USER, "--timeout", "5"])
    assert result.exit_code == 2
    first = result.output.splitlines()[0]
    assert first.startswith("邮件发送失败：无法连接邮件服务器 127.0.0.1:")
    assert "Traceback" not in result.output
    assert (tmp_path / "台账_发送上级.eml").exists()
    assert sha256(ledger) == before


@pytest.mark.parametrize(("args", "words"), [
    ([], "未填写收件人"),
    (["--to", "xcb@example.gov.cn", "--smtp", "smtp.example.cn:99999"], "不是有效的端口号"),
    (["--to", "xcb@example.gov.cn", "--eml", "台账.xlsx"], "应以 .eml 结尾"),
    (["--to", "xcb@example.gov.cn", "--smtp", ":25", "--sender", USER], "缺少服务器地址"),
    (["--to", "xcb@example.gov.cn", "--previous", "上次.xlsx"], "找不到文件：上次.xlsx"),
])
def test_unusable_settings_exit_2(tmp_path: Path, args: list[str], words: str) -> None:
    ledger = write_ledger(tmp_path / "台账.xlsx")
    before = sha256(ledger)
    args = [str(ledger) if a == "台账.xlsx" else a for a in args]
    result = CliRunner().invoke(cli, ["mail", str(ledger), *args])
    assert result.exit_code == 2 and words in result.output
    assert "Error" not in result.output and "Usage" not in result.output  # Chinese, not click's
    assert [p.name for p in tmp_path.iterdir()] == ["台账.xlsx"]
    assert sha256(ledger) == before


def test_installed_command_writes_the_draft(tmp_path: Path) -> None:
    """Through the console script in a fresh process, as a user runs it."""
    ledger = write_ledger(tmp_path / "台账.xlsx")
    before = sha256(ledger)
    exe = Path(sys.executable).with_name("rectify-xl")
    done = subprocess.run([str(exe), "mail", str(ledger), "--to", "xcb@example.gov.cn"],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert "已生成邮件草稿" in done.stdout
    assert (tmp_path / "台账_发送上级.eml").exists() and sha256(ledger) == before


def test_installed_command_server_down_prints_only_chinese_lines(tmp_path: Path) -> None:
    """No logging line ("mail not sent: ...") leaks to the terminal outside pytest's handlers."""
    ledger = write_ledger(tmp_path / "台账.xlsx")
    before = sha256(ledger)
    down = Server("127.0.0.1", free_port())
    exe = Path(sys.executable).with_name("rectify-xl")
    done = subprocess.run([str(exe), "mail", str(ledger), "--to", "xcb@example.gov.cn",
                           "--smtp", down.address, "--no-tls", "--sender", USER],
                          capture_output=True, text=True, timeout=120, check=False,
                          stdin=subprocess.DEVNULL)
    assert done.returncode == 2 and done.stdout == ""
    lines = done.stderr.splitlines()
    assert [line.split("：")[0] for line in lines] == ["邮件发送失败", "邮件已保存为草稿"], lines
    assert (tmp_path / "台账_发送上级.eml").exists() and sha256(ledger) == before


def test_ledger_open_in_excel_is_mailed_as_last_saved_with_a_note(tmp_path: Path) -> None:
    ledger = write_ledger(tmp_path / "台账.xlsx")
    (tmp_path / "~$台账.xlsx").write_bytes(b"")
    before = sha256(ledger)
    result = _run([str(ledger), "--to", "xcb@example.gov.cn", "--eml", str(tmp_path / "d.eml")])
    assert result.exit_code == 0, result.output
    last = result.output.splitlines()[-1]
    assert last.startswith("说明：台账正在 Excel 或 WPS 中打开，邮件中是最后一次保存的内容")
    assert (tmp_path / "d.eml").exists() and sha256(ledger) == before

"""Issue 13, item 6: every bad input is one Chinese message, never a traceback.

Line breaks in mail header fields, paths the user may not enter, and user templates that try to
exhaust memory, time or output.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from rectify_xl.adapters.templates import MAX_LOOP_ITEMS, sandbox_env
from rectify_xl.entrypoints.cli import cli
from tests.conftest import sha256
from tests.hostile_files import sample_ledger
from tests.mail_helpers import write_ledger


@pytest.mark.parametrize("label, value", [
    ("发件人姓名", "县委办\r\nBcc: spy@evil.example"),
    ("发件人地址", "office@example.gov.cn\nBcc: spy@evil.example"),
    ("收件人", "xcb@example.gov.cn\rX-Injected: 1"),
])
def test_a_line_break_in_a_mail_header_field_is_one_message(tmp_path: Path, label: str,
                                                            value: str) -> None:
    settings = {"收件人": "xcb@example.gov.cn", label: value}
    path = write_ledger(tmp_path / "台账.xlsx", settings=settings)
    before = sha256(path)
    result = CliRunner().invoke(cli, ["mail", str(path), "--eml", str(tmp_path / "草稿.eml")])
    assert result.exit_code == 2, result.output
    # 收件人 is split at white space, so the piece after the break is a bad address there
    assert f"“{label}”含有换行符" in result.output or "邮件地址格式不正确" in result.output
    assert "Traceback" not in result.output
    assert sha256(path) == before and not (tmp_path / "草稿.eml").exists()


def test_a_line_break_in_the_unit_name_stays_out_of_the_subject(tmp_path: Path) -> None:
    from email import message_from_bytes

    from tests.conftest import sample_records_copy

    records = sample_records_copy()
    records.info["unit"] = "县委政法委\r\nBcc: spy@evil.example"
    path = write_ledger(tmp_path / "台账.xlsx", settings={"收件人": "xcb@example.gov.cn"},
                        records=records)
    draft = tmp_path / "草稿.eml"
    result = CliRunner().invoke(cli, ["mail", str(path), "--eml", str(draft)])
    assert result.exit_code in (0, 1), result.output
    msg = message_from_bytes(draft.read_bytes())
    assert msg["Bcc"] is None and "spy@evil.example" not in str(msg.keys())


@pytest.mark.parametrize("template, message", [
    ("{{ 'x' * 1500000000 }}", "重复后的长度超过上限"),
    ("{{ 9 ** 999999999 }}", "乘方结果过大"),
    ("{% for i in range(1000000) %}{% for j in range(1000000) %}{% endfor %}{% endfor %}",
     "循环次数超过上限"),
    ("{% for i in range(900000) %}{{ 'xxxxxxxxxx' }}{% endfor %}", "输出超过上限"),
    ("{% for a in range(1000) %}{% for b in aspects %}{% for c in range(1000) %}"
     "{% endfor %}{% endfor %}{% endfor %}", "循环次数超过上限"),
    ("{{ ''.__class__.__mro__ }}", "不允许"),
])
def test_a_hostile_user_template_is_one_message(tmp_path: Path, template: str,
                                                message: str) -> None:
    ledger = sample_ledger(tmp_path)
    path = tmp_path / "模板.txt.j2"
    path.write_text(template, encoding="utf-8")
    result = CliRunner().invoke(cli, ["notice", str(ledger), "--template", str(path)])
    assert result.exit_code == 2, result.output
    assert message in result.output and "Traceback" not in result.output


def test_the_shipped_template_renders_within_the_limits(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["notice", str(sample_ledger(tmp_path))])
    assert result.exit_code in (0, 1) and len(result.stdout) > 500


def test_loops_over_real_data_count_against_the_budget() -> None:
    env = sandbox_env()
    data = list(range(2000))
    assert env.from_string("{{ m|sum }}").render(m=data) == str(sum(data))
    with pytest.raises(Exception, match="循环次数"):
        env.from_string("{% for a in m %}{% for b in m %}{% endfor %}{% endfor %}").render(m=data)
    assert MAX_LOOP_ITEMS < 2000 * 2000


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
@pytest.mark.parametrize("command", ["validate", "summary", "notice", "diff", "merge", "import"])
def test_a_file_in_a_folder_the_user_may_not_enter_is_one_message(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str) -> None:
    """A folder without the right to enter it. Root may enter anything, so as root the refusal
    is the operating system's answer simulated at os.stat/os.scandir for that folder."""
    locked = tmp_path / "机密"
    locked.mkdir()
    ledger = sample_ledger(locked, "台账.xlsx")
    args = {"validate": ["validate", ledger], "summary": ["summary", ledger],
            "notice": ["notice", ledger], "diff": ["diff", ledger, ledger],
            "merge": ["merge", locked, "-o", tmp_path / "汇总.xlsx"],
            "import": ["import", locked / "公告.txt", "-o", tmp_path / "x.xlsx"]}[command]
    if os.getuid() != 0:
        locked.chmod(0o000)
        try:
            proc = subprocess.run([sys.executable, "-m", "rectify_xl", *map(str, args)],
                                  capture_output=True, text=True, timeout=120)
        finally:
            locked.chmod(0o700)
        output, code = proc.stdout + proc.stderr, proc.returncode
    else:
        real_stat, real_scandir = os.stat, os.scandir

        def refused(path: object) -> bool:
            text = os.fsdecode(path) if isinstance(path, str | bytes | os.PathLike) else ""
            return text.startswith(str(locked) + os.sep)

        def stat(path: object, *a: object, **k: object) -> object:
            if refused(path):
                raise PermissionError(13, "Permission denied", os.fsdecode(path))  # type: ignore[arg-type]
            return real_stat(path, *a, **k)  # type: ignore[arg-type]

        def scandir(path: object = ".") -> object:
            if isinstance(path, str | os.PathLike) and os.fsdecode(path) == str(locked):
                raise PermissionError(13, "Permission denied", str(locked))
            return real_scandir(path)  # type: ignore[arg-type]

        monkeypatch.setattr(os, "stat", stat)
        monkeypatch.setattr(os, "scandir", scandir)
        result = CliRunner().invoke(cli, list(map(str, args)))
        output, code = result.output, result.exit_code
        assert result.exception is None or isinstance(result.exception, SystemExit), output
    assert code in (1, 2), output
    assert "Traceback" not in output and "Permission" not in output
    assert "权限" in output

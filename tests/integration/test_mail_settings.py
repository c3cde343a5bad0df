"""Mail settings from the 设置 sheet, the password sources, the body template and its history."""

from __future__ import annotations

import filecmp
from datetime import date
from pathlib import Path

import pytest

from rectify_xl.adapters.secrets import ENV_PASSWORD, Secret, smtp_password
from rectify_xl.adapters.settings import load_settings
from rectify_xl.core.schema import SHEETS
from rectify_xl.errors import InputError, TemplateError
from rectify_xl.services.mail import prepare_mail
from tests.conftest import ROOT, sample_records_copy
from tests.mail_helpers import write_ledger


class TestSettings:
    def test_settings_sheet_is_read_and_options_override_it(self, tmp_path: Path) -> None:
        ledger = write_ledger(tmp_path / "l.xlsx", settings={
            "收件人": "a@example.cn；b@example.cn", "抄送": "c@example.cn", "SMTP服务器": "smtp.163.com",
            "SMTP端口": 587, "加密方式": "starttls", "用户名": "me@163.com", "附件加密": "是",
            "密码": "never-read"})
        s = load_settings(ledger)
        assert (s.to, s.cc, s.smtp_host, s.port, s.security, s.user, s.encrypt) == (
            ("a@example.cn", "b@example.cn"), ("c@example.cn",), "smtp.163.com", 587, "STARTTLS",
            "me@163.com", True)
        assert "never-read" not in repr(s)
        o = load_settings(ledger, to=("x@example.cn",), smtp_host="mail.example.cn:2525", security="无")
        assert (o.to, o.cc, o.smtp_host, o.port, o.security) == (
            ("x@example.cn",), ("c@example.cn",), "mail.example.cn", 2525, "无")

    def test_smtp_option_forms(self) -> None:
        """host, host:port, [IPv6]:port; a port without a host is refused in Chinese."""
        from rectify_xl.adapters.settings import MailSettings

        base = MailSettings()
        assert (base.with_overrides(smtp_host="smtp.163.com").smtp_host, base.port) == ("smtp.163.com", 465)
        v6 = base.with_overrides(smtp_host="[::1]:2525")
        assert (v6.smtp_host, v6.port) == ("::1", 2525)
        with pytest.raises(InputError, match="缺少服务器地址"):
            base.with_overrides(smtp_host=":25")

    def test_no_settings_sheet_means_draft_only(self, tmp_path: Path) -> None:
        s = load_settings(write_ledger(tmp_path / "l.xlsx"))
        assert not s.can_send and s.security == "SSL" and s.port == 465

    @pytest.mark.parametrize(("label", "value", "words"), [
        ("SMTP端口", "七", "不是有效的端口号"), ("加密方式", "TLS1.3", "加密方式"),
    ])
    def test_bad_values_stop_with_a_clear_message(self, tmp_path: Path, label: str, value: str,
                                                  words: str) -> None:
        ledger = write_ledger(tmp_path / "l.xlsx", settings={label: value})
        with pytest.raises(InputError, match=words):
            load_settings(ledger)

    def test_missing_recipient_stops_before_anything_is_written(self, tmp_path: Path) -> None:
        ledger = write_ledger(tmp_path / "l.xlsx")
        with pytest.raises(InputError, match="未填写收件人"):
            prepare_mail(ledger)
        assert [p.name for p in tmp_path.iterdir()] == ["l.xlsx"]


class TestPasswordSources:
    def test_environment_wins_and_never_prints(self) -> None:
        secret = smtp_password("u", "h", env={ENV_PASSWORD: "s3cret"}, prompt=lambda q: "typed")
        assert secret is not None and secret.reveal() == "s3cret" and secret.source == "环境变量"
        assert "s3cret" not in f"{secret} {secret!r} {[secret]}"

    def test_keyring_then_prompt(self, monkeypatch: pytest.MonkeyPatch) -> None:
        import keyring
        from keyring.errors import NoKeyringError

        def no_backend(service: str, account: str) -> str:
            raise NoKeyringError("none")

        monkeypatch.setattr(keyring, "get_password", no_backend)
        asked: list[str] = []
        secret = smtp_password("me@163.com", "smtp.163.com", env={},
                               prompt=lambda q: asked.append(q) or "typed")
        assert secret is not None and secret.reveal() == "typed" and "me@163.com" in asked[0]
        monkeypatch.setattr(keyring, "get_password", lambda s, a: f"kr:{a}")
        found = smtp_password("me@163.com", "smtp.163.com", env={})
        assert found is not None and found.reveal() == "kr:me@163.com@smtp.163.com"

    def test_nothing_found_is_none(self) -> None:
        assert smtp_password("u", "h", env={}, use_keyring=False, prompt=lambda q: None) is None

    def test_secret_refuses_pickling(self) -> None:
        import pickle

        with pytest.raises(TypeError):
            pickle.dumps(Secret("x"))


class TestBody:
    def test_packaged_template_equals_the_user_facing_copy(self) -> None:
        assert filecmp.cmp(ROOT / "templates" / "mail_body.txt.j2",
                           ROOT / "rectify_xl" / "data" / "templates" / "mail_body.txt.j2", shallow=False)

    def test_overdue_items_are_listed_with_their_leaders(self, tmp_path: Path) -> None:
        records = sample_records_copy()
        records.measures[0].update(status="正在推进", done_date=None, deadline=date(2021, 9, 30))
        ledger = write_ledger(tmp_path / "l.xlsx", records=records)
        body = prepare_mail(ledger, to=("a@example.cn",)).body
        leader = records.measures[0]["leader"]
        assert "二、逾期未完成事项\n共1项：" in body
        assert f"责任领导：{leader}" in body and "已逾期31天" in body
        assert f"按责任领导：{leader}1项。" in body

    def test_changes_come_from_the_history_sheet(self, tmp_path: Path) -> None:
        history = [["统计截止日期", "生成时间", "具体问题数", "已完成", "完成率"],
                   [date(2021, 9, 30), "2021-09-30 10:00", 10, 15, 0.8],
                   [date(2021, 10, 31), "2021-10-31 10:00", 10, 17, 1.0]]
        ledger = write_ledger(tmp_path / "l.xlsx", history=history)
        body = prepare_mail(ledger, to=("a@example.cn",)).body
        assert "（上次统计截止日期：2021年9月30日）" in body
        assert "已完成：15 → 17（+2）" in body and "完成率：80.0% → 100.0%（+20.0%）" in body
        assert "具体问题数" not in body.split("三、")[1]

    def test_changes_come_from_the_previous_ledger(self, tmp_path: Path) -> None:
        old = sample_records_copy()
        old.measures[2].update(status="正在推进", done_date=None)
        previous = write_ledger(tmp_path / "old.xlsx", records=old)
        ledger = write_ledger(tmp_path / "new.xlsx")
        body = prepare_mail(ledger, to=("a@example.cn",), previous=previous).body
        assert "共1项措施有变化：销号1项。" in body

    def test_user_template_cannot_reach_python_internals(self, tmp_path: Path) -> None:
        template = tmp_path / "evil.txt.j2"
        template.write_text("{{ unit.__class__.__mro__[1].__subclasses__() }}", encoding="utf-8")
        with pytest.raises(TemplateError):
            prepare_mail(write_ledger(tmp_path / "l.xlsx"), to=("a@example.cn",), template=template)

    @pytest.mark.parametrize(("text", "words"), [
        ("{{ 单位 }}", "邮件正文模板有误：变量“单位”不存在"),
        ("{{ 1 // 0 }}", "邮件正文模板渲染失败：ZeroDivisionError"),
        ("{% if %}", "邮件正文模板第1行有误"),
    ])
    def test_broken_user_template_is_one_chinese_line(self, tmp_path: Path, text: str,
                                                      words: str) -> None:
        template = tmp_path / "body.txt.j2"
        template.write_text(text, encoding="utf-8")
        with pytest.raises(TemplateError) as info:
            prepare_mail(write_ledger(tmp_path / "l.xlsx"), to=("a@example.cn",), template=template)
        assert info.value.message.startswith(words)

    def test_a_password_typed_into_settings_is_not_mailed(self, tmp_path: Path) -> None:
        import io

        from openpyxl import load_workbook

        ledger = write_ledger(tmp_path / "l.xlsx", settings={"收件人": "a@example.cn", "密码": "pw-xyz"})
        prepared = prepare_mail(ledger)
        copy = load_workbook(io.BytesIO(prepared.attachments[0].data))[SHEETS.SETTINGS]
        values = [v for row in copy.iter_rows(values_only=True) for v in row]
        assert "a@example.cn" in values and "pw-xyz" not in values
        assert "pw-xyz" not in prepared.body

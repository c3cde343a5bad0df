"""The settings object: 设置 sheet, then the user's config file, then the defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from rectify_xl.core.findings import Severity
from rectify_xl.core.model import Grid
from rectify_xl.core.rules.settings_values import settings_findings
from rectify_xl.core.settings import Layer, Settings, settings_from
from rectify_xl.errors import InputError
from rectify_xl.services.settings import load_settings


def _sheet(*rows: list[object]) -> dict[str, Grid]:
    return {"设置": Grid("设置", [list(r) for r in rows])}


def test_defaults_when_nothing_is_set() -> None:
    assert load_settings({}, config=dict) == Settings() and Settings().due_days == 14


def test_the_sheet_wins_over_the_config_file_which_wins_over_the_default() -> None:
    assert load_settings(_sheet(["临期提醒天数", 7]), config=lambda: {"due_days": 21}).due_days == 7
    assert load_settings(_sheet(["临期提醒天数", None]), config=lambda: {"due_days": 21}).due_days == 21
    assert load_settings(_sheet(["临期提醒天数：", "10天"]), config=dict).due_days == 10


@pytest.mark.parametrize("raw", ["两周", "-3", "1000", "7.5", "abc"])
def test_a_bad_value_warns_at_its_cell_and_the_next_layer_decides(raw: str) -> None:
    """设置 is optional: a bad value never stops a command; it is a warning naming sheet and cell."""
    settings = load_settings(_sheet(["项目", "内容"], ["临期提醒天数", raw]), config=dict)
    assert settings.due_days == 14
    [finding] = settings_findings(settings)
    assert (finding.code, finding.severity, finding.sheet, finding.cell) == (
        "RX970", Severity.WARNING, "设置", "B2")
    assert finding.message == f"“临期提醒天数”的值“{raw}”不是 0–366 的整数天数，已按14天处理"
    # the config file's value is used instead, and a bad config value warns in its turn
    assert load_settings(_sheet(["临期提醒天数", raw]), config=lambda: {"due_days": 21}).due_days == 21
    [finding] = settings_findings(settings_from([Layer("用户配置文件", {"due_days": raw})]))
    assert (finding.sheet, finding.cell) == ("用户配置文件", None)


@pytest.mark.parametrize("command", ["validate", "summary", "notice", "remind"])
def test_no_command_stops_over_a_bad_setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             command: str) -> None:
    """临期提醒天数 = "abc" used to make every command exit 2; 设置 is an optional sheet."""
    from click.testing import CliRunner

    from rectify_xl.adapters.user_config import CONFIG_ENV
    from rectify_xl.entrypoints.cli import cli
    from tests.mail_helpers import write_ledger

    monkeypatch.setenv(CONFIG_ENV, str(tmp_path / "none.toml"))
    ledger = write_ledger(tmp_path / "台账.xlsx", settings={"临期提醒天数": "abc"})
    extra = {"validate": ["--json"], "remind": ["-o", str(tmp_path / "催办")]}.get(command, [])
    result = CliRunner().invoke(cli, [command, str(ledger), *extra, "--as-of", "2021-10-31"]
                                if command != "notice" else [command, str(ledger)])
    assert result.exit_code in (0, 1), result.output
    if command == "validate":
        import json

        found = [f for f in json.loads(result.stdout)["findings"] if f["code"] == "RX970"]
        assert [(f["sheet"], f["cell"], f["severity"]) for f in found] == [("设置", "B2", "warning")]
        assert "临期提醒天数" in found[0]["message"] and "abc" in found[0]["message"]


def test_the_config_file_is_read_from_the_environment_path(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from rectify_xl.adapters.user_config import CONFIG_ENV, read_user_config

    path = tmp_path / "config.toml"
    monkeypatch.setenv(CONFIG_ENV, str(path))
    assert read_user_config() == {}
    path.write_text("[settings]\ndue_days = 30\n", encoding="utf-8")
    assert load_settings({}).due_days == 30
    path.write_text("[settings\n", encoding="utf-8")
    with pytest.raises(InputError, match="格式不正确"):
        read_user_config()


def test_every_setting_is_defined_once_and_documented() -> None:
    """Name, label and description in schema.SETTINGS_FIELDS; default, parser and warning code
    in core.settings.RUN_SETTINGS; every one of them is an attribute of Settings and is listed
    in the README's 设置 table."""
    from dataclasses import fields

    from rectify_xl.core.schema import SETTINGS_FIELDS
    from rectify_xl.core.settings import RUN_SETTINGS

    schema = {f.key: f for f in SETTINGS_FIELDS}
    keys = [d.key for d in RUN_SETTINGS]
    assert len(set(keys)) == len(keys) and set(keys) <= set(schema)
    assert set(keys) == {f.name for f in fields(Settings)} - {"contacts", "problems"}
    for d in RUN_SETTINGS:
        assert getattr(Settings(), d.key) == d.default == d.parse(d.show(d.default))
        # a template cell pre-filled with a default shows that same default
        assert schema[d.key].default in ("", d.show(d.default))
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("“设置”表要填的内容"):readme.index("**密码（授权码）不要写进工作簿。**")]
    assert [f.label for f in SETTINGS_FIELDS if f.label not in table] == []
    for key in keys:
        assert f"{key} = " in table  # the config file's key is shown too

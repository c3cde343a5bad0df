"""The settings object: 设置 sheet, then the user's config file, then the defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from rectify_xl.core.model import Grid
from rectify_xl.core.settings import Settings, settings_from
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


@pytest.mark.parametrize("raw", ["两周", "-3", "1000", "7.5"])
def test_a_bad_value_is_one_chinese_message_naming_where(raw: str) -> None:
    with pytest.raises(InputError, match=r"设置.*临期提醒天数.*整数天数"):
        load_settings(_sheet(["临期提醒天数", raw]), config=dict)
    with pytest.raises(InputError, match="用户配置文件"):
        settings_from([("用户配置文件", {"due_days": raw})])


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

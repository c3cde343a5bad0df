"""The user's optional config file: ~/.rectify-xl/config.toml (or $RECTIFY_XL_CONFIG).

    [settings]
    due_days = 21            # 临期提醒天数
    schedule_margin = "30%"  # 序时进度容差

    [user]
    name = "张三"            # who 修改记录 names for this computer's changes (default: the login)

(the [settings] keys are core.settings.RUN_SETTINGS' keys).

Only the [settings] and [user] tables are read; a missing file is no error, a broken one is
(in Chinese).
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from rectify_xl.errors import InputError

__all__ = ["CONFIG_ENV", "config_path", "configured_user", "read_user_config"]

CONFIG_ENV = "RECTIFY_XL_CONFIG"
_MAX_BYTES = 64 * 1024


def config_path() -> Path:
    return Path(os.environ.get(CONFIG_ENV) or Path.home() / ".rectify-xl" / "config.toml")


def read_user_config(path: Path | None = None) -> dict[str, object]:
    """The [settings] table of the config file; {} when there is no file."""
    return _table(path, "settings")


def configured_user(path: Path | None = None) -> str:
    """[user] name of the config file, trimmed to one line of at most 40 characters; "" if none
    (修改记录 then names the login)."""
    name = _table(path, "user").get("name", "")
    if not isinstance(name, str):
        raise InputError(f"用户配置文件“{path or config_path()}”中 [user] name 应为文字")
    return " ".join(name.split())[:40]


def _table(path: Path | None, name: str) -> dict[str, object]:
    path = path or config_path()
    try:
        with path.open("rb") as f:
            data = f.read(_MAX_BYTES + 1)
    except (FileNotFoundError, NotADirectoryError):
        return {}
    except OSError as exc:
        raise InputError(f"用户配置文件“{path}”无法读取：{exc.strerror or exc}") from exc
    if len(data) > _MAX_BYTES:
        raise InputError(f"用户配置文件“{path}”过大（超过 64 KB），请检查")
    try:
        table = tomllib.loads(data.decode("utf-8")).get(name, {})
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError) as exc:
        raise InputError(f"用户配置文件“{path}”格式不正确（应为 UTF-8 编码的 TOML）：{exc}") from exc
    if not isinstance(table, dict):
        raise InputError(f"用户配置文件“{path}”中 [{name}] 应为一个表")
    return table

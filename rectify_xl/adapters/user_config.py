"""The user's optional config file: ~/.rectify-xl/config.toml (or $RECTIFY_XL_CONFIG).

    [settings]
    due_days = 21            # 临期提醒天数
    schedule_margin = "30%"  # 序时进度容差

(the keys are core.settings.RUN_SETTINGS' keys).

Only the [settings] table is read; a missing file is no error, a broken one is (in Chinese).
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from rectify_xl.errors import InputError

__all__ = ["CONFIG_ENV", "config_path", "read_user_config"]

CONFIG_ENV = "RECTIFY_XL_CONFIG"
_MAX_BYTES = 64 * 1024


def config_path() -> Path:
    return Path(os.environ.get(CONFIG_ENV) or Path.home() / ".rectify-xl" / "config.toml")


def read_user_config(path: Path | None = None) -> dict[str, object]:
    """The [settings] table of the config file; {} when there is no file."""
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
        table = tomllib.loads(data.decode("utf-8")).get("settings", {})
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"用户配置文件“{path}”格式不正确（应为 UTF-8 编码的 TOML）：{exc}") from exc
    if not isinstance(table, dict):
        raise InputError(f"用户配置文件“{path}”中 [settings] 应为一个表")
    return table

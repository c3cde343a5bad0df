"""Load layout profiles (TOML): the shipped GB/T 9704 default and a unit's house profile."""

from __future__ import annotations

import re
import tomllib
from importlib import resources
from pathlib import Path

from rectify_xl.adapters.files import os_reason
from rectify_xl.core.profile import Profile, ProfileProblem, merge_profile
from rectify_xl.errors import InputError

__all__ = ["DEFAULT_PROFILE", "default_profile_text", "load_profile", "toml_place"]

DEFAULT_PROFILE = "gbt9704"
MAX_PROFILE_BYTES = 1_000_000


def default_profile_text() -> str:
    return resources.files("rectify_xl.data").joinpath("profiles", f"{DEFAULT_PROFILE}.toml").read_text(
        "utf-8"
    )


def toml_place(exc: tomllib.TOMLDecodeError) -> str:
    """Where a TOML error is, in Chinese: tomllib's own reason is English, so only its place is kept."""
    where = re.search(r"line (\d+), column (\d+)", str(exc))
    return f"第 {where[1]} 行第 {where[2]} 列" if where else ""


def _parse(text: str, name: str) -> dict[str, object]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"版式文件“{name}”{toml_place(exc)}格式有误：请按 TOML 格式书写（如 [page] 小节、"
                         "top_mm = 30、文字加英文双引号）") from exc
    except RecursionError as exc:  # tomllib recurses into nested arrays and inline tables
        raise InputError(f"版式文件“{name}”中的括号嵌套过深，不是版式设置文件") from exc


def load_profile(path: str | Path | None = None) -> Profile:
    """The default profile (from its TOML file), with the file at path merged over it."""
    name = Path(path).name if path is not None else f"{DEFAULT_PROFILE}.toml"
    try:
        profile = merge_profile(Profile(), _parse(default_profile_text(), f"{DEFAULT_PROFILE}.toml"))
        if path is not None:
            profile = merge_profile(profile, _parse(_read(Path(path)), name))
    except ProfileProblem as exc:
        raise InputError(f"版式文件“{name}”有误：{exc}") from exc
    problems = profile.problems()
    if problems:
        raise InputError(f"版式文件“{name}”有误：{'；'.join(problems)}")
    return profile


def _read(path: Path) -> str:
    from rectify_xl.adapters.files import path_kind

    if path_kind(path, "版式文件") != "file":
        raise InputError(f"找不到版式文件：{path}")
    if path.stat().st_size > MAX_PROFILE_BYTES:
        raise InputError(f"版式文件“{path.name}”过大，不是版式设置文件")
    try:
        return path.read_text("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"版式文件“{path.name}”须为 UTF-8 编码的文本文件") from exc
    except OSError as exc:
        raise InputError(f"无法读取版式文件“{path.name}”：{os_reason(exc)}") from exc

"""Notice templates: the shipped one (package data) or a user's file, and the sandbox to render in.

A user template is untrusted text: it renders in jinja2's SandboxedEnvironment with
StrictUndefined, so it can neither reach Python internals nor silently print nothing for a
misspelt variable. jinja2 is imported inside the functions (buttons start a new process).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rectify_xl.adapters.files import os_reason
from rectify_xl.errors import InputError

if TYPE_CHECKING:
    from jinja2.sandbox import SandboxedEnvironment

__all__ = ["NOTICE_TEMPLATE", "ROUND_NOTICE_TEMPLATE", "load_template", "sandbox_env"]

# The shipped template lives in the package (so a non-editable install has it); the top-level
# templates/notice.txt.j2 is the user-facing copy, kept identical by a test.
NOTICE_TEMPLATE = "notice.txt.j2"
ROUND_NOTICE_TEMPLATE = "round_notice.txt.j2"  # rectify-xl round-notice (issue 18)
_MAX_TEMPLATE_BYTES = 1_000_000


def sandbox_env() -> SandboxedEnvironment:
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    return SandboxedEnvironment(undefined=StrictUndefined, autoescape=False,
                                keep_trailing_newline=True)


def load_template(path: str | Path | None = None, default: str = NOTICE_TEMPLATE) -> str:
    """The template text: a user's file, or the shipped template ``default`` (the notice's
    unless told, e.g. ROUND_NOTICE_TEMPLATE) when path is None."""
    if path is None:
        from importlib import resources

        return resources.files("rectify_xl.data.templates").joinpath(default) \
            .read_text(encoding="utf-8")
    path = Path(path)
    if not path.is_file():
        raise InputError(f"找不到模板文件：{path}")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"无法读取模板文件“{path.name}”：{os_reason(exc)}") from exc
    if len(data) > _MAX_TEMPLATE_BYTES:
        raise InputError(f"模板文件“{path.name}”过大（超过 1 MB），不像是公告模板")
    try:
        # utf-8-sig: Windows Notepad saves UTF-8 with a byte-order mark
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"模板文件“{path.name}”不是 UTF-8 编码，请另存为 UTF-8 后再试") from exc

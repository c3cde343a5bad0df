"""Notice templates: the shipped one (package data) or a user's file, and the sandbox to render in.

A user template is untrusted text: it renders in jinja2's SandboxedEnvironment with
StrictUndefined, so it can neither reach Python internals nor silently print nothing for a
misspelt variable. jinja2 is imported inside the functions (buttons start a new process).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from rectify_xl.adapters.files import os_reason, path_kind
from rectify_xl.errors import InputError

if TYPE_CHECKING:
    from jinja2.sandbox import SandboxedEnvironment

__all__ = ["NOTICE_TEMPLATE", "ROUND_NOTICE_TEMPLATE", "load_template", "sandbox_env"]

# The shipped template lives in the package (so a non-editable install has it); the top-level
# templates/notice.txt.j2 is the user-facing copy, kept identical by a test.
NOTICE_TEMPLATE = "notice.txt.j2"
ROUND_NOTICE_TEMPLATE = "round_notice.txt.j2"  # rectify-xl round-notice (issue 18)
_MAX_TEMPLATE_BYTES = 1_000_000


# Limits of one render of a user template: a template is text anyone can hand in, and
# {{ 'x' * 1500000000 }} or two nested loops over 100,000 measures must end in a message.
MAX_OUTPUT_CHARS = 5_000_000  # a notice is a few thousand characters
MAX_LOOP_ITEMS = 1_000_000  # items iterated over in all loops of one render
MAX_RENDER_SECONDS = 20.0
_MAX_REPEAT = 1_000_000  # 'x' * n, [..] * n: the result's length
_MAX_POWER_BITS = 10_000


def sandbox_env() -> SandboxedEnvironment:
    """The sandbox with StrictUndefined, plus limits on output size, loop items and time."""
    return _limited_env_class()(undefined=_strict(), autoescape=False, keep_trailing_newline=True)


def _strict() -> type:
    from jinja2 import StrictUndefined

    return StrictUndefined


_ENV_CLASS: type | None = None


def _limited_env_class() -> type:
    global _ENV_CLASS
    if _ENV_CLASS is not None:
        return _ENV_CLASS
    import time

    from jinja2 import Template
    from jinja2.exceptions import SecurityError
    from jinja2.sandbox import SandboxedEnvironment

    class Budget:
        def __init__(self) -> None:
            self.items = 0
            self.deadline = time.monotonic() + MAX_RENDER_SECONDS

        def tick(self, n: int = 1) -> None:
            self.items += n
            if self.items > MAX_LOOP_ITEMS:
                raise SecurityError(f"循环次数超过上限（{MAX_LOOP_ITEMS:,} 次），模板可能有多层嵌套循环")
            if time.monotonic() > self.deadline:
                raise SecurityError(f"渲染时间超过上限（{MAX_RENDER_SECONDS:.0f} 秒）")

    class Counted(list):  # type: ignore[type-arg]
        """A sequence a template loops over: every item costs one from the render's budget."""

        def __init__(self, items: object, budget: Budget) -> None:
            super().__init__(items)  # type: ignore[call-overload]
            self._budget = budget

        def __iter__(self):  # type: ignore[no-untyped-def]
            for item in super().__iter__():
                self._budget.tick()
                yield item

    class LimitedTemplate(Template):
        def render(self, *args: object, **kwargs: object) -> str:
            env = self.environment
            budget = Budget()
            env._budget = budget  # type: ignore[attr-defined]
            context = {k: env._count(v) for k, v in dict(*args, **kwargs).items()}  # type: ignore[attr-defined]
            out: list[str] = []
            size = 0
            for chunk in self.generate(context):
                size += len(chunk)
                if size > MAX_OUTPUT_CHARS:
                    raise SecurityError(f"输出超过上限（{MAX_OUTPUT_CHARS:,} 个字符）")
                budget.tick(0)
                out.append(chunk)
            return "".join(out)

    class LimitedSandbox(SandboxedEnvironment):
        intercepted_binops = frozenset(["*", "**"])
        template_class = LimitedTemplate

        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]
            self._budget = Budget()
            for name in ("lipsum", "cycler", "joiner", "namespace"):
                self.globals.pop(name, None)
            self.globals["range"] = self._range

        def _range(self, *args: int) -> Counted:
            r = range(*args)
            if len(r) > MAX_LOOP_ITEMS:
                raise SecurityError(f"range 过大（超过 {MAX_LOOP_ITEMS:,}）")
            return Counted(r, self._budget)

        def _count(self, value: object) -> object:
            if isinstance(value, list | tuple) and not isinstance(value, Counted):
                return Counted(value, self._budget)
            return value

        def getattr(self, obj: object, attribute: str) -> object:
            self._budget.tick(0)
            return self._count(super().getattr(obj, attribute))

        def getitem(self, obj: object, argument: object) -> object:
            self._budget.tick(0)
            return self._count(super().getitem(obj, argument))

        def call(self, __context: Any, __obj: object, *args: object, **kwargs: object) -> object:
            self._budget.tick(0)
            return self._count(super().call(__context, __obj, *args, **kwargs))

        def call_binop(self, context: object, operator: str, left: object, right: object) -> object:
            if operator == "*":
                for seq, n in ((left, right), (right, left)):
                    if isinstance(seq, str | list | tuple) and isinstance(n, int) and \
                            len(seq) * max(n, 0) > _MAX_REPEAT:
                        raise SecurityError(f"重复后的长度超过上限（{_MAX_REPEAT:,}）")
            if operator == "**" and isinstance(left, int) and isinstance(right, int) and \
                    abs(left) > 1 and right * max(abs(left).bit_length(), 1) > _MAX_POWER_BITS:
                raise SecurityError("乘方结果过大")
            return super().call_binop(context, operator, left, right)  # type: ignore[arg-type]

    _ENV_CLASS = LimitedSandbox
    return _ENV_CLASS


def load_template(path: str | Path | None = None, default: str = NOTICE_TEMPLATE) -> str:
    """The template text: a user's file, or the shipped template ``default`` (the notice's
    unless told, e.g. ROUND_NOTICE_TEMPLATE) when path is None."""
    if path is None:
        from importlib import resources

        return resources.files("rectify_xl.data.templates").joinpath(default) \
            .read_text(encoding="utf-8")
    path = Path(path)
    if path_kind(path, "模板文件") != "file":
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

"""Regular expressions compiled on first use, not at import.

The rule and text modules hold some 130 module-level patterns; compiling them all is a large
part of starting a `validate` process (docs/dev/decisions.md, issue 12), yet one run on one
ledger uses a few dozen. ``lazy_compile`` returns a stand-in that compiles its pattern the first
time one of its methods is called and then puts the compiled pattern's own bound methods on
itself, so later calls go straight to the C implementation.

Use it only for patterns that are called (``P.search(text)``, ``P.sub(...)``) or whose
``.pattern`` text is read; the stand-in is not an ``re.Pattern`` instance, so it must not be
handed to ``re.sub(P, ...)`` and the like.
"""

from __future__ import annotations

import re
from typing import Any, cast

__all__ = ["compile_waiting", "lazy_compile"]

_METHODS = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split")


class _LazyPattern:
    def __init__(self, pattern: str, flags: int) -> None:
        self.pattern = pattern
        self._flags = flags

    def _compiled(self) -> re.Pattern[str]:
        compiled = re.compile(self.pattern, self._flags)
        for name in _METHODS:  # instance attributes shadow the class's forwarding methods
            setattr(self, name, getattr(compiled, name))
        self.__dict__["_pattern"] = compiled
        return compiled

    def __getattr__(self, name: str) -> Any:  # groups, groupindex, scanner …
        if name.startswith("__") or name in ("pattern", "_flags"):  # copy/pickle probes
            raise AttributeError(name)
        if name == "_pattern":
            return self._compiled()
        return getattr(self._pattern, name)

    def __repr__(self) -> str:
        return f"lazy_compile({self.pattern!r})"

    def search(self, *args: Any) -> Any:
        return self._compiled().search(*args)

    def match(self, *args: Any) -> Any:
        return self._compiled().match(*args)

    def fullmatch(self, *args: Any) -> Any:
        return self._compiled().fullmatch(*args)

    def finditer(self, *args: Any) -> Any:
        return self._compiled().finditer(*args)

    def findall(self, *args: Any) -> Any:
        return self._compiled().findall(*args)

    def sub(self, *args: Any, **kwargs: Any) -> Any:
        return self._compiled().sub(*args, **kwargs)

    def subn(self, *args: Any, **kwargs: Any) -> Any:
        return self._compiled().subn(*args, **kwargs)

    def split(self, *args: Any, **kwargs: Any) -> Any:
        return self._compiled().split(*args, **kwargs)


_WAITING: list[_LazyPattern] = []  # made and not compiled yet (compile_waiting)


def lazy_compile(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, done when the pattern is first used."""
    lazy = _LazyPattern(pattern, flags)
    _WAITING.append(lazy)
    return cast("re.Pattern[str]", lazy)


def compile_waiting() -> int:
    """Compile every stand-in made so far: for a warm worker (entrypoints/warm_click.py), which
    imports the modules before a click and serves one click only, so the click never compiles
    (≈ 10 ms a 校验 of the sample). Returns how many were compiled."""
    waiting = [lazy for lazy in _WAITING if "_pattern" not in lazy.__dict__]
    _WAITING.clear()
    for lazy in waiting:
        lazy._compiled()
    return len(waiting)

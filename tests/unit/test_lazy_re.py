"""core.lazy_re: a pattern compiled on first use behaves as re.compile's (issue 12, item 8)."""

from __future__ import annotations

import copy
import pickle
import re

from rectify_xl.core.lazy_re import lazy_compile


def test_compiled_only_when_first_used_then_the_pattern_itself() -> None:
    p = lazy_compile(r"(?P<n>\d+)\s*[%％]", re.I)
    assert "_pattern" not in vars(p) and p.pattern == r"(?P<n>\d+)\s*[%％]"
    assert p.search("完成 80％").group("n") == "80"  # type: ignore[union-attr]
    assert "_pattern" in vars(p)
    assert p.search.__self__ is vars(p)["_pattern"]  # type: ignore[attr-defined]
    assert p.groups == 1 and p.groupindex == {"n": 1} and p.flags & re.I


def test_every_method_answers_as_re_compile() -> None:
    text = "一、学习贯彻，二、制度建设；三、监督检查"
    for source in (r"[，；]", r"(.)、", r"(?P<x>制度)"):
        want = re.compile(source)
        for name, args in (("search", (text,)), ("match", (text,)), ("fullmatch", (text,)),
                           ("findall", (text,)), ("split", (text,)), ("sub", ("|", text)),
                           ("subn", ("|", text))):
            got = getattr(lazy_compile(source), name)(*args)
            expected = getattr(want, name)(*args)
            if isinstance(expected, re.Match):
                assert got.span() == expected.span() and got.groups() == expected.groups()
            else:
                assert got == expected, (source, name)
        assert [m.span() for m in lazy_compile(source).finditer(text)] == [
            m.span() for m in want.finditer(text)]


def test_copied_and_pickled() -> None:
    for p in (lazy_compile("a+"), copy.deepcopy(lazy_compile("a+")),
              pickle.loads(pickle.dumps(lazy_compile("a+")))):
        assert p.search("baa").span() == (1, 3)  # type: ignore[union-attr]

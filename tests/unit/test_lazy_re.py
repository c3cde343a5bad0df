"""core.lazy_re: a pattern compiled on first use behaves as re.compile's (issue 12, item 8)."""

from __future__ import annotations

import copy
import pickle
import re
import subprocess
import sys

from rectify_xl.core.lazy_re import compile_waiting, lazy_compile


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


def test_compile_waiting_compiles_what_was_made_and_not_used() -> None:
    compile_waiting()  # what earlier imports made
    used, waiting = lazy_compile("用过"), lazy_compile(r"(\d+)项")
    assert used.search("用过了") is not None
    assert compile_waiting() == 1  # the used one was compiled already
    assert "_pattern" in vars(waiting) and waiting.findall("12项、3项") == ["12", "3"]
    assert compile_waiting() == 0


def test_a_warm_worker_compiles_the_patterns_of_what_it_imports() -> None:
    """The click a warm worker serves compiles nothing (services.buttons.warm_up); a fresh
    process, so that the modules are imported (and their patterns made) by the warm-up."""
    code = (
        "import rectify_xl.core.lazy_re as lazy_re\n"
        "made = []\n"
        "init = lazy_re._LazyPattern.__init__\n"
        "def record(self, *args):\n"
        "    init(self, *args)\n"
        "    made.append(self)\n"
        "lazy_re._LazyPattern.__init__ = record\n"
        "from rectify_xl.services.buttons import warm_up\n"
        "warm_up()\n"
        "print(len(made), sum('_pattern' not in vars(p) for p in made))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=True)
    made, left = map(int, done.stdout.split())
    assert made > 20 and left == 0

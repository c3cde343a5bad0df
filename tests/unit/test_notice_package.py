"""core/notice is one package without import cycles; the renderer hands its headings as data."""

from __future__ import annotations

import ast
from pathlib import Path

from rectify_xl.adapters.sample_data import sample_ledger
from rectify_xl.core.document import Kind, classify, notice_blocks
from rectify_xl.core.notice.render import heading_lines, notice_context
from rectify_xl.services.ledger import notice_text

PACKAGE = Path(__file__).resolve().parents[2] / "rectify_xl" / "core" / "notice"
# each module may import (at any depth, also inside functions) only modules listed before it
ORDER = ["tables", "facts", "doc", "statuses", "render", "reader", "importer", "ledger", "writing", "rules"]


def _siblings(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            prefix = "rectify_xl.core.notice."
            if node.module.startswith(prefix):
                names.add(node.module.removeprefix(prefix))
    return names


def test_every_module_is_in_the_import_order() -> None:
    assert sorted(p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__") == sorted(ORDER)


def test_modules_import_only_earlier_modules() -> None:
    """notice_ledger ↔ notice_rules and every other cycle is impossible by construction."""
    for i, name in enumerate(ORDER):
        later = _siblings(PACKAGE / f"{name}.py") - set(ORDER[:i])
        assert later == set(), f"{name} imports {later}"


def test_init_imports_nothing() -> None:
    tree = ast.parse((PACKAGE / "__init__.py").read_text("utf-8"))
    assert not [n for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom)]


def test_heading_lines_are_the_rendered_headings() -> None:
    """Every heading the renderer reports is a line of its text, with the level it was written at."""
    ledger = sample_ledger()
    lines = set(notice_text(ledger).splitlines())
    headings = heading_lines(notice_context(ledger))
    assert len(headings) == 3 + 4 + 4 + 4 + 10  # 一二三, （一）…in 一 and 三, aspects, problems
    for h in headings:
        assert h.text in lines
        assert 0 < h.lead_len <= len(h.text)
    run_in = next(h for h in headings if h.text.startswith("（一）深入领会精神"))
    assert run_in.text[: run_in.lead_len] == "（一）深入领会精神，统一思想认识。"


def test_document_blocks_take_level_and_lead_from_the_data() -> None:
    """A 标题句 typed without its 。 ("深入领会精神" + body "正文。"): reading the rendered line
    would take the whole paragraph as the heading; the renderer's data knows where it ends."""
    line = "（一）深入领会精神按要求开展学习。"
    assert classify(line).lead == line
    data = [("一、总体情况", 1, 6), (line, 2, len("（一）深入领会精神"))]
    text = "一、总体情况\n" + line + "\n普通段落。"
    blocks = list(notice_blocks(text, title="", issuer="", date_text="", headings=data))
    assert [(b.kind, b.level) for b in blocks] == [
        (Kind.HEADING, 1), (Kind.HEADING, 2), (Kind.BODY, 0)]
    assert blocks[1].lead == "（一）深入领会精神"
    assert blocks[1].rest == "按要求开展学习。"

"""docs/dev/codes.md and the README codes section are generated from the registry and current."""

from __future__ import annotations

import importlib.util
from types import ModuleType

import pytest

from tests.conftest import ROOT


@pytest.fixture(scope="module")
def gen() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_codes_doc",
                                                  ROOT / "scripts" / "gen_codes_doc.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_codes_md_is_current(gen: ModuleType) -> None:
    """Fails when a code was added or changed without running scripts/gen_codes_doc.py."""
    expected = gen.render_codes_md(gen.load_codes())
    assert gen.CODES_MD.read_text("utf-8") == expected, "run scripts/gen_codes_doc.py"


def test_readme_codes_section_is_current(gen: ModuleType) -> None:
    readme = gen.README.read_text("utf-8")
    section = gen.render_readme_section(gen.load_codes())
    assert section in readme, "run scripts/gen_codes_doc.py"


def test_every_ledger_rule_code_is_documented(gen: ModuleType) -> None:
    from rectify_xl.core.rules import LEDGER_RULES

    text = gen.CODES_MD.read_text("utf-8")
    missing = [r.spec.code for r in LEDGER_RULES if f"| {r.spec.code} |" not in text]
    assert missing == []

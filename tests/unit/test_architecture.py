"""Guards for the layering: the core is pure, entry points stay cheap to import."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "rectify_xl"
CORE = PACKAGE / "core"

# The core may use the standard library (minus I/O-ish modules), its own package, jinja2's
# pure parts where notice rendering needs them, and pandas inside functions of progress.
FORBIDDEN_IN_CORE = {
    "openpyxl", "xlwings", "xlsxwriter", "python_calamine", "smtplib", "socket", "subprocess",
    "docx", "msoffcrypto", "keyring", "urllib", "http", "requests", "shutil", "tempfile",
    "starlette", "uvicorn", "rectify_xl.adapters", "rectify_xl.services",
    "rectify_xl.entrypoints",
}
FORBIDDEN_CALLS = {"open", "today", "now", "read_text", "read_bytes", "write_text", "write_bytes"}


def _imports(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def _forbidden(name: str) -> bool:
    return any(name == f or name.startswith(f + ".") for f in FORBIDDEN_IN_CORE)


@pytest.mark.parametrize("path", sorted(CORE.rglob("*.py")), ids=lambda p: p.name)
def test_core_module_imports_no_io_or_excel_library(path: Path) -> None:
    """core/ depends on the standard library and itself only (no files, Excel, mail, net)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    bad = sorted(n for n in _imports(tree) if _forbidden(n))
    assert bad == [], f"{path.name} imports {bad}"


@pytest.mark.parametrize("path", sorted(CORE.rglob("*.py")), ids=lambda p: p.name)
def test_core_module_calls_no_clock_or_file_api(path: Path) -> None:
    """today and files are parameters of the core, never read inside it."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    calls = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in FORBIDDEN_CALLS:
                calls.add(ast.unparse(func))
    assert calls == set(), f"{path.name} calls {sorted(calls)}"


def _modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys; print(' '.join(sorted(sys.modules)))"],
        capture_output=True, text=True, check=True,
    ).stdout
    return set(out.split())


def test_cli_group_import_pulls_in_no_heavy_library() -> None:
    """`rectify-xl --help` must not pay for pandas, jinja2, docx or xlwings."""
    mods = _modules_after("import rectify_xl.entrypoints.cli")
    assert not {"pandas", "jinja2", "docx", "xlwings", "numpy"} & mods


def test_reading_a_ledger_pulls_in_neither_pandas_nor_jinja2() -> None:
    """The read path is calamine + core only."""
    mods = _modules_after(
        "from rectify_xl.adapters.sample_data import sample_ledger; sample_ledger().problems"
    )
    assert not {"pandas", "jinja2", "openpyxl", "xlwings"} & mods


def test_the_import_linter_contracts_hold() -> None:
    """The layers contract in pyproject.toml (also run by `make test`)."""
    lint = Path(sys.executable).with_name("lint-imports")
    if not lint.exists():
        pytest.fail("import-linter is missing: pip install -e '.[dev]'")
    out = subprocess.run([str(lint), "--no-cache"], capture_output=True, text=True,
                         cwd=PACKAGE.parent)
    assert out.returncode == 0, out.stdout[-3000:]

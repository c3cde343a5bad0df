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


# A click imports only what validate needs. The sound rule (pypinyin, ~0.16 s of CPU to load its
# tables) loads lazily, only when a text holds a fixed phrase with one character changed, so the
# ledger clicked here holds such slips (by sound and by shape) in a measure and in 文稿: a
# sound check reached from validate would import pypinyin here, whatever the sample says.
_CLICK_HEAVY = ("pypinyin", "pandas", "jinja2")
_SLIPS = "，坚持全面从严治当，落实主体责任，加强基层党组织建设，深入贯彻中央八项规定精神"


def test_validate_click_through_the_launcher_imports_no_pinyin_pandas_or_jinja2(
        tmp_path: Path) -> None:
    """校验 through the shipped ``rectify-xl-python`` (remote engine payload, as the click benchmark)."""
    import json
    import os

    from rectify_xl.adapters.sample_data import sample_records
    from rectify_xl.adapters.workbook_builder import build_workbook
    from tests.xlwings_helpers import payload_from_file

    records = sample_records()
    records.measures[0]["measure"] = f"{records.measures[0].get('measure') or ''}{_SLIPS}"
    records.texts[0]["body"] = f"{records.texts[0].get('body') or ''}{_SLIPS.replace('当', '档')}"
    book = build_workbook(tmp_path / "整改台账.xlsm", records)
    payload = tmp_path / "payload.json"
    payload.write_text(json.dumps(payload_from_file(book), ensure_ascii=False), "utf-8")
    click = (
        "import xlwings.utils, json, sys\n"
        "import xlwings as xw\n"
        "import rectify_xl.entrypoints.buttons as b\n"
        "book = xw.Book(json=json.load(open(sys.argv[1], encoding='utf-8')))\n"
        "b.validate(book)\n"
        "print(json.dumps({'alert': book.json()['actions'][-1]['args'],\n"
        f"                  'heavy': [m for m in {_CLICK_HEAVY!r} if m in sys.modules]}},\n"
        "                 ensure_ascii=False))\n"
    )
    launcher = Path(sys.executable).with_name("rectify-xl-python")
    env = {**os.environ, "XLWINGS_LICENSE_KEY": "noncommercial", "HOME": str(tmp_path)}
    out = subprocess.run([str(launcher), "-B", "-c", click, str(payload)], capture_output=True,
                         text=True, check=True, env=env, cwd=tmp_path)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert "校验完成" in str(result["alert"]), result["alert"]  # the click did validate
    assert result["heavy"] == [], f"a 校验 click imported {result['heavy']}"

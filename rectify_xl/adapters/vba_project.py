"""The VBA project of the macro-enabled ledger: modules from macros/*.bas + xlwings' own module.

pyOpenVBA declares a module as a *document* module (``Document=Sheet2/&H00000000``) only when
``add_vba_project()`` creates it from the workbook's sheets, so the bin is built from a
throw-away XlsxWriter skeleton with the same number of sheets (codeNames ThisWorkbook,
Sheet1..N), then taken out of the package and handed to XlsxWriter for the real workbook.
See docs/dev/workbook.md.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import metadata, util
from pathlib import Path

from rectify_xl.errors import OutputError

__all__ = [
    "MACROS_DIR",
    "XLWINGS_VERSION",
    "VbaModule",
    "addin_module",
    "build_vba_bin",
    "dictionary_module",
    "macro_modules",
    "xlwings_module",
]

# The VBA sources live in the repo's top-level macros/; rectify_xl/data/macros is a symlink to it,
# so wheels carry the same files (setuptools copies the link's target) and `new x.xlsm` works
# from an installed package too.
MACROS_DIR = Path(__file__).resolve().parents[1] / "data" / "macros"
# The embedded xlwings.bas must match the xlwings the user installs (pyproject pins it).
XLWINGS_VERSION = "0.37.8"

_VB_NAME_RE = re.compile(rb'^Attribute\s+VB_Name\s*=\s*"([^"]+)"', re.MULTILINE)
_cache: dict[str, bytes] = {}


@dataclass(frozen=True, slots=True)
class VbaModule:
    name: str
    source: str  # ASCII, CRLF line endings, as stored in the VBA project
    is_class: bool = False  # a class module (.cls), e.g. xlwings' web client for the server variant


def _to_module(data: bytes, origin: Path) -> VbaModule:
    bad = next((i for i, b in enumerate(data) if b > 0x7F), None)
    if bad is not None:
        line = data.count(b"\n", 0, bad) + 1
        # The project's code page is 1252: Chinese would silently become "????" in Excel.
        raise OutputError(
            f"宏源文件“{origin.name}”第{line}行含非 ASCII 字符；VBA 源码只能用 ASCII"
            f"（中文请用 ChrW 拼写或放在 Python 里）"
        )
    text = data.decode("ascii").replace("\r\n", "\n").replace("\r", "\n")
    match = _VB_NAME_RE.search(data)
    name = match.group(1).decode("ascii") if match else origin.stem
    return VbaModule(name, text.replace("\n", "\r\n"))


def macro_modules(macros_dir: Path = MACROS_DIR) -> list[VbaModule]:
    """Every macros/*.bas, sorted by file name; refuses non-ASCII sources."""
    if not macros_dir.is_dir():
        raise OutputError(f"找不到宏源代码目录：{macros_dir}（请在项目目录中运行）")
    files = sorted(macros_dir.glob("*.bas"))
    if not files:
        raise OutputError(f"宏源代码目录中没有 .bas 文件：{macros_dir}")
    return [_to_module(f.read_bytes(), f) for f in files]


def _xlwings_dir() -> Path:
    spec = util.find_spec("xlwings")  # locate without importing: `import xlwings` pulls in pandas
    if spec is None or spec.origin is None:
        raise OutputError("未安装 xlwings，无法生成带宏的工作簿")
    installed = metadata.version("xlwings")
    if installed != XLWINGS_VERSION:
        raise OutputError(
            f"已安装的 xlwings 版本为 {installed}，本项目固定为 {XLWINGS_VERSION}，请重新安装依赖"
        )
    return Path(spec.origin).parent


def xlwings_module() -> VbaModule:
    """xlwings' VBA module (what `xlwings quickstart --standalone` embeds), from the installed wheel."""
    bas = _xlwings_dir() / "xlwings.bas"
    return _to_module(bas.read_bytes(), bas)


def dictionary_module() -> VbaModule:
    """xlwings' Dictionary class, which `xlwings quickstart --standalone` embeds beside xlwings.bas.

    On macOS xlwings.bas declares ``Dim d As Dictionary`` (Scripting.Dictionary is Windows only):
    without this class its config reader does not compile there and no button runs.
    """
    return addin_module("Dictionary.cls", is_class=True)


def addin_module(name: str, *, is_class: bool) -> VbaModule:
    """A module of xlwings' VBA client code (its addin folder) from the installed wheel."""
    path = _xlwings_dir() / "addin" / name
    if not path.is_file():
        raise OutputError(f"已安装的 xlwings 中缺少 {name}，无法生成带宏的工作簿")
    module = _to_module(path.read_bytes(), path)
    return VbaModule(module.name, module.source, is_class=is_class)


def _key(n_sheets: int, modules: Sequence[VbaModule]) -> str:
    h = hashlib.sha256(f"{n_sheets}|pyOpenVBA={metadata.version('pyOpenVBA')}".encode())
    for m in modules:
        h.update(b"\0" + m.name.encode() + b"\0" + m.source.encode("ascii") + b"\0c" * m.is_class)
    return h.hexdigest()


def build_vba_bin(n_sheets: int, modules: Sequence[VbaModule]) -> bytes:
    """vbaProject.bin with ThisWorkbook + Sheet1..N document modules and the given modules.

    Cached per process by a hash of the inputs (building takes about half a second).
    """
    key = _key(n_sheets, modules)
    if key not in _cache:
        _cache[key] = _build(n_sheets, modules)
    return _cache[key]


def _build(n_sheets: int, modules: Sequence[VbaModule]) -> bytes:
    import xlsxwriter
    from pyopenvba import ExcelFile
    from pyopenvba.vba import VBAModuleKind

    with tempfile.TemporaryDirectory(prefix="rectify-vba-") as tmp:
        skeleton = Path(tmp) / "skeleton.xlsm"
        wb = xlsxwriter.Workbook(str(skeleton))
        for _ in range(n_sheets):
            wb.add_worksheet()
        wb.close()
        with ExcelFile(str(skeleton)) as xf:
            project = xf.add_vba_project()
            for m in modules:
                project.add_module(m.name, m.source, kind=VBAModuleKind.other if m.is_class
                                   else VBAModuleKind.standard)
            problems = project.validate()
            if problems:
                raise OutputError("宏工程生成失败：" + "；".join(problems))
            xf.save()
        with zipfile.ZipFile(skeleton) as z:
            return z.read("xl/vbaProject.bin")

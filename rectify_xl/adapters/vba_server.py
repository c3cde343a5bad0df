"""The VBA of the server variant of the workbench (``rectify-xl new PATH.xlsm --server URL``).

Same buttons, same helper Subs, but each button posts the workbook to the office server with
xlwings' ``RunServerPython`` (``addin/Remote.bas`` in the installed wheel) instead of starting a
local Python with ``RunPython``. The modules are the ones xlwings' own ``release`` command
imports for a standalone remote workbook: xlwings.bas (GetConfig, XLWINGS_VERSION), the
Dictionary class, Remote.bas and the VBA-Web client (WebClient/WebRequest/WebResponse/
IWebAuthenticator classes, WebHelpers). All of them ship in the wheel and are ASCII.
It is an adapter (VBA source for the workbook builder), so it lives here and not in
``rectify_xl.server``: adapters never import the server package.

The access token is never written into the workbook: RunServerPython reads ``AUTH`` from the
xlwings config (the user's ``%USERPROFILE%\\.xlwings\\xlwings.conf``).
"""

from __future__ import annotations

import re
from pathlib import Path

from rectify_xl.adapters.vba_project import (
    MACROS_DIR,
    VbaModule,
    addin_module,
    dictionary_module,
    macro_modules,
    xlwings_module,
)
from rectify_xl.errors import OutputError

__all__ = ["REMOTE_MODULES", "check_server_url", "server_buttons", "server_modules", "vba_modules"]

# (file in xlwings/addin, is a class module) in the order xlwings' cli.import_remote_modules uses
REMOTE_MODULES = (
    ("Dictionary.cls", True),
    ("Remote.bas", False),
    ("IWebAuthenticator.cls", True),
    ("WebClient.cls", True),
    ("WebRequest.cls", True),
    ("WebResponse.cls", True),
    ("WebHelpers.bas", False),
)
_RUN_PYTHON = re.compile(
    r'RunPython "import rectify_xl\.entrypoints\.buttons as b; b\.(\w+)\(\)"')
# a URL the VBA source can hold as a literal: no quotes, no spaces, no non-ASCII
_URL = re.compile(r"^https?://[A-Za-z0-9.\-]+(:\d{1,5})?(/[A-Za-z0-9._~/\-]*)?$|"
                  r"^https?://\[[0-9A-Fa-f:]+\](:\d{1,5})?(/[A-Za-z0-9._~/\-]*)?$")

_SERVER_SUBS = """
' ---------------------------------------------------------------------------------------------
' Server variant: every button posts the workbook to the office server (rectify-xl serve) with
' xlwings' RunServerPython and applies the actions it returns. The URL can be changed without
' rebuilding: key RECTIFY_SERVER_URL in the xlwings.conf sheet or file. The access token comes
' from the AUTH key of the user's xlwings.conf file, never from this workbook.

Private Function RxServerUrl() As String
    RxServerUrl = GetConfig("RECTIFY_SERVER_URL", "{url}")
    If Right$(RxServerUrl, 1) <> "/" Then RxServerUrl = RxServerUrl & "/"
End Function

Public Sub RxServer(ByVal buttonName As String)
    RunServerPython RxServerUrl() & "xlwings/" & buttonName
End Sub
"""


def check_server_url(url: str) -> str:
    """The URL without a trailing slash; OutputError if it cannot go into VBA safely."""
    url = url.strip()
    if not _URL.match(url):
        raise OutputError(f"服务器地址“{url}”格式不正确，应类似 http://192.168.1.10:8765")
    return url.rstrip("/")


def server_buttons(url: str, macros_dir: Path = MACROS_DIR) -> VbaModule:
    """macros/Buttons.bas with each RunPython call replaced by a call to the server."""
    url = check_server_url(url)
    buttons = next((m for m in macro_modules(macros_dir) if m.name == "Buttons"), None)
    if buttons is None:
        raise OutputError(f"宏源代码目录中没有 Buttons 模块：{macros_dir}")
    source, count = _RUN_PYTHON.subn(r'RxServer "\1"', buttons.source)
    if count == 0 or re.search(r"^\s*RunPython\b", source, re.MULTILINE):
        raise OutputError("Buttons.bas 的按钮写法已改变，无法生成服务器版工作簿")
    extra = _SERVER_SUBS.format(url=url).replace("\n", "\r\n")
    return VbaModule(buttons.name, source.rstrip("\r\n") + "\r\n" + extra)


def remote_modules() -> list[VbaModule]:
    """xlwings' remote client modules from the installed wheel."""
    return [addin_module(name, is_class=is_class) for name, is_class in REMOTE_MODULES]


def server_modules(url: str, macros_dir: Path = MACROS_DIR) -> list[VbaModule]:
    """Every standard and class module of the server-variant .xlsm."""
    others = [m for m in macro_modules(macros_dir) if m.name != "Buttons"]
    return [server_buttons(url, macros_dir), *others, xlwings_module(), *remote_modules()]


def vba_modules(server_url: str | None = None, macros_dir: Path = MACROS_DIR) -> list[VbaModule]:
    """The modules embedded in the .xlsm (here, not in vba_project, so the two do not import
    each other: vba_project builds modules, this module picks them).

    With ``server_url`` the buttons call the office server through xlwings' RunServerPython
    instead of a local ``RunPython`` (issue 9: docs/dev/server.md).
    """
    if server_url is not None:
        return server_modules(server_url, macros_dir)
    return [*macro_modules(macros_dir), xlwings_module(), dictionary_module()]

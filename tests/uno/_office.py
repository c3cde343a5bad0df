"""Shared by the UNO scripts in this folder (run with Debian's /usr/bin/python3, not the venv).

tests/lo_helpers.run_uno passes a fresh profile directory and a unique pipe name in the
environment (RX_LO_PROFILE, RX_LO_PIPE); ``office()`` starts soffice on them and always stops it.
Documents are loaded hidden, read-only (a stale lock file cannot block loading) and with macros
never executed.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException

START_TIMEOUT = 45


def prop(name: str, value: Any) -> PropertyValue:
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


@contextlib.contextmanager
def office() -> Iterator[Any]:
    """The Desktop of a private headless soffice; terminated (then killed) on exit."""
    profile, pipe = os.environ["RX_LO_PROFILE"], os.environ["RX_LO_PIPE"]
    proc = subprocess.Popen(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--invisible",
         "--nologo", "--norestore", "--nodefault", "--nolockcheck",
         f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    desktop = None
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local)
        started = time.monotonic()
        while True:
            try:
                ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except NoConnectException:
                if time.monotonic() - started > START_TIMEOUT or proc.poll() is not None:
                    raise RuntimeError("soffice did not start") from None
                time.sleep(0.1)
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        yield desktop
    finally:
        if desktop is not None:
            with contextlib.suppress(Exception):  # the bridge dies as soffice exits
                desktop.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


def load(desktop: Any, path: str, *, macros: bool = False) -> Any:
    """Open a document hidden and read-only; macros=True allows running its macros."""
    url = uno.systemPathToFileUrl(os.path.abspath(path))
    doc = desktop.loadComponentFromURL(url, "_blank", 0, (
        prop("Hidden", True), prop("ReadOnly", True),
        prop("MacroExecutionMode", 4 if macros else 0)))
    if doc is None:
        raise RuntimeError(f"LibreOffice could not load {path}")
    return doc


def emit(result: Any) -> None:
    """The script's answer: one JSON document on the last line of stdout."""
    sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
    sys.stdout.flush()

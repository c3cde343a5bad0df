"""rectify-xl: the rectification ledger (整改台账) as a spreadsheet add-in.

Importing the package is cheap: public names are loaded on first use (PEP 562) so that a button
click that only validates never imports pandas or jinja2.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_LAZY = {
    "validate_workbook": "rectify_xl.services.ledger",
    "summarize_workbook": "rectify_xl.services.ledger",
    "make_notice": "rectify_xl.services.ledger",
    "read_ledger": "rectify_xl.adapters.xlsx_reader",
    "Ledger": "rectify_xl.core.model",
    "Report": "rectify_xl.core.findings",
    "Finding": "rectify_xl.core.findings",
    "Severity": "rectify_xl.core.findings",
    "Status": "rectify_xl.core.schema",
    "RectifyError": "rectify_xl.errors",
}

__all__ = ["__version__", *_LAZY]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'rectify_xl' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)

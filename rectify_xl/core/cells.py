"""Text that goes into generated cells is data, never a live formula (CWE-1236)."""

from __future__ import annotations

__all__ = ["FORMULA_PREFIXES", "inert_text"]

# Excel, WPS and LibreOffice start a formula (or DDE) on these characters.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\uff1d")


def inert_text(value: object) -> object:
    """Strings that would start a formula get a leading apostrophe; other values pass through.

    Use for values written through xlwings (which, like Excel, evaluates "=..." strings).
    openpyxl and XlsxWriter writers must write strings as strings instead (write_string /
    data_type "s"), which needs no prefix.
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value

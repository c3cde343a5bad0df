"""Errors that stop a run ("the job cannot be done"). Messages are Chinese, for the user.

Data problems are never raised: they are Findings in a Report. Adapters translate library
exceptions into these at the boundary (``raise InputError(...) from exc``).
"""

from __future__ import annotations

__all__ = [
    "InputError",
    "LockedError",
    "MailError",
    "OutputError",
    "RectifyError",
    "TemplateError",
]


class RectifyError(Exception):
    """Root of every error shown to a user as one clear line (CLI exit code 2)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InputError(RectifyError):
    """The input cannot be used: not a workbook, wrong sheets, no header row, a bomb."""


class LockedError(RectifyError):
    """The workbook is open in Excel/WPS (a ~$ lock file exists), so it is not overwritten."""


class OutputError(RectifyError):
    """An output cannot be written (permissions, disk, path)."""


class TemplateError(RectifyError):
    """A template has a syntax error or needs a value the ledger does not provide."""


class MailError(RectifyError):
    """Sending failed: server down, login refused, timeout, recipient refused."""

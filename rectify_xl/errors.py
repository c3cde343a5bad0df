"""Errors that stop a run ("the job cannot be done"). Messages are Chinese, for the user.

Data problems are never raised: they are Findings in a Report. Adapters translate library
exceptions into these at the boundary (``raise InputError(...) from exc``).
"""

from __future__ import annotations

import errno

__all__ = [
    "InputError",
    "LockedError",
    "MailError",
    "OutputError",
    "RectifyError",
    "TemplateError",
    "os_reason",
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


# OS errors reach users: their strerror is English ("Permission denied"), so say it in Chinese.
_OS_REASONS = {
    errno.EACCES: "没有访问权限",
    errno.EPERM: "没有访问权限",
    errno.EROFS: "磁盘或文件夹是只读的",
    errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "磁盘配额已满",
    errno.ENAMETOOLONG: "文件名或路径过长",
    errno.ENOENT: "文件或文件夹不存在",
    errno.EISDIR: "这是一个文件夹",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.EBUSY: "文件正被占用",
    errno.EADDRINUSE: "端口已被占用",
    errno.EADDRNOTAVAIL: "本机没有这个地址",
    errno.EMFILE: "打开的文件过多",
    errno.EIO: "磁盘读写错误",
}


def os_reason(exc: OSError) -> str:
    """A Chinese reason for an OSError, for the one line a user sees."""
    return _OS_REASONS.get(exc.errno or 0) or exc.strerror or type(exc).__name__

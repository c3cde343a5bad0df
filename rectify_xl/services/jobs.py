"""Running one piece of work bounded in time and memory (the server's jobs, merge's files).

The machinery is adapters.isolation (processes and rlimits are the operating system's business);
this is the use-case side entry points and the server call, so they never import an adapter.
Every command runs inside ``run_folder``; the isolation machinery (multiprocessing and its
sockets) is imported only by the callers that isolate a job, not by every `validate`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rectify_xl.adapters.runfolder import run_folder, start_run

if TYPE_CHECKING:
    from rectify_xl.adapters.isolation import (
        JobBug,
        JobFailed,
        JobTimeout,
        Limits,
        run_isolated,
    )

__all__ = ["JobBug", "JobFailed", "JobTimeout", "Limits", "run_folder", "run_isolated", "start_run"]

_ISOLATION = frozenset({"JobBug", "JobFailed", "JobTimeout", "Limits", "run_isolated"})


def __getattr__(name: str) -> Any:
    if name in _ISOLATION:
        from rectify_xl.adapters import isolation

        return getattr(isolation, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

"""Run one job in a process of its own, bounded in time and memory, so no input can take its
caller down with it.

A hostile workbook can crash native code (an abort is not an exception), use all memory or spin
for minutes. In a child process each of these ends that one job: the caller gets a JobFailed
with a Chinese message (or the job's own RectifyError) and carries on.

POSIX: the child is forked (it starts in a few milliseconds with everything already imported,
and sees the caller's settings), then limits itself with setrlimit: address space (the caller's
current size plus ``memory_mb``), CPU seconds, size of any file it writes, no core dumps; a
timer kills it at the wall-clock limit as well (a job blocked on I/O uses no CPU). The fork
happens in a multi-threaded server: the child only runs the job and leaves with os._exit, and
a lock inherited in a held state would at worst stall it until the timer kills it.
Windows has neither fork nor rlimits: the child is spawned and only the time limit applies.
"""

from __future__ import annotations

import contextlib
import math
import multiprocessing
import os
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rectify_xl import errors
from rectify_xl.errors import RectifyError

__all__ = ["JobBug", "JobFailed", "JobTimeout", "Limits", "isolation_available", "run_isolated"]


class JobFailed(RectifyError):
    """The job's process died (native crash, memory limit, killed) without an answer."""


class JobTimeout(RectifyError):
    """The job was still running at its time limit and was killed."""


@dataclass(frozen=True, slots=True)
class Limits:
    seconds: float = 120.0  # wall clock; the CPU limit is the same number of CPU seconds
    memory_mb: int | None = 1024  # on top of what the caller already uses; None: no limit
    output_mb: int = 512  # the largest file the job may write


def isolation_available() -> bool:
    return sys.platform != "win32" or hasattr(multiprocessing, "get_context")


def _context() -> Any:
    return multiprocessing.get_context("fork" if os.name == "posix" else "spawn")


def _address_space() -> int | None:
    """This process's virtual size in bytes (Linux), the base the memory limit is added to."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError, AttributeError):
        return None


def _limit_self(limits: Limits) -> None:
    try:
        import resource
    except ImportError:  # Windows
        return

    def soft(kind: int, value: int) -> None:
        _, hard = resource.getrlimit(kind)
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(kind, (value, hard))

    cpu = math.ceil(limits.seconds) + 1
    soft(resource.RLIMIT_CPU, cpu)  # SIGXCPU at the soft limit ends the process
    soft(resource.RLIMIT_CORE, 0)
    soft(resource.RLIMIT_FSIZE, limits.output_mb << 20)
    base = _address_space()
    if limits.memory_mb is not None and base is not None:
        soft(resource.RLIMIT_AS, base + (limits.memory_mb << 20))


def _die_with_parent(parent: int) -> None:
    """Linux: the kernel kills this process if the caller dies (kill -9 of a CLI run). Strictly,
    if the caller's thread that forked it ends: that thread waits in run_isolated until then."""
    if sys.platform != "linux":
        return
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # it died between the fork and the line above
        os._exit(1)


def _child(conn: Any, fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any],
           limits: Limits, parent: int) -> None:
    import faulthandler

    faulthandler.disable()  # an abort here is reported by the caller, not dumped on its stderr
    _die_with_parent(parent)
    _limit_self(limits)
    try:
        answer: tuple[str, Any] = ("ok", fn(*args, **kwargs))
    except RectifyError as exc:
        answer = ("error", (type(exc).__name__, exc.message))
    except MemoryError:
        answer = ("memory", None)
    except BaseException as exc:  # everything reaches the caller as one line
        answer = ("unexpected", type(exc).__name__)
    try:
        conn.send(answer)
    except MemoryError:
        conn.send(("memory", None))
    except Exception as exc:  # an answer that cannot be pickled
        conn.send(("unexpected", type(exc).__name__))
    finally:
        conn.close()


def _error(name: str, message: str) -> RectifyError:
    cls = getattr(errors, name, None)
    if isinstance(cls, type) and issubclass(cls, RectifyError):
        return cls(message)
    return RectifyError(message)


def _died(exitcode: int | None, limits: Limits) -> JobFailed:
    import signal

    if exitcode is not None and exitcode < 0:
        sig = -exitcode
        if sig == getattr(signal, "SIGXCPU", -1):
            return JobFailed(f"处理时间超过上限（{limits.seconds:.0f}秒 CPU 时间），已停止：文件可能异常")
        if sig in (signal.SIGABRT, getattr(signal, "SIGSEGV", -1), getattr(signal, "SIGBUS", -1)):
            return JobFailed("处理该文件时读取程序异常终止（文件可能损坏或被篡改），已停止，其他工作不受影响")
        if sig == getattr(signal, "SIGXFSZ", -1):
            return JobFailed("生成的文件超过大小上限，已停止")
    return JobFailed("处理该文件的进程意外结束（可能内存不足或文件异常），已停止，其他工作不受影响")


class JobBug(Exception):
    """A bug in the job (not a RectifyError): the caller logs and answers with a generic 500."""


def run_isolated(fn: Callable[..., Any], *args: Any, limits: Limits = Limits(),
                 **kwargs: Any) -> Any:
    """fn(*args, **kwargs) in a child process; its result, or its RectifyError re-raised here.

    JobTimeout when it runs past ``limits.seconds``, JobFailed when its process dies; any other
    exception of the job comes back as RuntimeError naming only the exception's type.
    fn, the arguments and the result must pickle (module-level functions, plain data).
    """
    ctx = _context()
    receive, send = ctx.Pipe(duplex=False)
    # not a daemon: a job may start processes of its own (the merge, LibreOffice)
    process = ctx.Process(target=_child, args=(send, fn, args, kwargs, limits, os.getpid()))
    process.start()
    send.close()
    timed_out = threading.Event()

    def kill() -> None:
        timed_out.set()
        with contextlib.suppress(OSError, ValueError):
            process.kill()

    timer = threading.Timer(limits.seconds, kill)
    timer.daemon = True
    timer.start()
    try:
        try:
            status, payload = receive.recv()  # EOF once the child is gone without answering
        except (EOFError, OSError):
            process.join(5)
            if timed_out.is_set():
                raise JobTimeout(f"处理超时（超过{limits.seconds:.0f}秒），已停止。"
                                 "请稍后重试；如果总是超时，文件可能异常，请联系管理员") from None
            raise _died(process.exitcode, limits) from None
    finally:
        timer.cancel()
        if process.is_alive():
            process.join(2)
        if process.is_alive():
            kill()
            process.join(5)
        receive.close()
        with contextlib.suppress(ValueError):
            process.close()
    if status == "ok":
        return payload
    if status == "error":
        raise _error(*payload)
    if status == "memory":
        raise JobFailed("处理该文件所需内存超过上限，已停止：文件可能异常（如内容极多或被篡改）")
    raise JobBug(payload)

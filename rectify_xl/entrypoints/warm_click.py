"""A warm, single-use worker per user that a button click is handed to (docs/dev/decisions.md D3).

A click pays for Python start-up, ``import xlwings`` and our modules before any work (≈ 0.2 s of
≈ 0.25 s). ``rectify-xl-python`` therefore first offers the click to a process that has already
paid: it connects to the user's warm worker, which runs the click's code *once*, reports the exit
code and output, and exits; its successor starts warming up for the next click. Clicks stay
isolated (one process each) and a crash affects one click.

Protocol (``multiprocessing.connection`` with the HMAC challenge of an ``authkey`` both ways):
  launcher → job {code, argv, cwd, env, -B};  worker → ("ready",) or ("decline", why)
  launcher → ("go",)  — the commit point: only after "go" was written may the worker run the job,
                        and from then on the launcher never falls back; before it, anything odd
                        (nothing listening, refused, bad key, stale worker, timeout) means the
                        launcher runs the click itself, so a click is never run twice
  worker → ("done", exit code, stdout, stderr), or the connection drops: the launcher reports a
           Chinese error and exits 1 (never a silent success)

Where: POSIX, an AF_UNIX socket in ``$XDG_RUNTIME_DIR/rectify-xl`` (else ``~/.rectify-xl/run``),
a directory of mode 0700 owned by the user, with the 32-byte key in a 0600 file; Windows, a named
pipe ``\\\\.\\pipe\\rectify-xl-<hash>`` and the key in ``%LOCALAPPDATA%\\rectify-xl\\run``
(untested here). The names hold a hash of the interpreter, the package's version and location,
so an upgrade never reaches an old worker; a worker also declines when a module file it loaded
changed since it loaded it.

Environment: RECTIFY_XL_WARM=0 turns it all off; RECTIFY_XL_WARM_IDLE (seconds, default 900) is
how long an unused worker waits before it exits and removes its socket.

The launcher side imports only the standard library it needs (``hand_over``); the worker side
(``serve``) imports xlwings and the click's modules before it listens.
"""

from __future__ import annotations

import os
import sys
from typing import Any, NamedTuple

__all__ = ["enabled", "hand_over", "paths", "run_code", "serve", "start_worker"]

PROTOCOL = 1
IDLE_DEFAULT = 900.0
_CONNECT_TIMEOUT = 3.0  # seconds for the launcher to get "ready"; the worker answers at once
_GO_TIMEOUT = 10.0  # seconds a worker waits for "go" before it gives the job up
_KEY_BYTES = 32
# never through a symlink (POSIX); binary, else Windows translates CR LF and stops at Ctrl-Z
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
# Environment read while modules are imported (xlwings' licence key decides whether its remote
# engine loads; PYTHON* changes paths and encodings): a job whose values differ runs cold.
_IMPORT_TIME_ENV = ("XLWINGS_", "PYTHON")
_CRASHED = ("按钮未完成：后台运行按钮的 Python 进程（pid {pid}）意外退出，工作簿可能只写入了一部分。"
            "请检查后再点一次按钮；如反复出现，可设置环境变量 RECTIFY_XL_WARM=0 关闭后台进程。")


def enabled(environ: Any = None) -> bool:
    """False when RECTIFY_XL_WARM is 0/off/no/false."""
    value = (os.environ if environ is None else environ).get("RECTIFY_XL_WARM", "1")
    return value.strip().lower() not in ("0", "off", "no", "false")


class Paths(NamedTuple):
    folder: str
    key: str
    address: str  # socket path (POSIX) or pipe name (Windows)
    family: str
    lock: str
    pid: str


def _tag() -> str:
    """What a worker must share with the launcher: interpreter, environment, package build."""
    import hashlib

    import rectify_xl

    text = "\0".join((sys.executable, sys.prefix, sys.version, rectify_xl.__version__,
                      os.path.dirname(os.path.abspath(rectify_xl.__file__)), str(PROTOCOL)))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def paths() -> Paths | None:
    """This user's worker files, or None when there is no safe place for them."""
    tag = _tag()
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or os.path.expanduser(r"~\AppData\Local")
        folder = os.path.join(base, "rectify-xl", "run")
        user = os.environ.get("USERNAME", "")
        import hashlib

        pipe = hashlib.sha256(f"{user}\0{folder}\0{tag}".encode()).hexdigest()[:24]
        address, family = rf"\\.\pipe\rectify-xl-{pipe}", "AF_PIPE"
    else:
        runtime = os.environ.get("XDG_RUNTIME_DIR", "")
        if runtime and os.path.isabs(runtime) and os.path.isdir(runtime):
            folder = os.path.join(runtime, "rectify-xl")
        else:
            folder = os.path.join(os.path.expanduser("~"), ".rectify-xl", "run")
        address, family = os.path.join(folder, f"w-{tag}.sock"), "AF_UNIX"
        if len(address.encode()) > 100:  # sockaddr_un holds 104-108 bytes
            return None
    return Paths(folder, os.path.join(folder, "key"), address, family,
                 os.path.join(folder, f"w-{tag}.lock"), os.path.join(folder, f"w-{tag}.pid"))


def _private_folder(folder: str, create: bool) -> bool:
    """The folder exists, is ours and nobody else's (0700 on POSIX); created if asked."""
    if create:
        os.makedirs(folder, mode=0o700, exist_ok=True)
    if sys.platform == "win32":
        return os.path.isdir(folder)  # %LOCALAPPDATA% is private to the user by its ACL
    import stat

    try:
        st = os.lstat(folder)
    except OSError:
        return False
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.getuid():
        return False
    if st.st_mode & 0o077:
        if not create:
            return False
        os.chmod(folder, 0o700)
    return True


def _read_key(path: str) -> bytes | None:
    """The key, if it is a 0600 file of ours holding exactly one key."""
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW)
    except OSError:
        return None
    try:
        if sys.platform != "win32":
            st = os.fstat(fd)
            if st.st_uid != os.getuid() or st.st_mode & 0o077:
                return None
        key = os.read(fd, _KEY_BYTES + 1)
    finally:
        os.close(fd)
    return key if len(key) == _KEY_BYTES else None


def _write_key(path: str) -> bytes:
    """A new key, written 0600 to a temporary name and renamed into place (atomic)."""
    key = os.urandom(_KEY_BYTES)
    tmp = f"{path}.{os.getpid()}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o600)
    try:
        os.write(fd, key)
    finally:
        os.close(fd)
    os.replace(tmp, path)
    return key


# --- the launcher's side -------------------------------------------------------------------------


def _connect(where: Paths, key: bytes) -> Any:
    """An authenticated connection to the worker, or an exception (OSError, EOFError, ...)."""
    from multiprocessing import connection

    if sys.platform == "win32":
        return connection.Client(where.address, where.family, authkey=key)
    import socket
    import struct

    # Every read and write times out until "go" (SO_RCVTIMEO covers the library's handshake too)
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.settimeout(_CONNECT_TIMEOUT)
        sock.connect(where.address)
        sock.settimeout(None)
        limit = struct.pack("ll", int(_CONNECT_TIMEOUT), 0)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, limit)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, limit)
        conn = connection.Connection(sock.detach())
    finally:
        sock.close()
    try:
        connection.answer_challenge(conn, key)
        connection.deliver_challenge(conn, key)  # the worker must know the key too
    except BaseException:
        conn.close()
        raise
    return conn


def _no_timeouts(conn: Any) -> None:
    """After "go": wait for the job as long as it takes (a dead worker still ends the wait)."""
    if sys.platform == "win32":
        return
    import socket
    import struct

    sock = socket.socket(fileno=os.dup(conn.fileno()))
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, struct.pack("ll", 0, 0))
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, struct.pack("ll", 0, 0))
    finally:
        sock.close()


def hand_over(code: str, rest: list[str]) -> int | None:
    """Run ``python -c code *rest`` in the warm worker; its exit code, or None if it was not taken.

    None means the job was certainly not run (the caller runs it); a number means it was run,
    or may have been (a worker that died after "go" gives 1 and a Chinese message on stderr).
    """
    where = paths()
    if where is None or (where.family == "AF_UNIX" and not os.path.exists(where.address)):
        return None
    if not _private_folder(where.folder, create=False):
        return None
    key = _read_key(where.key)
    if key is None:
        return None
    job = {"protocol": PROTOCOL, "code": code, "argv": ["-c", *rest], "cwd": os.getcwd(),
           "env": dict(os.environ), "dont_write_bytecode": sys.dont_write_bytecode,
           "streams": [(s.encoding, s.errors) for s in (sys.stdout, sys.stderr)]}
    try:
        conn = _connect(where, key)
    except Exception:  # nothing listening, refused, wrong key, timed out
        return None
    with conn:
        try:
            conn.send(job)
            if not conn.poll(_CONNECT_TIMEOUT):
                return None
            answer = conn.recv()
            if not (isinstance(answer, tuple) and answer[:1] == ("ready",)):
                return None  # declined: stale modules, other environment, other protocol
            pid = answer[1]
            conn.send(("go",))  # committed: the worker may run the job from here on
        except Exception:
            return None  # the worker cannot have read "go": nothing ran
        try:
            _no_timeouts(conn)
            done = conn.recv()
            _, status, out, err = done
        except Exception:
            sys.stderr.write(_CRASHED.format(pid=pid) + "\n")
            return 1
    for stream, data in ((sys.stdout, out), (sys.stderr, err)):  # bytes, in our encodings
        if data:
            stream.flush()
            stream.buffer.write(data)
            stream.buffer.flush()
    return int(status)


def start_worker() -> None:
    """Start a warm worker for the next click, detached; silently nothing if that fails.

    A second worker for the same tag finds the lock taken and exits at once."""
    where = paths()
    if where is None:
        return
    try:
        if not _private_folder(where.folder, create=True):
            return
        import subprocess

        command = [sys.executable, "-c",
                   "from rectify_xl.entrypoints.warm_click import serve; serve()"]
        if sys.dont_write_bytecode:
            command.insert(1, "-B")
        options: dict[str, Any] = {"cwd": where.folder, "close_fds": True,
                                   "stdin": subprocess.DEVNULL, "stdout": subprocess.DEVNULL,
                                   "stderr": subprocess.DEVNULL}
        if sys.platform == "win32":
            # no console window, not ended with Excel's process group
            options["creationflags"] = (subprocess.DETACHED_PROCESS
                                        | subprocess.CREATE_NEW_PROCESS_GROUP)
        else:
            options["start_new_session"] = True  # not killed with the click's process group
        subprocess.Popen(command, **options)
    except Exception:
        pass  # the next click simply runs cold again


# --- running CODE as ``python -c`` would ---------------------------------------------------------


def run_code(code: str) -> int:
    """Execute ``code`` as ``python -c`` does and return the exit status it would have.

    SystemExit(None) → 0, SystemExit(int) → that int, SystemExit(other) → printed, 1; any other
    exception → its traceback on stderr (starting at ``File "<string>"``), 1."""
    try:
        exec(compile(code, "<string>", "exec"), {"__name__": "__main__"})
    except SystemExit as exc:
        return _exit_status(exc.code)
    except BaseException as exc:
        import traceback

        sys.stdout.flush()
        traceback.print_exception(type(exc), exc, exc.__traceback__.tb_next if exc.__traceback__
                                  else None, file=sys.stderr)
        return 1
    return 0


def _exit_status(code: object) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    sys.stderr.write(f"{code}\n")
    return 1


# --- the worker's side ---------------------------------------------------------------------------
_EAGER_IMPORTS = ("pandas", "numpy", "PIL", "matplotlib", "polars", "plotly", "jinja2")


def import_xlwings_light() -> None:
    """``import xlwings`` with pandas, numpy, PIL, jinja2... kept out (docs/dev/decisions.md D1)."""
    blocked = [m for m in _EAGER_IMPORTS if m not in sys.modules]
    for name in blocked:
        sys.modules[name] = None  # type: ignore[assignment]  # import fails: xlwings skips it
    try:
        import xlwings  # noqa: F401
    finally:
        for name in blocked:  # the summary imports pandas itself later; let it
            if sys.modules.get(name, 0) is None:
                del sys.modules[name]


def _stamps() -> dict[str, tuple[int, int]]:
    """mtime and size of every loaded module file of ours and of xlwings."""
    out: dict[str, tuple[int, int]] = {}
    for name, module in list(sys.modules.items()):
        if name.split(".")[0] not in ("rectify_xl", "xlwings"):
            continue
        path = getattr(module, "__file__", None)
        if path:
            try:
                st = os.stat(path)
            except OSError:
                st = None
            out[path] = (st.st_mtime_ns, st.st_size) if st else (0, -1)
    return out


def _import_env(environ: Any) -> dict[str, str]:
    return {k: v for k, v in environ.items() if k.startswith(_IMPORT_TIME_ENV)}


def _lock(path: str) -> Any:
    """An exclusive lock on ``path`` held for the worker's life, or None if another holds it."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT | _NOFOLLOW, 0o600)
    try:
        if sys.platform == "win32":
            import msvcrt

            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd


def _write_pid(path: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | _NOFOLLOW, 0o600)
    try:
        os.write(fd, str(os.getpid()).encode("ascii"))
    finally:
        os.close(fd)


def _remove(path: str) -> None:
    import contextlib

    with contextlib.suppress(OSError):
        os.unlink(path)


def serve() -> None:
    """The worker: warm up, listen for one click, run it, start a successor, exit."""
    where = paths()
    if where is None or not _private_folder(where.folder, create=True):
        return
    lock = _lock(where.lock)
    if lock is None:
        return  # a worker for this tag is warming up, listening or running a click
    try:
        idle = float(os.environ.get("RECTIFY_XL_WARM_IDLE", IDLE_DEFAULT))
    except ValueError:
        idle = IDLE_DEFAULT
    _write_pid(where.pid)  # while this worker holds the lock (tests and support find it there)
    try:
        key = _read_key(where.key) or _write_key(where.key)
        import_xlwings_light()
        import xlwings.utils  # noqa: F401  # RunPython's command starts with it

        import rectify_xl.entrypoints.buttons  # noqa: F401  # and then imports this
        from rectify_xl.services.buttons import warm_up

        warm_up()
    except BaseException:
        _remove(where.pid)
        raise
    stamps = _stamps()
    import_env = _import_env(os.environ)
    import gc
    import threading
    from multiprocessing import AuthenticationError, connection

    gc.collect()
    gc.freeze()  # what warm-up built is never collected: the job's collections stay short
    if where.family == "AF_UNIX":
        _remove(where.address)  # a dead worker's socket (we hold the lock: none is alive)
    listener = connection.Listener(where.address, where.family, authkey=key)
    state = threading.Lock()
    taken = False

    def expire() -> None:
        with state:
            if not taken:
                if where.family == "AF_UNIX":
                    _remove(where.address)
                _remove(where.pid)
                os._exit(0)

    if sys.platform != "win32":
        import signal

        def stop(signum: int, frame: Any) -> None:  # `kill`: tidy up as an idle exit does
            _remove(where.address)  # ours while we hold the lock
            _remove(where.pid)
            os._exit(128 + signum)

        signal.signal(signal.SIGTERM, stop)
    timer = threading.Timer(idle, expire)
    timer.daemon = True
    timer.start()
    while True:
        try:
            conn = listener.accept()
        except AuthenticationError:
            if _read_key(where.key) != key:  # the key file was replaced: make way for a worker
                expire()                     # that uses it (the launcher starts one)
            continue
        except Exception:  # a launcher gone mid-handshake: keep listening
            continue
        with state:
            taken = True
        timer.cancel()
        break
    if sys.platform != "win32":
        signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a job runs: `kill` ends it as usual
    listener.close()  # removes the socket: the next click goes cold until the successor listens
    ran = False
    with conn:
        try:
            ran = _serve_job(conn, stamps, import_env)  # True: start a successor
        except Exception:  # the launcher sees the dropped connection and says so
            ran = True  # "go" may have been read: start the successor all the same
    _remove(where.pid)
    os.close(lock)  # the successor may take over
    if ran:
        start_worker()


def _serve_job(conn: Any, stamps: dict[str, tuple[int, int]], import_env: dict[str, str]) -> bool:
    """Check the job, wait for "go", run it; True if a successor should start (the job ran, or
    this worker is stale)."""
    if not conn.poll(_GO_TIMEOUT):
        return False
    job = conn.recv()
    why = ""
    if not isinstance(job, dict) or job.get("protocol") != PROTOCOL:
        why = "protocol"
    elif _import_env(job["env"]) != import_env:
        why = "environment"
    elif _stamps_now(stamps) != stamps:
        conn.send(("decline", "modules changed"))
        return True  # a fresh worker loads them as they are now
    if not why:
        try:
            _apply(job)
        except Exception as exc:  # e.g. the launcher's folder is gone: let it run cold
            why = f"setup: {type(exc).__name__}"
    if why:
        conn.send(("decline", why))
        return False
    conn.send(("ready", os.getpid()))
    if not conn.poll(_GO_TIMEOUT) or conn.recv() != ("go",):
        return False
    status, out, err = _run_job(job)
    conn.send(("done", status, out, err))
    return True


def _stamps_now(stamps: dict[str, tuple[int, int]]) -> dict[str, tuple[int, int]]:
    out: dict[str, tuple[int, int]] = {}
    for path in stamps:
        try:
            st = os.stat(path)
            out[path] = (st.st_mtime_ns, st.st_size)
        except OSError:
            out[path] = (0, -1)
    return out


def _apply(job: dict[str, Any]) -> None:
    """The launcher's directory, arguments and environment, before "ready"."""
    os.chdir(job["cwd"])
    os.environ.clear()
    os.environ.update(job["env"])
    sys.argv = list(job["argv"])
    sys.dont_write_bytecode = bool(job["dont_write_bytecode"])
    if sys.path and sys.path[0] != "":
        sys.path.insert(0, "")  # ``python -c`` looks in the current directory first


def _run_job(job: dict[str, Any]) -> tuple[int, bytes, bytes]:
    """The click's code, its output captured as bytes in the launcher's encodings (the launcher
    writes them out unchanged)."""
    import io

    (out_enc, out_err), (err_enc, err_err) = job["streams"]
    out, err = io.BytesIO(), io.BytesIO()
    saved = sys.stdout, sys.stderr
    text_out = io.TextIOWrapper(out, encoding=out_enc, errors=out_err, write_through=True)
    text_err = io.TextIOWrapper(err, encoding=err_enc, errors=err_err, write_through=True)
    sys.stdout, sys.stderr = text_out, text_err
    try:
        status = run_code(job["code"])
    finally:
        sys.stdout, sys.stderr = saved
        for wrapper in (text_out, text_err):
            wrapper.flush()
            wrapper.detach()  # else closing the wrapper would close the buffer
    return status, out.getvalue(), err.getvalue()

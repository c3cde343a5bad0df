"""The office server (issue 9): the web workbench and xlwings' remote endpoints, on Starlette.

Starlette because it is small, ASGI, well kept, and brings no ORM or templating we would not use;
uvicorn runs it. Routes are thin: each reads the request, runs one function of server.work in a
worker thread under a time limit, and answers JSON (the page), bytes (a download) or actions
(Excel). The Guard middleware handles size, token and host checks for every route.
"""

from __future__ import annotations

import functools
import html
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from rectify_xl.core.schema import BUTTONS
from rectify_xl.errors import InputError, RectifyError
from rectify_xl.server.files import Upload, display_name
from rectify_xl.server.guard import Guard, GuardConfig
from rectify_xl.server.security import SESSION_COOKIE, SESSION_HOURS, new_session, token_matches

if TYPE_CHECKING:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response

    from rectify_xl.services.office_mail import OfficeMail

__all__ = ["ServerConfig", "create_app"]

_log = logging.getLogger("rectify_xl.server")
_STATIC = {"app.js": "text/javascript; charset=utf-8", "app.css": "text/css; charset=utf-8"}
_FUNCTIONS = {b.function for b in BUTTONS}  # the functions in entrypoints.buttons


@dataclass(frozen=True)
class ServerConfig:
    host: str = "127.0.0.1"
    port: int = 8765
    token: str | None = None  # required unless host is loopback (security.token_required)
    max_upload_mb: int = 20
    max_files: int = 50
    time_limit: float = 120.0  # seconds per request's work
    threads: int = 4  # requests worked on at once; the rest wait (within their time limit)
    job_memory_mb: int | None = 1024  # each job's process may grow this much (POSIX)
    mail: OfficeMail | None = None  # the server's own mailbox; None: 发送上级 makes drafts only
    session_hours: float = SESSION_HOURS  # a login lasts this long
    kept_hours: float = 72.0  # kept results are deleted after this long
    kept_quota_mb: int = 500  # and the oldest first when all of them exceed this
    today: Callable[[], date] = date.today


class Timeout(RectifyError):
    """The request waited and worked longer than the per-request time limit."""


def _static(name: str) -> str:
    return resources.files("rectify_xl.server").joinpath("static", name).read_text(encoding="utf-8")


class _Handlers:
    def __init__(self, config: ServerConfig) -> None:
        self.config = config
        self._limiter: Any = None

    async def run(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """fn in a process of its own (adapters.isolation), bounded in CPU time and memory and
        killed at the time limit; a crash answers this request only. A thread waits for it, at
        most ``threads`` at once: a slot is free again only when the process is gone."""
        import anyio

        from rectify_xl.services.jobs import Limits, run_isolated

        if self._limiter is None:
            self._limiter = anyio.CapacityLimiter(self.config.threads)
        limits = Limits(seconds=self.config.time_limit, memory_mb=self.config.job_memory_mb)
        job = functools.partial(run_isolated, fn, *args, limits=limits, **kwargs)
        try:
            # waiting for a slot counts too; the job's own limit stops its process
            with anyio.fail_after(2 * self.config.time_limit + 10):
                return await anyio.to_thread.run_sync(job, abandon_on_cancel=True,
                                                      limiter=self._limiter)
        except TimeoutError as exc:
            raise Timeout("处理超时：服务器繁忙，排队等待过久，请稍后重试") from exc

    async def uploads(self, request: Request) -> tuple[list[Upload], dict[str, str]]:
        form = await request.form(max_files=self.config.max_files, max_fields=20,
                                  max_part_size=64 * 1024)
        files, fields = [], {}
        for key, value in form.multi_items():
            if isinstance(value, str):
                fields[key] = value
                continue
            data = await value.read()
            if data:
                files.append(Upload(display_name(value.filename), data))
        await form.close()
        if not files:
            raise InputError("请先选择台账文件（.xlsx 或 .xlsm）")
        return files, fields

    # --- pages ------------------------------------------------------------------------------
    async def index(self, request: Request) -> Response:
        from starlette.responses import HTMLResponse, RedirectResponse

        token = request.query_params.get("token")
        if token and token_matches(self.config.token, token):
            # the link printed at start-up: turn it into a cookie and drop it from the address bar
            response = RedirectResponse("/", status_code=303)
            self._start_session(request, response)
            return response
        return HTMLResponse(_static("index.html"))

    def _start_session(self, request: Request, response: Response) -> None:
        import time

        assert self.config.token is not None  # token_matches was true
        hours = self.config.session_hours
        response.set_cookie(SESSION_COOKIE, new_session(self.config.token, time.time(), hours),
                            max_age=int(hours * 3600), httponly=True, samesite="strict",
                            secure=request.url.scheme == "https")

    async def login_page(self, request: Request) -> Response:
        from starlette.responses import HTMLResponse

        return HTMLResponse(_login_html())

    async def login(self, request: Request) -> Response:
        from starlette.responses import HTMLResponse, RedirectResponse

        form = await request.form(max_files=0, max_fields=2, max_part_size=1024)
        token = str(form.get("token") or "").strip()
        if not token_matches(self.config.token, token):
            return HTMLResponse(_login_html("访问口令不正确，请重新输入"), status_code=401)
        response = RedirectResponse("/", status_code=303)
        self._start_session(request, response)
        return response

    async def static(self, request: Request) -> Response:
        from starlette.responses import Response

        name = request.path_params["name"]
        if name not in _STATIC:
            return _error_page(404, "找不到该页面")
        return Response(_static(name), media_type=_STATIC[name])

    async def health(self, request: Request) -> Response:
        from starlette.responses import JSONResponse

        return JSONResponse({"ok": True})

    # --- the web workbench --------------------------------------------------------------------
    async def check(self, request: Request) -> Response:
        from rectify_xl.server.work import check_upload

        files, fields = await self.uploads(request)
        if len(files) > 1:
            return await self.merge_files(files)
        keep = fields.get("keep") in ("1", "on", "true")
        return _json(await self.run(check_upload, files[0], today=self.config.today(), keep=keep))

    async def merge(self, request: Request) -> Response:
        files, _ = await self.uploads(request)
        return await self.merge_files(files)

    async def merge_files(self, files: list[Upload]) -> Response:
        from rectify_xl.server.work import merge_uploads

        return _json({"merge": await self.run(merge_uploads, files, today=self.config.today())})

    async def document(self, request: Request) -> Response:
        from starlette.responses import Response

        from rectify_xl.server.work import notice_document

        fmt = request.query_params.get("format", "docx")
        if fmt not in ("docx", "pdf"):
            raise InputError("公文格式只能是 docx 或 pdf")
        files, _ = await self.uploads(request)
        out = await self.run(notice_document, files[0], fmt)
        return Response(out.data, media_type=out.media, headers=_attachment(out.name))

    async def mail(self, request: Request) -> Response:
        from rectify_xl.server.work import send_upload

        files, _ = await self.uploads(request)
        return _json(await self.run(send_upload, files[0], today=self.config.today(),
                                    mail=self.config.mail))

    async def remind(self, request: Request) -> Response:
        from rectify_xl.server.work import remind_upload

        files, _ = await self.uploads(request)
        return _json(await self.run(remind_upload, files[0], today=self.config.today()))

    async def kept(self, request: Request) -> Response:
        from starlette.responses import FileResponse

        from rectify_xl.server.files import kept_file
        from rectify_xl.server.work import KEPT_NAMES

        path = kept_file(request.path_params["kept_id"], request.path_params["name"], KEPT_NAMES)
        if path is None:
            return _error_page(404, "找不到该文件（编号不存在或已被删除）")
        return FileResponse(path, filename=path.name)

    # --- xlwings' remote protocol ------------------------------------------------------------
    async def xlwings(self, request: Request) -> Response:
        from starlette.responses import JSONResponse, PlainTextResponse

        from rectify_xl.server.work import remote_button

        function = request.path_params["button"]
        if function not in _FUNCTIONS:
            return PlainTextResponse(f"没有名为“{function[:40]}”的按钮", status_code=404)
        if not request.headers.get("content-type", "").startswith("application/json"):
            # a browser form cannot send JSON cross-site without a preflight we never allow
            return PlainTextResponse("请求格式不正确：应为 JSON", status_code=415)
        try:
            payload = json.loads(await request.body())
        except (ValueError, RecursionError):  # RecursionError: nesting thousands deep
            return PlainTextResponse("请求内容不是有效的 JSON", status_code=400)
        if not isinstance(payload, dict):
            return PlainTextResponse("请求内容不是工作簿数据", status_code=400)
        try:
            return JSONResponse(await self.run(remote_button, function, payload))
        except RectifyError as exc:  # VBA shows the body of a non-200 answer in a MsgBox
            return PlainTextResponse(exc.message, status_code=400)


def _attachment(name: str) -> dict[str, str]:
    # RFC 6266/5987: an ASCII fallback plus the UTF-8 name every current browser uses
    return {"content-disposition": f"attachment; filename=\"download{name[name.rfind('.'):]}\"; "
                                   f"filename*=UTF-8''{quote(name)}"}


def _json(data: Any) -> Response:
    from starlette.responses import JSONResponse

    return JSONResponse(data)


def _page(title: str, body: str) -> str:
    return ("<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{html.escape(title)}</title><link rel=\"stylesheet\" href=\"/static/app.css\">"
            f"</head><body><main class=\"narrow\">{body}</main></body></html>")


def _error_page(status: int, message: str) -> Response:
    from starlette.responses import HTMLResponse

    body = (f"<h1>出错了</h1><p class=\"error\" id=\"error\">{html.escape(message)}</p>"
            "<p><a href=\"/\">返回首页</a></p>")
    return HTMLResponse(_page("出错了", body), status_code=status)


def _login_html(error: str = "") -> str:
    note = f"<p class=\"error\" id=\"error\">{html.escape(error)}</p>" if error else ""
    body = ("<h1>巡察整改台账工具</h1><p>此服务器供本单位网络使用，请输入管理员提供的访问口令。</p>"
            f"{note}<form method=\"post\" action=\"/login\"><label>访问口令 "
            "<input type=\"password\" name=\"token\" autocomplete=\"current-password\" required>"
            "</label> <button type=\"submit\">进入</button></form>")
    return _page("请输入访问口令", body)


def _error(request: Request, status: int, message: str) -> Response:
    """JSON for the page's fetch calls, plain text for Excel (its message box shows the body),
    a Chinese HTML page for a browser."""
    from starlette.responses import JSONResponse, PlainTextResponse

    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": message}, status_code=status)
    if request.url.path.startswith("/xlwings/"):
        return PlainTextResponse(message, status_code=status)
    return _error_page(status, message)


async def _rectify_error(request: Request, exc: Exception) -> Response:
    message = exc.message if isinstance(exc, RectifyError) else "处理失败"
    from rectify_xl.services.jobs import JobTimeout

    return _error(request, 504 if isinstance(exc, Timeout | JobTimeout) else 400, message)


async def _unexpected(request: Request, exc: Exception) -> Response:
    # one line here: Starlette re-raises after this answer, and the ASGI server logs the traceback
    _log.error("request failed: %s %s (%s)", request.method, request.url.path, type(exc).__name__)
    return _error(request, 500, "服务器处理时发生意外错误，未能完成。请将该文件交给技术支持人员检查。")


async def _http_error(request: Request, exc: Exception) -> Response:
    status = getattr(exc, "status_code", 400)
    messages = {404: "找不到该页面", 405: "不支持这种请求方式", 413: "上传的内容过大"}
    return _error(request, status, messages.get(status, "请求有误（上传的文件过多或表单格式不正确）"))


def create_app(config: ServerConfig | None = None) -> Starlette:
    """The ASGI app; ``config.token`` must be set when ``config.host`` is not loopback."""
    from starlette.applications import Starlette
    from starlette.exceptions import HTTPException
    from starlette.middleware import Middleware
    from starlette.routing import Route

    config = config or ServerConfig()
    from rectify_xl.server.files import KEPT_POLICY, prune_kept

    KEPT_POLICY.hours, KEPT_POLICY.quota_mb = config.kept_hours, config.kept_quota_mb
    prune_kept()
    h = _Handlers(config)
    routes = [
        Route("/", h.index),
        Route("/login", h.login_page, methods=["GET"]),
        Route("/login", h.login, methods=["POST"]),
        Route("/static/{name}", h.static),
        Route("/healthz", h.health),
        Route("/api/check", h.check, methods=["POST"]),
        Route("/api/merge", h.merge, methods=["POST"]),
        Route("/api/document", h.document, methods=["POST"]),
        Route("/api/mail", h.mail, methods=["POST"]),
        Route("/api/remind", h.remind, methods=["POST"]),
        Route("/kept/{kept_id}/{name}", h.kept),
        Route("/xlwings/{button}", h.xlwings, methods=["POST"]),
    ]
    guard = GuardConfig(config.host, config.token, config.max_upload_mb * 1_000_000)
    handlers: dict[Any, Any] = {RectifyError: _rectify_error, HTTPException: _http_error,
                                Exception: _unexpected}
    return Starlette(routes=routes, middleware=[Middleware(Guard, config=guard)],
                     exception_handlers=handlers)

"""The web application: pages, API, static files, sessions and the headers every response gets.

Nothing is fetched from elsewhere: templates, CSS and the one script ship inside the package,
and the Content-Security-Policy lets a page load only those (no inline script or style, no
other origin), so an article's ``<script>`` or ``onerror=`` that slipped past escaping would
still not run. FastAPI's own docs pages (which load from a CDN) are off; the OpenAPI document
is at ``/api/v1/openapi.json``.
"""

from __future__ import annotations

import secrets
from importlib.metadata import version
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from claimscope.errors import StoreError
from claimscope.records import document_label
from claimscope.store import InvalidCursor, LedgerViews, Store
from claimscope.web import api, auth, marks, pages, verdict_api, verdict_pages
from claimscope.web.timeline import timeline_chart

HERE = Path(__file__).parent
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
])
SECURITY_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
}


class SecurityHeaders:
    """Adds :data:`SECURITY_HEADERS` to every response: pages, API, static files, errors."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)


def create_app(store: Store, *, require_login: bool = False,
               secret_key: str | None = None) -> FastAPI:
    """The desk over ``store``. ``require_login``: every page and API call needs a user (on
    whenever the server listens beyond the loopback). Sessions are signed with
    ``secret_key``, by default a random one: a restart logs everyone out."""
    app = FastAPI(
        title="claimscope",
        version=version("claimscope"),
        description="The ledger of attributed claims in war reporting, as JSON. Each "
                    "list takes the ledger's filters and returns `next_cursor` for the next page.",
        openapi_url="/api/v1/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    app.state.store = store
    app.state.views = LedgerViews(store)
    app.state.require_login = require_login
    app.state.templates = Jinja2Templates(env=_environment())
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(api.router)
    app.include_router(verdict_api.router)
    app.include_router(pages.public)
    app.include_router(pages.router)
    app.include_router(verdict_pages.router)
    _handle_errors(app)
    app.add_middleware(SessionMiddleware, secret_key=secret_key or secrets.token_urlsafe(32),
                       session_cookie="claimscope_session", same_site="lax", max_age=12 * 3600)
    app.add_middleware(SecurityHeaders)
    return app


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True)
    env.filters.update(
        href=marks.safe_href,
        urlpart=lambda value: quote(str(value), safe=""),
        percent=lambda share: "–" if share is None else f"{share:.0%}",
        day=lambda iso: (iso or "")[:10],
        label=lambda document: document_label(document.get("title"), document.get("source") or ""),
    )
    env.globals.update(
        here=marks.here,
        pieces=marks.pieces,
        claim_marks=marks.claim_marks,
        place_map=marks.place_map,
        timeline_chart=timeline_chart,
        csrf_token=auth.csrf_token,
        csrf_field=auth.CSRF_FIELD,
    )
    return env


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _problem(request: Request, status: int, detail: str, headers: dict | None = None) -> Response:
    if _is_api(request):
        return JSONResponse({"detail": detail}, status_code=status, headers=headers)
    return pages.render(request, "error.html", status_code=status, status=status,
                        detail=detail)


def _handle_errors(app: FastAPI) -> None:
    @app.exception_handler(auth.LoginRequired)
    async def login_required(request: Request, error: auth.LoginRequired) -> Response:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        return _problem(request, error.status_code, str(error.detail), error.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> Response:
        if _is_api(request):
            return await request_validation_exception_handler(request, error)
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'][1:])}: {e['msg']}" for e in error.errors()
        )
        return _problem(request, 400, problems)

    @app.exception_handler(InvalidCursor)
    async def invalid_cursor(request: Request, error: InvalidCursor) -> Response:
        return _problem(request, 400, str(error))

    @app.exception_handler(StoreError)
    async def store_error(request: Request, error: StoreError) -> Response:
        return _problem(request, 503, str(error))

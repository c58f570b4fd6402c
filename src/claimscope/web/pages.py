"""The desk's HTML pages. Each calls the same data function as its ``/api/v1`` twin and hands
the dict to a template, which only formats it (and links to the twin)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from claimscope.corpus.verdicts import claim_propositions, outlet_verdict_record
from claimscope.records import CUE_CLASSES, SPEAKER_KINDS
from claimscope.store import (
    Accounts, DocumentFilter, LedgerFilter, Store, UnknownUser, User, UserExists,
)
from claimscope.store.users import UnknownToken
from claimscope.store.schema import VERDICTS
from claimscope.store.views import DEFAULT_PAGE_SIZE, SORTS
from claimscope.web import auth
from claimscope.web.params import (
    Cursor, Limit, document_filter, ledger_filter, outlet_claims_filter,
)

router = APIRouter(dependencies=[Depends(auth.require_reader)], include_in_schema=False)
public = APIRouter(include_in_schema=False)
"""The pages anyone may see: logging in and out."""


def render(request: Request, template: str, status_code: int = 200, **context) -> HTMLResponse:
    return request.app.state.templates.TemplateResponse(
        request, template, {"user": auth.current_user(request), **context},
        status_code=status_code,
    )


def _twin(path: str, params: dict) -> str:
    return f"{path}?{urlencode(params)}" if params else path


def _filter_choices(request: Request) -> dict:
    return {
        "speaker_kinds": SPEAKER_KINDS,
        "cue_classes": CUE_CLASSES,
        "sorts": SORTS,
        "outlets": request.app.state.views.outlet_names(),
        "verdicts": VERDICTS,
    }


@router.get("/", response_class=HTMLResponse)
def ledger_page(request: Request, filters: Annotated[LedgerFilter, Depends(ledger_filter)]):
    page = request.app.state.views.claims_page(filters)
    return render(request, "ledger.html", page=page, filters=filters.params(),
                  choices=_filter_choices(request),
                  twin=_twin("/api/v1/claims", {**filters.params(), **_cursor(filters)}))


def _cursor(filters: LedgerFilter | DocumentFilter) -> dict:
    return {"cursor": filters.cursor} if filters.cursor else {}


@router.get("/claims/{claim_id}", response_class=HTMLResponse)
def claim_page(request: Request, claim_id: str):
    view = request.app.state.views.claim(claim_id)
    if view is None:
        raise HTTPException(404, "no such claim")
    view["propositions"] = claim_propositions(request.app.state.store, claim_id)
    return render(request, "claim.html", view=view, twin=f"/api/v1/claims/{claim_id}")


@router.get("/documents", response_class=HTMLResponse)
def documents_page(request: Request,
                   filters: Annotated[DocumentFilter, Depends(document_filter)]):
    page = request.app.state.views.documents_page(filters)
    return render(request, "documents.html", page=page, filters=filters.params(),
                  twin=_twin("/api/v1/articles", {**filters.params(), **_cursor(filters)}))


@router.get("/documents/{document_id}", response_class=HTMLResponse)
def document_page(request: Request, document_id: str):
    view = request.app.state.views.document(document_id)
    if view is None:
        raise HTTPException(404, "no such document")
    return render(request, "document.html", view=view, twin=f"/api/v1/articles/{document_id}")


@router.get("/outlets", response_class=HTMLResponse)
def outlets_page(request: Request, cursor: Cursor = None, limit: Limit = DEFAULT_PAGE_SIZE):
    page = request.app.state.views.outlets_page(cursor, limit)
    return render(request, "outlets.html", page=page,
                  twin=_twin("/api/v1/outlets", {"cursor": cursor} if cursor else {}))


@router.get("/outlets/{name:path}", response_class=HTMLResponse)
def outlet_page(request: Request, name: str,
                filters: Annotated[LedgerFilter, Depends(outlet_claims_filter)]):
    view = request.app.state.views.outlet(name, filters)
    if view is None:
        raise HTTPException(404, "no such outlet")
    view["verdicts"] = outlet_verdict_record(request.app.state.store, view["outlet"]["name"])
    return render(request, "outlet.html", view=view, page=view["claims"],
                  filters=filters.params(),
                  twin=_twin(f"/api/v1/outlets/{quote(name, safe='')}",
                             {**filters.params(), **_cursor(filters)}))


# -- logging in and out; users -----------------------------------------------------------


def _local_path(target: str | None) -> str:
    """Where to go after logging in: a path on this site only (no open redirect)."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return "/"


@public.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str | None = None):
    return render(request, "login.html", next=_local_path(next), failed=False)


@public.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    name: Annotated[str, Form(max_length=100)],
    password: Annotated[str, Form(max_length=1000)],
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
):
    auth.check_csrf(request, csrf_token)
    user = Accounts(request.app.state.store).by_name(name.strip())
    if not auth.verify_password(user, password):
        return render(request, "login.html", status_code=400, next=_local_path(next),
                      failed=True)
    auth.log_in(request, user)
    return RedirectResponse(_local_path(next), status_code=303)


@public.post("/logout")
def logout(request: Request, csrf_token: Annotated[str, Form(max_length=200)] = ""):
    auth.check_csrf(request, csrf_token)
    auth.log_out(request)
    return RedirectResponse("/login" if request.app.state.require_login else "/",
                            status_code=303)


Admin = Annotated[User, Depends(auth.require_role("admin"))]


@router.get("/admin/users", response_class=HTMLResponse)
def users_page(request: Request, admin: Admin):
    return _users_page(request, None)


def _users_page(request: Request, message: str | None, status_code: int = 200) -> HTMLResponse:
    """Users with their state, and every API token (never the token itself) with its state."""
    accounts = Accounts(request.app.state.store)
    return render(request, "users.html", status_code=status_code, users=accounts.all(),
                  tokens=accounts.all_tokens(), roles=auth.ROLES, message=message)


AdminForm = Annotated[str, Form(max_length=200)]


@router.post("/admin/users", response_class=HTMLResponse)
def add_user(
    request: Request,
    admin: Admin,
    name: Annotated[str, Form(max_length=100)],
    role: Annotated[str, Form(max_length=20)],
    password: Annotated[str, Form(max_length=1000)],
    csrf_token: AdminForm = "",
):
    auth.check_csrf(request, csrf_token)
    try:
        auth.add_user(request.app.state.store, name, role, password)
    except (ValueError, UserExists) as error:
        return _users_page(request, str(error), 400)
    return _users_page(request, f"Added {name.strip()} ({role}).")


def _admin_action(request: Request, csrf_token: str, act: Callable[[Store], str]) -> HTMLResponse:
    """One button of the admin page: CSRF checked, ``act`` run, its message shown (404 when
    the user or token it names does not exist)."""
    auth.check_csrf(request, csrf_token)
    try:
        return _users_page(request, act(request.app.state.store))
    except (UnknownUser, UnknownToken) as error:
        return _users_page(request, str(error), 404)


@router.post("/admin/users/{name:path}/disable", response_class=HTMLResponse)
def disable_user(request: Request, name: str, admin: Admin, csrf_token: AdminForm = ""):
    """Shut a user out (no login, tokens revoked); an admin cannot shut themselves out."""
    if name == admin.name:
        auth.check_csrf(request, csrf_token)
        return _users_page(request, "You cannot disable yourself: ask another admin.", 400)

    def act(store: Store) -> str:
        auth.disable_user(store, name)
        return f"Disabled {name}; their API tokens are revoked."

    return _admin_action(request, csrf_token, act)


@router.post("/admin/users/{name:path}/enable", response_class=HTMLResponse)
def enable_user(request: Request, name: str, admin: Admin, csrf_token: AdminForm = ""):
    def act(store: Store) -> str:
        Accounts(store).enable(name)
        return f"Enabled {name}; their old API tokens stay revoked."

    return _admin_action(request, csrf_token, act)


@router.post("/admin/tokens/{token_id}/revoke", response_class=HTMLResponse)
def revoke_token(request: Request, token_id: int, admin: Admin, csrf_token: AdminForm = ""):
    def act(store: Store) -> str:
        token = auth.revoke_token(store, token_id)
        return f"Revoked token {token.id} of {token.user_name}."

    return _admin_action(request, csrf_token, act)

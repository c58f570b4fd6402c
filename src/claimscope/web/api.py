"""``/api/v1``: the JSON twins of the pages, built by the same data functions.

Reads only for now (verdicts, the first writes, come with propositions). Every list has the
ledger's filters and cursor pagination: pass a page's ``next_cursor`` back as ``cursor``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Request

from claimscope.corpus.verdicts import claim_propositions, outlet_verdict_record
from claimscope.store import DocumentFilter, LedgerFilter, LedgerViews
from claimscope.store.views import DEFAULT_PAGE_SIZE
from claimscope.web import models
from claimscope.web.auth import require_reader
from claimscope.web.params import (
    Cursor, Limit, document_filter, ledger_filter, outlet_claims_filter,
)

ERRORS = {
    400: {"model": models.Problem, "description": "A cursor this list did not hand out."},
    401: {"model": models.Problem, "description": "Login or token needed (server not on "
                                                  "loopback), or the token is unknown."},
    404: {"model": models.Problem, "description": "No such item."},
}

router = APIRouter(prefix="/api/v1", dependencies=[Depends(require_reader)], responses=ERRORS)


def views(request: Request) -> LedgerViews:
    return request.app.state.views


def _found(item: dict | None, what: str) -> dict:
    if item is None:
        raise HTTPException(404, f"no such {what}")
    return item


@router.get("/claims", response_model=models.ClaimPage, summary="Claims, filtered")
def list_claims(
    request: Request, filters: Annotated[LedgerFilter, Depends(ledger_filter)]
) -> dict:
    return views(request).claims_page(filters)


@router.get("/claims/{claim_id}", response_model=models.ClaimView, summary="One claim")
def get_claim(request: Request, claim_id: Annotated[str, Path(max_length=200)]) -> dict:
    found = _found(views(request).claim(claim_id), "claim")
    return {**found, "propositions": claim_propositions(request.app.state.store, claim_id)}


@router.get("/articles", response_model=models.ArticlePage, summary="Documents, filtered")
def list_articles(
    request: Request, filters: Annotated[DocumentFilter, Depends(document_filter)]
) -> dict:
    return views(request).documents_page(filters)


@router.get("/articles/{document_id}", response_model=models.ArticleView,
            summary="One document with its text and claims")
def get_article(request: Request, document_id: Annotated[str, Path(max_length=200)]) -> dict:
    return _found(views(request).document(document_id), "document")


@router.get("/outlets", response_model=models.OutletPage, summary="Outlets by claims")
def list_outlets(request: Request, cursor: Cursor = None,
                 limit: Limit = DEFAULT_PAGE_SIZE) -> dict:
    return views(request).outlets_page(cursor, limit)


@router.get("/outlets/{name:path}", response_model=models.OutletView,
            summary="One outlet's figures and its claims")
def get_outlet(
    request: Request,
    name: Annotated[str, Path(max_length=500)],
    filters: Annotated[LedgerFilter, Depends(outlet_claims_filter)],
) -> dict:
    found = _found(views(request).outlet(name, filters), "outlet")
    record = outlet_verdict_record(request.app.state.store, found["outlet"]["name"])
    return {**found, "verdicts": record}

"""``/api/v1`` for the verification desk: propositions, verdicts (the API's one write) and
ClaimReview, built by the same data functions as the pages (:mod:`claimscope.corpus.verdicts`).

A verdict is set with ``POST /api/v1/verdicts`` and an API token of an analyst or admin: a
browser session is not enough for the API (its forms have CSRF tokens, the API does not), so a
page cannot be made to post a verdict on a visitor's behalf.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request

from claimscope.corpus.verdicts import (
    JUDGING_ROLE,
    proposition_list,
    proposition_view,
    set_verdict,
    verdict_table,
)
from claimscope.exchange.claimreview import export_claimreview
from claimscope.store import User
from claimscope.store.verdicts import InvalidVerdict, UnknownProposition
from claimscope.web import auth, models, verdict_models
from claimscope.web.api import ERRORS
from claimscope.web.params import Cursor, Limit, PropositionSort, VerdictChoice

router = APIRouter(prefix="/api/v1", dependencies=[Depends(auth.require_reader)],
                   responses=ERRORS)
WRITE_ERRORS = {
    403: {"model": models.Problem, "description": "The token's user is below analyst."},
    422: {"model": models.Problem, "description": "The verdict cannot be recorded "
                                                          "as given (e.g. a non-http link)."},
}


@router.get("/propositions", response_model=verdict_models.PropositionPage,
            summary="Propositions with their current verdicts, sorted")
def list_propositions(request: Request, sort: PropositionSort = "independent-origins",
                      verdict: VerdictChoice = None, cursor: Cursor = None,
                      limit: Limit = 50) -> dict:
    return proposition_list(request.app.state.store, sort, verdict, cursor, limit)


@router.get("/propositions/{proposition_id}", response_model=verdict_models.PropositionView,
            summary="One proposition: claims, republication, origins, contradictions, "
                    "timeline, verdict and history")
def get_proposition(request: Request,
                    proposition_id: Annotated[str, Path(max_length=64)]) -> dict:
    found = proposition_view(request.app.state.store, proposition_id)
    if found is None:
        raise HTTPException(404, "no such proposition")
    return found


@router.get("/verdicts", response_model=verdict_models.VerdictTable,
            summary="The current verdict of every judged proposition")
def list_verdicts(request: Request) -> dict:
    return verdict_table(request.app.state.store)


def token_analyst(request: Request,
                  user: Annotated[User, Depends(auth.require_role(JUDGING_ROLE))]) -> User:
    """The analyst (or admin) behind an API token; a session cookie does not write."""
    if not getattr(request.state, "via_token", False):
        raise HTTPException(401, "send an API token to set a verdict",
                            {"WWW-Authenticate": "Bearer"})
    return user


@router.post("/verdicts", response_model=verdict_models.Verdict, status_code=201,
             responses=WRITE_ERRORS, summary="Set a proposition's verdict (token, analyst+)")
def post_verdict(request: Request, body: verdict_models.NewVerdict,
                 user: Annotated[User, Depends(token_analyst)]) -> dict:
    try:
        return set_verdict(request.app.state.store, body.proposition_id, body.verdict,
                           body.rationale, body.evidence, user)
    except UnknownProposition as error:
        raise HTTPException(404, str(error)) from error
    except InvalidVerdict as error:
        raise HTTPException(422, str(error)) from error


@router.get("/claimreview", response_model=list[verdict_models.ClaimReview],
            summary="Current verdicts as schema.org ClaimReview JSON-LD")
def claimreview(request: Request,
                proposition: Annotated[str | None, Query(max_length=64, description=(
                    "Only this proposition's review."))] = None) -> list[dict]:
    ids = [proposition] if proposition else None
    return export_claimreview(request.app.state.store, ids=ids)

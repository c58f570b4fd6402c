"""The verification desk's pages: propositions, one proposition (with its timeline, verdict
history and the form to judge it), each calling the data function of its ``/api/v1`` twin."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from claimscope.corpus.verdicts import (
    JUDGING_ROLE,
    SORTS,
    proposition_list,
    proposition_view,
    set_verdict,
)
from claimscope.store import User
from claimscope.store.schema import VERDICTS
from claimscope.store.verdicts import (
    MAX_EVIDENCE,
    MAX_RATIONALE,
    InvalidVerdict,
    UnknownProposition,
)
from claimscope.web import auth
from claimscope.web.pages import _twin, render
from claimscope.web.params import Cursor, Limit, PropositionSort, VerdictChoice

router = APIRouter(dependencies=[Depends(auth.require_reader)], include_in_schema=False)


@router.get("/propositions", response_class=HTMLResponse)
def propositions_page(request: Request, sort: PropositionSort = "independent-origins",
                      verdict: VerdictChoice = None, cursor: Cursor = None,
                      limit: Limit = 50):
    page = proposition_list(request.app.state.store, sort, verdict, cursor, limit)
    params = {k: v for k, v in (("sort", sort), ("verdict", verdict)) if v}
    return render(request, "propositions.html", page=page, sorts=SORTS,
                  verdicts=VERDICTS, verdict=verdict,
                  twin=_twin("/api/v1/propositions",
                             {**params, **({"cursor": cursor} if cursor else {})}))


def _proposition(request: Request, proposition_id: str, status_code: int = 200,
                 problem: str | None = None, form: dict | None = None) -> HTMLResponse:
    view = proposition_view(request.app.state.store, proposition_id)
    if view is None:
        raise HTTPException(404, "no such proposition")
    pid = quote(proposition_id, safe="")
    return render(request, "proposition.html", status_code=status_code, view=view,
                  problem=problem, form=form or {}, judging_role=JUDGING_ROLE,
                  max_evidence=MAX_EVIDENCE, twin=f"/api/v1/propositions/{pid}",
                  claimreview=f"/api/v1/claimreview?proposition={pid}")


@router.get("/propositions/{proposition_id}", response_class=HTMLResponse)
def proposition_page(request: Request, proposition_id: str):
    return _proposition(request, proposition_id)


@router.post("/propositions/{proposition_id}/verdict", response_class=HTMLResponse)
def judge(
    request: Request,
    proposition_id: str,
    user: Annotated[User, Depends(auth.require_role(JUDGING_ROLE))],
    verdict: Annotated[str, Form(max_length=20)],
    rationale: Annotated[str, Form(max_length=MAX_RATIONALE)],
    evidence: Annotated[str, Form(max_length=MAX_EVIDENCE * 2100)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
):
    """Set the verdict from the page's form: one evidence link per line."""
    auth.check_csrf(request, csrf_token)
    links = [line.strip() for line in evidence.splitlines() if line.strip()]
    try:
        set_verdict(request.app.state.store, proposition_id, verdict, rationale, links, user)
    except UnknownProposition as error:
        raise HTTPException(404, "no such proposition") from error
    except InvalidVerdict as error:
        form = {"verdict": verdict, "rationale": rationale, "evidence": evidence}
        return _proposition(request, proposition_id, 400, str(error), form)
    target = f"/propositions/{quote(proposition_id, safe='')}#history"
    return RedirectResponse(target, status_code=303)

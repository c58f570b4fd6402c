"""The verification desk's data: propositions with their verdicts, history and evidence.

One function per page or command, each returning JSON-ready dicts that the web page, its
``/api/v1`` twin and the CLI all format (STYLE.md: compute once, render twice):

- :func:`proposition_list` — propositions with their counts and current verdict, sorted;
- :func:`proposition_view` — one proposition: every claim asserting or denying it, the
  republication tree of its documents, its independent origins, contradictions with their
  reasons, its timeline, the places its claims name, the verdict and its full history,
  imported fact-checks;
- :func:`set_verdict`, :func:`verdict_table`, :func:`verdict_history` — judging;
- :func:`claim_propositions`, :func:`outlet_verdict_record` — what the claim and outlet pages
  show of verdicts.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timezone
from typing import Any

from claimscope.corpus.corroboration import SORTS, figures, proposition_table
from claimscope.corpus.groups import copy_groups
from claimscope.store import PropositionLedger, Store, User
from claimscope.store.cursors import InvalidCursor, decode, pack
from claimscope.store.figures import FigureLedger, PropositionFigures
from claimscope.store.schema import VERDICTS
from claimscope.store.verdicts import InvalidVerdict, Verdict, VerdictLedger

DEFAULT_PAGE_SIZE = 50
JUDGING_ROLE = "analyst"
"""Analysts and admins set verdicts; viewers read them."""


def proposition_list(store: Store, sort: str = "independent-origins", verdict: str | None = None,
                     cursor: str | None = None, limit: int = DEFAULT_PAGE_SIZE) -> dict:
    """One page of propositions (largest first by ``sort``, one of SORTS), each with its
    counts and current verdict; ``verdict`` keeps those whose current verdict it is
    (``none``: not judged yet). Filtered, sorted and cut in SQL on the stored figures."""
    if sort not in SORTS:
        raise ValueError(f"sort must be one of {', '.join(SORTS)}")
    (offset,) = decode(cursor, f"propositions:{sort}", 1) if cursor else (0,)
    if not isinstance(offset, int) or offset < 0:
        raise InvalidCursor("not a cursor of this list")
    current = VerdictLedger(store).current()
    ids = None if verdict is None else [
        pid for pid, v in current.items() if verdict == "none" or v.verdict == verdict]
    page, count = FigureLedger(store).page(sort, limit, offset, ids, exclude=verdict == "none")
    # Propositions without figures yet (a ledger upgraded to 0008 but not linked since): live.
    live = {p["id"]: figures(p) for p in proposition_table(
        store, ids=[r.id for r in page if r.proposition_id is None])} if any(
        r.proposition_id is None for r in page) else {}
    shown = [_brief(r.id, r.statement, live.get(r.id) or _stored(r), current.get(r.id))
             for r in page]
    more = offset + limit < count
    return {
        "propositions": shown,
        "count": count,
        "next_cursor": pack(f"propositions:{sort}", [offset + limit]) if more else None,
        "limit": limit,
        "sort": sort,
        "filters": {k: v for k, v in (("verdict", verdict),) if v is not None},
    }


def _stored(row: Any) -> PropositionFigures:
    return PropositionFigures(**{f: getattr(row, f) for f in PropositionFigures.__annotations__})


def _brief(pid: str, statement: str, f: PropositionFigures, verdict: Verdict | None) -> dict:
    return {
        "id": pid, "statement": statement, "claims": f.claims, "documents": f.documents,
        "outlets": list(f.outlets), "independent_origins": f.independent_origins,
        "echo_ratio": f.echo_ratio, "origin_order": f.origin_order,
        "contradictions": f.contradictions, "denied_by": f.denied_by,
        "verdict": verdict.verdict if verdict else None,
    }


def proposition_view(store: Store, proposition_id: str) -> dict | None:
    """Everything the proposition page shows (module docstring), or None if there is no
    such proposition."""
    found = proposition_table(store, ids=[proposition_id])
    if not found:
        return None
    proposition = found[0]
    ledger = VerdictLedger(store)
    history = ledger.history(proposition_id)
    members = {m["claim"]: m for m in proposition["members"]}
    documents = ledger.document_refs(proposition["documents"])
    others = PropositionLedger(store).claims(
        {c for x in proposition["contradictions"] for c in (x["claim_a"], x["claim_b"])}
        - set(members))
    brief = {**members, **{cid: {"claim": cid, "speaker": c.speaker_name,
                                 "content": c.content, "document": c.document_id,
                                 "outlet": c.outlet, "stance": None}
                           for cid, c in others.items()}}
    groups = [g.as_dict() for g in copy_groups(store)
              if any(d.id in documents for d in g.documents)]
    return {
        "proposition": proposition,
        "verdict": history[-1].as_dict() if history else None,
        "history": [v.as_dict() for v in reversed(history)],
        "documents": [_document(documents[d]) for d in proposition["documents"]
                      if d in documents],
        "republication": groups,
        "contradictions": [
            {**c, "a": brief.get(c["claim_a"]), "b": brief.get(c["claim_b"])}
            for c in proposition["contradictions"]
        ],
        "timeline": timeline(proposition["members"]),
        "places": ledger.places_named(members),
        "fact_checks": [f.as_dict() for f in ledger.fact_checks(proposition_id)],
        "verdicts": list(VERDICTS),
    }


def _document(row: dict) -> dict:
    when = row["published_at"]
    return {**row, "published_at": when.isoformat() if when else None}


def timeline(members: list[dict]) -> dict:
    """Who said it when: the member claims by their documents' publication time; claims in
    undated documents apart (claimscope never places them by when it read them)."""
    entries = [{k: m[k] for k in ("claim", "speaker", "speaker_kind", "outlet", "published_at",
                                  "stance", "tier", "document", "document_label")}
               for m in members]
    dated = sorted((e for e in entries if e["published_at"]),
                   key=lambda e: _utc(e["published_at"]))
    return {"dated": dated, "undated": [e for e in entries if not e["published_at"]]}


def _utc(iso: str) -> datetime:
    value = datetime.fromisoformat(iso)
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


# -- judging -----------------------------------------------------------------------------


def set_verdict(store: Store, proposition_id: str, verdict: str, rationale: str,
                evidence: list[str], by: User, when: datetime | None = None) -> dict:
    """Record ``by``'s verdict on a proposition (InvalidVerdict below the analyst role)."""
    if not by.may(JUDGING_ROLE):
        raise InvalidVerdict(f"{by.name} is a {by.role}: setting a verdict needs the "
                             f"{JUDGING_ROLE} role")
    recorded = VerdictLedger(store).record(proposition_id, verdict, rationale, evidence,
                                           by.name, when or datetime.now(timezone.utc))
    return recorded.as_dict()


def verdict_table(store: Store) -> dict:
    """Every judged proposition's current verdict (with its statement now and the number of
    changes), and the verdicts whose proposition no re-link kept (``unattached``)."""
    ledger = VerdictLedger(store)
    current = ledger.current()
    statements = {r.id: r.statement for r in PropositionLedger(store).proposition_rows(
        list(current))} if current else {}
    rows = [{**v.as_dict(), "proposition_id": pid, "judged_as": v.proposition_id,
             "statement": statements.get(pid, v.statement),
             "changes": len(ledger.history(pid))}
            for pid, v in current.items()]
    rows.sort(key=lambda r: r["judged_at"], reverse=True)
    return {"verdicts": rows, "unattached": [v.as_dict() for v in ledger.unattached()]}


def verdict_history(store: Store, proposition_id: str) -> list[dict]:
    """Every verdict of a proposition, oldest first."""
    return [v.as_dict() for v in VerdictLedger(store).history(proposition_id)]


def claim_propositions(store: Store, claim_id: str) -> list[dict]:
    """The propositions a claim belongs to, with its tier and stance and their verdicts."""
    ledger = PropositionLedger(store)
    held = ledger.memberships([claim_id]).get(claim_id, [])
    if not held:
        return []
    statements = {r.id: r.statement for r in ledger.proposition_rows(
        [m.proposition_id for m in held])}
    current = VerdictLedger(store).current(statements)
    return [{"id": m.proposition_id, "statement": statements.get(m.proposition_id, ""),
             "tier": m.tier, "stance": m.stance,
             "verdict": current[m.proposition_id].verdict if m.proposition_id in current
             else None}
            for m in held]


def outlet_verdict_record(store: Store, outlet: str) -> dict:
    """The verdicts on the propositions that an outlet's claims belong to."""
    ledger = VerdictLedger(store)
    ids = ledger.propositions_of_outlet(outlet)
    current = ledger.current(ids)
    counts = Counter(v.verdict for v in current.values())
    return {
        "propositions": len(ids),
        "judged": len(current),
        "by_verdict": {v: counts[v] for v in VERDICTS if counts[v]},
        "judged_propositions": [{"id": pid, "statement": v.statement, "verdict": v.verdict}
                                for pid, v in current.items()],
    }


__all__ = [
    "JUDGING_ROLE", "SORTS", "claim_propositions", "outlet_verdict_record", "proposition_list",
    "proposition_view", "set_verdict", "timeline", "verdict_history", "verdict_table",
]

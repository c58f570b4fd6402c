"""Corroboration counted: each proposition's claims, documents, outlets and independent origins.

An **independent origin** is a distinct original speaker of the claims that assert the
proposition (members with stance ``denies`` are not counted; they are listed):

- a claim relayed through outlets counts its original speaker, not the relays;
- a speaker that the outlet registry knows counts under its independence key (outlets of one
  network, or else one owner, are one voice: RIA Novosti and Sputnik count once);
- a claim in the article's own voice counts its document's outlet, or, when the document is
  in a copy group, the group (copies of one article are one voice, whoever republished them);
  without an outlet, the document (or its copy group) itself;
- an anonymous or vague speaker ("a source", "analysts") counts once per document (per copy
  group): two unnamed sources in two unrelated articles cannot be told apart or joined.

The **echo ratio** is documents per independent origin. The **order** of the origins is
``published`` when every origin has a dated document (each origin ordered by its earliest),
else ``unknown``: claimscope never ranks origins by the order it happened to read them.

The figures the lists show and sort by (:func:`figures`) are counted here only: linking stores
them for the propositions it touched (:func:`refresh_figures`), and :func:`proposition_table`
orders and cuts by the stored figures in SQL before summarising the propositions it returns.

``trace`` follows one claim: its origin, the copy group of its document (with dates and
outlets), the propositions it belongs to with their other independent origins, and the
contradictions it takes part in.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timezone

from claimscope.corpus.groups import copy_groups
from claimscope.corpus.origins import CopyGroup
from claimscope.records import document_label
from claimscope.registry import independence_key, normalize_name, outlet_index
from claimscope.store import Store
from claimscope.store.figures import FigureLedger, PropositionFigures
from claimscope.store.propositions import LinkClaim, Membership, PropositionLedger

SORTS = ("independent-origins", "echo-ratio", "contradictions", "claims")
UNNAMED_KINDS = ("anonymous", "vague")


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _group_of(groups: list[CopyGroup]) -> dict[str, str]:
    """Document id → its copy group's name (the origin, else the document seen first)."""
    return {d.id: group.origin or group.first_seen for group in groups for d in group.documents}


def origin_of(claim: LinkClaim, group_of: dict[str, str]) -> tuple[str, str]:
    """(independence key, who) of a claim's original speaker (module docstring)."""
    scope = group_of.get(claim.document_id)
    index = outlet_index()
    if claim.speaker_kind == "author":
        if scope is not None:
            return f"copies:{scope}", f"{claim.outlet or 'author'} (copy group {scope})"
        if claim.outlet:
            return f"voice:{independence_key(claim.outlet, index)}", claim.outlet
        return f"document:{claim.document_id}", f"author of {document_label(claim.title, claim.source)}"
    if claim.speaker_kind in UNNAMED_KINDS:
        where = scope or claim.document_id
        return (f"{claim.speaker_kind}:{normalize_name(claim.speaker_name)}@{where}",
                f"{claim.speaker_name} ({claim.speaker_kind}, {document_label(claim.title, claim.source)})")
    return f"voice:{independence_key(claim.speaker_name, index)}", claim.speaker_name


def _time_key(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def summarize(
    proposition: object, members: list[Membership], claims: dict[str, LinkClaim],
    group_of: dict[str, str], contradictions: list,
) -> dict:
    """One proposition as a JSON-ready dict (the shape of ``propositions --json``)."""
    asserting = [m for m in members if m.stance == "asserts"]
    origins: dict[str, dict] = {}
    for m in asserting:
        claim = claims[m.claim_id]
        key, who = origin_of(claim, group_of)
        entry = origins.setdefault(key, {"key": key, "speaker": who, "claims": [],
                                         "documents": [], "tier": m.tier,
                                         "first_published": None})
        entry["claims"].append(claim.id)
        if claim.document_id not in entry["documents"]:
            entry["documents"].append(claim.document_id)
        if m.tier == "confirmed":
            entry["tier"] = "confirmed"
        if claim.published_at is not None and (
            entry["first_published"] is None
            or _time_key(claim.published_at) < _time_key(entry["first_published"])
        ):
            entry["first_published"] = claim.published_at
    ordered = "published" if origins and all(o["first_published"] for o in origins.values()) \
        else "unknown"
    origin_list = list(origins.values())
    if ordered == "published":
        origin_list.sort(key=lambda o: _time_key(o["first_published"]))
    for entry in origin_list:
        entry["first_published"] = _iso(entry["first_published"])
    documents = list(dict.fromkeys(claims[m.claim_id].document_id for m in members))
    outlets = sorted({claims[m.claim_id].outlet for m in members if claims[m.claim_id].outlet})
    member_ids = {m.claim_id for m in members}
    related = [c for c in contradictions if c.claim_a in member_ids or c.claim_b in member_ids]
    count = len(origins)
    return {
        "id": proposition.id,  # type: ignore[attr-defined]
        "statement": proposition.statement,  # type: ignore[attr-defined]
        "anchor": proposition.anchor_claim_id,  # type: ignore[attr-defined]
        "claims": [m.claim_id for m in members],
        "members": [_member(m, claims[m.claim_id], group_of) for m in members],
        "documents": documents,
        "outlets": outlets,
        "independent_origins": count,
        "origins": origin_list,
        "origin_order": ordered,
        "echo_ratio": round(len(documents) / count, 3) if count else None,
        "denied_by": [m.claim_id for m in members if m.stance == "denies"],
        "contradictions": [
            {"claim_a": c.claim_a, "claim_b": c.claim_b, "kind": c.kind, "reason": c.reason,
             "same_document": c.same_document}
            for c in related
        ],
    }


def _member(m: Membership, claim: LinkClaim, group_of: dict[str, str]) -> dict:
    return {
        "claim": m.claim_id, "tier": m.tier, "stance": m.stance, "score": m.score,
        "via": m.via, "speaker": claim.speaker_name, "speaker_kind": claim.speaker_kind,
        "relayed_via": list(claim.relays), "content": claim.content,
        "document": claim.document_id, "document_label": document_label(claim.title, claim.source),
        "outlet": claim.outlet, "published_at": _iso(claim.published_at),
        "origin": origin_of(claim, group_of)[0], "evidence": m.evidence,
    }


def proposition_table(store: Store, sort: str = "independent-origins",
                      ids: Iterable[str] | None = None, limit: int | None = None) -> list[dict]:
    """Every proposition (or those of ``ids``; at most ``limit``) summarised, largest first by
    ``sort`` (one of SORTS): ordered and cut by their stored figures, then summarised live."""
    if sort not in SORTS:
        raise ValueError(f"sort must be one of {', '.join(SORTS)}")
    page, _ = FigureLedger(store).page(sort, limit, ids=list(ids) if ids is not None else None)
    order = {row.id: i for i, row in enumerate(page)}
    found = _summaries(store, PropositionLedger(store).proposition_rows(list(order)))
    return sorted(found, key=lambda p: order[p["id"]])


def _summaries(store: Store, rows: list, groups: list[CopyGroup] | None = None) -> list[dict]:
    """These proposition rows summarised (:func:`summarize`), in the order given."""
    if not rows:
        return []
    ledger = PropositionLedger(store)
    members = ledger.member_rows([r.id for r in rows])
    by_proposition: dict[str, list[Membership]] = {}
    for m in members:
        by_proposition.setdefault(m.proposition_id, []).append(m)
    claims = ledger.claims(m.claim_id for m in members)
    contradictions = ledger.contradiction_rows(claims)
    group_of = _group_of(copy_groups(store) if groups is None else groups)
    return [summarize(row, by_proposition.get(row.id, []), claims, group_of, contradictions)
            for row in rows]


def figures(summary: dict) -> PropositionFigures:
    """What the lists show and sort by, taken from a proposition's summary."""
    return PropositionFigures(
        proposition_id=summary["id"], claims=len(summary["claims"]),
        documents=len(summary["documents"]), outlets=summary["outlets"],
        independent_origins=summary["independent_origins"], echo_ratio=summary["echo_ratio"],
        origin_order=summary["origin_order"], contradictions=len(summary["contradictions"]),
        denied_by=len(summary["denied_by"]))


def refresh_figures(store: Store, touched: Iterable[str] = ()) -> int:
    """Count and store the figures of the propositions ``touched`` by a linking run and of
    those whose stored figures are stale (:mod:`claimscope.store.figures`); how many."""
    ledger = FigureLedger(store)
    stale = ledger.stale_copies()
    wanted = set(touched) | set(ledger.missing())
    groups = copy_groups(store)
    if stale.every:
        wanted = {row.id for row in PropositionLedger(store).proposition_rows()}
    elif stale.documents:
        moved = {d.id for g in groups if any(d.id in stale.documents for d in g.documents)
                 for d in g.documents}
        wanted |= ledger.of_documents(moved | stale.documents)
    if not wanted:
        return 0
    rows = PropositionLedger(store).proposition_rows(sorted(wanted))
    found = [figures(s) for s in _summaries(store, rows, groups)]
    ledger.save(found, stale.latest, datetime.now(timezone.utc))
    return len(found)


def trace(store: Store, claim_id: str) -> dict | None:
    """One claim's provenance (module docstring), or None if no claim has that id."""
    ledger = PropositionLedger(store)
    claim = ledger.claims([claim_id]).get(claim_id)
    if claim is None:
        return None
    groups = copy_groups(store)
    group_of = _group_of(groups)
    key, who = origin_of(claim, group_of)
    group = next((g for g in groups if any(d.id == claim.document_id for d in g.documents)), None)
    held = ledger.memberships([claim_id]).get(claim_id, [])
    propositions = proposition_table(store, ids=[m.proposition_id for m in held]) if held else []
    for proposition in propositions:
        proposition["membership"] = next(
            {"tier": m.tier, "stance": m.stance, "score": m.score, "via": m.via}
            for m in held if m.proposition_id == proposition["id"])
        proposition["corroborating_origins"] = [
            o for o in proposition["origins"] if o["key"] != key]
    contradictions = ledger.contradiction_rows([claim_id])
    others = ledger.claims({c.claim_a for c in contradictions} | {c.claim_b for c in contradictions})
    return {
        "claim": {
            "id": claim.id, "speaker": claim.speaker_name, "speaker_kind": claim.speaker_kind,
            "cue_class": claim.cue_class, "content": claim.content,
            "polarity": claim.polarity, "certainty": claim.certainty,
            "relayed_via": list(claim.relays), "document": claim.document_id,
            "document_label": document_label(claim.title, claim.source), "outlet": claim.outlet,
            "published_at": _iso(claim.published_at),
        },
        "origin": {"key": key, "speaker": who, "relayed_via": list(claim.relays)},
        "republication": group.as_dict() if group else {
            "order": None, "origin": claim.document_id, "documents": [], "links": [],
            "reason": "no copy links: this document is neither a copy nor copied",
        },
        "propositions": propositions,
        "contradictions": [
            {"claim_a": c.claim_a, "claim_b": c.claim_b, "kind": c.kind, "reason": c.reason,
             "same_document": c.same_document,
             "other": _brief(others.get(c.claim_b if c.claim_a == claim_id else c.claim_a))}
            for c in contradictions
        ],
    }


def _brief(claim: LinkClaim | None) -> dict | None:
    if claim is None:
        return None
    return {"id": claim.id, "speaker": claim.speaker_name, "content": claim.content,
            "document": claim.document_id, "document_label": document_label(claim.title, claim.source),
            "outlet": claim.outlet, "published_at": _iso(claim.published_at)}

"""Verdicts on propositions, kept as an audit trail, and fact-checks imported from elsewhere.

A verdict is never updated or deleted: each change is a new row holding who, when, the old
verdict and the new one, the rationale and the evidence links; the current verdict of a
proposition is its latest row. Writes go through the Store's one writer, like every write.

Propositions are rebuilt when claims are linked again (``claimscope link`` after the linking
method changed): their ids are derived from their anchor claims, so they usually come back
the same, but a verdict must not depend on it. Each row therefore records what was judged
(the statement and the member claims), and a verdict whose proposition id is gone *follows
its claims*: it belongs to the proposition now holding most of them (at least
:data:`CARRY_OVER_SHARE` of them; the same statement breaks ties). Nothing is rewritten for
this: it is worked out when verdicts are read, so a later re-link is followed again.

    ledger = VerdictLedger(store)
    ledger.record("5227b5b7529a39db", "false", "…", ["https://…"], "ana", now)
    ledger.current()            # {proposition id: its latest Verdict}
    ledger.history(pid)         # every Verdict of that proposition, oldest first
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import ColumnElement, Connection, func, insert, select

from claimscope.errors import StoreError
from claimscope.store.schema import (
    VERDICTS,
    claim_places,
    claims,
    documents,
    fact_checks,
    proposition_members,
    propositions,
    verdicts,
)
from claimscope.store.store import Store

CARRY_OVER_SHARE = 0.5
"""A verdict whose proposition is gone follows to the proposition holding at least this share
of the claims it judged."""
MAX_RATIONALE = 10_000
MAX_EVIDENCE = 20
MAX_URL = 2_000
_CHUNK = 500


class InvalidVerdict(StoreError):
    """A verdict that cannot be recorded as given (unknown value, no rationale, a bad link)."""


class UnknownProposition(StoreError):
    """No proposition has that id."""


@dataclass(frozen=True)
class Verdict:
    """One change of a proposition's verdict: ``previous`` → ``verdict``, by whom, when."""

    id: int
    proposition_id: str
    """The proposition as judged (see the module docstring for re-linked propositions)."""
    verdict: str
    previous: str | None
    rationale: str
    evidence: tuple[str, ...]
    judged_by: str
    judged_at: datetime
    statement: str
    claim_ids: tuple[str, ...]

    def as_dict(self) -> dict:
        return {
            "id": self.id, "proposition_id": self.proposition_id, "verdict": self.verdict,
            "previous": self.previous, "rationale": self.rationale,
            "evidence": list(self.evidence), "judged_by": self.judged_by,
            "judged_at": self.judged_at.isoformat(), "statement": self.statement,
            "claim_ids": list(self.claim_ids),
        }


@dataclass(frozen=True)
class FactCheck:
    """A ClaimReview read from another fact-checker, with the proposition it matched."""

    sha256: str
    source: str
    claim_reviewed: str
    review: dict
    url: str | None = None
    rating: str | None = None
    author: str | None = None
    date_published: str | None = None
    proposition_id: str | None = None
    score: float | None = None
    """The match score with the best proposition (``proposition_id`` only when it links)."""
    imported_at: datetime | None = None

    def as_dict(self) -> dict:
        return {
            "sha256": self.sha256, "source": self.source, "url": self.url,
            "claim_reviewed": self.claim_reviewed, "rating": self.rating,
            "author": self.author, "date_published": self.date_published,
            "proposition_id": self.proposition_id, "score": self.score,
            "imported_at": self.imported_at.isoformat() if self.imported_at else None,
        }


def check_evidence(links: Iterable[str]) -> tuple[str, ...]:
    """The evidence links, stripped and de-duplicated; InvalidVerdict unless each is http(s)."""
    found = tuple(dict.fromkeys(link.strip() for link in links if link and link.strip()))
    if len(found) > MAX_EVIDENCE:
        raise InvalidVerdict(f"at most {MAX_EVIDENCE} evidence links")
    for link in found:
        try:
            parts = urlsplit(link)
        except ValueError:
            parts = None
        if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.netloc \
                or len(link) > MAX_URL or any(ch.isspace() for ch in link):
            raise InvalidVerdict(f"an evidence link must be an http(s) URL: {link[:80]!r}")
    return found


class VerdictLedger:
    """Reads and writes of verdicts and imported fact-checks, on the Store's database."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def record(self, proposition_id: str, verdict: str, rationale: str,
               evidence: Iterable[str], judged_by: str, when: datetime) -> Verdict:
        """Append a verdict on a proposition and return it.

        Recording again exactly what is current (verdict, rationale and evidence) adds
        nothing and returns the current row, so a re-run script is idempotent.
        """
        if verdict not in VERDICTS:
            raise InvalidVerdict(f"a verdict is one of {', '.join(VERDICTS)}, not {verdict!r}")
        rationale = (rationale or "").strip()
        if not rationale:
            raise InvalidVerdict("a verdict needs a rationale")
        if len(rationale) > MAX_RATIONALE:
            raise InvalidVerdict(f"a rationale has at most {MAX_RATIONALE} characters")
        links = check_evidence(evidence)
        if not judged_by.strip():
            raise InvalidVerdict("a verdict needs the name of who set it")
        found: list[Verdict] = []

        def run(connection: Connection) -> None:
            row = connection.execute(
                select(propositions.c.statement).where(propositions.c.id == proposition_id)
            ).first()
            if row is None:
                raise UnknownProposition(f"no proposition with id {proposition_id!r}")
            current = _chains(connection).get(proposition_id, [])
            last = current[-1] if current else None
            if last and (last.verdict, last.rationale, last.evidence) == (
                    verdict, rationale, links):
                found.append(last)
                return
            members = connection.execute(
                select(proposition_members.c.claim_id)
                .where(proposition_members.c.proposition_id == proposition_id)
                .order_by(proposition_members.c.claim_id)
            ).scalars().all()
            values = dict(
                proposition_id=proposition_id, verdict=verdict,
                previous=last.verdict if last else None, rationale=rationale,
                evidence=list(links), judged_by=judged_by.strip(), judged_at=when,
                statement=row.statement, claim_ids=list(members),
            )
            new_id = connection.execute(insert(verdicts).values(**values)).inserted_primary_key
            found.append(_verdict_of(dict(values, id=new_id[0])))

        self._store.write(run)
        return found[0]

    def history(self, proposition_id: str) -> list[Verdict]:
        """Every verdict of a proposition, oldest first (including those set on it before a
        re-link gave it a new id)."""
        return self._store.read(lambda connection: _chains(connection).get(proposition_id, []))

    def current(self, proposition_ids: Iterable[str] | None = None) -> dict[str, Verdict]:
        """Each judged proposition's latest verdict, by proposition id."""
        wanted = None if proposition_ids is None else set(proposition_ids)
        chains = self._store.read(_chains)
        return {pid: chain[-1] for pid, chain in chains.items()
                if wanted is None or pid in wanted}

    def unattached(self) -> list[Verdict]:
        """The latest verdict of each judged proposition that no longer exists and whose
        claims no proposition holds any more."""
        return [chain[-1] for pid, chain in self._store.read(_unattached).items()]

    def count(self) -> int:
        query = select(func.count()).select_from(verdicts)
        return int(self._store.read(lambda connection: connection.execute(query).scalar_one()))

    def document_refs(self, ids: Iterable[str]) -> dict[str, dict]:
        """Id, url, source, title, outlet and publication time of these documents."""
        ids = list(dict.fromkeys(ids))
        columns = (documents.c.id, documents.c.url, documents.c.source, documents.c.title,
                   documents.c.outlet, documents.c.published_at)

        def run(connection: Connection) -> dict[str, dict]:
            found = {}
            for start in range(0, len(ids), _CHUNK):
                query = select(*columns).where(documents.c.id.in_(ids[start:start + _CHUNK]))
                for row in connection.execute(query):
                    found[row.id] = {c.name: getattr(row, c.name) for c in columns}
            return found

        return self._store.read(run)

    def places_named(self, claim_ids: Iterable[str]) -> list[dict]:
        """The places named inside these claims' contents (what they assert, not the rest of
        their sentences), each once, with how many of the claims name it; most named first."""
        ids = list(dict.fromkeys(claim_ids))
        columns = (claim_places.c.name, claim_places.c.kind, claim_places.c.lat,
                   claim_places.c.lon, claim_places.c.country)

        def run(connection: Connection) -> list[dict]:
            naming: dict[tuple, set[str]] = defaultdict(set)
            for start in range(0, len(ids), _CHUNK):
                query = (select(claim_places.c.claim_id, *columns)
                         .join(claims, claims.c.id == claim_places.c.claim_id)
                         .where(claim_places.c.claim_id.in_(ids[start:start + _CHUNK]),
                                claim_places.c.start >= claims.c.content_start,
                                claim_places.c.end <= claims.c.content_end))
                for row in connection.execute(query):
                    naming[tuple(getattr(row, c.name) for c in columns)].add(row.claim_id)
            found = [{**{c.name: key[n] for n, c in enumerate(columns)}, "claims": len(named)}
                     for key, named in naming.items()]
            return sorted(found, key=lambda p: (-p["claims"], p["name"]))

        return self._store.read(run)

    def propositions_of_outlet(self, outlet: str) -> list[str]:
        """Ids of the propositions holding a claim of a document by ``outlet`` (any case)."""
        query = (
            select(proposition_members.c.proposition_id).distinct()
            .join(claims, claims.c.id == proposition_members.c.claim_id)
            .join(documents, documents.c.id == claims.c.document_id)
            .where(func.lower(documents.c.outlet) == outlet.lower())
            .order_by(proposition_members.c.proposition_id)
        )
        return self._store.read(lambda connection: list(connection.execute(query).scalars()))

    # -- imported fact-checks ------------------------------------------------------------

    def save_fact_checks(self, found: Iterable[FactCheck], when: datetime) -> int:
        """Store fact-checks not stored yet (by SHA-256) in one transaction; how many were new."""
        rows = [dict(sha256=f.sha256, source=f.source, url=f.url,
                     claim_reviewed=f.claim_reviewed, rating=f.rating, author=f.author,
                     date_published=f.date_published, review=f.review,
                     proposition_id=f.proposition_id, score=f.score, imported_at=when)
                for f in found]
        added = [0]

        def run(connection: Connection) -> None:
            known = set(connection.execute(select(fact_checks.c.sha256)).scalars())
            new = list({r["sha256"]: r for r in rows if r["sha256"] not in known}.values())
            if new:
                connection.execute(insert(fact_checks), new)
            added[0] = len(new)

        self._store.write(run)
        return added[0]

    def fact_checks(self, proposition_id: str | None = None) -> list[FactCheck]:
        """Imported fact-checks (those matched to one proposition), in import order."""
        query = select(fact_checks).order_by(fact_checks.c.id)
        if proposition_id is not None:
            query = query.where(fact_checks.c.proposition_id == proposition_id)
        return self._store.read(lambda connection: [
            FactCheck(r.sha256, r.source, r.claim_reviewed, r.review, r.url, r.rating, r.author,
                      r.date_published, r.proposition_id, r.score, r.imported_at)
            for r in connection.execute(query)
        ])


def judged_claims(connection: Connection, verdict: str) -> ColumnElement:
    """A condition on ``claims.c.id``: the claim is a member of a proposition whose current
    verdict is ``verdict`` (the ledger's verdict filter)."""
    pids = [pid for pid, chain in _chains(connection).items() if chain[-1].verdict == verdict]
    return claims.c.id.in_(
        select(proposition_members.c.claim_id)
        .where(proposition_members.c.proposition_id.in_(pids))
    )


def _verdict_of(row: Any) -> Verdict:
    get = row.get if isinstance(row, dict) else lambda name: getattr(row, name)
    return Verdict(
        id=get("id"), proposition_id=get("proposition_id"), verdict=get("verdict"),
        previous=get("previous"), rationale=get("rationale"),
        evidence=tuple(get("evidence") or ()), judged_by=get("judged_by"),
        judged_at=get("judged_at"), statement=get("statement"),
        claim_ids=tuple(get("claim_ids") or ()),
    )


def _judged(connection: Connection) -> dict[str, list[Verdict]]:
    """Every verdict row, grouped by the proposition id it was set on, oldest first."""
    found: dict[str, list[Verdict]] = defaultdict(list)
    for row in connection.execute(select(verdicts).order_by(verdicts.c.id)):
        found[row.proposition_id].append(_verdict_of(row))
    return found


def _follow(connection: Connection, judged: dict[str, list[Verdict]]
            ) -> tuple[dict[str, str], dict[str, list[Verdict]]]:
    """(judged id → the proposition that holds it now, the chains that follow to none)."""
    ids = list(judged)
    existing: set[str] = set()
    for start in range(0, len(ids), _CHUNK):
        existing.update(connection.execute(
            select(propositions.c.id).where(propositions.c.id.in_(ids[start:start + _CHUNK]))
        ).scalars())
    moved = {pid: pid for pid in existing}
    lost = {}
    for pid in (p for p in ids if p not in existing):
        target = _successor(connection, judged[pid][-1])
        if target is None:
            lost[pid] = judged[pid]
        else:
            moved[pid] = target
    return moved, lost


def _successor(connection: Connection, last: Verdict) -> str | None:
    """The proposition now holding most of the claims a verdict judged (module docstring)."""
    claim_ids = set(last.claim_ids)
    if not claim_ids:
        return None
    held: dict[str, int] = defaultdict(int)
    for pid in connection.execute(
        select(proposition_members.c.proposition_id)
        .where(proposition_members.c.claim_id.in_(sorted(claim_ids)))
    ).scalars():
        held[pid] += 1
    if not held:
        return None
    statements = dict(connection.execute(
        select(propositions.c.id, propositions.c.statement).where(propositions.c.id.in_(held))
    ).all())
    best = max(held, key=lambda pid: (held[pid], statements.get(pid) == last.statement, pid))
    return best if held[best] >= CARRY_OVER_SHARE * len(claim_ids) else None


def _chains(connection: Connection) -> dict[str, list[Verdict]]:
    """Current proposition id → every verdict that belongs to it, oldest first."""
    judged = _judged(connection)
    moved, _ = _follow(connection, judged)
    chains: dict[str, list[Verdict]] = defaultdict(list)
    for old, new in moved.items():
        chains[new] += judged[old]
    return {pid: sorted(chain, key=lambda v: v.id) for pid, chain in chains.items()}


def _unattached(connection: Connection) -> dict[str, list[Verdict]]:
    return _follow(connection, _judged(connection))[1]

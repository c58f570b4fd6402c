"""Propositions in the ledger: claim vectors, linking marks, propositions, members, contradictions.

``corpus`` computes; this module only moves rows, like :mod:`.copies`: writes go through the
Store's one writer (its write connection and lock), reads open their own connections. Linking is
two resumable steps, each marked here: a claim's vectors and place statuses are stored with a
``claim_linking`` row (``linked_at`` empty), then its links, memberships and contradictions are
stored together with ``linked_at`` in one transaction.

    ledger = PropositionLedger(store)
    for batch in ledger.unread_claims(method, 256): ...        # claims with no vectors yet
    ledger.save_vectors(method, rows, frames)                  # one transaction per batch
    ledger.save_links(links, linked_ids, when)                 # propositions, members, marks
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

import numpy as np
from sqlalchemy import Connection, delete, func, insert, select, update

from claimscope.store.schema import (
    VECTOR_DTYPE,
    claim_dates,
    claim_entities,
    claim_linking,
    claim_places,
    claim_relays,
    claim_vectors,
    claims,
    contradictions,
    documents,
    proposition_figures,
    proposition_members,
    propositions,
)
from claimscope.store.store import Store

T = TypeVar("T")
_CHUNK = 500


@dataclass(frozen=True)
class LinkClaim:
    """What proposition linking and counting need to know of a stored claim.

    Places, dates and entities are those inside the claim's content (not its speaker's words).
    """

    id: str
    document_id: str
    content: str
    content_start: int
    sentence_start: int
    speaker_name: str
    speaker_kind: str
    cue_class: str
    polarity: str
    certainty: str
    outlet: str | None = None
    published_at: datetime | None = None
    ingested_at: datetime | None = None
    source: str = ""
    title: str | None = None
    relays: tuple[str, ...] = ()
    places: tuple[tuple[str, str, str], ...] = ()
    """(name, kind, words as written)."""
    dates: tuple[str, ...] = ()
    entities: tuple[tuple[str, str], ...] = ()
    """(label, words as written)."""
    frames: tuple[dict, ...] = ()
    """Place statuses stored by linking (``corpus.frames.Frame.as_dict``)."""


@dataclass(frozen=True)
class Membership:
    proposition_id: str
    claim_id: str
    tier: str
    stance: str
    score: float
    via: str | None
    evidence: dict = field(default_factory=dict)


@dataclass(frozen=True)
class NewProposition:
    id: str
    statement: str
    anchor: str
    method: str


@dataclass(frozen=True)
class Contradiction:
    claim_a: str
    claim_b: str
    kind: str
    reason: str
    proposition_id: str | None
    same_document: bool
    evidence: dict = field(default_factory=dict)


@dataclass
class LinkBatch:
    """What one linking run stores, in one transaction."""

    propositions: list[NewProposition] = field(default_factory=list)
    members: list[Membership] = field(default_factory=list)
    contradictions: list[Contradiction] = field(default_factory=list)


_CLAIM_COLUMNS = (
    claims.c.id, claims.c.document_id, claims.c.content_text, claims.c.content_start,
    claims.c.content_end, claims.c.sentence_start, claims.c.speaker_name, claims.c.speaker_kind,
    claims.c.cue_class, claims.c.polarity, claims.c.certainty, documents.c.outlet,
    documents.c.published_at, documents.c.ingested_at, documents.c.source, documents.c.title,
)
_ORDER = (documents.c.ingested_at, documents.c.source, claims.c.sentence_start,
          claims.c.content_start, claims.c.id)
"""Claims are linked in the order they were stored, so a re-run links them the same way."""


class PropositionLedger:
    """Reads and writes of proposition linking, on the Store's database."""

    def __init__(self, store: Store) -> None:
        self._store = store

    # -- claims to read and link ----------------------------------------------------

    def count_unread(self, method: str) -> int:
        query = select(func.count()).select_from(claims).where(~_read_with(method))
        return self._read(lambda c: int(c.execute(query).scalar_one()))

    def unread_claims(self, method: str, batch_size: int) -> Iterator[list[LinkClaim]]:
        """Claims without vectors of ``method``, in batches in storing order (the ids are
        taken first, so the caller may store a batch's vectors before asking for the next)."""
        query = (
            select(claims.c.id)
            .join(documents, documents.c.id == claims.c.document_id)
            .where(~_read_with(method))
            .order_by(*_ORDER)
        )
        ids = self._read(lambda c: list(c.execute(query).scalars()))
        for chunk in _chunks(ids, batch_size):
            found = self.claims(chunk)
            yield [found[claim_id] for claim_id in chunk if claim_id in found]

    def unlinked_ids(self, method: str) -> list[str]:
        """Claims read (vectors stored) but not linked yet, in storing order."""
        query = (
            select(claims.c.id)
            .join(documents, documents.c.id == claims.c.document_id)
            .join(claim_linking, claim_linking.c.claim_id == claims.c.id)
            .where(claim_linking.c.method == method, claim_linking.c.linked_at.is_(None))
            .order_by(*_ORDER)
        )
        return self._read(lambda c: list(c.execute(query).scalars()))

    def other_methods(self, method: str) -> int:
        query = select(func.count()).where(claim_linking.c.method != method)
        return self._read(lambda c: int(c.execute(query).scalar_one()))

    def claims(self, ids: Iterable[str]) -> dict[str, LinkClaim]:
        """Linking's view of these claims, with their stored place statuses."""
        ids = list(dict.fromkeys(ids))

        def run(connection: Connection) -> dict[str, LinkClaim]:
            found: dict[str, LinkClaim] = {}
            for chunk in _chunks(ids, _CHUNK):
                query = (
                    select(*_CLAIM_COLUMNS)
                    .join(documents, documents.c.id == claims.c.document_id)
                    .where(claims.c.id.in_(chunk))
                )
                rows = list(connection.execute(query))
                found.update({claim.id: claim for claim in _link_claims(connection, rows)})
            return found

        return self._read(run)

    def contents(self) -> tuple[list[str], list[str]]:
        """Every claim's id and content text, in id order (for lexical statistics)."""
        query = select(claims.c.id, claims.c.content_text).order_by(claims.c.id)
        rows = self._read(lambda c: list(c.execute(query)))
        return [r[0] for r in rows], [r[1] for r in rows]

    # -- vectors ---------------------------------------------------------------------

    def save_vectors(
        self, method: str, rows: list[tuple[str, int, int, int, np.ndarray]],
        frames: dict[str, list[dict]],
    ) -> None:
        """Store vectors (claim id, position, start, end, vector) and each claim's mark."""
        vector_rows = [
            {"claim_id": claim_id, "position": position, "start": start, "end": end,
             "vector": np.asarray(vector, dtype=VECTOR_DTYPE).tobytes()}
            for claim_id, position, start, end, vector in rows
        ]
        marks = [{"claim_id": claim_id, "method": method, "frames": found, "linked_at": None}
                 for claim_id, found in frames.items()]

        def run(connection: Connection) -> None:
            for chunk in _chunks(vector_rows, _CHUNK):
                connection.execute(insert(claim_vectors), chunk)
            for chunk in _chunks(marks, _CHUNK):
                connection.execute(insert(claim_linking), chunk)

        self._write(run)

    def vectors(self, method: str, chunk: int = 50_000) -> Iterator[tuple[list[str], np.ndarray,
                                                                          np.ndarray]]:
        """Every stored vector of ``method``: (claim ids, positions, float32 matrix) per chunk,
        in claim id and position order."""
        query = (
            select(claim_vectors.c.claim_id, claim_vectors.c.position, claim_vectors.c.vector)
            .join(claim_linking, claim_linking.c.claim_id == claim_vectors.c.claim_id)
            .where(claim_linking.c.method == method)
            .order_by(claim_vectors.c.claim_id, claim_vectors.c.position)
        )
        for rows in self._stream(query, chunk):
            matrix = np.frombuffer(b"".join(r[2] for r in rows), dtype=VECTOR_DTYPE)
            yield ([r[0] for r in rows], np.array([r[1] for r in rows]),
                   matrix.reshape(len(rows), -1).astype(np.float32))

    def stated_statuses(self, places: Iterable[str]) -> list[tuple[str, dict]]:
        """(claim id, frame) for every linked or read claim stating a status of these places."""
        wanted = set(places)
        if not wanted:
            return []
        query = select(claim_linking.c.claim_id, claim_linking.c.frames)
        found = []
        for claim_id, frames in self._read(lambda c: list(c.execute(query))):
            found += [(claim_id, f) for f in frames or [] if f["place"] in wanted]
        return found

    # -- links -----------------------------------------------------------------------

    def memberships(self, claim_ids: Iterable[str]) -> dict[str, list[Membership]]:
        """Each claim's memberships of propositions."""
        ids = list(dict.fromkeys(claim_ids))
        found: dict[str, list[Membership]] = defaultdict(list)

        def run(connection: Connection) -> None:
            for chunk in _chunks(ids, _CHUNK):
                query = select(proposition_members).where(
                    proposition_members.c.claim_id.in_(chunk)
                )
                for row in connection.execute(query):
                    found[row.claim_id].append(_membership(row))

        self._read(run)
        return found

    def anchors(self, proposition_ids: Iterable[str]) -> dict[str, str]:
        ids = list(dict.fromkeys(proposition_ids))

        def run(connection: Connection) -> dict[str, str]:
            found = {}
            for chunk in _chunks(ids, _CHUNK):
                query = select(propositions.c.id, propositions.c.anchor_claim_id).where(
                    propositions.c.id.in_(chunk))
                found.update(dict(connection.execute(query).all()))
            return found

        return self._read(run)

    def save_links(self, batch: LinkBatch, linked: list[str], when: datetime) -> None:
        """Store a run's propositions, members and contradictions, and mark ``linked`` claims
        as linked, in one transaction: an interrupted run leaves all of it or none."""
        new = [{"id": p.id, "statement": p.statement, "anchor_claim_id": p.anchor,
                "method": p.method, "created_at": when} for p in batch.propositions]
        members = [{"proposition_id": m.proposition_id, "claim_id": m.claim_id, "tier": m.tier,
                    "stance": m.stance, "score": m.score, "via_claim_id": m.via,
                    "evidence": m.evidence, "linked_at": when} for m in batch.members]
        found = [{"claim_a_id": c.claim_a, "claim_b_id": c.claim_b, "kind": c.kind,
                  "reason": c.reason, "proposition_id": c.proposition_id,
                  "same_document": c.same_document, "evidence": c.evidence, "found_at": when}
                 for c in batch.contradictions]

        def run(connection: Connection) -> None:
            for table, rows in ((propositions, new), (proposition_members, members),
                                (contradictions, found)):
                for chunk in _chunks(rows, _CHUNK):
                    connection.execute(insert(table), chunk)
            for chunk in _chunks(linked, _CHUNK):
                connection.execute(
                    update(claim_linking).where(claim_linking.c.claim_id.in_(chunk))
                    .values(linked_at=when)
                )

        self._write(run)

    def reset(self, keep_vectors: bool) -> None:
        """Forget every proposition and contradiction (and the vectors unless
        ``keep_vectors``), so the next run links every claim again."""

        def run(connection: Connection) -> None:
            for table in (proposition_figures, contradictions, proposition_members,
                          propositions):
                connection.execute(delete(table))
            connection.execute(update(claims).values(proposition_origins=None,
                                                     proposition_echo_ratio=None))
            if keep_vectors:
                connection.execute(update(claim_linking).values(linked_at=None))
            else:
                connection.execute(delete(claim_vectors))
                connection.execute(delete(claim_linking))

        self._write(run)

    # -- reading propositions back -----------------------------------------------------

    def proposition_rows(self, ids: list[str] | None = None) -> list[Any]:
        """Propositions (or those of ``ids``) in the order they were made."""
        query = select(propositions).order_by(propositions.c.created_at, propositions.c.id)
        if ids is None:
            return self._read(lambda c: list(c.execute(query)))
        rows = self._read(lambda c: [row for chunk in _chunks(list(ids), _CHUNK) for row in
                                     c.execute(query.where(propositions.c.id.in_(chunk)))])
        return sorted(rows, key=lambda row: (row.created_at, row.id))

    def member_rows(self, proposition_ids: list[str] | None = None) -> list[Membership]:
        query = select(proposition_members).order_by(proposition_members.c.proposition_id,
                                                     proposition_members.c.linked_at,
                                                     proposition_members.c.claim_id)

        def run(connection: Connection) -> list[Membership]:
            if proposition_ids is None:
                return [_membership(r) for r in connection.execute(query)]
            found = []
            for chunk in _chunks(list(proposition_ids), _CHUNK):
                found += [_membership(r) for r in connection.execute(
                    query.where(proposition_members.c.proposition_id.in_(chunk)))]
            return found

        return self._read(run)

    def contradiction_rows(self, claim_ids: Iterable[str] | None = None) -> list[Contradiction]:
        """Every contradiction, or those involving one of ``claim_ids``."""
        query = select(contradictions).order_by(contradictions.c.found_at,
                                                contradictions.c.claim_a_id,
                                                contradictions.c.claim_b_id)

        def run(connection: Connection) -> list[Contradiction]:
            if claim_ids is None:
                return [_contradiction(r) for r in connection.execute(query)]
            ids = list(dict.fromkeys(claim_ids))
            found: dict[tuple, Contradiction] = {}
            for chunk in _chunks(ids, _CHUNK):
                for column in (contradictions.c.claim_a_id, contradictions.c.claim_b_id):
                    for row in connection.execute(query.where(column.in_(chunk))):
                        item = _contradiction(row)
                        found[(item.claim_a, item.claim_b, item.kind)] = item
            return list(found.values())

        return self._read(run)

    def counts(self) -> dict[str, int]:
        def run(connection: Connection) -> dict[str, int]:
            def count(table: Any, *where: Any) -> int:
                return int(connection.execute(
                    select(func.count()).select_from(table).where(*where)).scalar_one())

            return {
                "claims": count(claims),
                "read": count(claim_linking),
                "linked": count(claim_linking, claim_linking.c.linked_at.is_not(None)),
                "propositions": count(propositions),
                "memberships": count(proposition_members),
                "contradictions": count(contradictions),
            }

        return self._read(run)

    # -- plumbing ----------------------------------------------------------------------

    def _read(self, run: Callable[[Connection], T]) -> T:
        return self._store.read(run)

    def _write(self, run: Callable[[Connection], None]) -> None:
        self._store.write(run)

    def _stream(self, query: Any, chunk: int) -> Iterator[list[Any]]:
        return self._store.stream(query, chunk)


def _read_with(method: str) -> Any:
    return (
        select(claim_linking.c.claim_id)
        .where(claim_linking.c.claim_id == claims.c.id, claim_linking.c.method == method)
        .exists()
    )


def _inside(row: Any, start: int | None, end: int | None) -> bool:
    return start is not None and row.content_start <= start and end <= row.content_end


def _link_claims(connection: Connection, rows: list[Any]) -> list[LinkClaim]:
    ids = [row.id for row in rows]
    by_row = {row.id: row for row in rows}
    parts: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    frames: dict[str, list] = {}
    for chunk in _chunks(ids, _CHUNK):
        for table, name in ((claim_places, "places"), (claim_dates, "dates"),
                            (claim_entities, "entities"), (claim_relays, "relays")):
            query = select(table).where(table.c.claim_id.in_(chunk)).order_by(
                table.c.claim_id, table.c.position)
            for part in connection.execute(query):
                row = by_row[part.claim_id]
                if name == "relays":
                    parts[part.claim_id][name].append(part.name)
                elif _inside(row, part.start, part.end):
                    parts[part.claim_id][name].append(part)
        query = select(claim_linking.c.claim_id, claim_linking.c.frames).where(
            claim_linking.c.claim_id.in_(chunk))
        frames.update(dict(connection.execute(query).all()))
    found = []
    for row in rows:
        own = parts[row.id]
        found.append(LinkClaim(
            id=row.id, document_id=row.document_id, content=row.content_text,
            content_start=row.content_start, sentence_start=row.sentence_start,
            speaker_name=row.speaker_name, speaker_kind=row.speaker_kind,
            cue_class=row.cue_class, polarity=row.polarity, certainty=row.certainty,
            outlet=row.outlet, published_at=row.published_at, ingested_at=row.ingested_at,
            source=row.source, title=row.title, relays=tuple(own["relays"]),
            places=tuple((p.name, p.kind, p.text) for p in own["places"]),
            dates=tuple(d.value for d in own["dates"]),
            entities=tuple((e.label, e.text) for e in own["entities"]),
            frames=tuple(frames.get(row.id) or ()),
        ))
    return found


def _membership(row: Any) -> Membership:
    return Membership(row.proposition_id, row.claim_id, row.tier, row.stance, row.score,
                      row.via_claim_id, row.evidence or {})


def _contradiction(row: Any) -> Contradiction:
    return Contradiction(row.claim_a_id, row.claim_b_id, row.kind, row.reason,
                         row.proposition_id, bool(row.same_document), row.evidence or {})


def _chunks(items: list[T], size: int) -> Iterator[list[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]

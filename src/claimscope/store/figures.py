"""Propositions' stored summary figures (revision 0008): written by linking, read by the lists.

``corpus.corroboration`` counts the figures (the one implementation); this module only moves
rows, through the Store's one writer, beside :mod:`.propositions` (kept apart for its size).
Saving a proposition's figures also sets, in the same transaction, the highest figures among
the propositions of each of its member claims on ``claims`` (what the ledger sorts by).

Which figures are stale (:meth:`FigureLedger.stale`): those of propositions without figures
(after upgrading to 0008), and those of propositions with a member in a document whose copy
group holds a copy link newer than the figures (``copies_as_of``): origins collapse copies.
A copy-link rebuild (every link newer) makes every proposition stale.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from claimscope.store.propositions import _chunks
from claimscope.store.schema import (
    claims,
    copy_links,
    proposition_figures,
    proposition_members,
    propositions,
)
from claimscope.store.store import Store

_CHUNK = 500
ORDERS: dict[str, tuple[Any, ...]] = {
    "independent-origins": (proposition_figures.c.independent_origins.desc(),
                            proposition_figures.c.documents.desc()),
    # NULL (no independent origin) sorts as the lowest ratio, as 0 did when sorted in Python.
    "echo-ratio": (proposition_figures.c.echo_ratio.desc().nulls_last(),
                   proposition_figures.c.documents.desc()),
    "contradictions": (proposition_figures.c.contradictions.desc(),
                       proposition_figures.c.independent_origins.desc()),
    "claims": (proposition_figures.c.claims.desc(),
               proposition_figures.c.independent_origins.desc()),
}
"""Largest first, then (ties) in the order propositions were made; without figures: last."""


@dataclass(frozen=True)
class PropositionFigures:
    """What the proposition lists show and sort by, for one proposition."""

    proposition_id: str
    claims: int
    documents: int
    outlets: list[str]
    independent_origins: int
    echo_ratio: float | None
    origin_order: str
    contradictions: int
    denied_by: int


@dataclass(frozen=True)
class StaleCopies:
    """Copy links newer than some stored figures: their documents, or ``every`` (a rebuild)."""

    documents: set[str]
    every: bool
    latest: datetime | None


class FigureLedger:
    """Reads and writes of ``proposition_figures`` on the Store's database."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def save(self, found: list[PropositionFigures], copies_as_of: datetime | None,
             when: datetime) -> None:
        """Replace these propositions' figures and their members' highest figures; mark
        every stored row as counted with the copy links up to ``copies_as_of`` (the stale
        rows of the run are among ``found``)."""
        rows = [asdict(f) | {"copies_as_of": copies_as_of, "computed_at": when} for f in found]
        ids = [f.proposition_id for f in found]

        def run(connection: Connection) -> None:
            for chunk in _chunks(ids, _CHUNK):
                connection.execute(delete(proposition_figures).where(
                    proposition_figures.c.proposition_id.in_(chunk)))
            for chunk in _chunks(rows, _CHUNK):
                connection.execute(insert(proposition_figures), chunk)
            connection.execute(update(proposition_figures).values(copies_as_of=copies_as_of))
            for chunk in _chunks(ids, _CHUNK):
                _set_claim_highest(connection, chunk)

        self._store.write(run)

    def missing(self) -> list[str]:
        """Propositions without stored figures."""
        query = select(propositions.c.id).where(~propositions.c.id.in_(
            select(proposition_figures.c.proposition_id)))
        return self._store.read(lambda c: list(c.execute(query).scalars()))

    def stale_copies(self) -> StaleCopies:
        """Documents of copy links newer than the oldest stored figures (module docstring)."""

        def run(connection: Connection) -> StaleCopies:
            counted = connection.execute(select(
                func.count(), func.min(proposition_figures.c.copies_as_of))).one()
            first, latest = connection.execute(select(
                func.min(copy_links.c.linked_at), func.max(copy_links.c.linked_at))).one()
            if not counted[0]:
                return StaleCopies(set(), False, _datetime(latest))
            since, first, latest = (_datetime(v) for v in (counted[1], first, latest))
            if since is not None and (latest is None or first > since):
                return StaleCopies(set(), True, latest)  # rebuilt (or forgotten)
            query = select(copy_links.c.source_document_id, copy_links.c.copy_document_id)
            if since is not None:
                query = query.where(copy_links.c.linked_at > since)
            documents = {d for row in connection.execute(query) for d in row}
            return StaleCopies(documents, False, latest)

        return self._store.read(run)

    def of_documents(self, document_ids: Iterable[str]) -> set[str]:
        """Propositions with a member claim in one of these documents."""
        ids = list(dict.fromkeys(document_ids))
        query = (select(proposition_members.c.proposition_id).distinct()
                 .join(claims, claims.c.id == proposition_members.c.claim_id))

        def run(connection: Connection) -> set[str]:
            found: set[str] = set()
            for chunk in _chunks(ids, _CHUNK):
                found.update(connection.execute(
                    query.where(claims.c.document_id.in_(chunk))).scalars())
            return found

        return self._store.read(run)

    def page(self, sort: str, limit: int | None = None, offset: int = 0,
             ids: list[str] | None = None, exclude: bool = False) -> tuple[list[Any], int]:
        """(one page of propositions with their figures, in ``sort`` order; how many in all);
        ``ids`` keeps those (or, with ``exclude``, all but those)."""
        joined = propositions.outerjoin(
            proposition_figures, proposition_figures.c.proposition_id == propositions.c.id)
        query = select(propositions.c.id, propositions.c.statement,
                       *proposition_figures.c).select_from(joined)
        if ids is not None:
            wanted = propositions.c.id.in_(ids)
            query = query.where(~wanted if exclude else wanted)
        counted = select(func.count()).select_from(query.subquery())
        query = query.order_by(proposition_figures.c.proposition_id.is_(None), *ORDERS[sort],
                               propositions.c.created_at, propositions.c.id)
        query = query.limit(limit).offset(offset)

        def run(connection: Connection) -> tuple[list[Any], int]:
            return list(connection.execute(query)), int(connection.execute(counted).scalar_one())

        return self._store.read(run)


def _set_claim_highest(connection: Connection, proposition_ids: list[str]) -> None:
    """Each member claim's highest independent origins and echo ratio over its propositions."""
    members = select(proposition_members.c.claim_id).where(
        proposition_members.c.proposition_id.in_(proposition_ids))
    joined = proposition_members.join(
        proposition_figures,
        proposition_figures.c.proposition_id == proposition_members.c.proposition_id)

    def highest(column: Any) -> Any:
        return (select(func.max(column)).select_from(joined)
                .where(proposition_members.c.claim_id == claims.c.id).scalar_subquery())

    connection.execute(update(claims).where(claims.c.id.in_(members)).values(
        proposition_origins=highest(proposition_figures.c.independent_origins),
        proposition_echo_ratio=highest(proposition_figures.c.echo_ratio)))


def _datetime(value: Any) -> datetime | None:
    """``func.min``/``max`` of an IsoDateTime column come back as text."""
    return datetime.fromisoformat(value) if isinstance(value, str) else value

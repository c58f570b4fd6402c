"""Copy links and the MinHash signatures behind them, in the ledger's database.

``corpus`` computes; this module only moves rows. Writes go through the Store's one writer
(its write connection and lock: one writer per database), reads open their own connections.
The signatures are kept so that linking a new document needs no pass over the corpus's texts:
``minhash_signatures`` has one row per document read by ``link`` (also the mark that it was
read, and with ``linked_at`` set, that its links are stored), ``minhash_passages`` one row per
passage, and ``copy_links`` one row per linked pair of documents.

    ledger = CopyLedger(store)
    for batch in ledger.unsigned_documents(500): ...      # documents link has not read yet
    ledger.save_signatures(method, signatures)            # one transaction per batch
    ledger.save_links(method, links, linked_ids, now)     # links and the "linked" marks together
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Connection, delete, func, insert, select, update

from claimscope.errors import StoreError
from claimscope.store.schema import copy_links, documents, minhash_passages, minhash_signatures
from claimscope.store.store import Store

T = TypeVar("T")
_CHUNK = 500
"""Ids per ``IN (…)`` and rows per insert statement: far below any driver's parameter limit."""


@dataclass(frozen=True)
class LinkDocument:
    """What linking needs to know of a stored document (``text`` only when it is to be read)."""

    id: str
    outlet: str | None
    title: str | None
    published_at: datetime | None
    ingested_at: datetime
    source: str = ""
    text: str = ""


@dataclass(frozen=True)
class PassageSignature:
    start: int
    end: int
    hashvalues: bytes


@dataclass(frozen=True)
class DocumentSignature:
    """A document's MinHash signatures: of its whole text (None if too short) and passages."""

    document_id: str
    hashvalues: bytes | None
    passages: tuple[PassageSignature, ...] = ()


@dataclass(frozen=True)
class CopyLink:
    """Document ``copy`` republishes all (scope ``document``) or part (``passage``) of
    ``source``; ``direction`` says whether publication times decided which is which."""

    source: str
    copy: str
    scope: str
    similarity: float
    direction: str
    evidence: dict = field(default_factory=dict)


_DOCUMENT_INFO = (
    documents.c.id,
    documents.c.outlet,
    documents.c.title,
    documents.c.published_at,
    documents.c.ingested_at,
    documents.c.source,
)


def _link_document(row: Any, with_text: bool = False) -> LinkDocument:
    return LinkDocument(
        id=row.id,
        outlet=row.outlet,
        title=row.title,
        published_at=row.published_at,
        ingested_at=row.ingested_at,
        source=row.source,
        text=row.text if with_text else "",
    )


class CopyLedger:
    """Reads and writes of signatures and copy links, on the Store's database."""

    def __init__(self, store: Store) -> None:
        self._store = store

    # -- signatures ---------------------------------------------------------------

    def count_unsigned(self) -> int:
        """Documents whose signatures are not stored yet."""
        query = (
            select(func.count())
            .select_from(documents)
            .where(~_signed(documents.c.id))
        )
        return self._read(lambda c: int(c.execute(query).scalar_one()))

    def count_unlinked(self) -> int:
        """Documents read by ``link`` whose copy links are not stored yet."""
        query = select(func.count()).where(minhash_signatures.c.linked_at.is_(None))
        return self._read(lambda c: int(c.execute(query).scalar_one()))

    def unsigned_documents(self, batch_size: int) -> Iterator[list[LinkDocument]]:
        """Documents with no signatures yet, with their text, in batches in id order.

        Each batch is a fresh query after the last id seen, so the caller may store the
        batch's signatures before asking for the next one.
        """
        after = ""
        while True:
            query = (
                select(*_DOCUMENT_INFO, documents.c.text)
                .where(documents.c.id > after, ~_signed(documents.c.id))
                .order_by(documents.c.id)
                .limit(batch_size)
            )
            rows = self._read(lambda c: list(c.execute(query)))  # noqa: B023 - called at once
            if not rows:
                return
            yield [_link_document(row, with_text=True) for row in rows]
            after = rows[-1].id

    def other_methods(self, method: str) -> int:
        """Documents whose signatures were made another way (other shingles, permutations)."""
        query = select(func.count()).where(minhash_signatures.c.method != method)
        return self._read(lambda c: int(c.execute(query).scalar_one()))

    def save_signatures(self, method: str, signatures: list[DocumentSignature]) -> None:
        """Store the signatures of a batch of documents in one transaction."""
        heads = [
            {"document_id": s.document_id, "method": method, "hashvalues": s.hashvalues,
             "passages": len(s.passages), "linked_at": None}
            for s in signatures
        ]
        passages = [
            {"document_id": s.document_id, "position": i, "start": p.start, "end": p.end,
             "hashvalues": p.hashvalues}
            for s in signatures
            for i, p in enumerate(s.passages)
        ]

        def run(connection: Connection) -> None:
            # Another `link` (or `analyze`) may have read some of these documents meanwhile.
            done = _already(connection, minhash_signatures.c.document_id,
                            [head["document_id"] for head in heads])
            for chunk in _chunks([h for h in heads if h["document_id"] not in done], _CHUNK):
                connection.execute(insert(minhash_signatures), chunk)
            for chunk in _chunks([p for p in passages if p["document_id"] not in done], _CHUNK):
                connection.execute(insert(minhash_passages), chunk)

        self._write(run)

    def document_signatures(
        self, method: str, chunk: int = 20_000
    ) -> Iterator[list[tuple[LinkDocument, bytes | None, bool]]]:
        """Every signed document, its whole-text signature and whether it is linked yet."""
        query = (
            select(*_DOCUMENT_INFO, minhash_signatures.c.hashvalues, minhash_signatures.c.linked_at)
            .join(minhash_signatures, minhash_signatures.c.document_id == documents.c.id)
            .where(minhash_signatures.c.method == method)
            .order_by(documents.c.id)
        )
        for rows in self._stream(query, chunk):
            yield [(_link_document(r), r.hashvalues, r.linked_at is not None) for r in rows]

    def passage_signatures(
        self, method: str, chunk: int = 50_000
    ) -> Iterator[list[tuple[str, int, int, bytes]]]:
        """Every stored passage signature: (document id, start, end, hash values)."""
        query = (
            select(
                minhash_passages.c.document_id,
                minhash_passages.c.start,
                minhash_passages.c.end,
                minhash_passages.c.hashvalues,
            )
            .join(
                minhash_signatures,
                minhash_signatures.c.document_id == minhash_passages.c.document_id,
            )
            .where(minhash_signatures.c.method == method)
            .order_by(minhash_passages.c.document_id, minhash_passages.c.position)
        )
        for rows in self._stream(query, chunk):
            yield [tuple(row) for row in rows]

    # -- links ---------------------------------------------------------------------

    def save_links(
        self, method: str, links: list[CopyLink], linked: list[str], when: datetime
    ) -> int:
        """Store ``links`` and mark the documents ``linked`` as done, in one transaction, so an
        interrupted run leaves either both or neither. Returns the number of links stored."""
        rows = [
            {"source_document_id": link.source, "copy_document_id": link.copy,
             "scope": link.scope, "similarity": link.similarity, "direction": link.direction,
             "evidence": link.evidence, "method": method, "linked_at": when}
            for link in links
        ]

        def run(connection: Connection) -> None:
            query = select(func.count()).where(
                minhash_signatures.c.linked_at.is_not(None),
                minhash_signatures.c.document_id.in_(linked[:_CHUNK]),
            )
            if linked and connection.execute(query).scalar_one():
                raise StoreError(
                    f"{self._store.url}: another `claimscope link` stored these documents' "
                    "links meanwhile; nothing of this run's last step was kept"
                )
            for chunk in _chunks(rows, _CHUNK):
                connection.execute(insert(copy_links), chunk)
            for chunk in _chunks(linked, _CHUNK):
                connection.execute(
                    update(minhash_signatures)
                    .where(minhash_signatures.c.document_id.in_(chunk))
                    .values(linked_at=when)
                )

        self._write(run)
        return len(rows)

    def reset(self, keep_signatures: bool) -> None:
        """Forget every copy link (and the signatures too unless ``keep_signatures``), so the
        next ``link`` recomputes them: after a change of thresholds or of method."""

        def run(connection: Connection) -> None:
            connection.execute(delete(copy_links))
            if keep_signatures:
                connection.execute(update(minhash_signatures).values(linked_at=None))
            else:
                connection.execute(delete(minhash_passages))
                connection.execute(delete(minhash_signatures))

        self._write(run)

    def link_rows(self, with_evidence: bool = False) -> list[Any]:
        """Every copy link as a row: source, copy, scope, similarity, direction (evidence)."""
        columns = [
            copy_links.c.source_document_id.label("source"),
            copy_links.c.copy_document_id.label("copy"),
            copy_links.c.scope,
            copy_links.c.similarity,
            copy_links.c.direction,
        ]
        if with_evidence:
            columns.append(copy_links.c.evidence)
        query = select(*columns).order_by(copy_links.c.source_document_id,
                                          copy_links.c.copy_document_id)
        return self._read(lambda c: list(c.execute(query)))

    def evidence(self, pairs: list[tuple[str, str]]) -> dict[tuple[str, str], dict]:
        """The evidence stored with each (source, copy) pair asked for."""
        found: dict[tuple[str, str], dict] = {}
        sources = sorted({source for source, _ in pairs})
        wanted = set(pairs)

        def run(connection: Connection) -> None:
            for chunk in _chunks(sources, _CHUNK):
                query = select(
                    copy_links.c.source_document_id, copy_links.c.copy_document_id,
                    copy_links.c.evidence,
                ).where(copy_links.c.source_document_id.in_(chunk))
                for source, copy, evidence in connection.execute(query):
                    if (source, copy) in wanted:
                        found[(source, copy)] = evidence

        self._read(run)
        return found

    def documents(self, ids: Iterable[str]) -> dict[str, LinkDocument]:
        """Linking's view of the documents with these ids."""
        ids = sorted(set(ids))

        def run(connection: Connection) -> dict[str, LinkDocument]:
            found = {}
            for chunk in _chunks(ids, _CHUNK):
                query = select(*_DOCUMENT_INFO).where(documents.c.id.in_(chunk))
                found.update({row.id: _link_document(row) for row in connection.execute(query)})
            return found

        return self._read(run)

    def document_ids(self, prefix: str) -> list[str]:
        """Ids of the documents whose id starts with ``prefix`` or whose source is it."""
        query = select(documents.c.id).where(
            documents.c.id.startswith(prefix, autoescape=True) | (documents.c.source == prefix)
        ).order_by(documents.c.id)
        return self._read(lambda c: list(c.execute(query).scalars()))

    def outlet_counts(self) -> dict[str | None, dict[str, int]]:
        """Per stored outlet: documents, and copy links where one of its documents is the
        source or the copy, split by whether publication times decided the direction."""
        counts: dict[str | None, dict[str, int]] = {}

        def bump(outlet: str | None, key: str, n: int) -> None:
            entry = counts.setdefault(
                outlet, {"documents": 0, "origin": 0, "republisher": 0, "order_unknown": 0}
            )
            entry[key] += int(n)

        source_docs = documents.alias("source_documents")
        copy_docs = documents.alias("copy_documents")

        def run(connection: Connection) -> None:
            query = select(documents.c.outlet, func.count()).group_by(documents.c.outlet)
            for outlet, n in connection.execute(query):
                bump(outlet, "documents", n)
            for side, role in ((source_docs, "origin"), (copy_docs, "republisher")):
                column = (copy_links.c.source_document_id if role == "origin"
                          else copy_links.c.copy_document_id)
                query = (
                    select(side.c.outlet, copy_links.c.direction, func.count())
                    .join(side, side.c.id == column)
                    .group_by(side.c.outlet, copy_links.c.direction)
                )
                for outlet, direction, n in connection.execute(query):
                    bump(outlet, role if direction == "published" else "order_unknown", n)

        self._read(run)
        return counts

    def counts(self) -> dict[str, int]:
        """Documents stored, read by ``link``, linked; copy links by scope and direction."""

        def run(connection: Connection) -> dict[str, int]:
            def count(query: Any) -> int:
                return int(connection.execute(query).scalar_one())

            found = {
                "documents": count(select(func.count()).select_from(documents)),
                "signed": count(select(func.count()).select_from(minhash_signatures)),
                "linked": count(
                    select(func.count()).where(minhash_signatures.c.linked_at.is_not(None))
                ),
                "copy_links": count(select(func.count()).select_from(copy_links)),
            }
            for column in (copy_links.c.scope, copy_links.c.direction):
                query = select(column, func.count()).group_by(column)
                found.update({f"{column.name}:{key}": int(n) for key, n in connection.execute(query)})
            return found

        return self._read(run)

    # -- plumbing ----------------------------------------------------------------

    def _read(self, run: Callable[[Connection], T]) -> T:
        return self._store.read(run)

    def _write(self, run: Callable[[Connection], None]) -> None:
        self._store.write(run)

    def _stream(self, query: Any, chunk: int) -> Iterator[list[Any]]:
        return self._store.stream(query, chunk)


def _already(connection: Connection, column: Any, ids: list[str]) -> set[str]:
    found: set[str] = set()
    for chunk in _chunks(ids, _CHUNK):
        found.update(connection.execute(select(column).where(column.in_(chunk))).scalars())
    return found


def _signed(document_id: Any) -> Any:
    return (
        select(minhash_signatures.c.document_id)
        .where(minhash_signatures.c.document_id == document_id)
        .exists()
    )


def _chunks(items: list[T], size: int) -> Iterator[list[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]

"""Reviewed attributions: corrected brat files read back in, kept apart from the extractor's rows.

``exchange.annotations`` reads the files and decides which extracted claim each corrected
attribution revises; this module only moves rows, through the Store's one writer. A review
replaces the previous review of its document (the ``annotation_imports`` rows stay, as the
history of who imported what and when); the extractor's claim rows are never changed. A claim
the reviewer added gets a claim row of its own (``extractor`` :data:`REVIEWED_EXTRACTOR`) so
that it is listed, filtered and searched like any other; it goes when a later review drops it.

    ledger = ReviewLedger(store)
    ledger.extracted(document_id)                         # the claims a review can revise
    ledger.save(Review(document_id, path, sha, by, at, attributions))
    for document in ledger.reviewed_documents(): ...      # as training data
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select

from claimscope.records import Claim, Document, Span
from claimscope.store.schema import (
    REVIEWED_EXTRACTOR,
    annotation_imports,
    claims,
    documents,
    reviewed_attributions,
    reviewed_spans,
)
from claimscope.store.store import Store
from claimscope.store.write import claim_row


@dataclass(frozen=True)
class ReviewedAttribution:
    """One attribution as the reviewer left it: each role as its fragments, in text order
    (empty: the role is absent, e.g. no source). ``added``: a claim record made for an
    attribution that revises no extracted claim, whose id is ``claim_id``."""

    claim_id: str
    speaker: tuple[Span, ...]
    cue: tuple[Span, ...]
    content: tuple[Span, ...]
    added: Claim | None = None


@dataclass(frozen=True)
class Review:
    """A corrected ``.ann`` file of one document."""

    document_id: str
    source: str
    ann_sha256: str
    by: str
    at: datetime
    attributions: tuple[ReviewedAttribution, ...]


@dataclass(frozen=True)
class ReviewedDocument:
    """A reviewed document's text and its current reviewed attributions, for training."""

    document_id: str
    source: str
    text: str
    attributions: tuple[ReviewedAttribution, ...]


_EXTRACTED = (
    claims.c.id, claims.c.sentence_start, claims.c.sentence_end, claims.c.sentence_text,
    claims.c.speaker_name, claims.c.speaker_kind, claims.c.speaker_text,
    claims.c.speaker_start, claims.c.speaker_end, claims.c.cue_class, claims.c.cue_start,
    claims.c.cue_end, claims.c.content_start, claims.c.content_end, claims.c.content_quote,
)


class ReviewLedger:
    def __init__(self, store: Store) -> None:
        self._store = store

    def document_text(self, document_id: str) -> str | None:
        query = select(documents.c.text).where(documents.c.id == document_id)
        return self._store.read(lambda connection: connection.execute(query).scalar())

    def document_with_text(self, text: str) -> tuple[str, str] | None:
        """(id, sha256) of a stored document whose text is ``text``, if any."""
        query = select(documents.c.id, documents.c.sha256).where(documents.c.text == text)
        row = self._store.read(lambda connection: connection.execute(query.limit(1)).first())
        return None if row is None else (row.id, row.sha256)

    def document(self, document_id: str) -> Document:
        """The stored document as it was read (an added claim is read in its context)."""
        query = select(documents).where(documents.c.id == document_id)
        row = self._store.read(lambda connection: connection.execute(query).one())
        return Document(text=row.text, source=row.source, sha256=row.sha256, raw=row.raw,
                        ingested_at=row.ingested_at, title=row.title, outlet=row.outlet,
                        url=row.url, published_at=row.published_at, language=row.language,
                        relayed_from=tuple(row.relayed_from or ()))

    def document_sha256(self, document_id: str) -> str:
        query = select(documents.c.sha256).where(documents.c.id == document_id)
        return self._store.read(lambda connection: connection.execute(query).scalar_one())

    def extracted(self, document_id: str) -> list[Any]:
        """The extractor's claims of a document that a review can revise (its attributions:
        not the author-voice claims, which are never exported), in text order."""
        query = (
            select(*_EXTRACTED)
            .where(claims.c.document_id == document_id, claims.c.speaker_kind != "author",
                   claims.c.extractor != REVIEWED_EXTRACTOR)
            .order_by(claims.c.content_start, claims.c.id)
        )
        return self._store.read(lambda connection: list(connection.execute(query)))

    def sentences(self, document_id: str) -> list[Span]:
        """The sentences the extractor found claims in, to place an added claim in one."""
        query = (
            select(claims.c.sentence_start, claims.c.sentence_end, claims.c.sentence_text)
            .where(claims.c.document_id == document_id).distinct()
            .order_by(claims.c.sentence_start)
        )
        rows = self._store.read(lambda connection: list(connection.execute(query)))
        return [Span(row.sentence_start, row.sentence_end, row.sentence_text) for row in rows]

    def latest_sha256(self, document_id: str) -> str | None:
        """The SHA-256 of the ``.ann`` file the document's current review came from."""
        query = (
            select(annotation_imports.c.ann_sha256)
            .where(annotation_imports.c.document_id == document_id)
            .order_by(annotation_imports.c.id.desc()).limit(1)
        )
        return self._store.read(lambda connection: connection.execute(query).scalar())

    def save(self, review: Review) -> None:
        """Replace the document's reviewed attributions with ``review``'s, in one transaction."""
        self._store.write(lambda connection: _replace(connection, review))

    def reviewed_documents(self) -> Iterator[ReviewedDocument]:
        """Every reviewed document with its current reviewed attributions."""
        query = (
            select(documents.c.id, documents.c.source, documents.c.text)
            .where(documents.c.id.in_(select(reviewed_attributions.c.document_id)))
            .order_by(documents.c.source, documents.c.id)
        )
        for row in self._store.read(lambda connection: list(connection.execute(query))):
            attributions = self._store.read(
                lambda connection, document_id=row.id: _attributions(connection, document_id))
            yield ReviewedDocument(row.id, row.source, row.text, attributions)


def _replace(connection: Connection, review: Review) -> None:
    old_added = select(reviewed_attributions.c.claim_id).where(
        reviewed_attributions.c.document_id == review.document_id,
        reviewed_attributions.c.added.is_(True),
    )
    connection.execute(delete(claims).where(claims.c.id.in_(old_added)))
    connection.execute(delete(reviewed_attributions).where(
        reviewed_attributions.c.document_id == review.document_id))
    import_id = connection.execute(insert(annotation_imports).values(
        document_id=review.document_id, source=review.source, ann_sha256=review.ann_sha256,
        imported_by=review.by, imported_at=review.at,
    )).inserted_primary_key[0]
    added = [claim_row(review.document_id, a.added) | {"extractor": REVIEWED_EXTRACTOR}
             for a in review.attributions if a.added is not None]
    if added:
        connection.execute(insert(claims), added)
    if not review.attributions:
        return
    connection.execute(insert(reviewed_attributions), [
        {"claim_id": a.claim_id, "import_id": import_id, "document_id": review.document_id,
         "position": position, "added": a.added is not None}
        for position, a in enumerate(review.attributions)
    ])
    spans = [
        {"claim_id": a.claim_id, "role": role, "position": position,
         "text": fragment.text, "start": fragment.start, "end": fragment.end}
        for a in review.attributions
        for role, fragments in (("speaker", a.speaker), ("cue", a.cue), ("content", a.content))
        for position, fragment in enumerate(fragments)
    ]
    if spans:
        connection.execute(insert(reviewed_spans), spans)


def _attributions(connection: Connection, document_id: str) -> tuple[ReviewedAttribution, ...]:
    query = (
        select(reviewed_attributions.c.claim_id, reviewed_spans.c.role, reviewed_spans.c.text,
               reviewed_spans.c.start, reviewed_spans.c.end)
        .join(reviewed_spans, reviewed_spans.c.claim_id == reviewed_attributions.c.claim_id,
              isouter=True)
        .where(reviewed_attributions.c.document_id == document_id)
        .order_by(reviewed_attributions.c.position, reviewed_spans.c.role,
                  reviewed_spans.c.position)
    )
    roles: dict[str, dict[str, list[Span]]] = defaultdict(lambda: defaultdict(list))
    for row in connection.execute(query):
        pieces = roles[row.claim_id]
        if row.role is not None:
            pieces[row.role].append(Span(row.start, row.end, row.text))
    return tuple(
        ReviewedAttribution(claim_id, tuple(p["speaker"]), tuple(p["cue"]), tuple(p["content"]))
        for claim_id, p in roles.items()
    )

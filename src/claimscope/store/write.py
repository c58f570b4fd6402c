"""Records → rows: one document and its claims, inserted on a connection the caller owns.

Only bound parameters reach the database (SQLAlchemy ``insert()`` with row dicts): article
text is hostile input and is never part of a statement's text.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Table, insert

from claimscope.records import Claim, Document, Extraction, Span
from claimscope.store.schema import (
    claim_dates,
    claim_entities,
    claim_hedges,
    claim_places,
    claim_relays,
    claims,
    documents,
    span_fragments,
)

Row = dict[str, Any]


def insert_extraction(connection: Connection, extraction: Extraction) -> int:
    """Insert the document and every part of every claim; returns the number of claims."""
    document = extraction.document
    connection.execute(insert(documents), [document_row(document)])
    if not extraction.claims:
        return 0
    connection.execute(insert(claims), [claim_row(document.id, c) for c in extraction.claims])
    for table, rows in child_rows(extraction.claims).items():
        if rows:
            connection.execute(insert(table), rows)
    return len(extraction.claims)


def document_row(document: Document) -> Row:
    return {
        "id": document.id,
        "sha256": document.sha256,
        "text": document.text,
        "title": document.title,
        "outlet": document.outlet,
        "url": document.url,
        "published_at": document.published_at,
        "language": document.language,
        "source": document.source,
        "raw": document.raw,
        "ingested_at": document.ingested_at,
        "relayed_from": list(document.relayed_from),
    }


def claim_row(document_id: str, claim: Claim) -> Row:
    speaker_span, cue_span = claim.speaker.span, claim.cue.span
    return {
        "id": claim.id,
        "document_id": document_id,
        "sentence_start": claim.sentence.start,
        "sentence_end": claim.sentence.end,
        "sentence_text": claim.sentence.text,
        "speaker_name": claim.speaker.name,
        "speaker_kind": claim.speaker.kind,
        **_optional_span("speaker", speaker_span),
        "cue_class": claim.cue.cue_class,
        **_optional_span("cue", cue_span),
        "content_text": claim.content.span.text,
        "content_quote": claim.content.quote,
        "content_start": claim.content.span.start,
        "content_end": claim.content.span.end,
        "polarity": claim.factuality.polarity,
        "certainty": claim.factuality.certainty,
        "hedged": claim.factuality.hedged,
        "conditional": claim.factuality.conditional,
        "checkworthiness": claim.checkworthiness,
        "extractor": claim.extractor,
    }


def child_rows(claim_records: tuple[Claim, ...]) -> dict[Table, list[Row]]:
    """Rows of the child tables, keyed by ``(claim_id, position)`` in the record's order."""
    rows: dict[Table, list[Row]] = {
        claim_relays: [],
        claim_hedges: [],
        claim_places: [],
        claim_dates: [],
        claim_entities: [],
        span_fragments: [],
    }
    for claim in claim_records:
        rows[span_fragments] += fragment_rows(claim.id, "content", 0, claim.content.fragments)
        for position, relay in enumerate(claim.relayed_via):
            rows[claim_relays].append(
                _key(claim, position)
                | {"name": relay.name, "kind": relay.kind}
                | _span_or_nulls(relay.span)
            )
        for position, hedge in enumerate(claim.factuality.hedges):
            rows[claim_hedges].append(_key(claim, position) | _span(hedge))
        for position, place in enumerate(claim.places):
            rows[claim_places].append(
                _key(claim, position)
                | {"name": place.name, "kind": place.kind, "lat": place.lat,
                   "lon": place.lon, "country": place.country,
                   "geonameid": place.geonameid}
                | _span(place.span)
            )
        for position, date in enumerate(claim.dates):
            rows[claim_dates].append(
                _key(claim, position) | {"value": date.value} | _span(date.span)
            )
        for position, entity in enumerate(claim.entities):
            rows[claim_entities].append(
                _key(claim, position) | {"label": entity.label} | _span(entity.span)
            )
    return rows


def fragment_rows(claim_id: str, part: str, part_position: int,
                  fragments: tuple[Span, ...]) -> list[Row]:
    """Rows of ``span_fragments`` for one discontinuous span (none for a span in one piece)."""
    return [
        {"claim_id": claim_id, "part": part, "part_position": part_position,
         "position": position} | _span(fragment)
        for position, fragment in enumerate(fragments)
    ]


def _key(claim: Claim, position: int) -> Row:
    return {"claim_id": claim.id, "position": position}


def _span(span: Span) -> Row:
    return {"text": span.text, "start": span.start, "end": span.end}


def _span_or_nulls(span: Span | None) -> Row:
    return _span(span) if span is not None else {"text": None, "start": None, "end": None}


def _optional_span(prefix: str, span: Span | None) -> Row:
    return {f"{prefix}_{key}": value for key, value in _span_or_nulls(span).items()}

"""Rows → JSON-ready dicts: the one shape of a claim that the CLI, the web UI and the API share.

Filters become SQLAlchemy expressions with bound parameters (LIKE patterns autoescaped), so a
speaker name typed by a user or found in an article never becomes SQL.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Iterable

from sqlalchemy import Connection, Select, Table, exists, func, or_, select

from claimscope.store.schema import (
    claim_dates,
    claim_entities,
    claim_hedges,
    claim_places,
    claim_relays,
    claims,
    documents,
)

_ID_CHUNK = 500
"""Claim ids per ``IN (…)`` when fetching claim parts: far below any driver's parameter limit."""


@dataclass(frozen=True)
class ClaimFilter:
    """Which claims to list; every field left None does not filter.

    - ``speaker``: a case-insensitive substring of the canonical name or of the speaker's words
      (case folding is the database's: ASCII only on SQLite).
    - ``hedged``: True for claims with a hedge or a certainty other than "certain", False for
      the others.
    - ``document``: a document id prefix, a document's source, or a container file's path
      (matching all its entries, ``feed.xml#…``).
    """

    speaker: str | None = None
    speaker_kind: str | None = None
    outlet: str | None = None
    cue_class: str | None = None
    hedged: bool | None = None
    document: str | None = None
    limit: int | None = None
    offset: int = 0


_DOCUMENT_COLUMNS = (
    documents.c.title,
    documents.c.outlet,
    documents.c.published_at,
    documents.c.source,
    documents.c.url,
    documents.c.language,
    documents.c.sha256,
)


def select_claims(filters: ClaimFilter) -> Select:
    """Claims joined with their document, filtered, in ledger order (source, sentence)."""
    query = (
        select(claims, *(column.label(f"document_{column.name}") for column in _DOCUMENT_COLUMNS))
        .join(documents, documents.c.id == claims.c.document_id)
        .where(*_conditions(filters))
        .order_by(
            documents.c.source,
            claims.c.sentence_start,
            claims.c.content_start,
            claims.c.id,
        )
    )
    if filters.limit is not None:
        query = query.limit(filters.limit)
    if filters.offset:
        query = query.offset(filters.offset)
    return query


def _conditions(filters: ClaimFilter) -> list:
    conditions = []
    if filters.speaker:
        needle = filters.speaker.lower()
        conditions.append(
            or_(
                func.lower(claims.c.speaker_name).contains(needle, autoescape=True),
                func.lower(claims.c.speaker_text).contains(needle, autoescape=True),
            )
        )
    if filters.speaker_kind:
        conditions.append(claims.c.speaker_kind == filters.speaker_kind)
    if filters.cue_class:
        conditions.append(claims.c.cue_class == filters.cue_class)
    if filters.outlet:
        conditions.append(func.lower(documents.c.outlet) == filters.outlet.lower())
    if filters.hedged is not None:
        hedged = or_(
            exists().where(claim_hedges.c.claim_id == claims.c.id),
            claims.c.certainty != "certain",
        )
        conditions.append(hedged if filters.hedged else ~hedged)
    if filters.document:
        value = filters.document
        conditions.append(
            or_(
                documents.c.id.startswith(value, autoescape=True),
                documents.c.source == value,
                documents.c.source.startswith(f"{value}#", autoescape=True),
            )
        )
    return conditions


def claim_dicts(connection: Connection, rows: list[Any]) -> list[dict]:
    """The JSON shape of each claim row, with its relays, hedges, places, dates, entities."""
    parts = _parts(connection, [row.id for row in rows])
    return [_claim_dict(row, parts) for row in rows]


def _parts(connection: Connection, claim_ids: list[str]) -> dict[Table, dict[str, list]]:
    found: dict[Table, dict[str, list]] = {}
    for table in (claim_relays, claim_hedges, claim_places, claim_dates, claim_entities):
        by_claim: dict[str, list] = defaultdict(list)
        for chunk in _chunks(claim_ids, _ID_CHUNK):
            query = (
                select(table)
                .where(table.c.claim_id.in_(chunk))
                .order_by(table.c.claim_id, table.c.position)
            )
            for row in connection.execute(query):
                by_claim[row.claim_id].append(row)
        found[table] = by_claim
    return found


def _chunks(items: list[str], size: int) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _span(text: str | None, start: int | None, end: int | None) -> dict:
    return {"text": text, "start": start, "end": end}


def _claim_dict(row: Any, parts: dict[Table, dict[str, list]]) -> dict:
    hedges = parts[claim_hedges].get(row.id, [])
    return {
        "id": row.id,
        "document": {
            "id": row.document_id,
            "title": row.document_title,
            "outlet": row.document_outlet,
            "published_at": _iso(row.document_published_at),
            "source": row.document_source,
            "url": row.document_url,
            "language": row.document_language,
            "sha256": row.document_sha256,
        },
        "sentence": row.sentence_text,
        "sentence_span": {"start": row.sentence_start, "end": row.sentence_end},
        "speaker": {
            "text": row.speaker_text,
            "name": row.speaker_name,
            "kind": row.speaker_kind,
            "start": row.speaker_start,
            "end": row.speaker_end,
        },
        "cue": {"class": row.cue_class, **_span(row.cue_text, row.cue_start, row.cue_end)},
        "content": {
            "text": row.content_text,
            "quote": row.content_quote,
            "start": row.content_start,
            "end": row.content_end,
        },
        "relayed_via": [
            {"name": r.name, "kind": r.kind, **_span(r.text, r.start, r.end)}
            for r in parts[claim_relays].get(row.id, [])
        ],
        "polarity": row.polarity,
        "certainty": row.certainty,
        "conditional": bool(row.conditional),
        "hedges": [h.text for h in hedges],
        "hedge_spans": [_span(h.text, h.start, h.end) for h in hedges],
        "places": [
            {"name": p.name, "kind": p.kind, "lat": p.lat, "lon": p.lon,
             "country": p.country, "geonameid": p.geonameid, **_span(p.text, p.start, p.end)}
            for p in parts[claim_places].get(row.id, [])
        ],
        "dates": [
            {"value": d.value, **_span(d.text, d.start, d.end)}
            for d in parts[claim_dates].get(row.id, [])
        ],
        "entities": [
            {"label": e.label, **_span(e.text, e.start, e.end)}
            for e in parts[claim_entities].get(row.id, [])
        ],
        "checkworthiness": row.checkworthiness,
        "extractor": row.extractor,
    }


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def summary(connection: Connection) -> dict:
    """Counts of documents, outlets and claims, and claims by speaker kind and by cue class."""

    def count(query: Select) -> int:
        return int(connection.execute(query).scalar_one())

    def grouped(column: Any) -> dict[str, int]:
        query = select(column, func.count()).group_by(column).order_by(func.count().desc(), column)
        return {key: int(n) for key, n in connection.execute(query)}

    return {
        "documents": count(select(func.count()).select_from(documents)),
        "outlets": count(select(func.count(documents.c.outlet.distinct()))),
        "claims": count(select(func.count()).select_from(claims)),
        "by_speaker_kind": grouped(claims.c.speaker_kind),
        "by_cue_class": grouped(claims.c.cue_class),
    }

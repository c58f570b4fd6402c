"""Rows → JSON-ready dicts: the one shape of a claim that the CLI, the web UI and the API share.

Filters become SQLAlchemy expressions with bound parameters (LIKE patterns autoescaped, FTS5
queries built from the words alone), so a speaker name typed by a user or found in an article
never becomes SQL or FTS5 syntax.

Every span is an object ``{"text", "start", "end"}`` with ``document.text[start:end] == text``,
plus ``"fragments"`` (a list of such objects) when it is discontinuous. A claim a reviewer
corrected (``claimscope import-annotations``) shows the reviewed speaker, cue and content spans,
``"reviewed": true`` and a ``"review"`` saying who, when, from which file, and what the
extractor had found; the extractor's own rows are never changed. Extracted attributions of a
reviewed document that the reviewer deleted are not listed.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement, Connection, Select, Table, and_, column, exists, false, func, literal_column,
    or_, select, table,
)

from claimscope.store.schema import (
    REVIEWED_ROLES,
    annotation_imports,
    claim_dates,
    claim_entities,
    claim_hedges,
    claim_places,
    claim_relays,
    claims,
    documents,
    reviewed_attributions,
    reviewed_spans,
    span_fragments,
)

MAX_SEARCH_WORDS = 16
_WORD = re.compile(r"[^\W_]+\*?")
"""A word of a search as the FTS5 tables split text (letters and digits), ``*`` for a prefix."""
_ID_CHUNK = 500
"""Claim ids per ``IN (…)`` when fetching claim parts: far below any driver's parameter limit."""


@dataclass(frozen=True)
class ClaimFilter:
    """Which claims to list; every field left None does not filter.

    - ``speaker``: words of the canonical name or of the speaker's own words, in order, the
      last one as a prefix ("putin", "the ministry", "vladimir put"); on SQLite matched in the
      full-text index (case- and accent-insensitive), elsewhere as a case-insensitive substring.
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


def select_claims(filters: ClaimFilter, dialect: str | None = None,
                  reviewed: bool = True) -> Select:
    """Claims joined with their document, filtered, in ledger order (source, sentence).

    ``dialect`` is the database's (``connection.dialect.name``): on "sqlite" the speaker filter
    reads the full-text index; on any other, or None, it compares substrings. ``reviewed``
    False says no document has imported annotations (:func:`any_reviewed`), so no claim can
    be withdrawn by a reviewer and that check is left out.
    """
    on_claims, on_documents = claim_conditions(filters, dialect, reviewed)
    query = (
        claim_rows(*on_claims, *on_documents)
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


def claim_rows(*conditions: ColumnElement) -> Select:
    """Claims with their document's columns (what :func:`claim_dicts` reads), unordered."""
    return (
        select(claims, *(c.label(f"document_{c.name}") for c in _DOCUMENT_COLUMNS))
        .join(documents, documents.c.id == claims.c.document_id)
        .where(*conditions)
    )


def any_reviewed(connection: Connection) -> bool:
    """Whether any document has reviewed annotations (``claimscope import-annotations``)."""
    return bool(connection.execute(select(exists().select_from(annotation_imports))).scalar())


WITHDRAWN = and_(
    claims.c.speaker_kind != "author",
    exists().where(annotation_imports.c.document_id == claims.c.document_id),
    ~exists().where(reviewed_attributions.c.claim_id == claims.c.id),
)
"""An extracted attribution the reviewer of its document deleted (author-voice claims are not
attributions: they are never exported for review, so never withdrawn by one)."""


def claim_conditions(filters: ClaimFilter, dialect: str | None = None,
                     reviewed: bool = True) -> tuple[list, list]:
    """The filters as (conditions on ``claims``, conditions on their ``documents``): a count
    with no condition on documents need not read them (see :func:`select_claims`)."""
    on_claims = [~WITHDRAWN] if reviewed else []
    on_documents = []
    if filters.speaker:
        on_claims.append(_speaker_condition(filters.speaker, dialect))
    if filters.speaker_kind:
        on_claims.append(claims.c.speaker_kind == filters.speaker_kind)
    if filters.cue_class:
        on_claims.append(claims.c.cue_class == filters.cue_class)
    if filters.outlet:
        on_documents.append(func.lower(documents.c.outlet) == filters.outlet.lower())
    if filters.hedged is not None:  # stored by the writer: Factuality.hedged (revision 0009)
        on_claims.append(claims.c.hedged.is_(filters.hedged))
    if filters.document:
        value = filters.document
        on_documents.append(
            or_(
                documents.c.id.startswith(value, autoescape=True),
                documents.c.source == value,
                documents.c.source.startswith(f"{value}#", autoescape=True),
            )
        )
    return on_claims, on_documents


def _speaker_condition(speaker: str, dialect: str | None) -> ColumnElement:
    if dialect != "sqlite":
        needle = speaker.lower()
        return or_(
            func.lower(claims.c.speaker_name).contains(needle, autoescape=True),
            func.lower(claims.c.speaker_text).contains(needle, autoescape=True),
        )
    words = [w.rstrip("*") for w in _WORD.findall(speaker)[:MAX_SEARCH_WORDS]]
    if not words:
        return false()
    return full_text_match("claims_fts", "claim_id", claims.c.id,
                           f'speaker : "{" ".join(words)}"*')


def search_condition(
    dialect: str | None, fts: str, key: str, id_column: Any, q: str, columns: list[Any]
) -> ColumnElement | None:
    """Rows whose text holds every word of ``q`` (``word*``: a prefix); None if it has none.

    On SQLite the FTS5 table ``fts`` (its ``key`` column holding ``id_column``'s values) is
    searched; elsewhere each word is a case-insensitive substring of one of ``columns``.
    """
    words = _WORD.findall(q)[:MAX_SEARCH_WORDS]
    if not words:
        return None
    if dialect == "sqlite":
        match = " ".join(f'"{w.rstrip("*")}"' + ("*" if w.endswith("*") else "") for w in words)
        return full_text_match(fts, key, id_column, match)
    return and_(*(
        or_(*(func.lower(c).contains(w.rstrip("*").lower(), autoescape=True) for c in columns))
        for w in words
    ))


def full_text_match(fts: str, key: str, id_column: Any, match: str) -> ColumnElement:
    """``id_column IN`` the keys of the FTS5 rows that ``match`` (a bound value, never SQL).

    Words reach ``match`` only as quoted FTS5 strings of letters and digits, so no FTS5 syntax
    typed by a user (or found in an article) reaches the query parser.
    """
    index = table(fts, column(key))
    return id_column.in_(select(index.c[key]).where(literal_column(fts).op("MATCH")(match)))


def claim_dicts(connection: Connection, rows: list[Any]) -> list[dict]:
    """The JSON shape of each claim row, with its relays, hedges, places, dates, entities,
    the fragments of its discontinuous spans, and its reviewed version if there is one."""
    ids = [row.id for row in rows]
    parts = _parts(connection, ids)
    reviews = _reviews(connection, ids)
    return [_reviewed(_claim_dict(row, parts), reviews.get(row.id)) for row in rows]


def _parts(connection: Connection, claim_ids: list[str]) -> dict[Table, dict[str, list]]:
    found: dict[Table, dict[str, list]] = {}
    for part in (claim_relays, claim_hedges, claim_places, claim_dates, claim_entities,
                 span_fragments):
        found[part] = _rows_by_claim(connection, part, claim_ids)
    return found


def _rows_by_claim(connection: Connection, table: Table, claim_ids: list[str]) -> dict[str, list]:
    by_claim: dict[str, list] = defaultdict(list)
    for chunk in _chunks(claim_ids, _ID_CHUNK):
        query = (
            select(table).where(table.c.claim_id.in_(chunk))
            .order_by(*table.primary_key.columns)
        )
        for row in connection.execute(query):
            by_claim[row.claim_id].append(row)
    return by_claim


def _reviews(connection: Connection, claim_ids: list[str]) -> dict[str, dict]:
    """Per reviewed claim: who reviewed it, when, from which file, and its spans by role."""
    spans = _rows_by_claim(connection, reviewed_spans, claim_ids)
    found: dict[str, dict] = {}
    for chunk in _chunks(claim_ids, _ID_CHUNK):
        query = (
            select(reviewed_attributions, annotation_imports.c.imported_by,
                   annotation_imports.c.imported_at, annotation_imports.c.source,
                   documents.c.text)
            .join(annotation_imports,
                  annotation_imports.c.id == reviewed_attributions.c.import_id)
            .join(documents, documents.c.id == reviewed_attributions.c.document_id)
            .where(reviewed_attributions.c.claim_id.in_(chunk))
        )
        for row in connection.execute(query):
            by_role: dict[str, list] = defaultdict(list)
            for span in spans.get(row.claim_id, []):
                by_role[span.role].append(_span(span.text, span.start, span.end))
            found[row.claim_id] = {
                "by": row.imported_by, "at": _iso(row.imported_at), "source": row.source,
                "added": bool(row.added),
                "spans": {role: span_object(row.text, pieces) for role, pieces in by_role.items()},
            }
    return found


def span_object(text: str, fragments: list[dict]) -> dict:
    """One span object from its fragments (in text order): ``fragments`` only if several."""
    start, end = min(f["start"] for f in fragments), max(f["end"] for f in fragments)
    found = _span(text[start:end], start, end)
    return found | {"fragments": fragments} if len(fragments) > 1 else found


def _reviewed(claim: dict, review: dict | None) -> dict:
    """The claim with its reviewed spans in place of the extracted ones, if reviewed."""
    if review is None:
        return claim | {"reviewed": False, "review": None}
    spans = review.pop("spans")
    extracted = {role: {k: claim[role][k] for k in (*_SPAN_KEYS, "fragments") if k in claim[role]}
                 for role in REVIEWED_ROLES}
    for role in REVIEWED_ROLES:
        claim[role] = {k: v for k, v in claim[role].items() if k not in (*_SPAN_KEYS, "fragments")}
        claim[role] |= spans.get(role, _span(None, None, None))
    return claim | {"reviewed": True, "review": review | {"extracted": extracted}}


def _chunks(items: list[str], size: int) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


_SPAN_KEYS = ("text", "start", "end")


def _span(text: str | None, start: int | None, end: int | None) -> dict:
    return {"text": text, "start": start, "end": end}


def _with_fragments(span: dict, rows: list[Any]) -> dict:
    """``span`` with its ``fragments`` when it has several."""
    if len(rows) < 2:
        return span
    return span | {"fragments": [_span(f.text, f.start, f.end) for f in rows]}


def _claim_dict(row: Any, parts: dict[Table, dict[str, list]]) -> dict:
    fragments: dict[tuple[str, int], list] = defaultdict(list)
    for fragment in parts[span_fragments].get(row.id, []):
        fragments[fragment.part, fragment.part_position].append(fragment)

    def span(part: str, position: int, text: str | None, start: int | None,
             end: int | None) -> dict:
        return _with_fragments(_span(text, start, end), fragments.get((part, position), []))

    hedges = [span("hedge", n, h.text, h.start, h.end)
              for n, h in enumerate(parts[claim_hedges].get(row.id, []))]
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
            "name": row.speaker_name,
            "kind": row.speaker_kind,
            **span("speaker", 0, row.speaker_text, row.speaker_start, row.speaker_end),
        },
        "cue": {"class": row.cue_class,
                **span("cue", 0, row.cue_text, row.cue_start, row.cue_end)},
        "content": {
            "quote": row.content_quote,
            **span("content", 0, row.content_text, row.content_start, row.content_end),
        },
        "relayed_via": [
            {"name": r.name, "kind": r.kind, **span("relay", n, r.text, r.start, r.end)}
            for n, r in enumerate(parts[claim_relays].get(row.id, []))
        ],
        "polarity": row.polarity,
        "certainty": row.certainty,
        "conditional": bool(row.conditional),
        "hedges": hedges,
        "places": [
            {"name": p.name, "kind": p.kind, "lat": p.lat, "lon": p.lon,
             "country": p.country, "geonameid": p.geonameid,
             **span("place", n, p.text, p.start, p.end)}
            for n, p in enumerate(parts[claim_places].get(row.id, []))
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
        # the highest of the claim's propositions' (None in none): the ledger sorts by them
        "independent_origins": row.proposition_origins,
        "echo_ratio": row.proposition_echo_ratio,
        "extractor": row.extractor,
    }


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def summary(connection: Connection) -> dict:
    """Counts of documents, outlets and claims, and claims by speaker kind and by cue class."""

    def count(query: Select) -> int:
        return int(connection.execute(query).scalar_one())

    def grouped(column: Any) -> dict[str, int]:
        query = (select(column, func.count()).where(~WITHDRAWN).group_by(column)
                 .order_by(func.count().desc(), column))
        return {key: int(n) for key, n in connection.execute(query)}

    return {
        "documents": count(select(func.count()).select_from(documents)),
        "outlets": count(select(func.count(documents.c.outlet.distinct()))),
        "claims": count(select(func.count()).select_from(claims).where(~WITHDRAWN)),
        "by_speaker_kind": grouped(claims.c.speaker_kind),
        "by_cue_class": grouped(claims.c.cue_class),
    }

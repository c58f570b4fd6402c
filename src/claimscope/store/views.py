"""Read-only views of the ledger: the one data function behind each web page and its JSON twin.

The web desk's HTML pages and ``/api/v1`` call the same method of :class:`LedgerViews` and get
the same JSON-ready dict; templates only format it. Claims keep the one shape of
:mod:`claimscope.store.read` (this module adds filters and sorting to ``select_claims``).

Pages are cut by keyset cursors: an opaque string holding the sort key of the last row shown,
so the next page is an indexed range scan however deep, and rows added meanwhile never shift
a page. Full-text search uses the FTS5 tables of revision 0003 on SQLite; on another database
it falls back to case-insensitive substring matches of each word.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any, TypeVar

from sqlalchemy import (
    Connection, ColumnElement, Select, case, func, or_,
    select,
)

from claimscope.registry import outlet_index
from claimscope.store.cursors import InvalidCursor, after, decode, encode, pack
from claimscope.store.read import (
    ClaimFilter, any_reviewed, claim_conditions, claim_dicts, claim_rows, search_condition,
    select_claims,
)
from claimscope.store.schema import claim_places, claims, documents
from claimscope.store.store import Store
from claimscope.store.verdicts import judged_claims

T = TypeVar("T")
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500
SORTS = ("ledger", "checkworthiness", "independent-origins", "echo-ratio")
"""``ledger``: by document source, then position in the text; ``checkworthiness``: highest
first; ``independent-origins``, ``echo-ratio``: the highest of the claim's propositions first
(stored by linking, revision 0008), claims in no proposition last."""
VAGUE_OR_ANONYMOUS = ("vague", "anonymous")
CONTEXT_CHARS = 600
"""At most this many characters of the article shown before and after a claim's sentence."""


@dataclass(frozen=True)
class LedgerFilter:
    """Which claims a ledger page shows; None does not filter.

    ``vague``: True for claims whose speaker is vague or anonymous, False for the others.
    ``place``: a case-insensitive part of a place name, or a country code. ``published_from``
    and ``published_to`` bound the document's publication date (both days included).
    ``q``: words that must all occur in the speaker, sentence or content (``word*``: prefix).
    ``verdict``: claims of a proposition whose current verdict is this (:mod:`.verdicts`).
    """

    speaker: str | None = None
    speaker_kind: str | None = None
    outlet: str | None = None
    cue_class: str | None = None
    hedged: bool | None = None
    vague: bool | None = None
    place: str | None = None
    published_from: date | None = None
    published_to: date | None = None
    q: str | None = None
    document: str | None = None
    verdict: str | None = None
    sort: str = "ledger"
    cursor: str | None = None
    limit: int = DEFAULT_PAGE_SIZE

    def params(self) -> dict[str, Any]:
        """The filters and sort that are set, as query parameters (no cursor, no limit)."""
        found = asdict(self)
        del found["cursor"], found["limit"]
        if found["sort"] == "ledger":
            del found["sort"]
        return {k: _param(v) for k, v in found.items() if v is not None and v != ""}


@dataclass(frozen=True)
class DocumentFilter:
    """Which documents a page of articles lists; ``q`` searches their title and text."""

    outlet: str | None = None
    q: str | None = None
    published_from: date | None = None
    published_to: date | None = None
    cursor: str | None = None
    limit: int = DEFAULT_PAGE_SIZE

    def params(self) -> dict[str, Any]:
        found = asdict(self)
        del found["cursor"], found["limit"]
        return {k: _param(v) for k, v in found.items() if v is not None and v != ""}


def _param(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


_SORT_KEYS: dict[str, list[tuple[Any, str, bool]]] = {
    # (column, attribute of the result row, descending)
    "ledger": [
        (documents.c.source, "document_source", False),
        (claims.c.sentence_start, "sentence_start", False),
        (claims.c.content_start, "content_start", False),
        (claims.c.id, "id", False),
    ],
    "checkworthiness": [
        (claims.c.checkworthiness, "checkworthiness", True),
        (claims.c.id, "id", False),
    ],
    "independent-origins": [
        (claims.c.proposition_origins, "proposition_origins", True),
        (claims.c.id, "id", False),
    ],
    "echo-ratio": [
        (claims.c.proposition_echo_ratio, "proposition_echo_ratio", True),
        (claims.c.id, "id", False),
    ],
    "documents": [(documents.c.source, "source", False), (documents.c.id, "id", False)],
}


STATISTICS_SAMPLE = 1000
"""Rows of each index SQLite's ANALYZE reads (``PRAGMA analysis_limit``): enough for the
planner, about 0.1 s at 100k claims."""


def refresh_statistics(store: Store) -> None:
    """Tell SQLite's query planner the ledger's shape (ANALYZE, through the one writer).

    Without statistics, SQLite reads a ledger page by scanning and sorting every claim; with
    them it walks documents by source and their claims by position and stops after one page
    (``benchmarks/web_latency.py``). The web desk runs this when it starts.
    """

    def analyze(connection: Connection) -> None:
        if connection.dialect.name != "sqlite":
            return
        connection.exec_driver_sql(f"PRAGMA analysis_limit = {STATISTICS_SAMPLE}")
        connection.exec_driver_sql("ANALYZE")

    store.write(analyze)


class LedgerViews:
    """The web desk's reads, each on its own connection beside the Store's one writer."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def claims_page(self, filters: LedgerFilter) -> dict:
        """One page of claims: ``claims``, ``count`` (all matching), ``next_cursor``."""
        return self._read(lambda connection: _claims_page(connection, filters))

    def claim(self, claim_id: str) -> dict | None:
        """A claim with the passage of its article around it (``context``), or None."""
        return self._read(lambda connection: _claim(connection, claim_id))

    def document(self, document_id: str) -> dict | None:
        """A document with its full text and all its claims in text order, or None."""
        return self._read(lambda connection: _document(connection, document_id))

    def documents_page(self, filters: DocumentFilter) -> dict:
        """One page of documents (``articles``) with their number of claims."""
        return self._read(lambda connection: _documents_page(connection, filters))

    def outlets_page(self, cursor: str | None = None, limit: int = DEFAULT_PAGE_SIZE) -> dict:
        """Outlets by number of claims, each with its shares of hedged and vague claims."""
        return self._read(lambda connection: _outlets_page(connection, cursor, limit))

    def outlet(self, name: str, filters: LedgerFilter = LedgerFilter()) -> dict | None:
        """An outlet's figures and registry entry, with a page of its claims; None if unknown."""
        return self._read(lambda connection: _outlet(connection, name, filters))

    def outlet_names(self) -> list[str]:
        """Every outlet named by a stored document, for a filter's choices."""
        query = (
            select(documents.c.outlet).where(documents.c.outlet.is_not(None))
            .distinct().order_by(documents.c.outlet).limit(MAX_PAGE_SIZE)
        )
        return self._read(lambda connection: list(connection.execute(query).scalars()))

    def _read(self, run: Callable[[Connection], T]) -> T:
        return self._store.read(run)


# -- claims ------------------------------------------------------------------------------


def _claims_page(connection: Connection, filters: LedgerFilter) -> dict:
    on_claims, on_documents = _ledger_conditions(connection, filters)
    keys = _SORT_KEYS[filters.sort]
    # The page's ids first, sorted from indexes alone; then only their rows are read (a
    # document's row holds its whole text: reading it for every match to sort them is slow).
    page = (
        select(claims.c.id)
        .join_from(claims, documents, documents.c.id == claims.c.document_id)
        .where(*on_claims, *on_documents)
        .order_by(*(c.desc() if d else c for c, _, d in keys))
        .limit(filters.limit + 1)
    )
    # A filter that is a list of ids (speaker, place, search, verdict) makes SQLite visit
    # every match to sort them anyway: the first page counts them in the same pass.
    counted_with_page = filters.cursor is None and any(
        (filters.speaker, filters.place, filters.q, filters.verdict))
    if counted_with_page:
        page = page.add_columns(func.count().over().label("total"))
    else:
        total = connection.execute(_count(on_claims, on_documents)).scalar_one()
    if filters.cursor:
        page = page.where(after(keys, decode(filters.cursor, filters.sort, len(keys))))
    listed = list(connection.execute(page))
    if counted_with_page:
        total = listed[0].total if listed else 0
    ids = [row.id for row in listed]
    more = len(ids) > filters.limit
    ids = ids[: filters.limit]
    found = {row.id: row for row in connection.execute(claim_rows(claims.c.id.in_(ids)))}
    rows = [found[claim_id] for claim_id in ids]
    return {
        "claims": claim_dicts(connection, rows),
        "count": int(total),
        "next_cursor": encode(filters.sort, rows[-1], keys) if more else None,
        "limit": filters.limit,
        "sort": filters.sort,
        "filters": filters.params(),
    }


def _count(on_claims: list, on_documents: list) -> Select:
    """Counted on claims alone (their documents only through an id list when a filter is on
    them) and unordered: a count that joins or sorts reads every matching row's document."""
    count = select(func.count()).select_from(claims).where(*on_claims)
    if on_documents:
        count = count.where(claims.c.document_id.in_(
            select(documents.c.id).where(*on_documents)))
    return count


def _ledger_conditions(connection: Connection, filters: LedgerFilter) -> tuple[list, list]:
    """The ledger's filters as (conditions on claims, conditions on their documents)."""
    if filters.sort not in SORTS:
        raise ValueError(f"unknown sort {filters.sort!r}: one of {', '.join(SORTS)}")
    dialect = connection.dialect.name
    on_claims, on_documents = claim_conditions(
        ClaimFilter(
            speaker=filters.speaker,
            speaker_kind=filters.speaker_kind,
            outlet=filters.outlet,
            cue_class=filters.cue_class,
            hedged=filters.hedged,
            document=filters.document,
        ),
        dialect,
        reviewed=any_reviewed(connection),
    )
    if filters.vague is not None:
        vague = claims.c.speaker_kind.in_(VAGUE_OR_ANONYMOUS)
        on_claims.append(vague if filters.vague else ~vague)
    if filters.place:
        # Uncorrelated: one pass over the (small) places table, not one lookup per claim.
        needle = filters.place.lower()
        on_claims.append(
            claims.c.id.in_(
                select(claim_places.c.claim_id).where(
                    or_(
                        func.lower(claim_places.c.name).contains(needle, autoescape=True),
                        func.lower(claim_places.c.country) == needle,
                    )
                )
            )
        )
    on_documents.extend(_published(filters.published_from, filters.published_to))
    if filters.verdict:
        on_claims.append(judged_claims(connection, filters.verdict))
    if filters.q:
        searched = search_condition(dialect, "claims_fts", "claim_id", claims.c.id, filters.q, [
            claims.c.speaker_name, claims.c.speaker_text, claims.c.sentence_text,
            claims.c.content_text,
        ])
        if searched is not None:
            on_claims.append(searched)
    return on_claims, on_documents


def _published(start: date | None, end: date | None) -> list[ColumnElement]:
    """Bounds on the publication time; stored as ISO text, compared as text (naive bounds)."""
    conditions = []
    if start is not None:
        conditions.append(documents.c.published_at >= datetime.combine(start, time.min))
    if end is not None:
        conditions.append(
            documents.c.published_at < datetime.combine(end + timedelta(days=1), time.min)
        )
    return conditions


def _claim(connection: Connection, claim_id: str) -> dict | None:
    query = select_claims(ClaimFilter(), connection.dialect.name).where(claims.c.id == claim_id)
    rows = list(connection.execute(query))
    if not rows:
        return None
    (found,) = claim_dicts(connection, rows)
    text = connection.execute(
        select(documents.c.text).where(documents.c.id == found["document"]["id"])
    ).scalar_one()
    return {"claim": found, "context": _context(text, found)}


def _context(text: str, claim: dict) -> dict:
    """The paragraph(s) around the claim's sentence, content, speaker, cue and hedges."""
    spans = [claim["sentence_span"], claim["content"], claim["speaker"], claim["cue"],
             *claim["hedges"]]
    starts = [s["start"] for s in spans if s.get("start") is not None]
    ends = [s["end"] for s in spans if s.get("end") is not None]
    low, high = min(starts), max(ends)
    if high - low > 3 * CONTEXT_CHARS:  # a speaker named far away: keep to the sentence
        low = min(claim["sentence_span"]["start"], claim["content"]["start"])
        high = max(claim["sentence_span"]["end"], claim["content"]["end"])
    start = max(text.rfind("\n", 0, low) + 1, low - CONTEXT_CHARS, 0)
    newline = text.find("\n", high)
    end = min(len(text) if newline < 0 else newline, high + CONTEXT_CHARS)
    return {"start": start, "end": end, "text": text[start:end], "length": len(text)}


# -- documents ---------------------------------------------------------------------------

_DOCUMENT_FIELDS = (
    documents.c.id, documents.c.title, documents.c.outlet, documents.c.published_at,
    documents.c.source, documents.c.url, documents.c.language, documents.c.sha256,
    documents.c.ingested_at, documents.c.relayed_from,
)


def _document_dict(row: Any) -> dict:
    found = {c.name: getattr(row, c.name) for c in _DOCUMENT_FIELDS}
    for name in ("published_at", "ingested_at"):
        found[name] = found[name].isoformat() if found[name] is not None else None
    found["relayed_from"] = list(found["relayed_from"] or [])
    return found


def _document(connection: Connection, document_id: str) -> dict | None:
    row = connection.execute(
        select(*_DOCUMENT_FIELDS, documents.c.text).where(documents.c.id == document_id)
    ).first()
    if row is None:
        return None
    rows = list(connection.execute(
        select_claims(ClaimFilter(), connection.dialect.name)
        .where(claims.c.document_id == document_id)
    ))
    return {
        "document": {**_document_dict(row), "text": row.text},
        "claims": claim_dicts(connection, rows),
    }


def _documents_page(connection: Connection, filters: DocumentFilter) -> dict:
    claim_count = (
        select(func.count()).where(claims.c.document_id == documents.c.id).scalar_subquery()
    )
    query = select(*_DOCUMENT_FIELDS, claim_count.label("claims"))
    if filters.outlet:
        query = query.where(func.lower(documents.c.outlet) == filters.outlet.lower())
    query = query.where(*_published(filters.published_from, filters.published_to))
    if filters.q:
        searched = search_condition(connection.dialect.name, "documents_fts", "document_id",
                                    documents.c.id, filters.q, [documents.c.title, documents.c.text])
        if searched is not None:
            query = query.where(searched)
    total = connection.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    keys = _SORT_KEYS["documents"]
    query = query.order_by(*(c for c, _, _ in keys))
    if filters.cursor:
        query = query.where(after(keys, decode(filters.cursor, "documents", len(keys))))
    rows = list(connection.execute(query.limit(filters.limit + 1)))
    more = len(rows) > filters.limit
    rows = rows[: filters.limit]
    return {
        "articles": [{**_document_dict(row), "claims": int(row.claims)} for row in rows],
        "count": int(total),
        "next_cursor": encode("documents", rows[-1], keys) if more else None,
        "limit": filters.limit,
        "filters": filters.params(),
    }


# -- outlets -----------------------------------------------------------------------------


def _outlet_figures() -> list[Any]:
    one_if = lambda condition: func.coalesce(func.sum(case((condition, 1), else_=0)), 0)  # noqa: E731
    return [
        func.count(documents.c.id.distinct()).label("documents"),
        func.count(claims.c.id).label("claims"),
        one_if(claims.c.hedged).label("hedged"),
        one_if(claims.c.speaker_kind.in_(VAGUE_OR_ANONYMOUS)).label("vague_or_anonymous"),
    ]


def _outlet_dict(name: str, row: Any) -> dict:
    n = int(row.claims)
    share = lambda part: round(int(part) / n, 4) if n else None  # noqa: E731
    return {
        "name": name,
        "documents": int(row.documents),
        "claims": n,
        "hedged": int(row.hedged),
        "vague_or_anonymous": int(row.vague_or_anonymous),
        "share_hedged": share(row.hedged),
        "share_vague_or_anonymous": share(row.vague_or_anonymous),
        "registry": _registry_entry(name),
    }


def _registry_entry(name: str) -> dict | None:
    outlet = outlet_index().by_name(name)
    if outlet is None:
        return None
    return {k: v for k, v in outlet.model_dump().items() if k != "speaker_kind"}


def _outlets_page(connection: Connection, cursor: str | None, limit: int) -> dict:
    joined = documents.outerjoin(claims, claims.c.document_id == documents.c.id)
    query = (
        select(documents.c.outlet, *_outlet_figures())
        .select_from(joined)
        .where(documents.c.outlet.is_not(None))
        .group_by(documents.c.outlet)
        .order_by(func.count(claims.c.id).desc(), documents.c.outlet)
    )
    total = connection.execute(
        select(func.count(documents.c.outlet.distinct()))
    ).scalar_one()
    (offset,) = decode(cursor, "outlets", 1) if cursor else (0,)
    if not isinstance(offset, int) or offset < 0:
        raise InvalidCursor("not a cursor of this list")
    rows = list(connection.execute(query.offset(offset).limit(limit + 1)))
    more = len(rows) > limit
    return {
        "outlets": [_outlet_dict(row.outlet, row) for row in rows[:limit]],
        "count": int(total),
        "next_cursor": pack("outlets", [offset + limit]) if more else None,
        "limit": limit,
    }


def _outlet(connection: Connection, name: str, filters: LedgerFilter) -> dict | None:
    joined = documents.outerjoin(claims, claims.c.document_id == documents.c.id)
    same = func.lower(documents.c.outlet) == name.lower()
    row = connection.execute(select(*_outlet_figures()).select_from(joined).where(same)).one()
    if not row.documents:
        return None
    stored = connection.execute(select(documents.c.outlet).where(same).limit(1)).scalar_one()
    page = _claims_page(connection, replace(filters, outlet=stored))
    return {"outlet": _outlet_dict(stored, row), "claims": page}

"""Query parameters shared by a page and its JSON twin: one parser, so both filter alike.

An empty value (what an HTML form sends for a field left blank) means "not set", so the
ledger's filter form and ``/api/v1/claims?speaker=…`` go through the same typed parameters,
and the OpenAPI document describes what the form sends too.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import Query
from pydantic import BeforeValidator, StringConstraints

from claimscope.corpus.corroboration import SORTS as PROPOSITION_SORTS
from claimscope.records import CUE_CLASSES, SPEAKER_KINDS
from claimscope.store import DocumentFilter, LedgerFilter
from claimscope.store.schema import VERDICTS
from claimscope.store.views import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, SORTS


def _blank_is_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


def _optional(kind: Any, description: str, max_length: int | None = None) -> Any:
    if max_length is not None:  # on the value: a blank becomes None before any check
        kind = Annotated[kind, StringConstraints(max_length=max_length)]
    return Annotated[
        kind | None, BeforeValidator(_blank_is_none), Query(description=description)
    ]


SpeakerKind = Literal[SPEAKER_KINDS]  # type: ignore[valid-type]
CueClass = Literal[CUE_CLASSES]  # type: ignore[valid-type]
Sort = Literal[SORTS]  # type: ignore[valid-type]
Speaker = _optional(str, "Words of the speaker's name or words, in order, the last one as a "
                    "prefix (\"vladimir put\"); case-insensitive.", max_length=500)
Kind = _optional(SpeakerKind, "Kind of speaker.")
Outlet = _optional(str, "The outlet that published the document (case-insensitive).",
                   max_length=500)
Cue = _optional(CueClass, "Class of the attribution cue.")
Hedged = _optional(bool, "true: hedged or less than certain; false: the others.")
Vague = _optional(bool, "true: the speaker is vague or anonymous; false: the others.")
Place = _optional(str, "Part of a place name, or a country code.", max_length=200)
From = _optional(date, "Published on or after this day (YYYY-MM-DD).")
To = _optional(date, "Published on or before this day (YYYY-MM-DD).")
Search = _optional(str, "Words that must all occur (full-text search; word* for a prefix).",
                   max_length=500)
Document = _optional(str, "A document id (or its prefix) or source.", max_length=500)
Cursor = _optional(str, "The next_cursor of the previous page.", max_length=2000)
Verdict = _optional(Literal[VERDICTS],  # type: ignore[valid-type]
                    "Claims of a proposition whose current verdict is this.")
VerdictChoice = _optional(Literal[(*VERDICTS, "none")],  # type: ignore[valid-type]
                          "Propositions whose current verdict is this (none: not judged).")
PropositionSort = Annotated[
    Literal[PROPOSITION_SORTS],  # type: ignore[valid-type]
    Query(description="Largest first: independent origins, echo ratio, contradictions, claims."),
]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="Rows per page.")]


def ledger_filter(
    speaker: Speaker = None,
    speaker_kind: Kind = None,
    outlet: Outlet = None,
    cue_class: Cue = None,
    hedged: Hedged = None,
    vague: Vague = None,
    place: Place = None,
    published_from: From = None,
    published_to: To = None,
    q: Search = None,
    document: Document = None,
    verdict: Verdict = None,
    sort: Annotated[Sort, Query(description=(
        "ledger: text order; checkworthiness: highest first; independent-origins, "
        "echo-ratio: the highest of the claim's propositions first, claims in no "
        "proposition last."))] = "ledger",
    cursor: Cursor = None,
    limit: Limit = DEFAULT_PAGE_SIZE,
) -> LedgerFilter:
    return LedgerFilter(
        speaker=speaker, speaker_kind=speaker_kind, outlet=outlet, cue_class=cue_class,
        hedged=hedged, vague=vague, place=place, published_from=published_from,
        published_to=published_to, q=q, document=document, verdict=verdict, sort=sort,
        cursor=cursor, limit=limit,
    )


def outlet_claims_filter(
    speaker: Speaker = None,
    speaker_kind: Kind = None,
    cue_class: Cue = None,
    hedged: Hedged = None,
    vague: Vague = None,
    sort: Annotated[Sort, Query()] = "ledger",
    cursor: Cursor = None,
    limit: Limit = DEFAULT_PAGE_SIZE,
) -> LedgerFilter:
    """The filters of an outlet's claims (the outlet itself comes from the path)."""
    return LedgerFilter(
        speaker=speaker, speaker_kind=speaker_kind, cue_class=cue_class, hedged=hedged,
        vague=vague, sort=sort, cursor=cursor, limit=limit,
    )


def document_filter(
    outlet: Outlet = None,
    q: _optional(str, "Words that must all occur in the title or text.",  # type: ignore
                 max_length=500) = None,
    published_from: From = None,
    published_to: To = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_PAGE_SIZE,
) -> DocumentFilter:
    return DocumentFilter(outlet=outlet, q=q, published_from=published_from,
                          published_to=published_to, cursor=cursor, limit=limit)

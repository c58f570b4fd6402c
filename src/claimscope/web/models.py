"""The JSON shapes of ``/api/v1``, for its OpenAPI document and to check every response.

They describe the dicts of :mod:`claimscope.store.read` and :mod:`claimscope.store.views`;
extra keys are let through, so a field added there is never silently dropped here.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class _Shape(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)


class Fragment(_Shape):
    text: str
    start: int
    end: int


class Span(_Shape):
    """``document.text[start:end] == text``; ``fragments`` only for a discontinuous span."""

    text: str | None
    start: int | None
    end: int | None
    fragments: list[Fragment] | None = Field(default=None, exclude_if=lambda value: value is None)


class DocumentRef(_Shape):
    id: str
    title: str | None
    outlet: str | None
    published_at: str | None
    source: str
    url: str | None
    language: str | None
    sha256: str


class Speaker(Span):
    name: str
    kind: str


class Cue(Span):
    class_: str = Field(alias="class")


class Content(Span):
    quote: str


class Relay(Span):
    name: str
    kind: str


class Place(Span):
    name: str
    kind: str
    lat: float
    lon: float
    country: str | None
    geonameid: int | None


class DateMention(Span):
    value: str


class Entity(Span):
    label: str


class ExtractedSpans(_Shape):
    speaker: Span
    cue: Span
    content: Span


class Review(_Shape):
    """Who imported the corrected attribution, when, from which file; what was extracted."""

    by: str
    at: str
    source: str
    added: bool
    extracted: ExtractedSpans


class SentenceSpan(_Shape):
    start: int
    end: int


class Claim(_Shape):
    id: str
    document: DocumentRef
    sentence: str
    sentence_span: SentenceSpan
    speaker: Speaker
    cue: Cue
    content: Content
    relayed_via: list[Relay]
    polarity: str
    certainty: str
    conditional: bool
    hedges: list[Span]
    places: list[Place]
    dates: list[DateMention]
    entities: list[Entity]
    checkworthiness: float
    extractor: str
    reviewed: bool
    review: Review | None
    independent_origins: int | None = Field(None, description=(
        "On a ledger page: the highest independent origins among the claim's propositions "
        "(null in none)."))
    echo_ratio: float | None = Field(None, description=(
        "On a ledger page: the highest echo ratio among the claim's propositions."))


class ClaimPage(_Shape):
    claims: list[Claim]
    count: int
    next_cursor: str | None
    limit: int
    sort: str
    filters: dict[str, str | int | float | bool]


class Context(_Shape):
    start: int
    end: int
    text: str
    length: int


class ClaimView(_Shape):
    claim: Claim
    context: Context


class Article(_Shape):
    id: str
    title: str | None
    outlet: str | None
    published_at: str | None
    source: str
    url: str | None
    language: str | None
    sha256: str
    ingested_at: str
    relayed_from: list[str]


class ArticleSummary(Article):
    claims: int


class ArticlePage(_Shape):
    articles: list[ArticleSummary]
    count: int
    next_cursor: str | None
    limit: int
    filters: dict[str, str | int | float | bool]


class ArticleText(Article):
    text: str


class ArticleView(_Shape):
    document: ArticleText
    claims: list[Claim]


class Outlet(_Shape):
    name: str
    documents: int
    claims: int
    hedged: int
    vague_or_anonymous: int
    share_hedged: float | None
    share_vague_or_anonymous: float | None
    registry: dict | None


class OutletPage(_Shape):
    outlets: list[Outlet]
    count: int
    next_cursor: str | None
    limit: int


class OutletView(_Shape):
    outlet: Outlet
    claims: ClaimPage


class Problem(_Shape):
    detail: str

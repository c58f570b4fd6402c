"""The JSON shapes of propositions, verdicts and ClaimReviews in ``/api/v1``.

They describe the dicts of :mod:`claimscope.corpus.verdicts` (extra keys let through, as in
:mod:`.models`), and the one body the API accepts: a new verdict.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from claimscope.store.schema import VERDICTS
from claimscope.store.verdicts import MAX_EVIDENCE, MAX_RATIONALE, MAX_URL
from claimscope.web.models import _Shape

VerdictName = Literal[VERDICTS]  # type: ignore[valid-type]


class Verdict(_Shape):
    id: int
    proposition_id: str
    verdict: str
    previous: str | None
    rationale: str
    evidence: list[str]
    judged_by: str
    judged_at: str
    statement: str
    claim_ids: list[str]


class CurrentVerdict(Verdict):
    judged_as: str
    changes: int


class VerdictTable(_Shape):
    verdicts: list[CurrentVerdict]
    unattached: list[Verdict]


class PropositionBrief(_Shape):
    id: str
    statement: str
    claims: int
    documents: int
    outlets: list[str]
    independent_origins: int
    echo_ratio: float | None
    origin_order: str
    contradictions: int
    verdict: str | None


class PropositionPage(_Shape):
    propositions: list[PropositionBrief]
    count: int
    next_cursor: str | None
    limit: int
    sort: str
    filters: dict[str, str]


class Member(_Shape):
    claim: str
    tier: str
    stance: str
    score: float
    speaker: str
    speaker_kind: str
    content: str
    document: str
    outlet: str | None
    published_at: str | None


class Origin(_Shape):
    key: str
    speaker: str
    claims: list[str]
    documents: list[str]
    first_published: str | None


class Proposition(_Shape):
    id: str
    statement: str
    anchor: str
    members: list[Member]
    documents: list[str]
    independent_origins: int
    origins: list[Origin]
    origin_order: str
    echo_ratio: float | None


class Timeline(_Shape):
    dated: list[dict]
    undated: list[dict]


class NamedPlace(_Shape):
    """A place named inside a proposition's claims, with how many of them name it."""
    name: str
    kind: str
    lat: float
    lon: float
    country: str | None
    claims: int


class FactCheck(_Shape):
    sha256: str
    source: str
    claim_reviewed: str
    rating: str | None
    proposition_id: str | None
    score: float | None


class PropositionView(_Shape):
    proposition: Proposition
    verdict: Verdict | None
    history: list[Verdict]
    documents: list[dict]
    republication: list[dict]
    contradictions: list[dict]
    timeline: Timeline
    places: list[NamedPlace]
    fact_checks: list[FactCheck]
    verdicts: list[str]


class NewVerdict(BaseModel):
    """A verdict to set on a proposition (analyst or admin, with an API token)."""

    model_config = ConfigDict(extra="forbid")
    proposition_id: str = Field(min_length=1, max_length=64)
    verdict: VerdictName
    rationale: str = Field(min_length=1, max_length=MAX_RATIONALE)
    evidence: list[Annotated[str, StringConstraints(max_length=MAX_URL)]] = Field(
        default_factory=list, max_length=MAX_EVIDENCE)


class ClaimReview(_Shape):
    """A schema.org ClaimReview (JSON-LD); see claimscope.exchange.claimreview."""

    type_: str = Field(alias="@type")
    claimReviewed: str
    itemReviewed: dict
    reviewRating: dict
    author: dict
    datePublished: str


__all__ = ["ClaimReview", "NewVerdict", "PropositionPage", "PropositionView",
           "Verdict", "VerdictTable"]

"""Two claims that cannot both hold, and why: found from the claims' structure.

Every pair linking scores (a candidate of the vector search, or two claims stating a status of
one place) is checked here; nothing compares keyword lists. Kinds, with their reasons:

- ``denial``: the pair asserts one proposition (a link of either tier) and exactly one of the
  two claims has a cue of class ``deny`` ("the ministry denied that …");
- ``polarity``: the pair asserts one proposition and the claims' polarities differ ("captured"
  against "did not capture": sentence vectors barely tell these apart, the factuality tagger
  does);
- ``value``: the pair asserts one proposition but counts differently ("12 civilians" against
  "40 civilians", the same plural noun, values more than ``NUMBER_TOLERANCE`` apart), or would
  be one proposition but for its dates (both name days that cannot be the same);
- ``status``: both assert a status of one place, incompatible (``captured`` against
  ``contested`` or ``uncertain``; or captured by one side against captured by the other), for
  the same time: neither names a date the other contradicts, and, when both documents are
  dated, they were published within ``STATUS_WINDOW_DAYS``. Qualified statements ("almost
  completely in the hands of") are compatible with being contested and are left out.

A contradiction inside one document (``same_document``) is a tension in the article itself,
e.g. a capture "officially confirmed" and, later, a place whose "fate remains uncertain".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from claimscope.corpus.frames import Frame, quantities
from claimscope.corpus.matching import (
    SUGGESTED_THRESHOLD,
    Match,
    MatchInfo,
    compatible_sides,
    sigmoid,
    text_logit,
)
from claimscope.store.propositions import LinkClaim

NUMBER_TOLERANCE = 0.1
"""Relative difference under which two counts are one value given loosely ("about 40")."""
STATUS_WINDOW_DAYS = 3
"""Statuses of one place published further apart than this may both have been true."""


@dataclass(frozen=True)
class Found:
    kind: str
    reason: str
    evidence: dict = field(default_factory=dict)


def negated(claim: LinkClaim) -> bool:
    """Whether the claim asserts the negation of its content (a denial or negative polarity)."""
    return claim.polarity == "negative" or claim.cue_class == "deny"


def find(a: LinkClaim, b: LinkClaim, match: Match, info_a: MatchInfo, info_b: MatchInfo,
         linked: bool | None = None) -> list[Found]:
    """The contradictions between two claims that linking scored (module docstring).

    ``linked`` says whether the two may be one proposition (default: the match has a tier);
    linking passes False for two different statements of one article."""
    found: list[Found] = []
    if linked is None:
        linked = match.tier is not None
    if linked:
        deny_a, deny_b = a.cue_class == "deny", b.cue_class == "deny"
        if deny_a != deny_b:
            denier, other = (a, b) if deny_a else (b, a)
            found.append(Found("denial", f"{denier.speaker_name} denies what "
                               f"{other.speaker_name} asserts", {"score": round(match.score, 4)}))
        elif a.polarity != b.polarity:
            negative, positive = (a, b) if a.polarity == "negative" else (b, a)
            found.append(Found("polarity", f"opposite polarity: {positive.speaker_name} asserts "
                               f"it, {negative.speaker_name} negates it",
                               {"score": round(match.score, 4)}))
        found += _numbers(a, b)
    elif match.features.get("date_clash") and match.reason == "text" and linked is not False:
        undated = dict(match.features, date_clash=0.0)
        if sigmoid(text_logit(undated)) >= SUGGESTED_THRESHOLD and not (negated(a) ^ negated(b)):
            found.append(Found("value", f"incompatible dates: {', '.join(a.dates)} against "
                               f"{', '.join(b.dates)}", {"dates": [list(a.dates), list(b.dates)]}))
    found += _statuses(a, b, info_a, info_b, bool(match.features.get("date_clash")))
    return found


def _numbers(a: LinkClaim, b: LinkClaim) -> list[Found]:
    counts_a = dict(_counts(a.content))
    for noun, count in _counts(b.content):
        value = counts_a.get(noun)
        if value is None or value == count:
            continue
        if abs(value - count) / max(value, count) > NUMBER_TOLERANCE:
            return [Found("value", f"incompatible numbers: {value:g} {noun} against "
                          f"{count:g} {noun}", {"noun": noun, "values": [value, count]})]
    return []


@lru_cache(maxsize=65_536)
def _counts(content: str) -> tuple[tuple[str, float], ...]:
    """(noun, value) of each count in a content: linking checks one claim against many."""
    return tuple((q.noun, q.value) for q in quantities(content))


def _statuses(a: LinkClaim, b: LinkClaim, info_a: MatchInfo, info_b: MatchInfo,
              date_clash: bool) -> list[Found]:
    if date_clash or not _same_time(a, b):
        return []
    for fa in _plain(info_a.frames):
        for fb in _plain(info_b.frames):
            if fa.place != fb.place:
                continue
            if fa.status != fb.status and "captured" in (fa.status, fb.status):
                return [Found("status", f"incompatible status of {fa.place}: {fa.status} "
                              f"(“{_words(a, fa)}”) against {fb.status} (“{_words(b, fb)}”)",
                              {"place": fa.place, "statuses": [fa.status, fb.status]})]
            if not compatible_sides(fa, fb):
                return [Found("status", f"{fa.place} held by {fa.side} (“{_words(a, fa)}”) "
                              f"against held by {fb.side} (“{_words(b, fb)}”)",
                              {"place": fa.place, "sides": [fa.side, fb.side]})]
    return []


def _plain(frames: tuple[Frame, ...]) -> list[Frame]:
    return [f for f in frames if f.asserted and not f.qualified]


def _words(claim: LinkClaim, frame: Frame) -> str:
    return " ".join(claim.content[frame.start : frame.end].split())


def _same_time(a: LinkClaim, b: LinkClaim) -> bool:
    if a.published_at is None or b.published_at is None:
        return True
    if (a.published_at.tzinfo is None) != (b.published_at.tzinfo is None):
        return True
    return abs((a.published_at - b.published_at).days) <= STATUS_WINDOW_DAYS

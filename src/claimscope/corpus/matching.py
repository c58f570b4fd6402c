"""Whether two claims assert the same thing: a hybrid text score, checked against structure.

The score of a pair is a logistic model over

- ``cosine``: MiniLM cosine of the two contents;
- ``piece``: the best cosine between any clause-level piece (or the whole content) of one and
  any of the other, so a claim that implies a proposition in one clause can still match it;
- ``lexical``: symmetric normalised BM25 of the two contents (:mod:`.bm25`);
- agreement of the claims' places, dates and entities (:class:`Agreement`): a clash of named
  places or of dates lowers the score, shared entities raise it.

Its weights are fitted by ``benchmarks/matching.py fit`` on CheckThat 2020 task 2 train pairs
(each tweet with its verified claim, and with the five verified claims ranked highest that are
not its own) and written below, the intercept shifted so that 0.5 is the score of best accuracy
on claimmatch-1000. The two tiers are set by the same script on CheckThat *dev*, whose negatives
are claims about the same event, as in a war-news corpus (``suggested``: best accuracy;
``confirmed``: precision ≥ 0.75, about the most its duplicate fact-checks allow). The seed
reports play no part in them.

Then the place statuses of :mod:`.frames`, which no benchmark has, decide alone:

- both assert one status of one place (same side, no clash of dates): one proposition, the
  link ``confirmed`` when neither statement is qualified, ``suggested`` when one is ("almost
  completely in the hands of"); its score is the text score, raised to the ``suggested``
  threshold if lower (the structure, not the words, makes this link);
- one asserts a status of a place and the other only mentions that place: not the same
  proposition, whatever the text score (both are "about Kupyansk", not both "Kupyansk fell");
- incompatible statuses of one place are no link at all: that is a contradiction
  (:mod:`.contradictions`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from claimscope.corpus.frames import Frame

SUGGESTED = "suggested"
CONFIRMED = "confirmed"
METHOD = "hybrid-v1"
"""Stored with every link: the features and weights below. Change either and this goes up."""

# Fitted by `python benchmarks/matching.py fit` (see benchmarks/RESULTS.md, "Same-claim matching").
WEIGHTS = {
    "bias": -4.584,
    "cosine": 3.273,
    "piece": 8.222,
    "lexical": 2.620,
    "place_clash": -0.399,
    "date_clash": -0.283,
    "entity_overlap": 0.0,
}
"""Fitted on 800 CheckThat train tweets (one positive, five hard negatives each). Entity overlap
came out with a negative weight (hard negatives share the positives' entities) and is dropped:
agreement may not lower a score. A clash of places or dates lowers the logit by 0.4 / 0.3."""
SUGGESTED_THRESHOLD = 0.967
CONFIRMED_THRESHOLD = 0.987
CANDIDATE_COSINE = 0.45
"""Pairs below this piece cosine are not scored at all (the vector search's floor)."""
FEATURES = ("cosine", "piece", "lexical", "place_clash", "date_clash", "entity_overlap")
AGREEMENT = FEATURES[3:]
"""The features of :class:`Agreement`, each in [0, 1]."""


@dataclass(frozen=True)
class Agreement:
    """What the two claims' places, dates and entities say about their being one claim."""

    place_clash: bool = False
    date_clash: bool = False
    entity_overlap: float = 0.0
    """Jaccard of the entity words, when both name entities; else 0."""

    @classmethod
    def of(cls, a: MatchInfo, b: MatchInfo) -> Agreement:
        place_clash = bool(a.places and b.places and not (a.places & b.places))
        overlap = 0.0
        if a.entity_words and b.entity_words:
            overlap = len(a.entity_words & b.entity_words) / len(a.entity_words | b.entity_words)
        return cls(place_clash, dates_clash(a.dates, b.dates), overlap)


@dataclass(frozen=True)
class MatchInfo:
    """What matching knows of one claim beyond its vectors: places, dates, entities, frames."""

    places: frozenset[str] = frozenset()
    dates: tuple[str, ...] = ()
    entity_words: frozenset[str] = frozenset()
    frames: tuple[Frame, ...] = ()


@dataclass(frozen=True)
class Match:
    """A scored pair: the probability that the claims assert the same thing, and why."""

    score: float
    tier: str | None
    """``confirmed``, ``suggested`` or None (no link)."""
    features: dict[str, float] = field(default_factory=dict)
    reason: str = "text"
    """``text`` (the fitted score), ``status`` (one place status asserted by both),
    ``status-mention`` (vetoed: one states a status the other only mentions its place),
    ``status-clash`` (vetoed: incompatible statuses)."""

    def evidence(self) -> dict:
        return {"reason": self.reason, **{k: round(v, 4) for k, v in self.features.items()}}


def text_logit(features: dict[str, float]) -> float:
    return WEIGHTS["bias"] + sum(WEIGHTS[name] * float(features[name]) for name in FEATURES)


def sigmoid(value: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(min(value, 60.0), -60.0)))


def may_reach_suggested(cosine: np.ndarray, piece: np.ndarray, lexical: np.ndarray) -> np.ndarray:
    """Whether each pair's text score can reach the ``suggested`` tier, whatever its places,
    dates and entities say (each agreement feature at its most favourable value).

    Linking judges one by one only these pairs and those where both claims state a place
    status: any other pair can neither link nor contradict, and there are many of them."""
    best = (WEIGHTS["bias"] + WEIGHTS["cosine"] * cosine
            + WEIGHTS["piece"] * np.maximum(piece, cosine) + WEIGHTS["lexical"] * lexical
            + sum(max(WEIGHTS[name], 0.0) for name in AGREEMENT))
    threshold = math.log(SUGGESTED_THRESHOLD / (1 - SUGGESTED_THRESHOLD))
    return best >= threshold - 1e-6  # a margin for rounding: judging a pair too many is harmless


def tier_of(score: float) -> str | None:
    if score >= CONFIRMED_THRESHOLD:
        return CONFIRMED
    if score >= SUGGESTED_THRESHOLD:
        return SUGGESTED
    return None


def judge(cosine: float, piece: float, lexical: float, a: MatchInfo, b: MatchInfo) -> Match:
    """The link between two claims (module docstring)."""
    agreement = Agreement.of(a, b)
    features = {
        "cosine": cosine, "piece": max(piece, cosine), "lexical": lexical,
        "place_clash": float(agreement.place_clash), "date_clash": float(agreement.date_clash),
        "entity_overlap": agreement.entity_overlap,
    }
    score = sigmoid(text_logit(features))
    status, qualified = _status_relation(a, b, agreement.date_clash)
    if status == "same":
        tier = SUGGESTED if qualified else CONFIRMED
        return Match(max(score, SUGGESTED_THRESHOLD), tier, features, "status")
    if status in ("mention", "clash"):
        return Match(score, None, features, f"status-{status}")
    return Match(score, tier_of(score), features, "text")


def _asserted(info: MatchInfo) -> list[Frame]:
    return [f for f in info.frames if f.asserted]


def _status_relation(a: MatchInfo, b: MatchInfo, date_clash: bool) -> tuple[str | None, bool]:
    """(``same``, ``clash``, ``mention`` or None when place statuses say nothing of the pair;
    whether the shared status is qualified on either side)."""
    frames_a, frames_b = _asserted(a), _asserted(b)
    if not frames_a and not frames_b:
        return None, False
    same = [(fa, fb) for fa in frames_a for fb in frames_b
            if fa.place == fb.place and fa.status == fb.status and compatible_sides(fa, fb)]
    if same and not date_clash:
        plain = [pair for pair in same if not (pair[0].qualified or pair[1].qualified)]
        return "same", not plain
    if not date_clash and any(fa.place == fb.place for fa in frames_a for fb in frames_b):
        return "clash", False
    stated_a, stated_b = {f.place for f in frames_a}, {f.place for f in frames_b}
    if (stated_a - stated_b) & b.places and not frames_b or (stated_b - stated_a) & a.places \
            and not frames_a:
        return "mention", False
    if (stated_a | stated_b) & a.places & b.places:
        return "mention", False
    return None, False


def compatible_sides(a: Frame, b: Frame) -> bool:
    return a.side is None or b.side is None or a.side == b.side


def dates_clash(a: Sequence[str], b: Sequence[str]) -> bool:
    """Both name dates of comparable precision and none of them can be the same day/period."""
    if not a or not b:
        return False
    comparable = False
    for x in a:
        for y in b:
            verdict = _date_relation(x, y)
            if verdict is None:
                continue
            comparable = True
            if verdict:
                return False
    return comparable


def _date_relation(x: str, y: str) -> bool | None:
    """True if the two ISO values can denote one time, False if not, None if incomparable."""
    if x.startswith("--") or y.startswith("--"):  # year unknown: compare month and day
        mx, my = x[-5:] if len(x) >= 5 else "", y[-5:] if len(y) >= 5 else ""
        if len(mx) == 5 and len(my) == 5 and mx[2] == "-" and my[2] == "-":
            return mx == my or _days_apart(f"2000-{mx}", f"2000-{my}") <= 1
        return None
    if "W" in x or "W" in y:
        return None
    short, long_ = sorted((x, y), key=len)
    if len(short) == len(long_) == 10:
        return _days_apart(x, y) <= 1
    return long_.startswith(short)


def _days_apart(x: str, y: str) -> int:
    try:
        return abs((date.fromisoformat(x) - date.fromisoformat(y)).days)
    except ValueError:
        return 0 if x == y else 99


def best_piece_cosine(vectors_a: np.ndarray, vectors_b: np.ndarray) -> float:
    """The best cosine between any row of one claim's vectors and any row of the other's."""
    return float((vectors_a @ vectors_b.T).max())

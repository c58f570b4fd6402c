"""Span scoring for attributions: tokens, items, exact / overlap / relation tallies.

The definitions, precisely (tests check them on hand-made cases):

- **Tokens.** A document's text is cut by the regular expression ``\\w+|[^\\w\\s]``: a run of
  word characters is a token, and so is each other non-space character (punctuation and
  quotation marks are tokens). A span fragment covers every token that shares at least
  one character with it. A span is compared as the *set* of token indices it covers, so
  a boundary that differs by whitespace only does not count, one that differs by a full
  stop or a quotation mark does.
- **Items.** Per document and role (source, cue, content), the gold and the predicted
  items are *sets* of distinct token sets: a span two attributions share (PolNeAR writes
  one ``Source`` for several claims of one speaker) counts once, as in a BIO tagging.
  Under ``split`` (the CofeNet protocol) every fragment of a discontinuous span is an item
  of its own; otherwise the fragments (and a second content, ``Content2``) are joined
  into one item, the union of their tokens. A span covering no token is dropped.
- **Exact.** ``matched = |gold ∩ predicted|`` per document, summed; precision =
  matched / predicted, recall = matched / gold (micro-averaged over documents).
- **Overlap (Jaccard).** Predicted and gold items of one document and role are paired
  one to one, greedily by decreasing Jaccard ``|g ∩ p| / |g ∪ p|`` (ties in document
  order), only pairs sharing a token; precision = Σ Jaccard of the pairs / predicted,
  recall = Σ Jaccard / gold. An exact match scores 1, so overlap ≥ exact.
- **Partial.** The same pairing, each pair counting 1: the share of items found with at
  least one token right (detection regardless of boundaries).
- **Relation.** An item is (source, cue, content) with every part's fragments joined
  (both protocols); no source is its own value (``Attribution-no-source`` matches only a
  prediction without a source). A relation is right when all three parts are exact.

F1 = 2PR / (P + R); every figure is 0 when its denominator is 0.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field

from claimscope.exchange.brat import SpanSet
from claimscope.records import Span

ROLES = ("source", "cue", "content")
TOKEN = re.compile(r"\w+|[^\w\s]")

Item = frozenset[int]
Relation = tuple[Item | None, Item, Item]


class Tokens:
    """A text's tokens, for turning character spans into token sets."""

    def __init__(self, text: str) -> None:
        matches = list(TOKEN.finditer(text))
        self._starts = [m.start() for m in matches]
        self._ends = [m.end() for m in matches]

    def __len__(self) -> int:
        return len(self._starts)

    def cover(self, start: int, end: int) -> Item:
        """Indices of the tokens sharing at least one character with ``[start, end)``."""
        first = bisect_right(self._ends, start)
        stop = bisect_left(self._starts, end)
        return frozenset(range(first, stop))

    def bounds(self, index: int) -> tuple[int, int]:
        """Character offsets of token ``index``."""
        return self._starts[index], self._ends[index]

    def union(self, fragments: Iterable[Span]) -> Item:
        return frozenset().union(*(self.cover(f.start, f.end) for f in fragments))


@dataclass
class Items:
    """One document's items: per role a set of token sets, and its relations."""

    roles: dict[str, set[Item]] = field(default_factory=lambda: {role: set() for role in ROLES})
    relations: set[Relation] = field(default_factory=set)


def items_of(attributions: Iterable[SpanSet], tokens: Tokens, split: bool) -> Items:
    """The items of a document's attributions (gold or predicted alike)."""
    items = Items()
    for attribution in attributions:
        parts = {"source": [attribution.source] if attribution.source else [],
                 "cue": [attribution.cue] if attribution.cue else [],
                 "content": list(attribution.contents)}
        for role, spans in parts.items():
            if split:
                found = {tokens.cover(f.start, f.end) for span in spans for f in span}
            else:
                found = {tokens.union(f for span in spans for f in span)} if spans else set()
            items.roles[role].update(item for item in found if item)
        content = tokens.union(f for span in attribution.contents for f in span)
        if not content:
            continue
        source = tokens.union(attribution.source) if attribution.source else None
        cue = tokens.union(attribution.cue) if attribution.cue else frozenset()
        items.relations.add((source or None, cue, content))
    return items


def jaccard(a: Item, b: Item) -> float:
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def pairs(gold: Iterable[Item], predicted: Iterable[Item]) -> list[tuple[Item, Item, float]]:
    """One-to-one pairs of gold and predicted items sharing a token, chosen greedily by
    decreasing Jaccard; ties go to the item earlier in the document."""
    gold_sorted = sorted(gold, key=_position)
    predicted_sorted = sorted(predicted, key=_position)
    candidates = [
        (jaccard(g, p), i, j)
        for i, g in enumerate(gold_sorted)
        for j, p in enumerate(predicted_sorted)
        if g & p
    ]
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
    used_gold: set[int] = set()
    used_predicted: set[int] = set()
    chosen = []
    for score, i, j in candidates:
        if i in used_gold or j in used_predicted:
            continue
        used_gold.add(i)
        used_predicted.add(j)
        chosen.append((gold_sorted[i], predicted_sorted[j], score))
    return chosen


def _position(item: Item) -> tuple[int, int, int]:
    return (min(item), max(item), len(item)) if item else (-1, -1, 0)


def prf(matched: float, predicted: int, gold: int) -> dict[str, float]:
    precision = matched / predicted if predicted else 0.0
    recall = matched / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


@dataclass
class Tally:
    """Counts for one role (or for relations) summed over documents."""

    gold: int = 0
    predicted: int = 0
    exact: int = 0
    overlap: float = 0.0
    partial: int = 0

    def add(self, gold: set, predicted: set, soft: bool = True) -> None:
        self.gold += len(gold)
        self.predicted += len(predicted)
        self.exact += len(gold & predicted)
        if soft:
            chosen = pairs(gold, predicted)
            self.overlap += sum(score for _, _, score in chosen)
            self.partial += len(chosen)

    def scores(self, soft: bool = True) -> dict[str, dict[str, float]]:
        result = {"exact": prf(self.exact, self.predicted, self.gold)}
        if soft:
            result["overlap"] = prf(self.overlap, self.predicted, self.gold)
            result["partial"] = prf(self.partial, self.predicted, self.gold)
        return result

    def counts(self) -> dict[str, float]:
        return {"gold": self.gold, "predicted": self.predicted, "exact": self.exact,
                "overlap": round(self.overlap, 3), "partial": self.partial}


@dataclass
class Scorer:
    """Adds up documents; ``split`` is the CofeNet protocol's fragments-apart rule."""

    split: bool = True
    roles: dict[str, Tally] = field(default_factory=lambda: {role: Tally() for role in ROLES})
    relation: Tally = field(default_factory=Tally)
    documents: int = 0

    def add(self, gold: Iterable[SpanSet], predicted: Iterable[SpanSet], tokens: Tokens) -> None:
        gold_items = items_of(gold, tokens, self.split)
        predicted_items = items_of(predicted, tokens, self.split)
        for role in ROLES:
            self.roles[role].add(gold_items.roles[role], predicted_items.roles[role])
        self.relation.add(gold_items.relations, predicted_items.relations, soft=False)
        self.documents += 1

    def as_dict(self) -> dict:
        """The documented JSON shape: per role exact / overlap (/ partial) P, R, F1, and the
        relation's (exact by definition; also under ``exact`` for uniformity)."""
        result: dict = {role: self.roles[role].scores() for role in ROLES}
        relation = self.relation.scores(soft=False)
        result["relation"] = {**relation["exact"], **relation}
        return result

    def counts(self) -> dict[str, dict[str, float]]:
        return {**{role: self.roles[role].counts() for role in ROLES},
                "relation": {k: v for k, v in self.relation.counts().items()
                             if k in ("gold", "predicted", "exact")}}

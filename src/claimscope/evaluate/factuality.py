"""Scoring the factuality tagger on third-party gold (``claimscope eval factuality``).

Two kinds of gold, each read in its own format:

- **Event factuality** (MEANTIME, UW) in the unified CoNLL of Stanovsky et al. (2017): one
  token a line (index, word, factuality in −3..+3 or ``_``, …), a blank line or an index
  of 0 starting the next sentence. The words are parsed as given (a spaCy ``Doc`` built on
  them, so gold and parse share their tokens) by the real spaCy pipeline, and every
  annotated event token gets the factuality :meth:`FactualityTagger.tag_clause` gives its
  clause: certain / probable / possible / unknown as 3 / 2 / 1 / 0, negated when the
  polarity is negative. Scored by Pearson's r and the mean absolute error against gold.
- **Uncertainty cues** (the Szeged Uncertainty Corpus, WikiWeasel XML): sentences whose
  ``<ccue>`` elements mark the uncertainty cues; a sentence without one is certain. The
  tagger's cues (:meth:`FactualityTagger.cues`) are scored against them, exact (the same
  characters) and overlapping (one-to-one, sharing a character); a sentence is predicted
  uncertain when a cue is found in it. The corpus has no split: its documents are cut in
  a fixed way, every fifth (the 5th, 10th, …) to ``test``, the others to ``train``.

Precision, recall and F1 are micro-averaged; every figure is 0 when its denominator is.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from claimscope import rules
from claimscope.errors import ModelError, ReadError
from claimscope.nlp.pipeline import DEFAULT_MODEL
from claimscope.nlp.factuality import FactualityTagger
from claimscope.records import Factuality

SPLITS = ("train", "dev", "test")
SZEGED_TEST_EVERY = 5
"""Every fifth Szeged document (the 5th, 10th, …) is ``test``: the corpus has no split."""
BATCH_SIZE = 256
_VALUES = {"certain": 3, "probable": 2, "possible": 1, "unknown": 0}
_BRACKETS = {"``": '"', "''": '"', "-LRB-": "(", "-RRB-": ")", "-LSB-": "[", "-RSB-": "]"}
_NO_SPACE_BEFORE = {",", ".", ":", ";", "?", "!", "%", ")", "]", "'s", "'", "n't", "'re", "'ve", "'ll", "'d", "'m"}

Progress = Callable[[str, int, int], None]
"""Called with a data set's name, the sentences scored so far and their total."""


def factuality_value(factuality: Factuality) -> int:
    """The tagger's factuality on the gold scale: 3 / 2 / 1 / 0 by certainty, negative
    when the polarity is."""
    value = _VALUES[factuality.certainty]
    return -value if factuality.polarity == "negative" else value


# -- reading -----------------------------------------------------------------------------
@dataclass(frozen=True)
class EventSentence:
    """A sentence of the unified CoNLL: its words and its events (word index, gold value)."""

    words: tuple[str, ...]
    events: tuple[tuple[int, float], ...]


@dataclass(frozen=True)
class CueSentence:
    """A Szeged sentence: its text, its gold cues (character offsets) and its document."""

    text: str
    cues: tuple[tuple[int, int], ...]
    document: int


def read_conll(path: Path) -> list[EventSentence]:
    """The sentences of a unified-format factuality file; ReadError names a bad line."""
    sentences: list[EventSentence] = []
    words: list[str] = []
    events: list[tuple[int, float]] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise ReadError(str(path), f"cannot read: {error}") from error
    for number, line in enumerate(lines, 1):
        fields = line.split("\t")
        if not line.strip() or fields[0] == "0":
            if words:
                sentences.append(EventSentence(tuple(words), tuple(events)))
            words, events = [], []
            if not line.strip():
                continue
        if len(fields) < 3 or not fields[0].isdigit():
            raise ReadError(f"{path}:{number}", "expected index, word and factuality separated by tabs")
        if fields[2] != "_":
            try:
                value = float(fields[2])
            except ValueError:
                raise ReadError(f"{path}:{number}", f"factuality {fields[2]!r} is not a number") from None
            events.append((len(words), value))
        words.append(_BRACKETS.get(fields[1], fields[1]))
    if words:
        sentences.append(EventSentence(tuple(words), tuple(events)))
    return sentences


def read_szeged(path: Path) -> list[CueSentence]:
    """The sentences of a Szeged uncertainty XML file, numbered by document."""
    try:
        root = ElementTree.parse(path).getroot()  # the DTD is not fetched: no network, no entities
    except (OSError, ElementTree.ParseError) as error:
        raise ReadError(str(path), f"cannot read as Szeged XML: {error}") from error
    sentences: list[CueSentence] = []
    for number, document in enumerate(root.iter("Document")):
        for element in document.iter("Sentence"):
            text, cues = _sentence_text(element)
            if text.strip():
                sentences.append(CueSentence(text, tuple(cues), number))
    if not sentences:
        raise ReadError(str(path), "no <Sentence> found: not a Szeged uncertainty file")
    return sentences


def _sentence_text(element: ElementTree.Element) -> tuple[str, list[tuple[int, int]]]:
    parts = [element.text or ""]
    cues: list[tuple[int, int]] = []
    for child in element:
        start = sum(map(len, parts))
        inner = "".join(child.itertext())
        parts.append(inner)
        if child.tag == "ccue":
            left = len(inner) - len(inner.lstrip())
            cues.append((start + left, start + len(inner.rstrip())))
        parts.append(child.tail or "")
    return "".join(parts), cues


# -- scoring ----------------------------------------------------------------------------
def pearson(xs: Sequence[float], ys: Sequence[float]) -> float:
    """Pearson's correlation coefficient; 0 when either side is constant or empty."""
    n = len(xs)
    if n == 0 or n != len(ys):
        return 0.0
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys))
    sxx = sum((x - mean_x) ** 2 for x in xs)
    syy = sum((y - mean_y) ** 2 for y in ys)
    return sxy / math.sqrt(sxx * syy) if sxx and syy else 0.0


def mean_absolute_error(xs: Sequence[float], ys: Sequence[float]) -> float:
    return sum(abs(x - y) for x, y in zip(xs, ys)) / len(xs) if xs else 0.0


def prf(matched_predicted: int, predicted: int, matched_gold: int, gold: int) -> dict[str, float]:
    """Precision, recall and F1 from counts."""
    precision = matched_predicted / predicted if predicted else 0.0
    recall = matched_gold / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def matched_cues(gold: Iterable[tuple[int, int]], predicted: Iterable[tuple[int, int]],
                 exact: bool) -> int:
    """Pairs of a gold and a predicted cue, one to one: equal spans, or (not ``exact``)
    spans sharing a character, paired in document order."""
    free = sorted(set(gold))
    matched = 0
    for start, end in sorted(set(predicted)):
        for cue in free:
            if (cue == (start, end)) if exact else (cue[0] < end and start < cue[1]):
                free.remove(cue)
                matched += 1
                break
    return matched


@dataclass
class EventTally:
    gold: list[float]
    predicted: list[float]
    sentences: int = 0

    def as_dict(self) -> dict:
        return {"sentences": self.sentences, "events": len(self.gold),
                "pearson": pearson(self.predicted, self.gold),
                "mae": mean_absolute_error(self.predicted, self.gold)}


@dataclass
class CueTally:
    sentences: int = 0
    documents: int = 0
    gold: int = 0
    predicted: int = 0
    exact: int = 0
    overlap: int = 0
    uncertain_gold: int = 0
    uncertain_predicted: int = 0
    uncertain_both: int = 0

    def add(self, gold: Sequence[tuple[int, int]], predicted: Sequence[tuple[int, int]]) -> None:
        self.sentences += 1
        self.gold += len(set(gold))
        self.predicted += len(set(predicted))
        self.exact += matched_cues(gold, predicted, exact=True)
        self.overlap += matched_cues(gold, predicted, exact=False)
        self.uncertain_gold += bool(gold)
        self.uncertain_predicted += bool(predicted)
        self.uncertain_both += bool(gold) and bool(predicted)

    def as_dict(self) -> dict:
        return {
            "sentences": self.sentences, "documents": self.documents,
            "cue": {"exact": prf(self.exact, self.predicted, self.exact, self.gold),
                    "overlap": prf(self.overlap, self.predicted, self.overlap, self.gold),
                    "gold": self.gold, "predicted": self.predicted},
            "sentence": {**prf(self.uncertain_both, self.uncertain_predicted, self.uncertain_both,
                               self.uncertain_gold),
                         "gold": self.uncertain_gold, "predicted": self.uncertain_predicted},
        }


def score_events(sentences: Sequence[EventSentence], nlp: Language, tagger: FactualityTagger,
                 progress: Callable[[int], None] | None = None) -> EventTally:
    """Every gold event against the factuality the tagger gives its clause."""
    tally = EventTally([], [])
    docs = nlp.pipe((_doc(nlp, s.words) for s in sentences), batch_size=BATCH_SIZE)
    for sentence, doc in zip(sentences, docs):
        for index, value in sentence.events:
            tally.gold.append(value)
            tally.predicted.append(factuality_value(tagger.tag_clause(doc, index)))
        tally.sentences += 1
        if progress is not None:
            progress(tally.sentences)
    return tally


def score_cues(sentences: Sequence[CueSentence], nlp: Language, tagger: FactualityTagger,
               progress: Callable[[int], None] | None = None) -> CueTally:
    """Every sentence's gold cues against the tagger's."""
    tally = CueTally(documents=len({s.document for s in sentences}))
    docs = nlp.pipe((s.text for s in sentences), batch_size=BATCH_SIZE)
    for sentence, doc in zip(sentences, docs):
        found = [(cue.start, cue.end) for cue in tagger.cues(doc, 0, len(doc))]
        tally.add(sentence.cues, found)
        if progress is not None:
            progress(tally.sentences)
    return tally


def _doc(nlp: Language, words: Sequence[str]) -> Doc:
    spaces = [index + 1 < len(words) and words[index + 1] not in _NO_SPACE_BEFORE and word not in {"(", "[", "$"}
              for index, word in enumerate(words)]
    return Doc(nlp.vocab, words=list(words), spaces=spaces)


# -- the data sets ------------------------------------------------------------------------
@dataclass(frozen=True)
class DataSet:
    """One scored unit: ``meantime/test``, ``szeged-uncertainty-wiki/train``…"""

    name: str
    kind: str
    """"events" (unified CoNLL) or "cues" (Szeged XML)."""
    path: Path
    split: str


def find_datasets(paths: Iterable[Path], splits: Sequence[str] = SPLITS) -> list[DataSet]:
    """The data sets under ``paths`` (files, or folders searched for ``*.conll`` and
    ``*.xml``), limited to ``splits``; ReadError for a path that holds none."""
    found: list[DataSet] = []
    for path in paths:
        if not path.exists():
            raise ReadError(str(path), "no such file or folder")
        files = sorted(p for p in path.rglob("*") if p.suffix in {".conll", ".xml"}) if path.is_dir() else [path]
        sets = [s for f in files for s in _datasets_of(f)]
        if not sets:
            raise ReadError(str(path), "no factuality data: expected *.conll (unified format) or Szeged *.xml")
        found += [s for s in sets if s.split in splits]
    return found


def _datasets_of(path: Path) -> list[DataSet]:
    if path.suffix == ".conll":
        return [DataSet(f"{path.parent.name}/{path.stem}", "events", path, path.stem)]
    if path.suffix == ".xml":
        return [DataSet(f"{path.parent.name}/{split}", "cues", path, split) for split in ("train", "test")]
    return []


def _szeged_split(sentences: list[CueSentence], split: str) -> list[CueSentence]:
    test = [s for s in sentences if s.document % SZEGED_TEST_EVERY == SZEGED_TEST_EVERY - 1]
    return test if split == "test" else [s for s in sentences if s.document % SZEGED_TEST_EVERY != SZEGED_TEST_EVERY - 1]


@dataclass
class FactualityReport:
    events: dict[str, dict]
    cues: dict[str, dict]
    rules: str

    def as_dict(self) -> dict:
        """``{"factuality": {name: {sentences, events, pearson, mae}}, "uncertainty":
        {name: {sentences, documents, cue: {exact: {precision, recall, f1}, overlap: …},
        sentence: {precision, recall, f1}}}, "rules": …}``."""
        return {"factuality": self.events, "uncertainty": self.cues, "rules": self.rules}


def evaluate_factuality(paths: Iterable[Path], splits: Sequence[str] = SPLITS, progress: Progress | None = None,
                        nlp: Language | None = None, tagger: FactualityTagger | None = None) -> FactualityReport:
    """Score the tagger ``analyze`` uses (the shipped hedges rule set on the spaCy pipeline
    the extractor loads, unless others are given) on every data set under ``paths``."""
    datasets = find_datasets(paths, splits)  # a bad path fails before the model loads
    nlp = nlp if nlp is not None else load_pipeline()
    tagger = tagger if tagger is not None else FactualityTagger(rules.hedges())
    report = FactualityReport({}, {}, rules.HEDGES)
    szeged: dict[Path, list[CueSentence]] = {}
    for dataset in datasets:
        tick = _Ticker(progress, dataset.name)
        if dataset.kind == "events":
            sentences = read_conll(dataset.path)
            tick.total = len(sentences)
            report.events[dataset.name] = score_events(sentences, nlp, tagger, tick).as_dict()
        else:
            if dataset.path not in szeged:
                szeged[dataset.path] = read_szeged(dataset.path)
            chosen = _szeged_split(szeged[dataset.path], dataset.split)
            tick.total = len(chosen)
            report.cues[dataset.name] = score_cues(chosen, nlp, tagger, tick).as_dict()
    return report


def load_pipeline(model: str = DEFAULT_MODEL) -> Language:
    """The spaCy pipeline the extractor parses with."""
    try:
        return spacy.load(model)
    except (OSError, ImportError) as error:
        raise ModelError(f"cannot load the spaCy pipeline {model!r}: {error}") from error


class _Ticker:
    def __init__(self, progress: Progress | None, name: str) -> None:
        self._progress, self._name, self.total = progress, name, 0

    def __call__(self, done: int) -> None:
        if self._progress is not None:
            self._progress(self._name, done, self.total)


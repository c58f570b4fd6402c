"""Scoring the extractor's attributions on a PolNeAR-style folder.

The extractor that ``claimscope analyze`` uses reads each article once; its attributed
claims (author-voice claims are not attributions: PolNeAR has none) are compared with
every gold file the protocol scores:

- ``cofenet`` (primary, the CofeNet paper's): every annotator's ``.ann`` is a document of
  its own (94 files for PolNeAR's 84 dev articles), a discontinuous span counts as its
  separate fragments;
- ``single``: one file per article, the smallest annotator id's, fragments joined.

Spans are compared as token sets (:mod:`.scoring` defines tokens, exact, overlap and
relation precisely); the vague and anonymous source figures come from :mod:`.sources`.
The predictions scored can be written as brat files, one ``<article>.ann`` and ``.txt``
per article, so any other scorer can check the figures.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from claimscope.evaluate.polnear import PROTOCOLS, articles
from claimscope.evaluate.scoring import Scorer, Tokens
from claimscope.evaluate.sources import SourceClassifier, SourceTally
from claimscope.exchange.brat import attributions_of, read_ann, spans_of, write_pair
from claimscope.records import Document, Extraction

PRIMARY_PROTOCOL = "cofenet"


class ExtractorLike(Protocol):
    version: str

    def extract_many(self, documents: Iterable[Document]) -> Iterator[Extraction]: ...


@dataclass
class AttributionReport:
    protocol: str
    articles: int
    scorer: Scorer
    sources: dict
    extractor: str

    def as_dict(self) -> dict:
        """``{"source": {"exact": {precision, recall, f1}, "overlap": …, "partial": …},
        "cue": …, "content": …, "relation": {precision, recall, f1, "exact": …}}`` (every
        figure a fraction in 0..1), beside ``protocol``, ``articles``, ``documents``,
        ``counts``, ``vague_and_anonymous`` and ``extractor``."""
        return {
            **self.scorer.as_dict(),
            "protocol": self.protocol,
            "articles": self.articles,
            "documents": self.scorer.documents,
            "counts": self.scorer.counts(),
            "vague_and_anonymous": self.sources,
            "extractor": self.extractor,
        }


def evaluate_attribution(
    data: Path,
    extractor: ExtractorLike,
    protocol: str = PRIMARY_PROTOCOL,
    predictions_out: Path | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    classifier: SourceClassifier | None = None,
) -> AttributionReport:
    """Score ``extractor`` on ``data`` (``text/``, ``attributions/``) under ``protocol``.

    ``progress(done, total, name)`` is called after each article. Raises
    :class:`~claimscope.errors.ReadError` for a folder or gold file that cannot be read."""
    if protocol not in PROTOCOLS:
        raise ValueError(f"unknown protocol {protocol!r}; expected one of {PROTOCOLS}")
    found = articles(data)
    scorer = Scorer(split=protocol == "cofenet")
    sources = SourceTally()
    documents = (article.document() for article in found)
    for done, (article, extraction) in enumerate(zip(found, extractor.extract_many(documents)), 1):
        text = extraction.document.text
        predicted = attributions_of(extraction.claims)
        if predictions_out is not None:
            write_pair(predictions_out, article.name, text, predicted)
        tokens = Tokens(text)
        for gold_file in article.files(protocol):
            standoff = read_ann(gold_file.path, text)
            scorer.add([spans_of(a) for a in standoff.attributions], predicted, tokens)
            sources.add(text, tokens, standoff.attributions, extraction.claims)
        if progress is not None:
            progress(done, len(found), article.name)
    classifier = classifier or SourceClassifier.load()
    return AttributionReport(protocol, len(found), scorer, sources.report(classifier),
                             getattr(extractor, "version", ""))

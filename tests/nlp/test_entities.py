"""entities_in / doc_entities: spaCy's Span.ents and Doc.ents, without their cost."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from claimscope.nlp.entities import doc_entities, entities_in

PRESS_RELEASES = Path(__file__).resolve().parents[2] / "examples" / "press-releases"


def _triples(spans) -> list[tuple[int, int, str]]:
    return [(s.start, s.end, s.label_) for s in spans]


@pytest.fixture(scope="module")
def docs(extractor):
    """The shipped press releases, parsed by the extractor's pipeline."""
    bodies = []
    for path in sorted(PRESS_RELEASES.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            bodies += [row["body"] for row in csv.DictReader(handle)]
    return list(extractor._nlp.pipe(bodies))


def test_doc_entities_are_the_docs_own(docs) -> None:
    for doc in docs:
        assert _triples(doc_entities(doc)) == _triples(doc.ents)


def test_entities_of_every_sentence_and_window_match_spacys(docs) -> None:
    for doc in docs:
        spans = [*doc.sents, *(doc[i : i + width] for width in (1, 3, 7) for i in range(0, len(doc) - width, 5))]
        for span in spans:
            assert _triples(entities_in(span)) == _triples(span.ents), span.text

"""A span's named entities without rebuilding the document's each time.

spaCy's ``Span.ents`` (and ``Doc.ents``) rebuilds the document's entity list by walking
every token, so asking each sentence for its entities costs the whole document's length:
the rules ask several times per sentence, which made this quadratic in the article's length
and one of analyze's largest costs. Here the document's entities are built once, kept in
``doc.user_data`` (the extractor reads entities only after the pipeline has set them), and
a span's are found by bisection: the same spans, in the same order, as ``span.ents``.
"""

from __future__ import annotations

from bisect import bisect_left

from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

_USER_DATA_KEY = "claimscope.entities"


def doc_entities(doc: Doc) -> tuple[SpacySpan, ...]:
    """``doc.ents``, built on the first call for this document."""
    return _indexed(doc)[0]


def entities_in(span: SpacySpan) -> list[SpacySpan]:
    """``span.ents``: the entities wholly inside ``span``, in text order."""
    entities, starts = _indexed(span.doc)
    found = []
    for entity in entities[bisect_left(starts, span.start):]:
        if entity.end > span.end:
            break
        found.append(entity)
    return found


def _indexed(doc: Doc) -> tuple[tuple[SpacySpan, ...], list[int]]:
    """The document's entities and their start tokens, cached on the document."""
    cached = doc.user_data.get(_USER_DATA_KEY)
    if cached is None:
        entities = doc.ents
        cached = doc.user_data[_USER_DATA_KEY] = (entities, [entity.start for entity in entities])
    return cached

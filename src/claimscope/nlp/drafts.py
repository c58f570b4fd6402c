"""A claim being assembled, and the few helpers that both makers of drafts read.

The rules' loop (:mod:`.pipeline`) and the combination with the trained tagger
(:mod:`.combine`) both make and amend :class:`Draft` records before the pipeline finishes
them into claims. The record lives here, below both, so that the pipeline can import the
combination without either module reaching into the other.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from claimscope.records import CueClass, QuoteKind, Relay, Span, Speaker


@dataclass
class Draft:
    """A claim being assembled; relays may still be added by the next sentence."""

    sentence: SpacySpan
    speaker: Speaker
    cue_class: CueClass
    cue_span: Span | None
    content_start: int  # token indices
    content_end: int
    cue_index: int | None = None  # token index of a verb cue, for adverb hedges ("reportedly said")
    quote: QuoteKind | None = None  # known without looking (a transcript turn is direct speech)
    gap: tuple[int, int] | None = None  # tokens of an interrupting cue inside the content
    relays: list[Relay] = field(default_factory=list)
    quoted_first_person: bool = False  # "I think …" inside a quote: the quote's speaker, once known
    tagged: bool = False  # the trained tagger found this cue too


def tokens_at(doc: Doc, span: Span | None) -> SpacySpan | None:
    """The spaCy tokens covering a character span (the tagger's word pieces may cut a token)."""
    return doc.char_span(span.start, span.end, alignment_mode="expand") if span is not None else None


def sentences_around(sentence: SpacySpan, start: int, end: int) -> SpacySpan:
    """The sentence, widened to whole sentences holding a content that runs past it."""
    doc = sentence.doc
    return doc[min(sentence.start, doc[start].sent.start) : max(sentence.end, doc[end - 1].sent.end)]


def quote_speaker(drafts: list[Draft], start: int, end: int) -> Draft | None:
    """The claim attributing a quotation (``start``–``end``): the one in the sentence that
    closes it, else the one in the sentence that opens it."""
    around = [d for d in drafts if d.speaker.kind != "author" and not d.quoted_first_person
              and d.cue_span is not None
              and (d.sentence.start_char <= start < d.sentence.end_char
                   or d.sentence.start_char < end <= d.sentence.end_char)]
    if not around:
        return None
    return around[-1] if any(d.sentence.start_char < end <= d.sentence.end_char for d in around) else around[0]

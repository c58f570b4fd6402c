"""Signed quotes: a paragraph that is a quotation followed by a dash and who said it.

    “He represents our greatest shame.” ― Sonya Herridge
    "We will not give up our land." — Volodymyr Zelensky

Reader voices, epigraphs and quote cards are set this way; no verb says who speaks, so the
cue lexicon never finds them, and each sentence inside would otherwise be read as the
article's own voice. The dash is the cue (PolNeAR marks it so), the quotation with its
marks the content, the name after the dash the source. :func:`find_signed_quotes` reads the
text; the extractor turns each into a draft (:func:`signed_quote_drafts`) that replaces the
article-voice drafts of its sentences (:func:`with_signed_quotes`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from claimscope.nlp.drafts import Draft, sentences_around
from claimscope.nlp.speakers import span_of
from claimscope.records import Speaker

_SIGNED = re.compile(
    r"^[ \t\u00a0]*(?P<quote>[“\"”‘«].+[”\"’»])[ \t\u00a0]*(?P<dash>[―—–]|--?)[ \t\u00a0]*"
    r"(?P<name>[A-Z][\w'’.\-]*(?:[ \t\u00a0]+[A-Z][\w'’.\-]*){0,5})[ \t\u00a0]*$",
    re.MULTILINE,
)


@dataclass(frozen=True)
class SignedQuote:
    """Character offsets of a signed quote's parts."""

    quote_start: int
    quote_end: int
    dash_start: int
    dash_end: int
    name_start: int
    name_end: int


def find_signed_quotes(text: str) -> list[SignedQuote]:
    """Every line of ``text`` that is a quotation, a dash and a capitalised name, in order;
    a full stop closing the line is not the name's ("Carla Sanchez.", but "Jr.")."""
    found = []
    for match in _SIGNED.finditer(text):
        name_start, name_end = match.span("name")
        if text[name_end - 1] == "." and len(text[name_start:name_end].split()[-1]) > 3:
            name_end -= 1
        found.append(SignedQuote(*match.span("quote"), *match.span("dash"), name_start, name_end))
    return found


def signed_quote_drafts(doc: Doc, speaker_of: Callable[[SpacySpan], Speaker | None]) -> list[Draft]:
    """A draft of each signed quote whose name ``speaker_of`` resolves: the signer's direct
    claim, the dash its cue (class ``say``)."""
    drafts = []
    for found in find_signed_quotes(doc.text):
        quote = doc.char_span(found.quote_start, found.quote_end, alignment_mode="expand")
        dash = doc.char_span(found.dash_start, found.dash_end, alignment_mode="expand")
        name = doc.char_span(found.name_start, found.name_end, alignment_mode="expand")
        speaker = speaker_of(name) if quote and dash and name else None
        if speaker is not None:
            sentence = sentences_around(doc[quote.start].sent, quote.start, name.end)
            drafts.append(Draft(sentence, speaker, "say", span_of(dash), quote.start, quote.end, quote="direct"))
    return drafts


def with_signed_quotes(drafts: list[Draft], signed: list[Draft]) -> list[Draft]:
    """The document's drafts with its signed quotes, in text order: a signed quote replaces
    the article-voice drafts of its sentences, and its signature is no one else's source
    (the tagger may link "― Sonya Herridge" to the next paragraph's cue)."""
    if not signed:
        return drafts

    def replaced(draft: Draft) -> bool:
        for quote in signed:
            if draft.speaker.kind == "author" and quote.content_start <= draft.content_start < quote.content_end:
                return True
            source = draft.speaker.span
            if source and source.start < quote.sentence.end_char and quote.cue_span.start < source.end:
                return True
        return False
    return sorted([d for d in drafts if not replaced(d)] + signed, key=lambda d: d.sentence.start)

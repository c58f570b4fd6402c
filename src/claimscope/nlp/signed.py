"""Signed quotes: a paragraph that is a quotation followed by a dash and who said it.

    “He represents our greatest shame.” ― Sonya Herridge
    "We will not give up our land." — Volodymyr Zelensky

Reader voices, epigraphs and quote cards are set this way; no verb says who speaks, so the
cue lexicon never finds them, and each sentence inside would otherwise be read as the
article's own voice. The dash is the cue (PolNeAR marks it so), the quotation with its
marks the content, the name after the dash the source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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

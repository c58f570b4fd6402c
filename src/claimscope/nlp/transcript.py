"""Transcript turns: "President of Russia Vladimir Putin: Colleagues, friends, …".

Official transcripts (the Kremlin's, the Ukrainian presidency's) name a speaker and a
colon, then give their words until the next label. Every sentence of a turn is the
labelled person's own speech: a direct quote with cue class ``say``. The label must end
in a person's name that the NER pipeline recognises, so a "Note: …" or a headline with
a colon is not a turn; or be a surname in capitals that labels two turns or more
("WALLACE: … PENCE: …", which NER often misses). A transcript quoted whole may open each
turn with a quotation mark ('"PENCE: Well, …').
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from spacy.tokens import Doc

from claimscope.nlp.entities import doc_entities

_LABEL = re.compile(
    r"(?:^|(?<=[.!?…\"”’)\]]\s)|(?<=\n))[\"“]?"
    r"(?P<label>(?:[A-Z][\w'’.\-]*\s){0,8}[A-Z][\w'’\-]+):\s+(?=[A-Z“\"‘«])"
)


_SHOUTED = re.compile(r"[A-Z][A-Z'’\-]{2,}")
"""A surname in capitals, as transcripts set their speakers ("PENCE", "WALLACE")."""


@dataclass(frozen=True)
class Turn:
    label_start: int  # character offsets of the label (without the colon)
    label_end: int
    colon: int
    person_start: int  # the person's name inside the label
    person_end: int
    end: int  # where the turn's words end (the next label, or the end of the text)
    person: str  # the person's name as written


def find_turns(doc: Doc) -> list[Turn]:
    persons = [e for e in doc_entities(doc) if e.label_ == "PERSON"]
    text = doc.text  # spaCy joins every token's text anew on each access
    matches = [(match.start(), *match.span("label")) for match in _LABEL.finditer(text)]
    repeated = Counter(text[start:end] for _, start, end in matches if _SHOUTED.fullmatch(text[start:end]))
    labels = []  # (where the turn opens, with its quotation mark; label start, end; person start)
    for opening, start, end in matches:
        person = next((p for p in persons if start <= p.start_char and p.end_char == end), None)
        if person is not None:
            labels.append((opening, start, end, person.start_char))
        elif repeated[text[start:end]] > 1:  # "PENCE:" twice: a transcript, whatever NER says
            labels.append((opening, start, end, start))
    turns = []
    for k, (_, start, end, person_start) in enumerate(labels):
        turn_end = labels[k + 1][0] if k + 1 < len(labels) else len(text)
        turns.append(Turn(start, end, end, person_start, end, turn_end, text[person_start:end]))
    return turns


def turn_at(turns: list[Turn], start: int, end: int) -> Turn | None:
    """The turn a sentence (``start``–``end``) belongs to: one it lies in, or whose label
    it opens with ("President of Russia Vladimir Putin: Colleagues, …")."""
    for turn in turns:
        if turn.colon < start < turn.end or start <= turn.label_start < turn.colon < end:
            return turn
    return None

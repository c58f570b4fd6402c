"""What a claim's content states, in pieces a linker can compare: clauses, place statuses, numbers.

- **Pieces**: the content cut at clause boundaries (dashes, semicolons, parentheses,
  subordinators such as "enabling", "which", "while"), so that a claim which implies a
  proposition in one of its clauses ("… played a pivotal role in enabling Russian forces to
  seize control of Kupyansk") can be matched on that clause, not only on its whole content.
- **Status frames**: a place stated as ``captured``, ``contested`` or ``uncertain``, by the
  patterns of the ``status.v1`` rule set, with the side holding it when the words say, whether
  the statement is qualified ("almost completely") and whether it is asserted at all: a status
  after an irrealis word ("attempts to capture") or a claim noun ("the claim that … captured")
  is only mentioned. ``{place}`` in a pattern stands for one of the claim's named settlements
  or regions, or an anaphor ("the city") when the claim names exactly one settlement.
- **Quantities**: a number and the noun it counts ("35 civilians"), for incompatible values.

Plain functions of text: no model, no database, so linking and its tests call them directly.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from claimscope import rules

STATUS_PLACE_KINDS = ("settlement", "region")
"""Places whose status claims state: a river or a country is not "captured" in one claim."""
MIN_PIECE_WORDS = 4
_PIECE_BREAK = re.compile(
    r"\s*[;—–()]\s*|\s*:\s+|,\s+(?=(?:which|who|whose|while|whereas|but|although|though|as|after|"
    r"before|when|where|because|since|enabling|allowing|leading|forcing|a|an|the)\b)"
    r"|\s+(?=(?:enabling|allowing|forcing|leading to|in order to|so that|because|whereas|"
    r"while|after|before)\b)|\bthat\s+",
    re.IGNORECASE,
)
_CLAUSE_BREAK = re.compile(r"\s*[;—–()]\s*|\s*:\s+")
"""Where a statement's context ends: what precedes a dash or a semicolon does not suspend it."""
_WORD = re.compile(r"[\w'’-]+")
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "hundred": 100, "dozen": 12,
}
_QUANTITY = re.compile(
    r"\b(?P<number>\d{1,3}(?:[,\s]\d{3})+|\d+(?:\.\d+)?|"
    + "|".join(_NUMBER_WORDS)
    + r")(?P<scale>\s+(?:thousand|million|hundred))?\s+(?:\w+\s+)?(?P<noun>[a-z]{3,}s)\b",
    re.IGNORECASE,
)
_SCALES = {"thousand": 1_000, "million": 1_000_000, "hundred": 100}


@dataclass(frozen=True)
class PlaceMention:
    """One of a claim's places: its canonical name, kind and the words written for it."""

    name: str
    kind: str
    text: str


@dataclass(frozen=True)
class Frame:
    """A place stated to be in a status, in one claim."""

    place: str
    status: str
    """``captured``, ``contested`` or ``uncertain``."""
    side: str | None
    """Who holds the place, when the words say (``russia``, ``ukraine``)."""
    qualified: bool
    asserted: bool
    start: int
    end: int
    """The statement's offsets in the content."""

    def as_dict(self) -> dict:
        return {"place": self.place, "status": self.status, "side": self.side,
                "qualified": self.qualified, "asserted": self.asserted,
                "start": self.start, "end": self.end}


@dataclass(frozen=True)
class Quantity:
    value: float
    noun: str
    start: int
    end: int


def pieces(content: str) -> list[tuple[int, int]]:
    """The content's clause-level pieces of at least MIN_PIECE_WORDS words, as offsets, when
    there is more than one; the whole content is not among them."""
    found: list[tuple[int, int]] = []
    start = 0
    for match in _PIECE_BREAK.finditer(content):
        found.append((start, match.start()))
        start = match.end()
    found.append((start, len(content)))
    trimmed = [_trim(content, a, b) for a, b in found]
    kept = [(a, b) for a, b in trimmed if len(_WORD.findall(content[a:b])) >= MIN_PIECE_WORDS]
    whole = _trim(content, 0, len(content))
    return [piece for piece in kept if piece != whole]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not text[end - 1].isalnum():
        end -= 1
    return start, end


@dataclass(frozen=True)
class _Lexicon:
    patterns: tuple[tuple[str, str], ...]
    sides: dict[str, tuple[str, ...]]
    qualifiers: re.Pattern[str]
    suspenders: re.Pattern[str]
    anaphors: tuple[str, ...]


@cache
def _lexicon() -> _Lexicon:
    status = rules.status()
    claim_nouns = [noun for nouns in rules.cues().nouns.values() for noun in nouns]
    suspending = [*status.irrealis, *claim_nouns, *(f"{noun}s" for noun in claim_nouns)]
    return _Lexicon(
        patterns=tuple((cls, p) for cls, patterns in status.statuses.items() for p in patterns),
        sides={side: tuple(words) for side, words in status.sides.items()},
        qualifiers=_words_pattern(status.qualifiers),
        suspenders=_words_pattern(suspending),
        anaphors=tuple(status.anaphors),
    )


def _words_pattern(words: Sequence[str]) -> re.Pattern[str]:
    ordered = sorted({w.lower() for w in words}, key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(w) for w in ordered) + r")(?![\w-])",
                      re.IGNORECASE)


def status_frames(content: str, places: Sequence[PlaceMention]) -> list[Frame]:
    """Every place status the content states (module docstring), first by position."""
    lexicon = _lexicon()
    named = [p for p in places if p.kind in STATUS_PLACE_KINDS and p.text]
    settlements = {p.name for p in named if p.kind == "settlement"}
    words: dict[str, str] = {}
    for place in named:
        if place.text.lower() in content.lower():
            words[place.text.lower()] = place.name
    if len(settlements) == 1:
        only = next(iter(settlements))
        for anaphor in lexicon.anaphors:
            words.setdefault(anaphor.lower(), only)
    if not words:
        return []
    alternation = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    place_group = rf"(?P<place>{alternation})"
    found: dict[tuple[str, str, int], Frame] = {}
    clause_starts = [0, *(m.end() for m in _CLAUSE_BREAK.finditer(content))]
    for status, pattern in lexicon.patterns:
        regex = re.compile(r"(?<![\w-])" + pattern.replace("{place}", place_group) + r"(?![\w])",
                           re.IGNORECASE)
        for match in regex.finditer(content):
            place = words[match.group("place").lower()]
            clause_start = max(a for a in clause_starts if a <= match.start())
            before = content[clause_start : match.start()]
            window = content[max(0, match.start() - 40) : min(len(content), match.end() + 30)]
            frame = Frame(
                place=place,
                status=status,
                side=_side(window, lexicon.sides),
                qualified=bool(lexicon.qualifiers.search(content[max(0, match.start() - 30):match.end()])),
                asserted=not lexicon.suspenders.search(before),
                start=match.start(),
                end=match.end(),
            )
            key = (place, status, match.start())
            if key not in found:
                found[key] = frame
    frames = sorted(found.values(), key=lambda f: (f.start, f.status))
    # One statement per place and status: keep the widest reading of overlapping matches.
    kept: list[Frame] = []
    for frame in frames:
        if any(k.place == frame.place and k.status == frame.status and k.end > frame.start
               for k in kept):
            continue
        kept.append(frame)
    return kept


def _side(window: str, sides: dict[str, tuple[str, ...]]) -> str | None:
    lowered = window.lower()
    named = {
        side for side, words in sides.items()
        if any(re.search(rf"(?<![\w]){re.escape(w)}(?![\w])", lowered) for w in words)
    }
    return next(iter(named)) if len(named) == 1 else None


def quantities(content: str) -> list[Quantity]:
    """Numbers and the plural noun they count ("35 civilians", "two thousand soldiers")."""
    found = []
    for match in _QUANTITY.finditer(content):
        raw = match.group("number").lower()
        if raw in _NUMBER_WORDS:
            value = float(_NUMBER_WORDS[raw])
        else:
            value = float(re.sub(r"[,\s]", "", raw))
        if match.group("scale"):
            value *= _SCALES[match.group("scale").strip().lower()]
        if 1900 <= value <= 2100 and not match.group("scale"):
            continue  # a year, not a count
        found.append(Quantity(value, match.group("noun").lower(), match.start(), match.end()))
    return found

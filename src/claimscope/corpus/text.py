"""A document's text as passages and word shingles: what copies are compared on.

Passages are the text's paragraphs (its non-empty lines), the unit a republisher lifts into an
article of its own. A line shorter than ``min_words``, or one that does not end a sentence (a
heading, a dateline, a byline, a "Read also: …" link) is joined to the next paragraph (the last
one to the previous): it says nothing alone, and stock lines shared by unrelated articles must
not make a passage of their own. A paragraph longer than ``max_words`` (a press release
flattened to one line) is cut at sentence ends into passages of about ``max_words / 2`` words.

Shingles are runs of ``k`` consecutive words, lowercased, taken inside one passage only: a
document's shingles are the union of its passages', so reordering paragraphs changes nothing
(beyond the joins of short lines) and the document's MinHash is the element-wise minimum of its
passages'. Each shingle is hashed
to 32 bits from per-word hashes (cached), by a polynomial over the words and the MurmurHash3
finalizer, with numpy: no per-shingle Python call.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

_WORD = re.compile(r"\w+")
_LINE = re.compile(r"[^\n]+")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’»)\]]*\s+")
_ENDS_SENTENCE = re.compile(r"[.!?…][\"'”’»)\]]*$")
_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)


@dataclass(frozen=True)
class Passage:
    start: int
    end: int
    words: int
    prose: bool = True
    """Ends a sentence: a paragraph of prose, not a heading or a link line."""


def passages(text: str, min_words: int, max_words: int) -> list[Passage]:
    """The passages of ``text``, in order, as character spans (see the module docstring)."""
    blocks: list[Passage] = []
    for line in _LINE.finditer(text):
        span = _strip(text, line.start(), line.end())
        if span is None:
            continue
        words = _count_words(text[span[0] : span[1]])
        if words > max_words:
            blocks.extend(_cut(text, span[0], span[1], max(min_words, max_words // 2)))
        elif words:
            prose = bool(_ENDS_SENTENCE.search(text[span[0] : span[1]]))
            blocks.append(Passage(span[0], span[1], words, prose))
    return _join_short(blocks, min_words)


def _strip(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end > start else None


def _count_words(text: str) -> int:
    return sum(1 for _ in _WORD.finditer(text))


def _cut(text: str, start: int, end: int, target: int) -> list[Passage]:
    """Cut a long block at sentence ends into passages of about ``target`` words."""
    cuts = [start] + [m.end() + start for m in _SENTENCE_END.finditer(text[start:end])] + [end]
    found: list[Passage] = []
    first, words = start, 0
    for left, right in zip(cuts, cuts[1:]):
        words += _count_words(text[left:right])
        if words >= target:
            span = _strip(text, first, right)
            if span:
                found.append(Passage(span[0], span[1], words))
            first, words = right, 0
    span = _strip(text, first, end)
    if span and words:
        found.append(Passage(span[0], span[1], words))
    return found


def _join_short(blocks: list[Passage], min_words: int) -> list[Passage]:
    joined: list[Passage] = []
    pending: Passage | None = None
    for block in blocks:
        if pending is not None:
            block = Passage(pending.start, block.end, pending.words + block.words, block.prose)
            pending = None
        if block.words < min_words or not block.prose:
            pending = block
        else:
            joined.append(block)
    if pending is not None:
        if joined:
            last = joined.pop()
            pending = Passage(last.start, pending.end, last.words + pending.words)
        joined.append(pending)
    return joined


@lru_cache(maxsize=1 << 20)
def _word_hash(word: str) -> int:
    return int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(), "little")


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def shingle_hashes(text: str, k: int) -> np.ndarray:
    """32-bit hashes of the ``k``-word shingles of ``text`` (one for a text of fewer words;
    none for a text without words)."""
    tokens = words(text)
    if not tokens:
        return np.empty(0, dtype=np.uint32)
    hashes = np.fromiter((_word_hash(t) for t in tokens), dtype=np.uint64, count=len(tokens))
    span = min(k, len(hashes))
    count = len(hashes) - span + 1
    combined = hashes[:count].copy()
    with np.errstate(over="ignore"):
        for offset in range(1, span):
            combined = combined * _MULTIPLIER + hashes[offset : offset + count]
        combined ^= combined >> np.uint64(33)
        combined *= np.uint64(0xFF51AFD7ED558CCD)
        combined ^= combined >> np.uint64(33)
        combined *= np.uint64(0xC4CEB9FE1A85EC53)
        combined ^= combined >> np.uint64(33)
    return (combined >> np.uint64(32)).astype(np.uint32)

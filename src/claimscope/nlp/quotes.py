"""Quotations that run over several sentences.

News prose often opens a quote, runs it over two or three sentences and names the speaker
only at its end (“… We will stop any escalation,” said X.) or just before it (X said:
“…”). Sentence by sentence, the middle sentences look like the article's own voice; this
module finds the quotation regions so the pipeline can give them to the quote's speaker.
Only double quotation marks count: a single ’ is too often an apostrophe.
"""

from __future__ import annotations

from claimscope.records import QuoteKind

_OPENING = {"“": "”", "«": "»", "„": "“"}
_STRAIGHT = '"'


def quotation_regions(text: str) -> list[tuple[int, int]]:
    """Character ranges (start of the opening mark, end of the closing mark) of quotations.

    An opening mark with no closing one before the next paragraph break runs to that break,
    as a quote continued in the next paragraph is opened again there."""
    regions: list[tuple[int, int]] = []
    open_at: int | None = None
    closing = ""
    for i, char in enumerate(text):
        if open_at is None:
            if char in _OPENING:
                open_at, closing = i, _OPENING[char]
            elif char == _STRAIGHT:
                open_at, closing = i, _STRAIGHT
        elif char == closing:
            regions.append((open_at, i + 1))
            open_at = None
        elif char == "\n" and text[i + 1 : i + 2] == "\n":
            regions.append((open_at, i))
            open_at = None
    if open_at is not None:
        regions.append((open_at, len(text)))
    return regions


def quote_kind(start: int, end: int, regions: list[tuple[int, int]]) -> QuoteKind:
    """Direct when the content lies within one quotation, mixed when it holds or overlaps
    one (a quoted phrase inside reported speech), indirect otherwise."""
    for region_start, region_end in regions:
        if region_start <= start and end <= region_end:
            return "direct"
    if any(s < end and start < e for s, e in regions):
        return "mixed"
    return "indirect"

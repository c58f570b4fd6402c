"""Exchanging claims with other tools: spans written in their formats and read back.

:mod:`.brat` reads and writes brat standoff as the PolNeAR corpus uses it (Source / Cue /
Content spans tied by ``Attribution`` events), so extractions can be corrected in brat or
INCEpTION and scored by any other scorer.
"""

from claimscope.exchange.brat import (
    Annotation,
    Attribution,
    SpanSet,
    Standoff,
    attributions_of,
    format_ann,
    parse_ann,
    read_ann,
    spans_of,
    write_pair,
)

__all__ = [
    "Annotation",
    "Attribution",
    "SpanSet",
    "Standoff",
    "attributions_of",
    "format_ann",
    "parse_ann",
    "read_ann",
    "spans_of",
    "write_pair",
]

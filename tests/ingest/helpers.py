"""Paths to the real text the reader tests run on, a fixed clock, and result sorting."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from claimscope.records import Document, ReadFailure

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
PRESS_RELEASES = SHARED / "eval-data" / "kremlin-zelenskyy-press-releases"
KREMLIN_CSV = PRESS_RELEASES / "putin_kremlin_en.csv"
ZELENSKYY_CSV = PRESS_RELEASES / "zelenskyy_president_gov_ua_en.csv"
NOW = datetime(2025, 11, 23, 18, 0, tzinfo=UTC)

# "Billion laughs": nine levels of ten entities each, a gigabyte once expanded.
BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rss [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>Bomb</title>
<item><title>&lol9;</title><description>&lol9;</description></item>
</channel></rss>
"""


def documents(items: list[Document | ReadFailure]) -> list[Document]:
    return [item for item in items if isinstance(item, Document)]


def failures(items: list[Document | ReadFailure]) -> list[ReadFailure]:
    return [item for item in items if isinstance(item, ReadFailure)]

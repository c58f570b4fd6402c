"""How to read: size limits, the column names of tabular corpora, and the clock.

Kept apart from the readers so that every reader can import it without importing the
package's front door (which imports every reader).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from claimscope.settings import DEFAULT_MAX_ARTICLE_BYTES

DEFAULT_MAX_FILE_BYTES = 1_000_000_000


@dataclass(frozen=True)
class Columns:
    """Which field of a CSV/JSONL row holds what; None means "guess from the header".

    Guessing is case-insensitive and takes the first of :data:`GUESSES` that the row has.
    """

    text: str | None = None
    title: str | None = None
    published_at: str | None = None
    url: str | None = None
    outlet: str | None = None
    language: str | None = None


GUESSES: dict[str, tuple[str, ...]] = {
    "text": ("text", "body", "content", "article"),
    "title": ("title", "headline"),
    "published_at": ("date", "published", "published_at", "pubdate"),
    "url": ("url", "link"),
    "outlet": ("outlet", "source", "site", "publisher"),
    "language": ("language", "lang"),
}


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class ReadOptions:
    max_article_bytes: int = DEFAULT_MAX_ARTICLE_BYTES
    """A single-article file, or one entry's text, bigger than this is a ReadFailure."""
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    """A file bigger than this is not opened at all."""
    columns: Columns = field(default_factory=Columns)
    now: Callable[[], datetime] = utc_now
    """The clock stamped on documents as ``ingested_at`` (UTC, timezone-aware)."""

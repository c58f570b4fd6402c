"""Metadata values as Document fields: dates always timezone-aware, odd values dropped."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from claimscope.errors import ReadError
from claimscope.ingest.metadata import Metadata, make_document, parse_date

from .helpers import NOW

KYIV = timezone(timedelta(hours=2))


@pytest.mark.parametrize(
    ("value", "parsed"),
    [
        ("2022-06-24T17:30:00Z", datetime(2022, 6, 24, 17, 30, tzinfo=UTC)),
        ("2025-11-22T09:30:00+0300", datetime(2025, 11, 22, 6, 30, tzinfo=UTC)),
        ("2025-11-22", datetime(2025, 11, 22, tzinfo=UTC)),
        ("Sat, 22 Nov 2025 09:30:00 +0300", datetime(2025, 11, 22, 6, 30, tzinfo=UTC)),
        (date(2025, 11, 21), datetime(2025, 11, 21, tzinfo=UTC)),
        (datetime(2025, 11, 21, 12, 0, tzinfo=KYIV), datetime(2025, 11, 21, 10, 0, tzinfo=UTC)),
        (datetime(2025, 11, 21, 12, 0), datetime(2025, 11, 21, 12, 0, tzinfo=UTC)),
        ("yesterday", None),
        ("", None),
        (None, None),
        (["2025-11-22"], None),
    ],
)
def test_dates_are_parsed_timezone_aware_or_not_at_all(value, parsed) -> None:
    result = parse_date(value)
    assert result == parsed
    assert result is None or result.tzinfo is not None


def test_metadata_keeps_known_keys_and_ignores_the_rest() -> None:
    metadata = Metadata.from_mapping(
        {"title": " Kupyansk ", "date": "2025-11-22", "tags": ["a"], "outlet": 42, "url": ""}
    )
    assert metadata == Metadata(
        title="Kupyansk", outlet="42", published_at=datetime(2025, 11, 22, tzinfo=UTC)
    )


def test_published_at_wins_over_date() -> None:
    metadata = Metadata.from_mapping({"date": "2025-11-01", "published_at": "2025-11-22"})
    assert metadata.published_at == datetime(2025, 11, 22, tzinfo=UTC)


def test_a_lone_surrogate_is_refused(seed_paths) -> None:
    text = seed_paths[0].read_text(encoding="utf-8") + "\ud800"
    with pytest.raises(ReadError, match="lone surrogate"):
        make_document(
            text=text, source="x.jsonl#1", raw=b"{}", metadata=Metadata(),
            ingested_at=NOW, max_article_bytes=10**6,
        )

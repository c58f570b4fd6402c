"""Telegram Desktop channel exports (``result.json``): one Document per text message.

The export is one JSON object with the channel's ``name`` and a list of ``messages``;
service messages and messages without text (a bare photo) are skipped, not failures. The
channel is the outlet; a forward's ``forwarded_from`` is kept as ``relayed_from``. The date
is ``date_unixtime`` (UTC) where the export gives it, else ``date``, which Telegram writes
in the exporting computer's local time without a zone and is taken as UTC. A message URL
is built only when the export names the channel's public ``username``.

Source ``<path>#msg-<id>`` (``<path>#<N>``, N counting messages from 1, in the odd export
whose message lacks an id); ``raw`` is the canonical JSON of the message object as it
stands in the export, so a message's identity does not depend on its neighbours.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path

from claimscope.errors import ReadError
from claimscope.ingest.detect import decode, normalize, parse_json
from claimscope.ingest.metadata import (
    Metadata,
    canonical_json,
    make_document,
    parse_date,
    text_or_none,
)
from claimscope.ingest.options import ReadOptions
from claimscope.ingest.outlets import canonical_outlet
from claimscope.records import Document, ReadFailure

_LAYOUT = "a Telegram Desktop export: an object with 'name' and a list of 'messages'"


def read(path: Path, raw: bytes, options: ReadOptions) -> Iterator[Document | ReadFailure]:
    source = str(path)
    export = parse_json(source, decode(source, raw))
    if not (
        isinstance(export, dict)
        and isinstance(export.get("name"), str)
        and isinstance(export.get("messages"), list)
    ):
        raise ReadError(source, f"unknown JSON layout (claimscope reads {_LAYOUT})")
    channel = export["name"]
    username = (text_or_none(export.get("username")) or "").lstrip("@") or None
    ingested_at = options.now()
    found = False
    for position, message in enumerate(export["messages"], start=1):
        if not isinstance(message, dict) or message.get("type") != "message":
            continue
        text = normalize(_text(message.get("text")))
        if not text.strip():
            continue
        found = True
        message_id = message.get("id")
        key = f"msg-{message_id}" if message_id is not None else str(position)
        message_source = f"{source}#{key}"
        url = f"https://t.me/{username}/{message_id}" if username else None
        metadata = Metadata(outlet=channel, url=url, published_at=_date(message))
        origin = canonical_outlet(text_or_none(message.get("forwarded_from")))
        try:
            yield make_document(
                text=text,
                source=message_source,
                raw=canonical_json(message),
                metadata=metadata,
                ingested_at=ingested_at,
                max_article_bytes=options.max_article_bytes,
                relayed_from=(origin,) if origin else (),
            )
        except ReadError as error:
            yield ReadFailure(error.source, error.problem)
    if not found:
        raise ReadError(source, "the export holds no messages with text")


def _text(value: object) -> str:
    """A message's text: a string, or a list of strings and ``{"type", "text"}`` pieces
    (links, bold, mentions…) that together spell it."""
    if isinstance(value, str):
        return value
    if not isinstance(value, list):
        return ""
    pieces = (piece.get("text") if isinstance(piece, Mapping) else piece for piece in value)
    return "".join(piece for piece in pieces if isinstance(piece, str))


def _date(message: Mapping[str, object]) -> datetime | None:
    stamp = message.get("date_unixtime")
    try:
        return datetime.fromtimestamp(int(str(stamp)), UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return parse_date(message.get("date"))

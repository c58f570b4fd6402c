"""Document fields shared by every reader: metadata values, dates, and the Document itself.

Metadata arrives as loosely typed values (YAML front matter, CSV cells, JSON fields, feed
dates); :class:`Metadata` is the one place they are turned into Document fields. A value
that cannot be understood — a date nobody can parse — becomes None rather than failing the
article: the text is what matters, and a missing date is visible downstream. Dates without
a time zone are taken as UTC, so every ``published_at`` is timezone-aware.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

import yaml

from claimscope.errors import ReadError
from claimscope.ingest.detect import sidecar_of
from claimscope.ingest.outlets import canonical_outlet
from claimscope.records import Document

DATE_KEYS = ("published_at", "date")
"""Keys a metadata mapping may give the publication date under, first wins."""


@dataclass(frozen=True)
class Metadata:
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published_at: datetime | None = None
    language: str | None = None

    @classmethod
    def from_mapping(cls, values: Mapping[str, object]) -> Metadata:
        """From a mapping with the keys title, outlet, url, published_at (or date), language;
        other keys are ignored, since front matter often carries tags, authors and such."""
        when = next((values[key] for key in DATE_KEYS if values.get(key) is not None), None)
        return cls(
            title=text_or_none(values.get("title")),
            outlet=text_or_none(values.get("outlet")),
            url=text_or_none(values.get("url")),
            published_at=parse_date(when),
            language=text_or_none(values.get("language")),
        )

    def overridden_by(self, other: Metadata) -> Metadata:
        """These fields, with each one ``other`` gives taking precedence."""
        given = {name: value for name, value in vars(other).items() if value is not None}
        return replace(self, **given)


def load_yaml_mapping(
    source: str, text: str, what: str, first_line: int = 1
) -> dict[str, object] | None:
    """``text`` as YAML; None if it is not a mapping. Invalid YAML raises ReadError naming
    ``what`` and the line (``first_line`` is the file line the YAML starts on)."""
    try:
        loaded = yaml.safe_load(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f" at line {mark.line + first_line}" if mark else ""
        raise ReadError(source, f"{what} is not valid YAML{where}") from None
    except yaml.YAMLError:
        raise ReadError(source, f"{what} is not valid YAML") from None
    return loaded if isinstance(loaded, dict) else None


def sidecar_metadata(path: Path) -> Metadata:
    """The metadata in ``<path>.meta.yaml``, if there is one (empty Metadata if not)."""
    sidecar = sidecar_of(path)
    source = str(path)
    try:
        content = sidecar.read_bytes()
    except FileNotFoundError:
        return Metadata()
    except OSError as error:
        problem = f"cannot read its sidecar {sidecar.name}: {error.strerror}"
        raise ReadError(source, problem) from None
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        problem = f"its sidecar {sidecar.name} is not UTF-8 (at byte offset {error.start})"
        raise ReadError(source, problem) from None
    values = load_yaml_mapping(source, text, f"its sidecar {sidecar.name}")
    if values is None and text.strip():
        raise ReadError(source, f"its sidecar {sidecar.name} does not hold key: value metadata")
    return Metadata.from_mapping(values or {})


def text_or_none(value: object) -> str | None:
    """A scalar as stripped text; None for missing, blank or structured values."""
    if value is None or isinstance(value, (dict, list, tuple, set, bool)):
        return None
    text = str(value).strip()
    return text or None


def parse_date(value: object) -> datetime | None:
    """ISO 8601, RFC 2822 ("Sat, 22 Nov 2025 09:30:00 +0300"), a date, or a datetime."""
    if isinstance(value, datetime):
        return _aware(value)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    text = text_or_none(value)
    if text is None:
        return None
    try:
        return _aware(datetime.fromisoformat(text))
    except ValueError:
        pass
    try:
        return _aware(parsedate_to_datetime(text))
    except (TypeError, ValueError, IndexError):
        return None


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def check_size(source: str, size: int, limit: int, what: str = "the article") -> None:
    if size > limit:
        raise ReadError(source, f"{what} is {size:,} bytes, over the limit of {limit:,} bytes")


def make_document(
    *,
    text: str,
    source: str,
    raw: bytes,
    metadata: Metadata,
    ingested_at: datetime,
    max_article_bytes: int,
    relayed_from: tuple[str, ...] = (),
) -> Document:
    """The Document for ``text`` read from ``raw``; its identity is the SHA-256 of ``raw``.

    Blank text, or text over ``max_article_bytes`` in UTF-8, raises ReadError. The outlet
    goes through the registry, falling back to the outlet publishing at the URL.
    """
    if not text.strip():
        raise ReadError(source, "no article text found")
    try:  # JSON can carry lone surrogates, which no later stage could store
        size = len(text.encode("utf-8"))
        for value in (*vars(metadata).values(), *relayed_from):
            if isinstance(value, str):
                value.encode("utf-8")
    except UnicodeEncodeError:
        problem = "invalid Unicode (a lone surrogate) in the text or its metadata"
        raise ReadError(source, problem) from None
    check_size(source, size, max_article_bytes)
    return Document(
        text=text,
        source=source,
        sha256=hashlib.sha256(raw).hexdigest(),
        raw=raw,
        ingested_at=ingested_at,
        title=metadata.title,
        outlet=canonical_outlet(metadata.outlet, metadata.url),
        url=metadata.url,
        published_at=metadata.published_at,
        language=metadata.language,
        relayed_from=relayed_from,
    )


def canonical_json(fields: Mapping[str, object]) -> bytes:
    """The evidence bytes of a container entry that has no bytes of its own in the file.

    Sorted keys and no ASCII escaping make it the same for the same fields on every run;
    ``surrogatepass`` keeps a lone surrogate (possible in JSON) from stopping the encoding.
    """
    return json.dumps(fields, sort_keys=True, ensure_ascii=False).encode("utf-8", "surrogatepass")

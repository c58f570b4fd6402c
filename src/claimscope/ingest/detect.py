"""Which reader a file needs, and turning its bytes into text the same way for all.

The format is chosen by file extension; where an extension is shared (``.xml``, ``.json``)
the reader itself checks the root element or top-level layout and reports a file it does
not recognise. Text is normalised as little as possible — a leading BOM is dropped and CRLF
becomes LF — because claim offsets index into it and the raw bytes are kept as evidence.
"""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path

from claimscope.errors import ReadError

SIDECAR_SUFFIX = ".meta.yaml"
_BOM = "\ufeff"


class Format(Enum):
    TEXT = "text"
    HTML = "html"
    FEED = "feed"
    JSONL = "jsonl"
    CSV = "csv"
    TSV = "tsv"
    JSON = "json"


_BY_EXTENSION: dict[str, Format] = {
    ".txt": Format.TEXT,
    ".md": Format.TEXT,
    ".markdown": Format.TEXT,
    ".html": Format.HTML,
    ".htm": Format.HTML,
    ".rss": Format.FEED,
    ".atom": Format.FEED,
    ".xml": Format.FEED,
    ".jsonl": Format.JSONL,
    ".ndjson": Format.JSONL,
    ".csv": Format.CSV,
    ".tsv": Format.TSV,
    ".json": Format.JSON,
}

SINGLE_ARTICLE = frozenset({Format.TEXT, Format.HTML})
"""Formats holding one article per file, so the article size limit applies to the file."""


def is_sidecar(path: Path) -> bool:
    """``<file>.meta.yaml`` holds metadata for ``<file>``: it is never an article itself."""
    return path.name.endswith(SIDECAR_SUFFIX) and len(path.name) > len(SIDECAR_SUFFIX)


def sidecar_of(path: Path) -> Path:
    return path.with_name(path.name + SIDECAR_SUFFIX)


def format_of(path: Path) -> Format:
    """The file's format from its extension; an unknown one raises ReadError."""
    extension = path.suffix.lower()
    if extension in _BY_EXTENSION:
        return _BY_EXTENSION[extension]
    what = f"extension {path.suffix!r}" if extension else "no file extension"
    known = ", ".join(sorted(_BY_EXTENSION))
    raise ReadError(str(path), f"unknown format ({what}); claimscope reads {known}")


def check_not_binary(source: str, raw: bytes) -> None:
    """Refuse empty and binary content before any parser sees it."""
    if not raw:
        raise ReadError(source, "the file is empty")
    if not raw.removeprefix(_BOM.encode()).strip():
        raise ReadError(source, "the file holds only whitespace, no text")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ReadError(source, "UTF-16 text is not supported: save the file as UTF-8")
    if b"\x00" in raw:
        raise ReadError(source, f"binary file, not text (NUL byte at offset {raw.index(0)})")


def decode(source: str, raw: bytes) -> str:
    """UTF-8 bytes → text with any BOM dropped and CRLF made LF; anything else raises."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ReadError(source, f"invalid UTF-8 at byte offset {error.start}") from None
    return normalize(text.removeprefix(_BOM))


def normalize(text: str) -> str:
    """The only change made to an article's text: Windows line ends become LF."""
    return text.replace("\r\n", "\n")


def parse_json(source: str, text: str, what: str = "JSON") -> object:
    """``text`` as JSON; malformed JSON raises ReadError saying where."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        where = f"line {error.lineno}, column {error.colno}"
        raise ReadError(source, f"malformed {what} at {where}: {error.msg}") from None
    except RecursionError:
        raise ReadError(source, f"malformed {what}: nested too deeply") from None

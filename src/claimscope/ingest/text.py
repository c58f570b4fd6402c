"""Plain-text and Markdown articles, with metadata from YAML front matter and a sidecar.

Front matter (a ``---`` block at the very top) is removed from the text; a sidecar file
``<file>.meta.yaml`` with the same keys lets an analyst add metadata without rewriting the
evidence, and wins over the front matter where both give a field. The document's SHA-256
is of the article file's bytes only, so editing a sidecar never changes its identity.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from claimscope.ingest.detect import decode
from claimscope.ingest.metadata import (
    Metadata,
    load_yaml_mapping,
    make_document,
    sidecar_metadata,
)
from claimscope.ingest.options import ReadOptions
from claimscope.records import Document

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)^(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S | re.M)


def read(path: Path, raw: bytes, options: ReadOptions) -> Iterator[Document]:
    source = str(path)
    text = decode(source, raw)
    front, body = split_front_matter(source, text)
    yield make_document(
        text=body,
        source=source,
        raw=raw,
        metadata=front.overridden_by(sidecar_metadata(path)),
        ingested_at=options.now(),
        max_article_bytes=options.max_article_bytes,
    )


def split_front_matter(source: str, text: str) -> tuple[Metadata, str]:
    """The front matter's metadata and the text after it.

    A ``---`` block that is YAML but not a mapping (a Markdown rule around a line of
    prose) is not front matter and stays in the text; one that is not YAML fails.
    """
    match = _FRONT_MATTER.match(text)
    if match is None:
        return Metadata(), text
    values = load_yaml_mapping(source, match.group(1), "the front matter", first_line=2)
    if values is None and match.group(1).strip():
        return Metadata(), text
    return Metadata.from_mapping(values or {}), text[match.end() :]

"""Saved web pages: trafilatura finds the article among the navigation and footers.

Offline only: the page is parsed from its bytes, nothing is fetched. The page's own
metadata gives the title, the date (``article:published_time`` and the like; dates merely
written in the body are not guessed at), the site name (→ outlet, through the registry),
the canonical URL and the ``<html lang>``. A sidecar ``<file>.meta.yaml`` overrides any of
them. Pages must be UTF-8, as every text claimscope reads.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import trafilatura
from trafilatura.settings import Document as Page
from trafilatura.utils import load_html

from claimscope.errors import ReadError
from claimscope.ingest.detect import decode
from claimscope.ingest.metadata import (
    Metadata,
    make_document,
    parse_date,
    sidecar_metadata,
    text_or_none,
)
from claimscope.ingest.options import ReadOptions
from claimscope.records import Document

_DATES = {
    "extensive_search": False,  # only the page's date markup, never a date in the prose
    "original_date": True,  # the publication date, not the last update
    "outputformat": "%Y-%m-%dT%H:%M:%S%z",
}


def read(path: Path, raw: bytes, options: ReadOptions) -> Iterator[Document]:
    source = str(path)
    markup = decode(source, raw)
    page = trafilatura.bare_extraction(
        markup, with_metadata=True, include_comments=False, date_extraction_params=_DATES
    )
    text = page.text if isinstance(page, Page) else None
    if not isinstance(page, Page) or not text or not text.strip():
        raise ReadError(source, "no article text found")
    found = Metadata(
        title=text_or_none(page.title),
        outlet=text_or_none(page.sitename),
        url=text_or_none(page.url),
        published_at=parse_date(page.date),
        language=_language(markup),
    )
    yield make_document(
        text=text,
        source=source,
        raw=raw,
        metadata=found.overridden_by(sidecar_metadata(path)),
        ingested_at=options.now(),
        max_article_bytes=options.max_article_bytes,
    )


def _language(markup: str) -> str | None:
    tree = load_html(markup)
    return None if tree is None else text_or_none(tree.getroottree().getroot().get("lang"))

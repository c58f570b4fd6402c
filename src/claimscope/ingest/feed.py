"""RSS 2.0, RSS 1.0 (RDF) and Atom feeds: one Document per entry.

The bytes are parsed with defusedxml first, which refuses entity declarations and external
references, so an entity bomb ("billion laughs") is rejected before feedparser — which
would expand it — ever sees it. An entry's text is its content, else its summary, with
the HTML (already sanitised by feedparser) turned into lines of text by lxml. Its outlet is
the entry's own ``<source>`` if it names one, else the feed's title.

A feed entry has no bytes of its own that the XML parsers hand back, so its ``raw`` is the
canonical JSON of its fields as the feed gives them (:func:`_evidence`); the same entry in
two feeds is then one document. The source is ``<path>#<N>``, N counting entries from 1.
"""

from __future__ import annotations

import calendar
import io
import re
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError
from xml.parsers.expat import ErrorString

import defusedxml.ElementTree as safe_xml
import feedparser
from defusedxml import DefusedXmlException
from lxml import etree
from lxml import html as lxml_html

from claimscope.errors import ReadError
from claimscope.ingest.detect import normalize
from claimscope.ingest.metadata import Metadata, canonical_json, make_document, text_or_none
from claimscope.ingest.options import ReadOptions
from claimscope.records import Document, ReadFailure

_WHITESPACE = re.compile(r"\s+")
_FEED_ROOTS = frozenset({"rss", "feed", "RDF"})
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_EVIDENCE = ("id", "title", "link", "published", "updated", "author", "summary")
_BLOCKS = frozenset(
    {
        "address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "figcaption",
        "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main",
        "nav", "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul",
    }
)
Entry = dict[str, Any]
"""A feedparser entry (a FeedParserDict)."""


def read(path: Path, raw: bytes, options: ReadOptions) -> Iterator[Document | ReadFailure]:
    source = str(path)
    _check_xml(source, raw)
    parsed = feedparser.parse(io.BytesIO(raw))  # a stream: feedparser never fetches it
    if not parsed.entries:
        raise ReadError(source, "the feed has no entries")
    feed_title = text_or_none(parsed.feed.get("title"))
    language = text_or_none(parsed.feed.get("language"))
    ingested_at = options.now()
    for number, entry in enumerate(parsed.entries, start=1):
        metadata = Metadata(
            title=_title(entry),
            outlet=text_or_none((entry.get("source") or {}).get("title")) or feed_title,
            url=text_or_none(entry.get("link")),
            published_at=_date(entry),
            language=language,
        )
        try:
            yield make_document(
                text=_text(entry),
                source=f"{source}#{number}",
                raw=canonical_json(_evidence(entry)),
                metadata=metadata,
                ingested_at=ingested_at,
                max_article_bytes=options.max_article_bytes,
            )
        except ReadError as error:
            yield ReadFailure(error.source, error.problem)


def _check_xml(source: str, raw: bytes) -> None:
    """Well-formed XML, no entity declarations, and a feed's root element."""
    try:
        root = safe_xml.fromstring(raw)
    except DefusedXmlException:  # entity declarations: the only thing refused here
        problem = "refused: the XML declares entities (a possible entity-expansion bomb)"
        raise ReadError(source, problem) from None
    except ParseError as error:
        line, column = error.position
        where = f"line {line}, column {column + 1}"  # expat counts columns from 0
        raise ReadError(source, f"malformed XML at {where}: {ErrorString(error.code)}") from None
    tag = root.tag.rpartition("}")[2]
    if tag not in _FEED_ROOTS:
        raise ReadError(source, f"not an RSS or Atom feed (the root element is <{tag}>)")


def _text(entry: Entry) -> str:
    for detail in (*entry.get("content", ()), entry.get("summary_detail")):
        if detail and text_or_none(detail.get("value")):
            return _plain(detail)
    return ""


def _title(entry: Entry) -> str | None:
    detail = entry.get("title_detail")
    return text_or_none(" ".join(_plain(detail).split())) if detail else None


def _plain(detail: Mapping[str, Any]) -> str:
    """A feed text construct as plain text: HTML is rendered to lines, text kept as is."""
    value = detail.get("value") or ""
    return html_to_text(value) if detail.get("type") in _HTML_TYPES else normalize(value)


def html_to_text(markup: str) -> str:
    """The text of an HTML fragment, one line per block element or ``<br>``.

    Whitespace is collapsed as a browser would; scripts and styles are dropped.
    """
    try:
        root = lxml_html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError):  # nothing but comments, or an XML declaration
        return ""
    for element in list(root.iter("script", "style")):
        element.drop_tree()
    for element in root.iter():
        element.text = _WHITESPACE.sub(" ", element.text) if element.text else element.text
        element.tail = _WHITESPACE.sub(" ", element.tail) if element.tail else element.tail
        if element.tag == "br" or element.tag in _BLOCKS:
            element.text = "\n" + (element.text or "")
            element.tail = "\n" + (element.tail or "")
    lines = (" ".join(line.split()) for line in root.text_content().split("\n"))
    return "\n".join(line for line in lines if line)


def _date(entry: Entry) -> datetime | None:
    """The entry's publication date, else its update date (feedparser gives them in UTC)."""
    parsed = dict.get(entry, "published_parsed") or dict.get(entry, "updated_parsed")
    return datetime.fromtimestamp(calendar.timegm(parsed), UTC) if parsed else None


def _evidence(entry: Entry) -> dict[str, object]:
    """The entry's own fields, as the feed writes them, for its ``raw`` bytes.

    Read with plain ``dict.get``: feedparser's own ``get`` would answer "updated" with the
    published date when the entry has none.
    """
    fields = {key: dict.get(entry, key) for key in _EVIDENCE}
    fields["content"] = [detail.get("value") for detail in dict.get(entry, "content", ())]
    source = dict.get(entry, "source") or {}
    fields["source"] = {key: source[key] for key in ("title", "href") if key in source}
    return {key: value for key, value in fields.items() if value}

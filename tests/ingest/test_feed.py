"""The feed reader on RSS 2.0, Atom and RSS 1.0 feeds whose entries hold the seed reports;
hostile XML is refused before feedparser sees it."""

from __future__ import annotations

import html
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from claimscope.ingest import ReadOptions, read_file
from claimscope.ingest.feed import html_to_text
from claimscope.records import ReadFailure

from .helpers import BILLION_LAUGHS, documents, failures


def as_html(paragraphs: list[str]) -> str:
    return "".join(f"<p>{html.escape(paragraph)}</p>\n" for paragraph in paragraphs)


def rss(seeds: list[list[str]]) -> str:
    """An RSS 2.0 feed: a seed report in content:encoded, one in the description, an item
    relayed from another outlet (<source>), and an item with no text at all."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
<title>Ria Novosti</title>
<link>https://ria.ru/</link>
<description>News</description>
<language>en</language>
<item>
  <title>Drone unit says it blocks reinforcements near Kupyansk</title>
  <link>https://ria.ru/20251122/kupyansk.html</link>
  <guid>https://ria.ru/20251122/kupyansk.html</guid>
  <pubDate>Sat, 22 Nov 2025 09:30:00 +0300</pubDate>
  <description>{html.escape(seeds[0][0])}</description>
  <content:encoded><![CDATA[{as_html(seeds[0])}<script>alert(1)</script>]]></content:encoded>
</item>
<item>
  <title>{html.escape(seeds[1][0])}</title>
  <link>https://ria.ru/20251122/mash.html</link>
  <pubDate>Sat, 22 Nov 2025 11:00:00 GMT</pubDate>
  <description>{html.escape(as_html(seeds[1][1:]))}</description>
</item>
<item>
  <title>Relayed</title>
  <link>https://tass.com/world/1</link>
  <source url="https://tass.com/rss/v2.xml">TASS</source>
  <description>{html.escape(seeds[0][6])}</description>
</item>
<item><title>A picture only</title><link>https://ria.ru/photo/1</link></item>
</channel>
</rss>
"""


@pytest.fixture
def rss_path(tmp_path: Path, seed_paragraphs) -> Path:
    path = tmp_path / "ria.rss"
    path.write_text(rss(seed_paragraphs), encoding="utf-8")
    return path


def test_each_rss_item_is_a_document(rss_path, seed_paragraphs, options) -> None:
    items = list(read_file(rss_path, options))
    first, second, relayed = documents(items)
    assert first.text == "\n".join(seed_paragraphs[0])  # content wins over the description
    assert second.text == "\n".join(seed_paragraphs[1][1:])
    assert second.title == seed_paragraphs[1][0]
    assert relayed.text == seed_paragraphs[0][6]
    assert [d.source for d in (first, second, relayed)] == [f"{rss_path}#{n}" for n in (1, 2, 3)]
    assert first.published_at == datetime(2025, 11, 22, 6, 30, tzinfo=UTC)
    assert second.published_at == datetime(2025, 11, 22, 11, 0, tzinfo=UTC)
    assert first.url == "https://ria.ru/20251122/kupyansk.html"
    assert (first.outlet, relayed.outlet) == ("RIA Novosti", "TASS")
    assert first.language == "en"


def test_an_item_without_text_fails_alone(rss_path, options) -> None:
    assert failures(list(read_file(rss_path, options))) == [
        ReadFailure(f"{rss_path}#4", "no article text found")
    ]


def test_an_entry_is_identified_by_the_canonical_json_of_its_fields(rss_path, options) -> None:
    first = documents(list(read_file(rss_path, options)))[0]
    fields = json.loads(first.raw)
    assert fields["link"] == "https://ria.ru/20251122/kupyansk.html"
    assert first.raw == json.dumps(fields, sort_keys=True, ensure_ascii=False).encode()
    again = rss_path.with_name("copy.xml")
    again.write_bytes(rss_path.read_bytes())
    assert [d.id for d in documents(list(read_file(again, options)))] == [
        d.id for d in documents(list(read_file(rss_path, options)))
    ]


def test_an_entry_over_the_size_limit_fails_alone(rss_path, seed_paragraphs, options) -> None:
    limit = len(seed_paragraphs[0][6].encode()) + 1  # the relayed item is one paragraph
    items = list(read_file(rss_path, ReadOptions(max_article_bytes=limit, now=options.now)))
    assert [d.source for d in documents(items)] == [f"{rss_path}#3"]
    assert [f.source for f in failures(items)] == [f"{rss_path}#{n}" for n in (1, 2, 4)]
    assert "over the limit" in failures(items)[0].problem


def test_an_atom_feed_is_read(tmp_path, seed_paragraphs, options) -> None:
    paragraphs = seed_paragraphs[1]
    path = tmp_path / "kyiv.atom"
    path.write_text(
        f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Kyiv Independent</title>
  <id>urn:feed</id><updated>2025-11-22T12:00:00Z</updated>
  <entry>
    <title type="html">{html.escape(paragraphs[0])}</title>
    <link href="https://kyivindependent.com/kupyansk"/>
    <id>urn:1</id>
    <published>2025-11-22T10:00:00+02:00</published>
    <updated>2025-11-22T12:00:00Z</updated>
    <summary>{html.escape(paragraphs[1])}</summary>
    <content type="html">{html.escape(as_html(paragraphs[1:4]))}</content>
  </entry>
</feed>
""",
        encoding="utf-8",
    )
    [document] = list(read_file(path, options))
    assert document.text == "\n".join(paragraphs[1:4])
    assert document.title == paragraphs[0]
    assert document.outlet == "The Kyiv Independent"
    assert document.published_at == datetime(2025, 11, 22, 8, 0, tzinfo=UTC)


def test_an_rss_1_feed_in_an_xml_file_is_read(tmp_path, seed_paragraphs, options) -> None:
    path = tmp_path / "feed.xml"
    path.write_text(
        f"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
  <channel rdf:about="https://interfax.com/"><title>Interfax</title></channel>
  <item rdf:about="https://interfax.com/1">
    <title>Kupyansk</title><link>https://interfax.com/1</link>
    <description>{html.escape(seed_paragraphs[0][3])}</description>
  </item>
</rdf:RDF>
""",
        encoding="utf-8",
    )
    [document] = list(read_file(path, options))
    assert (document.text, document.outlet) == (seed_paragraphs[0][3], "Interfax")



EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>x</title><item><description>&secret;</description></item>
</channel></rss>
"""


REFUSED = "refused: the XML declares entities (a possible entity-expansion bomb)"


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (BILLION_LAUGHS, REFUSED),
        (EXTERNAL_ENTITY, REFUSED),
        ("<rss><channel><title>Cut off", "malformed XML at line 1, column 29: no element found"),
        ("<rss><channel></rss>", "malformed XML at line 1, column 17: mismatched tag"),
        ("<html><p>A page</p></html>", "not an RSS or Atom feed (the root element is <html>)"),
        ("<rss><channel><title>None</title></channel></rss>", "the feed has no entries"),
    ],
)
def test_bad_xml_is_one_failure_naming_the_file(tmp_path, options, content, problem) -> None:
    path = tmp_path / "feed.xml"
    path.write_text(content, encoding="utf-8")
    assert list(read_file(path, options)) == [ReadFailure(str(path), problem)]


@pytest.mark.parametrize(
    ("markup", "text"),
    [
        (
            "<p>One  line\n wrapped.</p><p>Two <b>bold</b> words.</p>",
            "One line wrapped.\nTwo bold words.",
        ),
        ("First<br/>Second<ul><li>a</li><li>b</li></ul>", "First\nSecond\na\nb"),
        ("<div>Kept <!-- hidden --> text<script>x()</script><style>p{}</style></div>", "Kept text"),
        ("<!-- only a comment -->", ""),
        ("AT&amp;T &lt;3", "AT&T <3"),
    ],
)
def test_html_is_rendered_to_lines_of_text(markup, text) -> None:
    assert html_to_text(markup) == text

"""The HTML reader on a saved page built around a seed report: the article without the
page's navigation and footer, and the page's own metadata."""

from __future__ import annotations

import html
from datetime import UTC, datetime
from pathlib import Path

import pytest

from claimscope.ingest import read_file
from claimscope.records import Document, ReadFailure

HEADLINE = "Drone unit says it blocks reinforcements near Kupyansk"


def page(paragraphs: list[str], head: str) -> str:
    """A news page as a site serves it: menus, the article, related links, a footer."""
    body = "\n".join(f"<p>{html.escape(paragraph)}</p>" for paragraph in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{HEADLINE} | RIA Novosti</title>
{head}
</head>
<body>
<header><nav><ul>
<li><a href="/">Home</a></li><li><a href="/world/">World</a></li>
<li><a href="/newsletter/">Subscribe to our newsletter</a></li>
</ul></nav></header>
<main><article>
<h1>{HEADLINE}</h1>
<time datetime="2025-11-22T09:30:00+03:00">22 November 2025</time>
{body}
</article>
<aside><h2>Most read</h2><ul><li><a href="/a">Weather this weekend</a></li></ul></aside>
</main>
<footer><p>Cookie policy. Terms of use. All rights reserved.</p></footer>
</body>
</html>
"""


HEAD = """<link rel="canonical" href="https://ria.ru/20251122/kupyansk.html">
<meta property="og:site_name" content="РИА Новости">
<meta property="og:title" content="Drone unit says it blocks reinforcements near Kupyansk">
<meta property="article:published_time" content="2025-11-22T09:30:00+03:00">"""


@pytest.fixture
def page_path(tmp_path: Path, seed_paragraphs) -> Path:
    path = tmp_path / "kupyansk.html"
    path.write_text(page(seed_paragraphs[0], HEAD), encoding="utf-8")
    return path


def test_the_article_is_read_without_the_boilerplate(page_path, seed_paragraphs, options) -> None:
    [document] = list(read_file(page_path, options))
    assert isinstance(document, Document)
    for paragraph in seed_paragraphs[0]:
        assert paragraph in document.text
    for boilerplate in ("Subscribe", "Most read", "Weather", "Cookie policy"):
        assert boilerplate not in document.text
    assert document.raw == page_path.read_bytes()


def test_the_page_metadata_is_read(page_path, options) -> None:
    [document] = list(read_file(page_path, options))
    assert document.title == HEADLINE
    assert document.outlet == "RIA Novosti"  # "РИА Новости", through the registry
    assert document.url == "https://ria.ru/20251122/kupyansk.html"
    assert document.published_at == datetime(2025, 11, 22, 6, 30, tzinfo=UTC)
    assert document.language == "en"


def test_without_a_site_name_the_outlet_comes_from_the_canonical_url(
    tmp_path, seed_paragraphs, options
) -> None:
    path = tmp_path / "mash.htm"
    head = '<link rel="canonical" href="https://tass.com/politics/1">'
    path.write_text(page(seed_paragraphs[1], head), encoding="utf-8")
    [document] = list(read_file(path, options))
    assert document.outlet == "TASS"
    assert document.published_at is None or document.published_at.tzinfo is not None


def test_a_sidecar_overrides_the_page(page_path, options) -> None:
    sidecar = page_path.with_name(page_path.name + ".meta.yaml")
    sidecar.write_text("outlet: Sputnik\ntitle: Corrected title\n", encoding="utf-8")
    [document] = list(read_file(page_path, options))
    assert (document.outlet, document.title) == ("Sputnik", "Corrected title")


@pytest.mark.parametrize(
    "markup",
    [
        "<html><head><title>Nothing here</title></head><body></body></html>",
        "<<<< >>>> </div></div></span>",
        "<html><body><script>var page = 1;</script><!-- no article --></body></html>",
    ],
)
def test_a_page_without_article_text_is_a_failure(tmp_path, options, markup) -> None:
    path = tmp_path / "broken.html"
    path.write_text(markup, encoding="utf-8")
    assert list(read_file(path, options)) == [ReadFailure(str(path), "no article text found")]

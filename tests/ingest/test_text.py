"""The plain-text reader on the seed reports: text kept exactly, metadata from front
matter and sidecars."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from claimscope.ingest import ReadOptions, read_file
from claimscope.records import Document, ReadFailure

from .helpers import NOW


def read_one(path: Path, options: ReadOptions) -> Document | ReadFailure:
    items = list(read_file(path, options))
    assert len(items) == 1
    return items[0]


def test_a_seed_report_is_read_unchanged(seed_paths, options) -> None:
    for path in seed_paths:
        document = read_one(path, options)
        assert isinstance(document, Document)
        assert document.text == path.read_text(encoding="utf-8")
        assert document.raw == path.read_bytes()
        assert document.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
        assert document.source == str(path)
        assert document.ingested_at == NOW
        assert (document.title, document.outlet, document.url) == (None, None, None)
        assert (document.published_at, document.language) == (None, None)


def test_a_bom_is_dropped_and_crlf_becomes_lf(seed_paths, tmp_path, options) -> None:
    text = seed_paths[1].read_text(encoding="utf-8")
    raw = b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8")
    path = tmp_path / "windows.txt"
    path.write_bytes(raw)
    document = read_one(path, options)
    assert document.text == text
    assert document.raw == raw  # the evidence is kept as it came
    assert document.sha256 == hashlib.sha256(raw).hexdigest()


def test_front_matter_gives_metadata_and_is_removed_from_the_text(
    seed_paths, tmp_path, options
) -> None:
    text = seed_paths[1].read_text(encoding="utf-8")
    path = tmp_path / "mash.md"
    path.write_text(
        "---\n"
        "title: Allegations of Pro-Russian Collaboration in Kupyansk's Fall\n"
        "outlet: Ria Novosti\n"
        "url: https://ria.ru/20251122/kupyansk.html\n"
        "date: 2025-11-22T09:30:00+03:00\n"
        "language: en\n"
        "tags: [Kupyansk, Mash]\n"
        "---\n" + text,
        encoding="utf-8",
    )
    document = read_one(path, options)
    assert document.text == text
    assert document.title == "Allegations of Pro-Russian Collaboration in Kupyansk's Fall"
    assert document.outlet == "RIA Novosti"
    assert document.url == "https://ria.ru/20251122/kupyansk.html"
    assert document.published_at == datetime(2025, 11, 22, 6, 30, tzinfo=UTC)
    assert document.language == "en"
    assert document.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_sidecar_gives_metadata_without_touching_the_evidence(
    seed_paths, tmp_path, options
) -> None:
    path = tmp_path / seed_paths[0].name
    path.write_bytes(seed_paths[0].read_bytes())
    before = read_one(path, options)
    (tmp_path / f"{path.name}.meta.yaml").write_text(
        "url: https://en.kremlin.ru/events/president/news/1\npublished_at: 2025-11-22\n",
        encoding="utf-8",
    )
    document = read_one(path, options)
    assert document.outlet == "Kremlin"  # from the URL's domain, through the registry
    assert document.published_at == datetime(2025, 11, 22, tzinfo=UTC)
    assert document.text == before.text
    assert document.sha256 == before.sha256


def test_the_sidecar_wins_over_the_front_matter(seed_paths, tmp_path, options) -> None:
    path = tmp_path / "article.txt"
    path.write_text(
        "---\ntitle: From the front matter\noutlet: TASS\n---\n"
        + seed_paths[0].read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    (tmp_path / "article.txt.meta.yaml").write_text("outlet: Interfax\n", encoding="utf-8")
    document = read_one(path, options)
    assert (document.title, document.outlet) == ("From the front matter", "Interfax")


def test_a_markdown_rule_at_the_top_is_not_front_matter(seed_paragraphs, tmp_path, options) -> None:
    text = f"---\n{seed_paragraphs[0][0]}\n---\n{seed_paragraphs[0][1]}\n"
    path = tmp_path / "rule.md"
    path.write_text(text, encoding="utf-8")
    assert read_one(path, options).text == text


SIDECAR = "article.txt.meta.yaml"


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("article.txt", "---\ntitle: [x\n---\nBody.\n", "the front matter is not valid YAML"),
        (SIDECAR, "title: [x\n", f"its sidecar {SIDECAR} is not valid YAML at line 2"),
        (SIDECAR, "- a list\n", f"its sidecar {SIDECAR} does not hold key: value metadata"),
    ],
)
def test_bad_metadata_is_a_failure_naming_it(
    seed_paths, tmp_path, options, name, content, problem
) -> None:
    article = tmp_path / "article.txt"
    article.write_bytes(seed_paths[0].read_bytes())
    (tmp_path / name).write_text(content, encoding="utf-8")
    failure = read_one(article, options)
    assert isinstance(failure, ReadFailure)
    assert failure.source == str(article)
    assert problem in failure.problem


def test_an_article_over_the_size_limit_is_a_failure(seed_paths, options) -> None:
    small = ReadOptions(max_article_bytes=1000, now=options.now)
    failure = read_one(seed_paths[0], small)
    assert isinstance(failure, ReadFailure)
    assert failure.problem == "the article is 4,471 bytes, over the limit of 1,000 bytes"

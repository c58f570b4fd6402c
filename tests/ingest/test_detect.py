"""Formats by extension, and the one way every reader turns bytes into text."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimscope.errors import ReadError
from claimscope.ingest.detect import Format, decode, format_of, is_sidecar


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("a.txt", Format.TEXT), ("a.MD", Format.TEXT), ("a.markdown", Format.TEXT),
        ("a.html", Format.HTML), ("a.htm", Format.HTML),
        ("a.rss", Format.FEED), ("a.atom", Format.FEED), ("a.xml", Format.FEED),
        ("a.jsonl", Format.JSONL), ("a.ndjson", Format.JSONL),
        ("a.csv", Format.CSV), ("a.tsv", Format.TSV),
        ("result.json", Format.JSON), ("a.json", Format.JSON),
    ],
)
def test_the_format_follows_the_extension(name, expected) -> None:
    assert format_of(Path(name)) is expected


def test_an_unknown_extension_is_a_read_error() -> None:
    with pytest.raises(ReadError, match=r"unknown format \(extension '\.docx'\)"):
        format_of(Path("notes.docx"))


@pytest.mark.parametrize(
    ("name", "sidecar"),
    [("a.txt.meta.yaml", True), (".meta.yaml", False), ("a.yaml", False), ("a.txt", False)],
)
def test_sidecars_are_recognised(name, sidecar) -> None:
    assert is_sidecar(Path(name)) is sidecar


def test_decoding_drops_a_bom_and_crlf_but_nothing_else(seed_paths) -> None:
    text = seed_paths[1].read_text(encoding="utf-8")
    raw = ("\ufeff" + text.replace("\n", "\r\n") + "\r lone CR\t").encode("utf-8")
    assert decode("x", raw) == text + "\r lone CR\t"


def test_invalid_utf8_names_the_byte_offset_in_the_file(seed_paths) -> None:
    raw = seed_paths[0].read_bytes()
    broken = b"\xef\xbb\xbf" + raw[:100] + b"\xc3\x28" + raw[100:]  # the BOM counts
    with pytest.raises(ReadError, match=r"invalid UTF-8 at byte offset 103$"):
        decode("x", broken)

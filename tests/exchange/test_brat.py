"""brat standoff as PolNeAR writes it: written claims read back to the same spans, and the
real PolNeAR files (read from ../shared, never copied here) read as their annotators wrote them."""

from __future__ import annotations

import dataclasses
import re
from datetime import datetime, timezone
from pathlib import Path

import pytest

from claimscope.errors import ReadError
from claimscope.exchange import (
    SpanSet,
    attributions_of,
    format_ann,
    parse_ann,
    read_ann,
    spans_of,
    write_pair,
)
from claimscope.records import Claim, Content, Cue, Factuality, Span, Speaker

POLNEAR = Path(__file__).resolve().parents[3] / "shared" / "eval-data" / "polnear"
TEXT = ('Officials said the bridge was destroyed.\n\n"We will rebuild,"\nthe mayor said, '
        '"within a month." The clip has faced ridicule online.')


def span(text: str, part: str, occurrence: int = 1) -> Span:
    start = -1
    for _ in range(occurrence):
        start = text.index(part, start + 1)
    return Span(start, start + len(part), part)


def polnear_pair(split: str, name: str) -> tuple[Path, str]:
    ann = POLNEAR / split / "attributions" / f"{name}.ann"
    article = re.sub(r"_[0-9a-f]{4}$", "", name)
    text = (POLNEAR / split / "text" / f"{article}.txt").read_bytes().decode("utf-8")
    return ann, text


ATTRIBUTIONS = [
    SpanSet((span(TEXT, "Officials"),), (span(TEXT, "said"),),
            ((span(TEXT, "the bridge was destroyed"),),)),
    # A quote interrupted by its cue: one content in two fragments, the first over a line break.
    SpanSet((span(TEXT, "the mayor"),), (span(TEXT, "said", 2),),
            ((span(TEXT, '"We will rebuild,"\nthe'), span(TEXT, '"within a month."')),)),
    # No speaker: PolNeAR's Attribution-no-source.
    SpanSet(None, (span(TEXT, "has faced ridicule online"),), ((span(TEXT, "The clip"),),)),
]


def test_written_attributions_read_back_to_the_same_spans() -> None:
    standoff = parse_ann(format_ann(ATTRIBUTIONS), TEXT)
    assert [spans_of(a) for a in standoff.attributions] == ATTRIBUTIONS


def test_discontinuous_span_is_written_as_start_end_pairs_on_one_line() -> None:
    written = format_ann(ATTRIBUTIONS)
    first, second = ATTRIBUTIONS[1].contents[0]
    line = f"Content {first.start} {first.end};{second.start} {second.end}\t"
    assert line in written
    assert all(re.match(r"[TE]\d+\t", row) for row in written.splitlines())  # no line broken


def test_attribution_without_a_source_gets_its_own_trigger_type() -> None:
    written = format_ann(ATTRIBUTIONS)
    assert re.search(r"^E3\tAttribution-no-source:T\d+ Cue:T\d+ Content:T\d+$", written, re.M)
    standoff = parse_ann(written, TEXT)
    assert [a.has_source for a in standoff.attributions] == [True, True, False]


def test_a_span_shared_by_two_attributions_is_written_once() -> None:
    source = (span(TEXT, "Officials"),)
    shared = [SpanSet(source, (span(TEXT, "said"),), ((span(TEXT, "the bridge"),),)),
              SpanSet(source, (span(TEXT, "said"),), ((span(TEXT, "was destroyed"),),))]
    written = format_ann(shared)
    assert written.count("\tSource ") == 1
    assert [a.source.id for a in parse_ann(written, TEXT).attributions] == ["T1", "T1"]


def test_without_the_text_fragments_take_their_text_from_the_file() -> None:
    standoff = parse_ann(format_ann(ATTRIBUTIONS))
    fragments = standoff.attributions[1].contents[0].fragments
    assert [f.text for f in fragments] == ['"We will rebuild," the', '"within a month."']


def test_span_text_running_over_several_lines_is_read_as_one_annotation() -> None:
    content = span(TEXT, '"We will rebuild,"\nthe')
    ann = (f"T1\tContent {content.start} {content.end}\t{content.text}\n"
           f"T2\tCue 0 9\tOfficials\n")
    standoff = parse_ann(ann, TEXT)
    assert [(a.id, a.label, a.text) for a in standoff.annotations] == [
        ("T1", "Content", content.text), ("T2", "Cue", "Officials")]


@pytest.mark.parametrize("ann, problem", [
    ("T1\tSource 0 9\tOfficials\nnot an annotation\n", "line 2: not a brat annotation"),
    ("T1\tSource nine\tOfficials\n", "line 1: T1: expected 'Label start end"),
    ("T1\tSource 0 9\tOfficer\n", "line 1: T1: the text 'Officer' is not what offsets 0 9 cover"),
    ("T1\tSource 0 9999\tOfficials\n", "past the end of the text"),
    ("T1\tCue 10 14\tsaid\nE1\tAttribution:T1 Source:T7\n", "line 2: E1: 'Source:T7' names no"),
])
def test_a_malformed_file_is_reported_with_its_line(ann: str, problem: str) -> None:
    with pytest.raises(ReadError, match=re.escape(problem)):
        parse_ann(ann, TEXT, source="bad.ann")


def test_write_pair_writes_the_text_byte_for_byte(tmp_path: Path) -> None:
    text = "Line one\r\nhe said “yes”.\n"
    said = span(text, "said")
    ann = write_pair(tmp_path, "article", text, [SpanSet((span(text, "he"),), (said,), ((span(text, "“yes”"),),))])
    assert (tmp_path / "article.txt").read_bytes() == text.encode("utf-8")
    assert spans_of(read_ann(ann, text).attributions[0]).cue == (said,)


def claim(kind: str, speaker: Span | None, cue: Span | None, content: Span) -> Claim:
    return Claim(id=kind, document_sha256="0" * 64, sentence=content,
                 speaker=Speaker("someone", kind, speaker), cue=Cue("say", cue),  # type: ignore[arg-type]
                 content=Content(content, "indirect"), factuality=Factuality())


def test_author_voice_claims_are_not_written_as_attributions() -> None:
    claims = [claim("author", None, None, span(TEXT, "The clip has faced ridicule online")),
              claim("vague", span(TEXT, "Officials"), span(TEXT, "said"),
                    span(TEXT, "the bridge was destroyed"))]
    assert attributions_of(claims) == [ATTRIBUTIONS[0]]


def test_a_content_interrupted_by_its_cue_is_written_as_its_fragments() -> None:
    first, second = ATTRIBUTIONS[1].contents[0]
    whole = Span(first.start, second.end, TEXT[first.start : second.end])
    quoted = claim("person", span(TEXT, "the mayor"), span(TEXT, "said", 2), whole)
    quoted = dataclasses.replace(quoted, content=Content(whole, "direct", (first, second)))
    assert attributions_of([quoted]) == [ATTRIBUTIONS[1]]


def test_a_real_polnear_file_reads_with_sources_cues_and_contents() -> None:
    ann, text = polnear_pair("dev", "breitbart_2016-09-28_mary-j-blige-sings-to-hillary-cl_6b86")
    standoff = read_ann(ann, text)
    assert len(standoff.attributions) == 5
    first = standoff.attributions[0]
    assert (first.source.text, first.cue.text, first.contents[0].text) == (
        "Blige", "sings", "Bruce Springsteen’s “American Skin”")
    assert standoff.attributions[2].source is standoff.attributions[1].source  # one T, two events
    no_source = standoff.attributions[4]
    assert not no_source.has_source and no_source.cue.text == "has faced ridicule online"
    assert {a.label for a in standoff.annotations} >= {"Discuss", "Discard"}


def test_a_real_discontinuous_content_keeps_its_fragments_in_file_order() -> None:
    ann, text = polnear_pair("dev", "breitbart_2016-09-20_poll-wealthy-voters-abandon-repu_6b86")
    content = read_ann(ann, text).attributions[1].contents[0]
    assert [(f.start, f.end) for f in content.fragments] == [(209, 236), (91, 186)]
    assert (content.start, content.end) == (91, 236)
    assert content.fragments[0].text == "in favor of Hillary Clinton"


def test_a_real_file_with_span_text_over_several_lines_reads_whole() -> None:
    name = "usa-today_2016-08-09_khans-trump-stirs-ugliness-musli_4e07"
    ann, text = polnear_pair("train", name)
    standoff = read_ann(ann, text)  # every span checked against the text
    long = next(a for a in standoff.annotations if a.id == "T68")
    assert "\n" in long.text and len(long.fragments) == 2
    assert any(a.id == "T72" and a.text == "Ghazala Khan" for a in standoff.annotations)


def test_claims_of_a_real_article_round_trip_through_brat(extractor, tmp_path: Path) -> None:
    from claimscope.records import Document

    _, text = polnear_pair("dev", "politico_2016-09-08_flynn-says-trump-absolutely-righ_4b22")
    document = Document(text=text, source="flynn.txt", sha256="f" * 64, raw=text.encode(),
                        ingested_at=datetime.now(timezone.utc))
    written = attributions_of(extractor.extract(document).claims)
    assert written
    ann = write_pair(tmp_path, "flynn", text, written)
    assert [spans_of(a) for a in read_ann(ann, text).attributions] == written

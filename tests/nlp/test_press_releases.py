"""Beyond the seeds: official press releases (the shipped examples, CC BY 4.0)."""

from __future__ import annotations

import csv
import hashlib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from claimscope.records import Claim, Document

PRESS_RELEASES = Path(__file__).resolve().parents[2] / "examples" / "press-releases"


def releases(name: str) -> list[Document]:
    with (PRESS_RELEASES / name).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [
        Document(
            text=row["body"], source=row["link"], url=row["link"], title=row["headline"],
            sha256=hashlib.sha256(row["body"].encode()).hexdigest(), raw=row["body"].encode(),
            ingested_at=datetime.now(UTC),
            published_at=datetime.fromisoformat(row["date"].replace("Z", "+00:00")),
        )
        for row in rows
    ]


@pytest.fixture(scope="module")
def kremlin(extractor) -> list[Claim]:
    return [c for e in extractor.extract_many(releases("kremlin.csv")) for c in e.claims]


@pytest.fixture(scope="module")
def zelenskyy(extractor) -> list[Claim]:
    return [c for e in extractor.extract_many(releases("zelenskyy.csv")) for c in e.claims]


def test_transcript_turns_are_direct_speech_of_the_labelled_person(kremlin):
    turns = [c for c in kremlin if c.cue.span and c.cue.span.text == ":"]
    speakers = {c.speaker.name for c in turns}
    assert {"Vladimir Putin", "Sergei Shoigu"} <= speakers
    assert all(c.content.quote == "direct" and c.cue.cue_class == "say" for c in turns)
    assert all(c.speaker.kind == "person" for c in turns)


def test_first_person_cues_inside_a_turn_resolve_to_its_speaker(kremlin):
    believe = [c for c in kremlin if c.cue.span and c.cue.span.text.lower() == "believe"]
    assert believe
    assert all(c.speaker.name in {"Vladimir Putin", "Sergei Shoigu"} for c in believe)


def test_said_and_according_to_sentences_yield_claims(zelenskyy):
    cues = {c.cue.span.text.lower() for c in zelenskyy if c.cue.span}
    assert cues & {"said", "stated", "noted", "emphasized", "stressed"}
    assert "according to" in cues


def test_claims_carry_dates_resolved_against_publication(kremlin, zelenskyy):
    dates = [d for c in kremlin + zelenskyy for d in c.dates]
    assert dates
    assert all(not d.value.startswith("--") for d in dates if len(d.value) == 10)


def test_claims_scored_with_other_documents_are_those_of_each_document_alone(extractor):
    """extract_many scores a batch of documents' claims together (a regression guard for
    issue 3's speed work: batching must not change a claim, its score included)."""
    documents = releases("kremlin.csv") + releases("zelenskyy.csv")
    together = list(extractor.extract_many(documents))
    alone = [extractor.extract(document) for document in documents]
    assert [e.claims for e in together] == [e.claims for e in alone]
    assert sum(len(e.claims) for e in together) > 50


ZELENSKYY_RELEASES = (Path(__file__).resolve().parents[3] / "shared" / "eval-data"
                      / "kremlin-zelenskyy-press-releases" / "zelenskyy_president_gov_ua_en.csv")


def test_an_address_is_its_speakers_words_and_a_report_is_the_offices(extractor, tmp_path):
    """president.gov.ua publishes both the President's addresses ("… - address by the
    President") and reports about him. Read as `analyze` reads a CSV (outlet from the link,
    title from the headline): an address's own voice is Volodymyr Zelenskyy's, a report's
    the Office's."""
    from claimscope.ingest import read_paths

    csv.field_size_limit(1 << 30)
    with ZELENSKYY_RELEASES.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    address = next(r for r in rows if "address by the President" in r["headline"])
    report = next(r for r in rows if "address" not in r["headline"].lower()
                  and "President" in r["headline"])
    sample = tmp_path / "releases.csv"
    with sample.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows([address, report])
    documents = {d.title: d for d in read_paths([sample]) if isinstance(d, Document)}
    assert {d.outlet for d in documents.values()} == {"Office of the President of Ukraine"}
    spoken = extractor.extract(documents[address["headline"]]).claims
    assert spoken and all(c.speaker.kind != "author" for c in spoken)
    own_voice = [c for c in spoken if c.cue.span is None]
    assert own_voice and {(c.speaker.name, c.speaker.kind, c.cue.cue_class) for c in own_voice} == {
        ("Volodymyr Zelenskyy", "person", "say")}
    reported = extractor.extract(documents[report["headline"]]).claims
    assert any(c.speaker.kind == "author" and c.speaker.name == "Office of the President of Ukraine"
               for c in reported)

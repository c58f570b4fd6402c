"""Extractions built by hand from the seed reports: the store is under test, not the extractor.

Spans are found in the real text, so every offset satisfies ``text[start:end] == span.text``.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import Connection, MetaData, insert

from claimscope.records import (
    Claim,
    Content,
    Cue,
    DateMention,
    Document,
    Entity,
    Extraction,
    Factuality,
    Place,
    Relay,
    Span,
    Speaker,
)
from claimscope.store import Store, open_store, resolve_database_url

INGESTED = datetime(2025, 11, 23, 18, 0, tzinfo=timezone.utc)
KUPYANSK = dict(name="Kupyansk", kind="settlement", lat=49.7106, lon=37.6156, country="UA")


def span(text: str, phrase: str, after: int = 0) -> Span:
    start = text.index(phrase, after)
    return Span(start, start + len(phrase), phrase)


def document(path: Path, outlet: str, title: str | None = None, **extra) -> Document:
    raw = path.read_bytes()
    return Document(
        text=raw.decode("utf-8"),
        source=str(path),
        sha256=hashlib.sha256(raw).hexdigest(),
        raw=raw,
        ingested_at=INGESTED,
        title=title,
        outlet=outlet,
        language="en",
        **extra,
    )


def claim(
    doc: Document,
    sentence: str,
    content: str,
    speaker: tuple[str | None, str, str] = (None, "author", "author"),
    cue: tuple[str | None, str] = (None, "other"),
    quote: str = "indirect",
    hedges: tuple[str, ...] = (),
    certainty: str = "certain",
    conditional: bool = False,
    relays: tuple[tuple[str, str, str | None], ...] = (),
    places: tuple[str, ...] = (),
    dates: tuple[tuple[str, str], ...] = (),
    entities: tuple[tuple[str, str], ...] = (),
) -> Claim:
    """A claim in the sentence starting with ``sentence``; other phrases are found in it."""
    text = doc.text
    start = text.index(sentence)
    end = text.find("\n", start)
    sentence_span = Span(start, end, text[start:end])
    within = lambda phrase: span(text, phrase, start)  # noqa: E731
    speaker_text, speaker_name, speaker_kind = speaker
    content_span = within(content)
    return Claim(
        id=f"{doc.id}:{content_span.start}-{content_span.end}",
        document_sha256=doc.sha256,
        sentence=sentence_span,
        speaker=Speaker(speaker_name, speaker_kind, within(speaker_text) if speaker_text else None),
        cue=Cue(cue[1], within(cue[0]) if cue[0] else None),
        content=Content(content_span, quote),
        factuality=Factuality(
            certainty=certainty,
            conditional=conditional,
            hedges=tuple(within(h) for h in hedges),
        ),
        relayed_via=tuple(
            Relay(name, kind, span(text, phrase) if phrase else None)
            for name, kind, phrase in relays
        ),
        places=tuple(Place(span=within(p), **KUPYANSK) for p in places),
        dates=tuple(DateMention(within(phrase), value) for phrase, value in dates),
        entities=tuple(Entity(within(phrase), label) for phrase, label in entities),
        checkworthiness=0.5,
        extractor="hand-built-test",
    )


def kontora_report(path: Path) -> Extraction:
    doc = document(
        path,
        outlet="Seed Wire",
        title="Kupyansk report",
        published_at=datetime(2025, 11, 21, 9, 30, tzinfo=timezone.utc),
        url="https://example.org/kupyansk",
    )
    return Extraction(doc, (
        claim(
            doc, "The commander of the Russian BPLA",
            "Russian operators from the Western Military Groupment are actively thwarting "
            "Ukrainian attempts to reinforce positions near Kupyansk and its surrounding areas",
            speaker=("The commander of the Russian BPLA (unmanned aerial vehicle) unit with the "
                     "call sign ‘Kontora’", "Kontora", "person"),
            cue=("has confirmed", "confirm"),
            relays=(("Ria Novosti", "outlet", "Ria Novosti"),),
            places=("Kupyansk",),
            entities=(("Western Military Groupment", "ORG"),),
        ),
        claim(
            doc, "On the eve of the reported developments",
            "the city was ‘almost completely in the hands of Russian forces.’",
            speaker=("Putin", "Vladimir Putin", "person"), cue=("stated", "say"), quote="mixed",
        ),
        claim(
            doc, "The capture of Kupyansk was officially confirmed",
            "The capture of Kupyansk",
            speaker=("the Russian Ministry of Defense", "Russian Ministry of Defense",
                     "government"),
            cue=("confirmed", "confirm"),
            places=("Kupyansk",),
            dates=(("November 21st", "--11-21"),),
        ),
        claim(
            doc, "Analysts note that",
            "the battle for Kupyansk is emblematic of the larger struggle for control over the "
            "eastern front",
            speaker=("Analysts", "analysts", "vague"), cue=("note", "say"),
        ),
        claim(
            doc, "The ministry stated that",
            "a video reportedly showing Russian forces in the city",
            hedges=("reportedly",), certainty="probable",
        ),
    ))


def mash_report(path: Path) -> Extraction:
    doc = document(path, outlet="Seed Post", relayed_from=("Mash",))
    return Extraction(doc, (
        claim(
            doc, "The Telegram channel Mash has alleged",
            "pro-Russian underground groups played a pivotal role in enabling Russian forces "
            "to seize control of Kupyansk",
            speaker=("The Telegram channel Mash", "Mash", "outlet"),
            cue=("has alleged", "allege"),
            places=("Kupyansk",),
        ),
        claim(
            doc, "Local residents, reportedly under pressure",
            "Local residents, reportedly under pressure or motivated by ideological alignment, "
            "allegedly shared information",
            hedges=("reportedly", "allegedly"), certainty="probable",
        ),
        claim(
            doc, "The loss of this system, if confirmed",
            "The loss of this system, if confirmed, would represent a significant setback",
            conditional=True,
        ),
        claim(
            doc, "Control over the town, the ministry argues",
            "Control over the town",
            speaker=("the ministry", "Russian Ministry of Defense", "government"),
            cue=("argues", "argue"),
            relays=(("Russian Ministry of Defense", "government", None),),
        ),
        claim(
            doc, "This assertion is echoed by some military analysts",
            "Kupyansk’s proximity to major highways and its position along the front lines "
            "make it a focal point",
            speaker=("some military analysts", "military analysts", "vague"),
            cue=("note", "say"),
        ),
    ))


@pytest.fixture
def seed_extractions(seed_paths: list[Path]) -> list[Extraction]:
    by_name = {path.name[:3]: path for path in seed_paths}
    return [kontora_report(by_name["000"]), mash_report(by_name["004"])]


@pytest.fixture
def store(tmp_path: Path) -> Store:
    opened = open_store(resolve_database_url(str(tmp_path / "ledger.db")))
    yield opened
    opened.close()


def insert_as_of_old_revision(connection: Connection, table: str, rows: list[dict]) -> None:
    """Insert rows as an older claimscope did: only the columns its tables had then."""
    old = MetaData()
    old.reflect(connection, only=[table])
    columns = old.tables[table].c
    connection.execute(insert(old.tables[table]),
                       [{k: v for k, v in row.items() if k in columns} for row in rows])

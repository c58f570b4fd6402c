"""Store.save: one transaction per document, idempotent by SHA-256, lossless round trip."""

from __future__ import annotations

import dataclasses
import re
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from claimscope.errors import StoreError
from claimscope.records import Extraction
from claimscope.store import RecordRejected, Store
from claimscope.store.schema import CHILD_TABLES, claims, documents


def row_counts(store: Store) -> dict[str, int]:
    with store._engine.connect() as connection:
        return {
            table.name: connection.execute(select(func.count()).select_from(table)).scalar_one()
            for table in (documents, claims, *CHILD_TABLES)
        }


def test_save_stores_the_document_and_all_its_claims(store: Store, seed_extractions) -> None:
    kontora = seed_extractions[0]
    assert store.save(kontora) is True
    assert store.has_document(kontora.document.sha256)
    counts = row_counts(store)
    assert counts["documents"] == 1
    assert counts["claims"] == len(kontora.claims)
    assert counts["claim_relays"] == counts["claim_hedges"] == counts["claim_dates"] == 1
    assert counts["claim_places"] == 2


def test_saving_the_same_document_twice_adds_nothing(store: Store, seed_extractions) -> None:
    kontora = seed_extractions[0]
    assert store.save(kontora) is True
    before = row_counts(store)
    assert store.save(kontora) is False
    assert row_counts(store) == before


def test_a_constraint_violation_mid_save_leaves_nothing_of_the_document(
    store: Store, seed_extractions
) -> None:
    """The second claim repeats the first claim's id: the claims insert fails after the
    document row was written, and the whole document must be rolled back."""
    kontora, mash = seed_extractions
    store.save(kontora)
    before = row_counts(store)
    first, second, *rest = mash.claims
    broken = Extraction(mash.document, (first, dataclasses.replace(second, id=first.id), *rest))
    with pytest.raises(RecordRejected, match=re.escape(mash.document.source)):
        store.save(broken)
    assert row_counts(store) == before
    assert not store.has_document(mash.document.sha256)
    assert store.save(mash) is True  # the store goes on working after the rollback


def test_a_claim_of_another_document_is_rejected(store: Store, seed_extractions) -> None:
    kontora, mash = seed_extractions
    with pytest.raises(RecordRejected, match="another document"):
        store.save(Extraction(mash.document, (kontora.claims[0],)))
    assert row_counts(store)["documents"] == 0


def test_record_rejected_is_a_store_error() -> None:
    assert issubclass(RecordRejected, StoreError)


def test_a_claim_round_trips_with_offsets_into_the_document(
    store: Store, seed_extractions
) -> None:
    kontora = seed_extractions[0]
    store.save(kontora)
    record = kontora.claims[0]
    found = store.claim(record.id)
    text = kontora.document.text
    for part in (found["speaker"], found["cue"], found["content"]):
        assert text[part["start"] : part["end"]] == part["text"]
    assert found["speaker"] == {
        "text": record.speaker.span.text, "name": "Kontora", "kind": "person",
        "start": record.speaker.span.start, "end": record.speaker.span.end,
    }
    assert found["cue"]["class"] == "confirm"
    assert found["content"]["quote"] == "indirect"
    assert found["relayed_via"][0]["name"] == "Ria Novosti"
    assert text[found["relayed_via"][0]["start"] : found["relayed_via"][0]["end"]] == "Ria Novosti"
    assert found["places"][0] | {"start": 0, "end": 0} == {
        "name": "Kupyansk", "kind": "settlement", "lat": 49.7106, "lon": 37.6156,
        "country": "UA", "geonameid": None, "text": "Kupyansk", "start": 0, "end": 0,
    }
    assert found["entities"] == [
        {"label": "ORG", "text": "Western Military Groupment",
         "start": record.entities[0].span.start, "end": record.entities[0].span.end}
    ]
    assert found["document"] == {
        "id": kontora.document.id, "title": "Kupyansk report", "outlet": "Seed Wire",
        "published_at": "2025-11-21T09:30:00+00:00", "source": kontora.document.source,
        "url": "https://example.org/kupyansk", "language": "en",
        "sha256": kontora.document.sha256,
    }
    assert found["sentence"] == record.sentence.text


def test_an_author_voice_claim_has_null_speaker_and_cue_spans(
    store: Store, seed_extractions
) -> None:
    mash = seed_extractions[1]
    store.save(mash)
    hedged = store.claim(mash.claims[1].id)
    assert hedged["speaker"] == {
        "text": None, "name": "author", "kind": "author", "start": None, "end": None
    }
    assert hedged["cue"] == {"class": "other", "text": None, "start": None, "end": None}
    assert [h["text"] for h in hedged["hedges"]] == ["reportedly", "allegedly"]
    assert hedged["certainty"] == "probable"


def test_an_unknown_claim_id_is_none(store: Store) -> None:
    assert store.claim("no-such-claim") is None


@pytest.mark.parametrize(
    ("published", "shown"),
    [
        (None, None),
        (datetime(2025, 11, 21, 12, 0), "2025-11-21T12:00:00"),
        (
            datetime(2025, 11, 21, 12, 0, tzinfo=timezone(timedelta(hours=3))),
            "2025-11-21T09:00:00+00:00",
        ),
    ],
)
def test_publication_time_keeps_whether_its_zone_was_known(
    store: Store, seed_extractions, published, shown
) -> None:
    mash = seed_extractions[1]
    document = dataclasses.replace(mash.document, published_at=published)
    claim = mash.claims[0]
    store.save(Extraction(document, (claim,)))
    assert store.claim(claim.id)["document"]["published_at"] == shown


def test_hostile_article_text_is_stored_verbatim(store: Store, seed_extractions) -> None:
    mash = seed_extractions[1]
    hostile = "'); DROP TABLE claims; -- [bold]red[/bold] \x1b[2J %_\\"
    document = dataclasses.replace(mash.document, title=hostile, outlet=hostile)
    store.save(Extraction(document, mash.claims[:1]))
    found = store.claim(mash.claims[0].id)
    assert found["document"]["title"] == hostile
    assert row_counts(store)["claims"] == 1


def test_two_stores_on_one_file_can_write_at_once(tmp_path, seed_extractions) -> None:
    """Two processes (here: two engines in two threads) analysing into one SQLite file queue
    for its write lock instead of failing with "database is locked"."""
    import hashlib
    from concurrent.futures import ThreadPoolExecutor

    from claimscope.store import open_store, resolve_database_url

    url = resolve_database_url(str(tmp_path / "shared.db"))
    open_store(url).close()  # created first: this is about concurrent saves, not migrations
    base = seed_extractions[0]

    def write(worker: int) -> int:
        with open_store(url) as own:
            saved = 0
            for i in range(25):
                sha = hashlib.sha256(f"{worker}-{i}".encode()).hexdigest()
                claims = tuple(
                    dataclasses.replace(c, id=f"{sha[:16]}-{k}", document_sha256=sha)
                    for k, c in enumerate(base.claims)
                )
                saved += own.save(Extraction(dataclasses.replace(base.document, sha256=sha), claims))
            return saved

    with ThreadPoolExecutor(max_workers=3) as pool:
        assert list(pool.map(write, range(3))) == [25, 25, 25]
    with open_store(url) as store:
        assert store.summary()["documents"] == 75

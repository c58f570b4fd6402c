"""Store.claims: each filter, the order of the ledger, limit and offset."""

from __future__ import annotations

import pytest

from claimscope.store import ClaimFilter, Store


@pytest.fixture
def filled(store: Store, seed_extractions) -> Store:
    for extraction in seed_extractions:
        assert store.save(extraction)
    return store


def ids(found: list[dict]) -> list[str]:
    return [claim["id"] for claim in found]


def speaker_names(found: list[dict]) -> list[str]:
    return [claim["speaker"]["name"] for claim in found]


def test_without_filters_every_claim_in_source_then_sentence_order(filled: Store) -> None:
    found = filled.claims()
    assert len(found) == 10
    keys = [(c["document"]["source"], c["sentence_span"]["start"]) for c in found]
    assert keys == sorted(keys)


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (ClaimFilter(speaker="putin"), ["Vladimir Putin"]),
        (ClaimFilter(speaker="MINISTRY"), ["Russian Ministry of Defense"] * 2),
        # the speaker's own words ("the ministry") match as well as the canonical name
        (ClaimFilter(speaker="the ministry"), ["Russian Ministry of Defense"]),
        (ClaimFilter(speaker_kind="vague"), ["analysts", "military analysts"]),
        (ClaimFilter(speaker_kind="government", outlet="seed post"),
         ["Russian Ministry of Defense"]),
        (ClaimFilter(cue_class="allege"), ["Mash"]),
        (ClaimFilter(hedged=True), ["author", "author"]),
        (ClaimFilter(speaker="%"), []),  # LIKE wildcards are escaped, not interpreted
        (ClaimFilter(speaker="_"), []),
        # words in order, the last one a prefix, case- and accent-insensitive
        (ClaimFilter(speaker="vladimir put"), ["Vladimir Putin"]),
        (ClaimFilter(speaker="PÚTIN"), ["Vladimir Putin"]),
        (ClaimFilter(speaker="putin vladimir"), []),
        (ClaimFilter(speaker="utin"), []),  # words, not any substring
    ],
)
def test_filters_select_claims(filled: Store, filters: ClaimFilter, expected: list[str]) -> None:
    assert speaker_names(filled.claims(filters)) == expected


def test_not_hedged_is_the_complement_of_hedged(filled: Store) -> None:
    hedged = ids(filled.claims(ClaimFilter(hedged=True)))
    flat = ids(filled.claims(ClaimFilter(hedged=False)))
    assert not set(hedged) & set(flat)
    assert sorted(hedged + flat) == sorted(ids(filled.claims()))


def test_document_filter_takes_an_id_prefix_or_a_source(filled: Store, seed_extractions) -> None:
    kontora = seed_extractions[0].document
    by_prefix = filled.claims(ClaimFilter(document=kontora.id[:6]))
    by_source = filled.claims(ClaimFilter(document=kontora.source))
    assert ids(by_prefix) == ids(by_source)
    assert {c["document"]["id"] for c in by_prefix} == {kontora.id}
    assert len(by_prefix) == 5


def test_document_filter_takes_a_container_path_for_its_entries(
    store: Store, seed_extractions
) -> None:
    import dataclasses

    from claimscope.records import Extraction

    kontora = seed_extractions[0]
    entry = dataclasses.replace(kontora.document, source="feed.xml#3")
    store.save(Extraction(entry, kontora.claims))
    assert len(store.claims(ClaimFilter(document="feed.xml"))) == 5
    assert store.claims(ClaimFilter(document="feed")) == []


def test_limit_and_offset_page_through_the_ledger(filled: Store) -> None:
    every = ids(filled.claims())
    assert ids(filled.claims(ClaimFilter(limit=3))) == every[:3]
    assert ids(filled.claims(ClaimFilter(limit=3, offset=3))) == every[3:6]
    assert ids(filled.claims(ClaimFilter(offset=8))) == every[8:]


def test_summary_counts_documents_claims_kinds_and_cues(filled: Store) -> None:
    assert filled.summary() == {
        "documents": 2,
        "outlets": 2,
        "claims": 10,
        "by_speaker_kind": {"author": 3, "government": 2, "person": 2, "vague": 2, "outlet": 1},
        "by_cue_class": {"other": 3, "say": 3, "confirm": 2, "allege": 1, "argue": 1},
    }

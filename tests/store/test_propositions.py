"""The proposition ledger moves rows and nothing else: vectors, marks, links, contradictions."""

from __future__ import annotations

from datetime import datetime, timezone

import numpy as np
import pytest
from sqlalchemy import delete

from claimscope.store import PropositionLedger, Store
from claimscope.store.propositions import Contradiction, LinkBatch, Membership, NewProposition
from claimscope.store.schema import documents

METHOD = "test-method"
WHEN = datetime(2025, 11, 24, 12, 0, tzinfo=timezone.utc)


@pytest.fixture
def ledger(store: Store, seed_extractions) -> PropositionLedger:
    for extraction in seed_extractions:
        assert store.save(extraction)
    return PropositionLedger(store)


def _unit(seed: int) -> np.ndarray:
    vector = np.random.default_rng(seed).normal(size=384).astype(np.float32)
    return vector / np.linalg.norm(vector)


def test_unread_claims_come_in_storing_order_with_their_content_parts(ledger):
    batches = list(ledger.unread_claims(METHOD, 100))
    (claims,) = batches
    assert ledger.count_unread(METHOD) == len(claims) == 10
    capture = next(c for c in claims if c.content == "The capture of Kupyansk")
    assert capture.places == (("Kupyansk", "settlement", "Kupyansk"),)
    assert capture.dates == ()  # "November 21st" is in the sentence, not in the content
    assert capture.speaker_name == "Russian Ministry of Defense"
    kontora = claims[0]
    assert kontora.relays == ("Ria Novosti",) and kontora.outlet == "Seed Wire"


def test_vectors_and_marks_round_trip_and_make_claims_read(ledger):
    (claims,) = list(ledger.unread_claims(METHOD, 100))
    rows = [(c.id, 0, c.content_start, c.content_start + len(c.content), _unit(i))
            for i, c in enumerate(claims)]
    frames = {c.id: [] for c in claims}
    frames[claims[2].id] = [{"place": "Kupyansk", "status": "captured", "side": None,
                             "qualified": False, "asserted": True, "start": 4, "end": 23}]
    ledger.save_vectors(METHOD, rows, frames)
    assert ledger.count_unread(METHOD) == 0
    assert ledger.unlinked_ids(METHOD) == [c.id for c in claims]
    ids, positions, matrix = next(ledger.vectors(METHOD))
    assert sorted(ids) == ids and set(ids) == {c.id for c in claims}
    by_id = dict(zip(ids, matrix))
    for i, claim in enumerate(claims):  # stored as half floats: close, not equal
        assert np.allclose(by_id[claim.id], _unit(i), atol=1e-3)
    assert ledger.stated_statuses(["Kupyansk"]) == [(claims[2].id, frames[claims[2].id][0])]
    assert ledger.claims([claims[2].id])[claims[2].id].frames == tuple(frames[claims[2].id])


def test_links_are_stored_with_the_marks_in_one_transaction(ledger, store):
    (claims,) = list(ledger.unread_claims(METHOD, 100))
    ledger.save_vectors(METHOD, [(c.id, 0, 0, 1, _unit(i)) for i, c in enumerate(claims)],
                        {c.id: [] for c in claims})
    anchor, member = claims[2].id, claims[5].id
    batch = LinkBatch(
        propositions=[NewProposition("p1", "Kupyansk: captured", anchor, METHOD)],
        members=[Membership("p1", anchor, "suggested", "asserts", 0.6, member, {"reason": "status"}),
                 Membership("p1", member, "suggested", "asserts", 0.6, anchor, {"reason": "status"})],
        contradictions=[Contradiction(anchor, claims[4].id, "status", "captured against uncertain",
                                      "p1", True, {"place": "Kupyansk"})],
    )
    ledger.save_links(batch, [c.id for c in claims], WHEN)
    assert ledger.unlinked_ids(METHOD) == []
    assert ledger.anchors(["p1"]) == {"p1": anchor}
    assert {m.claim_id for m in ledger.member_rows(["p1"])} == {anchor, member}
    (found,) = ledger.contradiction_rows([claims[4].id])
    assert (found.kind, found.proposition_id, found.same_document) == ("status", "p1", True)
    assert ledger.counts() == {"claims": 10, "read": 10, "linked": 10, "propositions": 1,
                                    "memberships": 2, "contradictions": 1}
    ledger.reset(keep_vectors=True)
    assert ledger.counts()["propositions"] == 0 and len(ledger.unlinked_ids(METHOD)) == 10


def test_deleting_a_document_removes_its_claims_links(ledger, store):
    (claims,) = list(ledger.unread_claims(METHOD, 100))
    ledger.save_vectors(METHOD, [(c.id, 0, 0, 1, _unit(i)) for i, c in enumerate(claims)],
                        {c.id: [] for c in claims})
    first, last = claims[0], claims[-1]
    ledger.save_links(LinkBatch(
        propositions=[NewProposition("p2", "x", first.id, METHOD)],
        members=[Membership("p2", first.id, "confirmed", "asserts", 0.95, last.id, {}),
                 Membership("p2", last.id, "confirmed", "asserts", 0.95, first.id, {})],
    ), [c.id for c in claims], WHEN)
    store.write(lambda connection: connection.execute(delete(documents).where(documents.c.id == last.document_id)))
    assert [m.claim_id for m in ledger.member_rows(["p2"])] == [first.id]
    assert ledger.counts()["read"] == len([c for c in claims if c.document_id != last.document_id])


def test_a_stale_method_is_counted(ledger):
    (claims,) = list(ledger.unread_claims(METHOD, 100))
    ledger.save_vectors("older", [(claims[0].id, 0, 0, 1, _unit(0))], {claims[0].id: []})
    assert ledger.other_methods(METHOD) == 1
    assert ledger.count_unread(METHOD) == 10

"""Verdicts: an append-only audit trail on propositions that outlives re-linking.

Propositions are stored by hand over claims of the seed reports (the linker is tested in
tests/corpus; here the store is under test)."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy.engine import make_url

from claimscope.store import PropositionLedger
from claimscope.store.propositions import LinkBatch, Membership, NewProposition
from claimscope.store.verdicts import InvalidVerdict, UnknownProposition, VerdictLedger

WHEN = datetime(2025, 11, 24, 9, 0, tzinfo=timezone.utc)
EVIDENCE = ["https://example.org/geolocated-video"]


def link(store, pid: str, claim_ids: list[str], statement: str = "Kupyansk: captured") -> None:
    members = [Membership(pid, cid, "confirmed", "asserts", 0.99, None if i == 0 else claim_ids[0])
               for i, cid in enumerate(claim_ids)]
    PropositionLedger(store).save_links(
        LinkBatch([NewProposition(pid, statement, claim_ids[0], "test")], members), [], WHEN)


@pytest.fixture
def judged(store, seed_extractions):
    """Two propositions over the seed claims; their member claim ids."""
    for extraction in seed_extractions:
        assert store.save(extraction)
    kontora, mash = ([c.id for c in e.claims] for e in seed_extractions)
    link(store, "p-captured", [kontora[2], mash[0], kontora[1]])
    link(store, "p-analysts", [kontora[3], mash[4]], "analysts' views")
    return {"p-captured": [kontora[2], mash[0], kontora[1]], "p-analysts": [kontora[3], mash[4]]}


def test_every_change_is_kept_with_old_and_new_and_the_latest_is_current(store, judged) -> None:
    ledger = VerdictLedger(store)
    first = ledger.record("p-captured", "unproven", "Only the ministry says so.", [], "ana", WHEN)
    second = ledger.record("p-captured", "true", "Geolocated video.", EVIDENCE, "ada",
                           WHEN + timedelta(hours=2))
    history = ledger.history("p-captured")
    assert [(v.previous, v.verdict, v.judged_by) for v in history] == [
        (None, "unproven", "ana"), ("unproven", "true", "ada")]
    assert history == [first, second]
    assert history[1].evidence == tuple(EVIDENCE)
    assert history[1].claim_ids == tuple(sorted(judged["p-captured"]))
    assert ledger.current() == {"p-captured": second}
    assert ledger.history("p-analysts") == []


def test_recording_what_is_current_again_adds_nothing(store, judged) -> None:
    ledger = VerdictLedger(store)
    once = ledger.record("p-captured", "false", "Denied.", EVIDENCE, "ana", WHEN)
    again = ledger.record("p-captured", "false", " Denied. ", EVIDENCE, "ana", WHEN)
    assert again == once and ledger.count() == 1


def test_the_database_refuses_to_rewrite_or_drop_a_verdict(store, judged) -> None:
    VerdictLedger(store).record("p-captured", "false", "Denied.", [], "ana", WHEN)
    path = make_url(store.url).database
    with sqlite3.connect(path) as connection:
        for statement in ("UPDATE verdicts SET verdict = 'true'", "DELETE FROM verdicts"):
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                connection.execute(statement)
    assert VerdictLedger(store).current()["p-captured"].verdict == "false"


@pytest.mark.parametrize(("verdict", "rationale", "evidence", "problem"), [
    ("wrong", "x", [], "one of true, false"),
    ("false", "   ", [], "needs a rationale"),
    ("false", "x", ["javascript:alert(1)"], "http"),
    ("false", "x", ["https://"], "http"),
    ("false", "x", ["https://a.example/ x"], "http"),
])
def test_a_bad_verdict_is_refused_with_its_reason(store, judged, verdict, rationale, evidence,
                                                   problem) -> None:
    with pytest.raises(InvalidVerdict, match=problem):
        VerdictLedger(store).record("p-captured", verdict, rationale, evidence, "ana", WHEN)
    assert VerdictLedger(store).count() == 0


def test_a_verdict_on_an_unknown_proposition_is_refused(store, judged) -> None:
    with pytest.raises(UnknownProposition, match="no-such"):
        VerdictLedger(store).record("no-such", "false", "x", [], "ana", WHEN)


def test_a_verdict_follows_its_claims_when_a_relink_renames_the_proposition(
        store, judged) -> None:
    ledger = VerdictLedger(store)
    ledger.record("p-captured", "false", "Denied by the General Staff.", [], "ana", WHEN)
    ledger.record("p-analysts", "unverifiable", "Opinion.", [], "ana", WHEN)
    PropositionLedger(store).reset(keep_vectors=True)  # what a re-link does first
    captured = judged["p-captured"]
    link(store, "p-renamed", [captured[1], captured[0]])  # two of its three claims
    assert set(ledger.current()) == {"p-renamed"}
    assert ledger.current()["p-renamed"].verdict == "false"
    assert [v.proposition_id for v in ledger.unattached()] == ["p-analysts"]
    later = ledger.record("p-renamed", "true", "Confirmed after all.", EVIDENCE, "ada",
                          WHEN + timedelta(days=1))
    assert later.previous == "false"
    assert [v.verdict for v in ledger.history("p-renamed")] == ["false", "true"]


def test_a_verdict_does_not_follow_to_a_proposition_holding_few_of_its_claims(
        store, judged) -> None:
    ledger = VerdictLedger(store)
    ledger.record("p-captured", "false", "Denied.", [], "ana", WHEN)
    PropositionLedger(store).reset(keep_vectors=True)
    captured, analysts = judged["p-captured"], judged["p-analysts"]
    link(store, "p-other", [analysts[0], analysts[1], captured[0]], "something else")
    assert ledger.current() == {}
    assert [v.verdict for v in ledger.unattached()] == ["false"]

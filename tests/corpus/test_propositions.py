"""Propositions on real text: the two seed reports, extracted by the real pipeline, linked by
the real encoder into a real SQLite ledger."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from claimscope.analyze import analyze
from claimscope.cli import cli
from claimscope.corpus.corroboration import proposition_table, trace
from claimscope.store.figures import FigureLedger
from claimscope.corpus.frames import PlaceMention, status_frames
from claimscope.corpus.propositions import PropositionSettings, link_propositions
from claimscope.ingest import ReadOptions
from claimscope.nlp.encoder import SentenceEncoder
from claimscope.store import PropositionLedger, Store, open_store, resolve_database_url

MOD = "Russian Ministry of Defense"


class CountingEncoder:
    """The real encoder, counting the texts it is asked to encode."""

    def __init__(self, encoder: SentenceEncoder) -> None:
        self._encoder = encoder
        self.texts: list[str] = []

    def encode(self, texts):
        self.texts += list(texts)
        return self._encoder.encode(texts)


@pytest.fixture(scope="module")
def encoder() -> SentenceEncoder:
    return SentenceEncoder()


def _analyze(store: Store, extractor, *paths: Path) -> None:
    report = analyze(list(paths), store, extractor, ReadOptions())
    assert not report.failures


@pytest.fixture(scope="module")
def seeds_db(tmp_path_factory, seed_paths, extractor, encoder) -> str:
    """Both seed reports analysed and linked, once for the module."""
    root = tmp_path_factory.mktemp("seeds")
    folder = root / "articles"
    folder.mkdir()
    for path in seed_paths:
        shutil.copyfile(path, folder / path.name)
    db = str(root / "ledger.db")
    with open_store(resolve_database_url(db)) as store:
        _analyze(store, extractor, folder)
        link_propositions(store, encoder)
    return db


@pytest.fixture
def store(seeds_db: str):
    with open_store(resolve_database_url(seeds_db)) as opened:
        yield opened


def _claim(store: Store, speaker: str, words: str) -> dict:
    found = [c for c in store.claims() if c["speaker"]["name"] == speaker
             and words in c["content"]["text"]]
    assert len(found) == 1, (speaker, words, found)
    return found[0]


def _proposition_of(store: Store, claim_id: str) -> dict:
    found = [p for p in proposition_table(store) if claim_id in p["claims"]]
    assert len(found) == 1, found
    return found[0]


def test_capture_of_kupyansk_is_one_proposition_across_the_two_seed_reports(store):
    mod = _claim(store, MOD, "The capture of Kupyansk")
    mash = _claim(store, "Mash", "seize control of Kupyansk")
    proposition = _proposition_of(store, mod["id"])
    assert mash["id"] in proposition["claims"]
    assert set(proposition["documents"]) == {mod["document"]["id"], mash["document"]["id"]}
    assert "Kupyansk" in proposition["statement"]


def test_ministry_and_mash_are_independent_origins_in_unknown_order(store):
    mod = _claim(store, MOD, "The capture of Kupyansk")
    proposition = _proposition_of(store, mod["id"])
    speakers = {o["speaker"] for o in proposition["origins"]}
    assert {MOD, "Mash"} <= speakers
    assert proposition["independent_origins"] == len(proposition["origins"]) >= 2
    assert proposition["origin_order"] == "unknown"  # neither report is dated
    assert proposition["echo_ratio"] == pytest.approx(
        len(proposition["documents"]) / proposition["independent_origins"], abs=1e-3)


def test_putins_qualified_statement_joins_only_as_suggested(store):
    putin = _claim(store, "Vladimir Putin", "almost completely in the hands of Russian forces")
    mod = _claim(store, MOD, "The capture of Kupyansk")
    proposition = _proposition_of(store, mod["id"])
    tiers = {m["claim"]: m["tier"] for m in proposition["members"]}
    assert tiers.get(putin["id"], "suggested") == "suggested"


def test_claims_only_about_kupyansk_do_not_join_the_capture(store):
    mod = _claim(store, MOD, "The capture of Kupyansk")
    importance = _claim(store, MOD, "the strategic importance of Kupyansk")
    reported = _claim(store, "author", "the claim that pro-Russian underground groups")
    proposition = _proposition_of(store, mod["id"])
    assert importance["id"] not in proposition["claims"]  # about the town, not its capture
    assert reported["id"] not in proposition["claims"]  # mentions the claim, does not make it


def test_internal_contradiction_of_report_000_is_found_with_its_reason(store):
    mod = _claim(store, MOD, "The capture of Kupyansk")
    fate = _claim(store, "author", "the fate of Kupyansk")
    found = [c for c in PropositionLedger(store).contradiction_rows([mod["id"]])
             if {c.claim_a, c.claim_b} == {mod["id"], fate["id"]}]
    assert len(found) == 1
    assert found[0].kind == "status" and found[0].same_document
    assert "captured" in found[0].reason and "uncertain" in found[0].reason
    assert "Kupyansk" in found[0].reason


def test_trace_shows_the_origins_and_the_internal_contradiction(store):
    mod = _claim(store, MOD, "The capture of Kupyansk")
    fate = _claim(store, "author", "the fate of Kupyansk")
    found = trace(store, mod["id"])
    assert found["origin"]["speaker"] == MOD
    (proposition,) = found["propositions"]
    assert "Mash" in {o["speaker"] for o in proposition["corroborating_origins"]}
    assert proposition["origin_order"] == "unknown"
    assert fate["id"] in {c["other"]["id"] for c in found["contradictions"]}


def test_trace_command_prints_origins_and_contradiction(seeds_db, store):
    mod = _claim(store, MOD, "The capture of Kupyansk")
    result = CliRunner().invoke(cli, ["trace", mod["id"], "--db", seeds_db])
    assert result.exit_code == 0, result.output
    assert "corroborated by Mash" in result.output
    assert "order of origins: unknown" in result.output
    assert "incompatible status of Kupyansk" in result.output
    missing = CliRunner().invoke(cli, ["trace", "no-such-claim", "--db", seeds_db])
    assert missing.exit_code == 1


def test_propositions_json_has_the_documented_shape(seeds_db, store):
    result = CliRunner().invoke(cli, ["propositions", "--db", seeds_db, "--json",
                                      "--sort", "echo-ratio"])
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    assert found
    claim_ids = {c["id"] for c in store.claims()}
    document_ids = {c["document"]["id"] for c in store.claims()}
    for proposition in found:
        assert isinstance(proposition["id"], str)
        assert set(proposition["claims"]) <= claim_ids
        assert set(proposition["documents"]) <= document_ids
        assert isinstance(proposition["independent_origins"], int)
        assert isinstance(proposition["echo_ratio"], float)
        for contradiction in proposition["contradictions"]:
            assert {"claim_a", "claim_b", "reason"} <= set(contradiction)
    ratios = [p["echo_ratio"] for p in found]
    assert ratios == sorted(ratios, reverse=True)
    table = CliRunner().invoke(cli, ["propositions", "--db", seeds_db])
    assert table.exit_code == 0 and f"{len(found)} propositions" in table.output


def test_a_new_document_is_linked_without_encoding_the_corpus_again(
    tmp_path, seed_paths, extractor, encoder
):
    by_name = {path.name[:3]: path for path in seed_paths}
    first, second = tmp_path / "first", tmp_path / "second"
    for folder, path in ((first, by_name["000"]), (second, by_name["004"])):
        folder.mkdir()
        shutil.copyfile(path, folder / path.name)
    counting = CountingEncoder(encoder)
    with open_store(resolve_database_url(str(tmp_path / "ledger.db"))) as store:
        _analyze(store, extractor, first)
        link_propositions(store, counting)
        before = {p["id"]: set(p["claims"]) for p in proposition_table(store)}
        counting.texts.clear()
        _analyze(store, extractor, second)
        report = link_propositions(store, counting)
        new_claims = [c for c in store.claims() if c["document"]["source"].startswith(str(second))]
        assert report.claims_read == report.claims_linked == len(new_claims)
        first_texts = {c["content"]["text"] for c in store.claims()} - {
            c["content"]["text"] for c in new_claims}
        assert not first_texts & set(counting.texts)  # the stored claims were not encoded again
        mod = _claim(store, MOD, "The capture of Kupyansk")
        mash = _claim(store, "Mash", "seize control of Kupyansk")
        (kupyansk,) = [pid for pid, members in before.items() if mod["id"] in members]
        after = {p["id"]: set(p["claims"]) for p in proposition_table(store)}
        assert mash["id"] in after[kupyansk]  # joined the proposition the first run made
        assert before[kupyansk] <= after[kupyansk]
        stored = {r.id: r for r in FigureLedger(store).page("independent-origins")[0]}
        (live,) = proposition_table(store, ids=[kupyansk])
        assert report.figures >= 1  # the touched proposition's stored figures were updated
        assert stored[kupyansk].independent_origins == live["independent_origins"]
        assert stored[kupyansk].documents == len(live["documents"]) == 2
        again = link_propositions(store, counting)
        assert again.claims_read == again.claims_linked == 0


@pytest.mark.parametrize(
    ("speaker", "words", "expected"),
    [
        (MOD, "The capture of Kupyansk", ("Kupyansk", "captured", True, False)),
        ("Mash", "seize control of Kupyansk", ("Kupyansk", "captured", True, False)),
        ("Vladimir Putin", "almost completely in the hands", ("Kupyansk", "captured", True, True)),
        ("author", "the fate of Kupyansk", ("Kupyansk", "uncertain", True, False)),
        ("author", "the claim that pro-Russian underground groups",
         ("Kupyansk", "captured", False, False)),
    ],
)
def test_place_statuses_read_from_seed_claims(store, speaker, words, expected):
    claim = _claim(store, speaker, words)
    places = [PlaceMention(p["name"], p["kind"], p["text"]) for p in claim["places"]]
    frames = status_frames(claim["content"]["text"], places)
    place, status, asserted, qualified = expected
    assert any(f.place == place and f.status == status and f.asserted == asserted
               and f.qualified == qualified for f in frames), frames


def test_stored_vectors_are_unit_vectors_of_every_piece(store):
    ledger = PropositionLedger(store)
    counts = ledger.counts()
    assert counts["read"] == counts["linked"] == counts["claims"]
    for _, positions, matrix in ledger.vectors(PropositionSettings().method):
        assert np.allclose(np.linalg.norm(matrix, axis=1), 1.0, atol=1e-2)
        assert (positions == 0).sum() == counts["claims"]

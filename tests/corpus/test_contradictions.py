"""Contradictions from the claims' structure, on real text: the seed reports' place statuses and
SICK 2014 sentence pairs (read from ../shared/eval-data at test time, never copied here)."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from claimscope import rules
from claimscope.analyze import analyze
from claimscope.corpus import contradictions
from claimscope.corpus.bm25 import Bm25
from claimscope.corpus.matching import judge
from claimscope.corpus.propositions import describe, match_info
from claimscope.ingest import ReadOptions
from claimscope.nlp.encoder import SentenceEncoder
from claimscope.nlp.factuality import FactualityTagger
from claimscope.store import PropositionLedger, open_store, resolve_database_url
from claimscope.store.propositions import LinkClaim

SICK_TRIAL = Path(__file__).resolve().parents[3] / "shared" / "eval-data" / "sick2014" / "SICK_trial.txt"


@pytest.fixture(scope="module")
def encoder() -> SentenceEncoder:
    return SentenceEncoder()


@pytest.fixture(scope="module")
def seed_claims(tmp_path_factory, seed_paths, extractor) -> dict[str, LinkClaim]:
    """The seed reports' claims as linking sees them, with their place statuses."""
    root = tmp_path_factory.mktemp("contradictions")
    folder = root / "articles"
    folder.mkdir()
    for path in seed_paths:
        shutil.copyfile(path, folder / path.name)
    with open_store(resolve_database_url(str(root / "ledger.db"))) as store:
        analyze([folder], store, extractor, ReadOptions())
        ids = [c["id"] for c in store.claims()]
        claims = PropositionLedger(store).claims(ids)
    found = {}
    for claim_id, claim in claims.items():
        _, frames = describe(claim)
        found[claim_id] = LinkClaim(**{**claim.__dict__, "frames": tuple(f.as_dict() for f in frames)})
    return found


def _one(claims: dict[str, LinkClaim], speaker: str, words: str) -> LinkClaim:
    (found,) = [c for c in claims.values() if c.speaker_name == speaker and words in c.content]
    return found


def _judge(encoder: SentenceEncoder, a: LinkClaim, b: LinkClaim):
    vectors = encoder.encode([a.content, b.content])
    cosine = float(vectors[0] @ vectors[1])
    lexical = float(Bm25([a.content, b.content]).similarity(np.array([[0, 1]]))[0])
    info_a, info_b = match_info(a), match_info(b)
    return judge(cosine, cosine, lexical, info_a, info_b), info_a, info_b


def test_capture_confirmed_and_fate_uncertain_in_report_000_contradict(seed_claims, encoder):
    capture = _one(seed_claims, "Russian Ministry of Defense", "The capture of Kupyansk")
    fate = _one(seed_claims, "author", "the fate of Kupyansk")
    assert capture.document_id == fate.document_id
    match, info_a, info_b = _judge(encoder, capture, fate)
    assert match.tier is None  # not one proposition: the statuses clash
    (found,) = contradictions.find(capture, fate, match, info_a, info_b)
    assert found.kind == "status"
    assert "Kupyansk: captured" in found.reason and "against uncertain" in found.reason
    assert "remains uncertain" in found.reason  # the words that state it, quoted


def test_a_qualified_status_is_not_a_contradiction(seed_claims, encoder):
    putin = _one(seed_claims, "Vladimir Putin", "almost completely in the hands")
    fate = _one(seed_claims, "author", "the fate of Kupyansk")
    match, info_a, info_b = _judge(encoder, putin, fate)
    assert contradictions.find(putin, fate, match, info_a, info_b) == []


def test_one_status_asserted_twice_is_no_contradiction(seed_claims, encoder):
    capture = _one(seed_claims, "Russian Ministry of Defense", "The capture of Kupyansk")
    mash = _one(seed_claims, "Mash", "seize control of Kupyansk")
    match, info_a, info_b = _judge(encoder, capture, mash)
    assert (match.reason, match.tier) == ("status", "confirmed")
    assert contradictions.find(capture, mash, match, info_a, info_b) == []


def _sick_pair(pair_id: str) -> tuple[str, str]:
    if not SICK_TRIAL.exists():
        pytest.skip(f"SICK 2014 is not in {SICK_TRIAL.parent}")
    for line in SICK_TRIAL.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if parts[0] == pair_id:
            assert parts[4] == "CONTRADICTION"
            return parts[1], parts[2]
    raise AssertionError(f"no SICK pair {pair_id}")


def _sentence_claim(extractor, text: str, n: int, cue_class: str = "other") -> LinkClaim:
    doc = extractor._nlp(text)
    polarity = FactualityTagger(rules.hedges()).tag(doc, 0, len(doc)).polarity
    return LinkClaim(id=f"c{n}", document_id=f"d{n}", content=text, content_start=0,
                     sentence_start=0, speaker_name=f"speaker {n}", speaker_kind="person",
                     cue_class=cue_class, polarity=polarity, certainty="certain")


@pytest.mark.parametrize("pair_id", ["2886", "2392"])
def test_opposite_polarity_of_one_proposition_is_a_contradiction(extractor, encoder, pair_id):
    first, second = _sick_pair(pair_id)
    a, b = _sentence_claim(extractor, first, 1), _sentence_claim(extractor, second, 2)
    assert {a.polarity, b.polarity} == {"positive", "negative"}
    match, info_a, info_b = _judge(encoder, a, b)
    assert match.tier is not None
    kinds = [f.kind for f in contradictions.find(a, b, match, info_a, info_b)]
    assert kinds == ["polarity"]


def test_a_denial_of_one_proposition_is_a_contradiction(extractor, encoder):
    first, _ = _sick_pair("2886")  # "A woman is playing a flute"
    asserted = _sentence_claim(extractor, first, 1)
    denied = _sentence_claim(extractor, first, 2, cue_class="deny")  # "X denied that …"
    match, info_a, info_b = _judge(encoder, asserted, denied)
    (found,) = contradictions.find(asserted, denied, match, info_a, info_b)
    assert found.kind == "denial" and found.reason == "speaker 2 denies what speaker 1 asserts"

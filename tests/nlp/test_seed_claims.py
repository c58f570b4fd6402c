"""Issue #2's "done means" on the two seed reports: the ledger the extractor builds."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from claimscope.records import Claim, Document

SEEDS = Path(__file__).resolve().parents[2] / "examples" / "seeds"
REPORT_000 = SEEDS / "000_8a111a524688a94b.txt"
REPORT_004 = SEEDS / "004_99418b01a1118d0d.txt"


def document_from(path: Path, published_at: datetime | None = None) -> Document:
    raw = path.read_bytes()
    return Document(
        text=raw.decode("utf-8"), source=str(path), sha256=hashlib.sha256(raw).hexdigest(),
        raw=raw, ingested_at=datetime.now(UTC), published_at=published_at,
    )


@pytest.fixture(scope="module")
def claims_000(extractor) -> list[Claim]:
    return list(extractor.extract(document_from(REPORT_000)).claims)


@pytest.fixture(scope="module")
def claims_004(extractor) -> list[Claim]:
    return list(extractor.extract(document_from(REPORT_004)).claims)


def by_speaker(claims: list[Claim], name: str) -> list[Claim]:
    return [c for c in claims if c.speaker.name == name]


def cue_texts(claims: list[Claim]) -> set[str]:
    return {c.cue.span.text for c in claims if c.cue.span}


def test_putin_has_three_claims_including_pronoun_and_title(claims_000):
    putin = by_speaker(claims_000, "Vladimir Putin")
    assert len(putin) >= 3
    assert all(c.speaker.kind == "person" for c in putin)
    speaker_texts = {c.speaker.span.text for c in putin}
    assert {"He", "The president"} <= speaker_texts
    assert {"alleged", "argued"} <= cue_texts(putin)
    alleged = next(c for c in putin if c.cue.span.text == "alleged")
    assert alleged.cue.cue_class == "allege"
    argued = next(c for c in putin if c.cue.span.text == "argued")
    assert argued.cue.cue_class == "argue"


@pytest.mark.parametrize(
    ("fixture", "cues"),
    [("claims_000", {"confirmed", "stated"}), ("claims_004", {"emphasized", "argues"})],
)
def test_ministry_of_defense_claims_resolve_descriptions(request, fixture, cues):
    claims = by_speaker(request.getfixturevalue(fixture), "Russian Ministry of Defense")
    assert all(c.speaker.kind == "government" for c in claims)
    assert cues <= cue_texts(claims)
    assert any(c.speaker.span.text.lower() == "the ministry" for c in claims)


def test_passive_confirmation_takes_the_agent_as_speaker(claims_000):
    confirmed = next(c for c in claims_000 if c.cue.span and c.cue.span.text == "confirmed"
                     and c.speaker.name == "Russian Ministry of Defense")
    assert confirmed.cue.cue_class == "confirm"
    assert confirmed.content.span.text == "The capture of Kupyansk"


def test_mash_is_an_outlet_with_three_claims(claims_004):
    mash = by_speaker(claims_004, "Mash")
    assert len(mash) >= 3
    assert all(c.speaker.kind == "outlet" for c in mash)
    assert {"alleged", "According to", "claims"} <= cue_texts(mash)
    himars = next(c for c in mash if c.cue.span.text == "claims")
    assert himars.speaker.span.text == "the channel"
    assert himars.cue.cue_class == "allege"
    assert "HIMARS" in himars.content.span.text


def test_kontora_claim_is_anonymous_and_relayed_via_ria_novosti(claims_000):
    kontora = by_speaker(claims_000, "Kontora")
    assert kontora and all(c.speaker.kind == "anonymous" for c in kontora)
    first = next(c for c in kontora if c.cue.span.text == "confirmed")
    assert [r.name for r in first.relayed_via] == ["RIA Novosti"]
    assert any(c.speaker.span.text == "The fighter" for c in kontora)


def test_nested_claim_keeps_its_chain(claims_000):
    nested = next(c for c in claims_000 if c.cue.span and c.cue.span.text == "claimed")
    assert nested.speaker.name == "Ukrainian forces"
    assert [r.name for r in nested.relayed_via] == ["Vladimir Putin"]


@pytest.mark.parametrize(
    ("fixture", "speaker_text"),
    [("claims_000", "Analysts"), ("claims_004", "some military analysts")],
)
def test_vague_speakers(request, fixture, speaker_text):
    claims = request.getfixturevalue(fixture)
    vague = [c for c in claims if c.speaker.span and c.speaker.span.text == speaker_text]
    assert vague and vague[0].speaker.kind == "vague"


def test_local_residents_sentence_is_hedged(claims_004):
    residents = next(c for c in claims_004 if c.sentence.text.startswith("Local residents"))
    assert {h.text for h in residents.factuality.hedges} >= {"reportedly", "allegedly"}
    assert residents.factuality.certainty in {"possible", "unknown"}


def test_if_confirmed_makes_a_claim_conditional(claims_004):
    loss = next(c for c in claims_004 if "if confirmed" in c.sentence.text)
    assert loss.factuality.conditional


def test_claim_anaphors_are_never_speakers(claims_000, claims_004):
    for claim in claims_000 + claims_004:
        if claim.speaker.span:
            assert claim.speaker.span.text not in {"This assertion", "This claim"}
            assert not claim.speaker.span.text.lower().startswith(("this assertion", "this claim"))


def test_kupyansk_is_placed_on_the_settlement(claims_000):
    places = [p for c in claims_000 for p in c.places if p.name == "Kupyansk"]
    assert places
    assert abs(places[0].lat - 49.71) < 0.2 and abs(places[0].lon - 37.62) < 0.2
    assert places[0].country == "UA" and places[0].kind == "settlement"


def test_author_voice_claims_exist_for_checkable_sentences(claims_000):
    author = [c for c in claims_000 if c.speaker.kind == "author"]
    assert any("remains uncertain" in c.content.span.text for c in author)
    assert all(c.speaker.span is None and c.cue.span is None for c in author)


def test_every_span_slices_the_document_text(claims_000, claims_004):
    texts = {REPORT_000: REPORT_000.read_text("utf-8"), REPORT_004: REPORT_004.read_text("utf-8")}
    for path, claims in ((REPORT_000, claims_000), (REPORT_004, claims_004)):
        text = texts[path]
        for claim in claims:
            spans = [claim.sentence, claim.content.span, *claim.content.fragments, *claim.factuality.hedges,
                     *(p.span for p in claim.places), *(d.span for d in claim.dates)]
            spans += [s for s in (claim.speaker.span, claim.cue.span) if s is not None]
            for span in spans:
                assert text[span.start : span.end] == span.text


def test_claim_ids_are_stable_across_runs(extractor):
    first = [c.id for c in extractor.extract(document_from(REPORT_000)).claims]
    again = [c.id for c in extractor.extract(document_from(REPORT_000)).claims]
    assert first == again and len(set(first)) == len(first)


def test_dates_resolve_against_publication_date(extractor):
    undated = extractor.extract(document_from(REPORT_000)).claims
    dated = extractor.extract(document_from(REPORT_000, datetime(2025, 11, 23, tzinfo=UTC))).claims
    value = lambda claims: {d.value for c in claims for d in c.dates if d.span.text == "November 21st"}
    assert value(undated) == {"--11-21"}
    assert value(dated) == {"2025-11-21"}


def test_checkworthiness_ranks_concrete_claims_above_commentary(claims_000):
    scores = {c.sentence.text[:40]: c.checkworthiness for c in claims_000}
    assert all(0.0 <= s <= 1.0 for s in scores.values())
    concrete = next(c for c in claims_000 if c.cue.span and c.cue.span.text == "confirmed"
                    and c.speaker.name == "Russian Ministry of Defense")
    commentary = next(c for c in claims_000 if c.sentence.text.startswith("As the battle for Kupyansk"))
    assert concrete.checkworthiness > commentary.checkworthiness


def test_a_cue_inside_the_content_splits_it_into_fragments(claims_004):
    argues = next(c for c in claims_004 if c.cue.span and c.cue.span.text == "argues")
    assert [f.text for f in argues.content.fragments] == [
        "Control over the town",
        "allows Russia to consolidate its gains in the north-eastern parts of Ukraine and exert "
        "greater pressure on Kyiv",
    ]
    contiguous = next(c for c in claims_004 if c.cue.span and c.cue.span.text == "alleged")
    assert contiguous.content.fragments == ()

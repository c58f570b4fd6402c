"""Transcript turns whose labels NER does not see: a quoted TV transcript ("PENCE: …")."""

from __future__ import annotations

from claimscope.nlp.transcript import find_turns
from tests.nlp.test_combine import article

PENCE = "breitbart_2016-09-25_pence-gennifer-flowers"


def test_capitalised_surnames_that_label_several_turns_are_speakers(extractor):
    """'"WALLACE: …' and '"PENCE: …' open each turn of the quoted interview (with a
    quotation mark); the claims of a turn are the labelled person's, named as the article
    names him elsewhere (Mike Pence), with the colon for cue."""
    document = article(PENCE)
    doc = extractor._nlp(document.text)
    labels = [document.text[t.label_start:t.label_end] for t in find_turns(doc)]
    assert set(labels) == {"WALLACE", "PENCE"} and labels.count("PENCE") >= 5
    claims = extractor.extract(document).claims
    turn_claims = [c for c in claims if c.cue.span is not None and c.cue.span.text == ":"]
    assert {c.speaker.name for c in turn_claims} == {"Mike Pence", "Wallace"}
    said = next(c for c in turn_claims if c.content.span.text.startswith("Donald Trump was using the tweet"))
    assert said.speaker.name == "Mike Pence" and said.speaker.span.text == "PENCE"


def test_a_capitalised_word_used_once_before_a_colon_is_no_turn(extractor):
    """A single "UPDATE:" or "NOTE:" is not a speaker: only repeated labels make a transcript."""
    doc = extractor._nlp("UPDATE: The ministry said the bridge over the Oskil was damaged on Tuesday.\n")
    assert find_turns(doc) == []

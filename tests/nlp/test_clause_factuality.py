"""The factuality tagger's view of one word's clause, on sentences of the seed reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimscope import rules
from claimscope.evaluate.factuality import factuality_value, load_pipeline
from claimscope.nlp.factuality import FactualityTagger

SEEDS = Path(__file__).resolve().parents[2] / "examples" / "seeds"


@pytest.fixture(scope="module")
def tagged():
    nlp = load_pipeline()
    tagger = FactualityTagger(rules.hedges())
    sentences = [line for path in sorted(SEEDS.glob("*.txt"))
                 for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]

    def tag(opening: str, word: str):
        sentence = next(s for s in sentences if s.startswith(opening))
        doc = nlp(sentence)
        token = next(t for t in doc if t.text == word)
        return tagger.tag_clause(doc, token.i)

    return tag


@pytest.mark.parametrize(
    ("opening", "word", "value", "hedges"),
    [
        # the negation of its own verb group
        ("The president has repeatedly argued", "seeking", -3, set()),
        ("Ukrainian officials have not yet", "commented", -3, set()),
        # "argued" itself is said as certain: a cue verb is no hedge of its own clause
        ("The president has repeatedly argued", "argued", 3, set()),
        # an adverb of its own clause
        ("Local residents, reportedly", "shared", 1, {"allegedly"}),
        # a modal passed down from the governing verb to its object
        ("This claim, which has sparked", "have", 1, {"could"}),
        ("This claim, which has sparked", "implications", 1, {"could"}),
        ("While some residents may have", "resisted", 1, {"may"}),
        # "would" in the main clause; the "if" clause is conditional
        ("Ukrainian officials have not yet", "blow", 2, {"would"}),
        ("The loss of this system, if confirmed", "represent", 2, {"would"}),
    ],
)
def test_tag_clause_on_the_seed_reports(tagged, opening, word, value, hedges):
    factuality = tagged(opening, word)
    assert factuality_value(factuality) == value
    assert {h.text for h in factuality.hedges} == hedges


def test_an_if_clause_is_conditional(tagged):
    factuality = tagged("The destruction of the HIMARS system, if verified", "verified")
    assert factuality.conditional and factuality.certainty == "possible"
    assert not tagged("The destruction of the HIMARS system, if verified", "underscores").conditional

"""The rules with the trained tagger (``analyze --tagger``), and what both finders share, on
PolNeAR dev articles: how quotes, nested cues, documents and stray words become claims."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from claimscope.records import Claim, Document

POLNEAR_DEV = Path(__file__).resolve().parents[3] / "shared" / "eval-data" / "polnear" / "dev" / "text"


def article(name: str) -> Document:
    path = next(POLNEAR_DEV.glob(f"{name}*.txt"))
    raw = path.read_bytes()
    return Document(text=raw.decode("utf-8"), source=path.name, sha256=hashlib.sha256(raw).hexdigest(),
                    raw=raw, ingested_at=datetime.now(UTC))


def claims_in_line(extractor, name: str, words: str) -> list[Claim]:
    """The attributed claims whose content lies in the article's line holding ``words``."""
    document = article(name)
    start = document.text.index(words)
    first, last = document.text.rfind("\n", 0, start) + 1, document.text.find("\n", start)
    return [c for c in extractor.extract(document).claims if c.speaker.kind != "author"
            and first <= c.content.span.start and c.content.span.end <= last]


def test_quoted_fragments_keep_their_quotation_marks(tagged_extractor):
    """The New York Times quotes with ''…'': a content interrupted by its cue keeps the marks
    that open and close each piece, as it keeps “…” (PolNeAR's contents hold them)."""
    claims = claims_in_line(tagged_extractor, "nyt_2016-09-25_obama-says", "''We're America.''")
    added = [c for c in claims if c.cue.span and c.cue.span.text == "added"]
    assert len(added) == 1
    fragments = [f.text for f in added[0].content.fragments]
    first = "''We're not a burden on America or a stain on America, or an object of pity or charity for America,''"
    assert fragments == [first, "''We're America.''"]


def test_a_sentence_of_a_quote_is_not_a_claim_beside_the_whole_quote(tagged_extractor):
    """The tagger reads “A. B,” said X as one content; the first sentence, a claim of its
    own for the rules, is held by it and not written twice."""
    claims = claims_in_line(tagged_extractor, "west-journal_2016-09-28_clinton-campaign",
                            "campaign is in panic mode")
    assert [(c.speaker.name, c.content.span.text) for c in claims] == [
        ("Leslie Wimes", "“Hillary Clinton’s campaign is in panic mode. Full panic mode,”")]


@pytest.mark.parametrize("finder", ["extractor", "tagged_extractor"])
def test_a_speaker_reporting_their_own_thought_makes_one_claim(finder, request):
    """"Tanner … said he thinks …": "he" is Tanner (the one whose words hold it), not the
    person last named before, and "he thinks" is part of Tanner's claim, not a second one."""
    claims = claims_in_line(request.getfixturevalue(finder), "wash-post_2016-09-21_mixed-messages",
                            "said he thinks the Trump campaign")
    assert claims and {c.speaker.name for c in claims} == {"Michael Tanner"}
    assert all(c.cue.span.text != "thinks" for c in claims)
    ditto = claims_in_line(request.getfixturevalue(finder), "breitbart_2016-09-30_the-latest-trump-urges",
                           "Ditto said she expects")
    assert ditto and {c.speaker.name for c in ditto} == {"Jessica Ditto"}


def test_verbs_that_hedge_are_cues_of_their_own(tagged_extractor):
    """"reportedly" is a hedge of the article's claim, but "want" and "suggest" (also in the
    hedge lexicon) say who holds the content: the tagger's cues stand."""
    claims = claims_in_line(tagged_extractor, "nyt_2016-10-04_in-avoiding-tax", "Republicans want policies")
    found = {(c.speaker.name, c.cue.span.text, c.content.span.text) for c in claims}
    assert ("Republicans", "want", "policies that create less revenue in the immediate term") in found
    # "Democrats want policies that create more revenue, and …": the comma joins the clauses
    assert ("Democrats", "want", "policies that create more revenue") in found
    assert any(cue == "suggest" and speaker == "Republicans" for speaker, cue, _ in found)


def test_a_document_speaks_for_its_maker(tagged_extractor):
    """PolNeAR's sources include documents: "the IMF report stated", "A web video by the
    Republican National Committee references". The maker named in the phrase speaks; the
    source span stays the phrase."""
    imf = claims_in_line(tagged_extractor, "wash-post_2016-10-05_international-monetary",
                         "the ultimate impact remains very unclear")
    assert [(c.speaker.name, c.speaker.span.text) for c in imf] == [("IMF", "the IMF report")]
    video = claims_in_line(tagged_extractor, "breitbart_2016-10-03_the-latest-trump-s-leaked",
                           "A web video by the Republican National Committee")
    assert [c.speaker.name for c in video] == ["Republican National Committee"]


def test_a_stray_word_is_never_a_content(tagged_extractor):
    """The tagger sometimes links a cue to a lone "the" or "that"; no claim is made of it."""
    names = ("breitbart_2016-09-30_the-latest-trump-urges", "nyt_2016-09-19_obama-sees",
             "nyt_2016-10-04_in-avoiding-tax", "huff-post_2016-09-20_elizabeth-warren")
    for extraction in tagged_extractor.extract_many(article(name) for name in names):
        stray = [c.content.span.text for c in extraction.claims if len(c.content.span.text.split()) == 1
                 and c.content.span.text.lower() in {"the", "that", "a", "it", "this"}]
        assert stray == [], extraction.document.source


def test_an_opinion_cue_the_tagger_does_not_confirm_is_no_attribution(extractor, tagged_extractor):
    """"PENCE: Well, look, Hillary Clinton apparently thinks this is an episode of “Shark
    Tank.”" is Pence's jibe, not a claim of Clinton's. The rules alone read "thinks" as her
    cue; with the tagger, which did not mark it, the sentence stays Pence's words."""
    line = "Hillary Clinton apparently thinks this is an episode"
    alone = claims_in_line(extractor, "breitbart_2016-09-25_pence-gennifer-flowers", line)
    assert any(c.cue.span.text == "thinks" and c.speaker.name == "Hillary Clinton" for c in alone)
    both = claims_in_line(tagged_extractor, "breitbart_2016-09-25_pence-gennifer-flowers", line)
    assert all(c.cue.span.text != "thinks" for c in both)
    assert any(c.speaker.name == "Mike Pence" and line in c.content.span.text for c in both)

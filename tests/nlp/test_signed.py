"""Signed quotes (“…” ― Name), on the PolNeAR dev article that prints readers' voices so."""

from __future__ import annotations

from claimscope.nlp.signed import find_signed_quotes
from tests.nlp.test_combine import article

LATINOS = "huff-post_2016-09-27_latinos-share-their-most-honest"


def test_each_signed_paragraph_is_found_with_its_parts():
    text = article(LATINOS).text
    found = find_signed_quotes(text)
    assert len(found) == text.count("―")  # every reader's voice, and the bar nowhere else
    first = found[0]
    assert text[first.quote_start:first.quote_end].startswith("”Mr. Trump embodies")
    assert text[first.quote_start:first.quote_end].endswith("our greatest shame.”")
    assert text[first.dash_start:first.dash_end] == "―"
    assert text[first.name_start:first.name_end] == "Sonya Herridge"
    # "…unlike him.”― Carla Sanchez." : no space before the bar, a full stop after the name
    names = [text[f.name_start:f.name_end] for f in found]
    assert "Carla Sanchez" in names and "Pamela Padilla" in names


def test_a_line_that_only_opens_with_a_quote_is_not_signed():
    text = "“We will hold the line,” the commander said — and then the call dropped.\n"
    assert find_signed_quotes(text) == []


def test_a_signed_quote_is_its_signers_direct_claim(extractor):
    """The bar is the cue, the quotation with its marks the content, the name the source; the
    sentences inside are not also claims in the article's voice."""
    extraction = extractor.extract(article(LATINOS))
    text = extraction.document.text
    signed = [c for c in extraction.claims if c.cue.span is not None and c.cue.span.text == "―"]
    assert len(signed) == text.count("―")
    herridge = next(c for c in signed if c.speaker.name == "Sonya Herridge")
    assert herridge.speaker.kind == "person" and herridge.content.quote == "direct"
    assert herridge.content.span.text.startswith("”Mr. Trump embodies")
    assert herridge.content.span.text.endswith("our greatest shame.”")
    inside = [c for c in extraction.claims if c.speaker.kind == "author"
              and herridge.content.span.start <= c.content.span.start < herridge.content.span.end]
    assert inside == []

"""Passages and shingles of real articles: what copies are compared on."""

from __future__ import annotations

import numpy as np

from claimscope.corpus.link import LinkSettings, sign
from claimscope.corpus.text import passages, shingle_hashes

from .helpers import Article


def test_each_paragraph_of_a_seed_report_is_a_passage(articles: dict[str, Article]) -> None:
    seed = articles["000_8a111a524688a94b"]
    found = passages(seed.text, min_words=25, max_words=150)
    texts = [seed.text[p.start : p.end] for p in found]
    assert texts[0] == seed.paragraphs[0]
    assert all(seed.text[p.start : p.end] == seed.text[p.start : p.end].strip() for p in found)
    assert all(p.words >= 25 for p in found)
    assert len(found) <= len(seed.paragraphs)


def test_headings_datelines_and_link_lines_never_stand_alone(
    articles: dict[str, Article],
) -> None:
    release = articles["zelenskyy-1"]
    text = "\n".join([
        "Main Intelligence Directorate deals with the issue of the exchange of prisoners of war "
        "and the return of all our people from Russian captivity - President",
        "Kyiv, 6 June 2022",
        *release.paragraphs,
        "Read also: Russia's war against Ukraine continues, so a powerful European response is "
        "needed - President during a meeting with the President of the European Commission",
    ])
    found = passages(text, min_words=25, max_words=150)
    assert found[0].start == 0 and text[found[0].start : found[0].end].endswith(
        release.paragraphs[0])
    assert text[found[-1].start : found[-1].end].startswith(release.paragraphs[-1])


def test_a_release_flattened_to_one_line_is_cut_at_sentence_ends(
    articles: dict[str, Article],
) -> None:
    flat = " ".join(articles["kremlin-1"].paragraphs)  # 792 words, no line break
    found = passages(flat, min_words=25, max_words=150)
    assert len(found) >= 5
    assert all(25 <= passage.words <= 200 for passage in found)
    assert (found[0].start, found[-1].end) == (0, len(flat))
    for passage in found[:-1]:  # the last ends where the text does
        assert flat[passage.start : passage.end][-1] in ".!?\"”"


def test_shingles_ignore_case_and_punctuation_but_not_words() -> None:
    a = shingle_hashes("Russian forces captured Kupyansk, the ministry said.", 3)
    b = shingle_hashes("russian FORCES captured Kupyansk the ministry said", 3)
    c = shingle_hashes("Russian forces captured Kupiansk, the ministry said.", 3)
    assert len(a) == 5 and np.array_equal(a, b)
    assert len(set(a) & set(c)) == 2  # the shingles without the changed word


def test_reordering_paragraphs_leaves_the_document_signature_unchanged(
    articles: dict[str, Article],
) -> None:
    release = articles["zelenskyy-2"]  # every paragraph a passage of its own (>= 25 words)
    config = LinkSettings()
    forward = sign("a", release.text, config)
    backward = sign("b", "\n".join(release.paragraphs[::-1]), config)
    assert len(forward.passages) == len(release.paragraphs)
    assert forward.hashvalues == backward.hashvalues
    assert sorted(p.hashvalues for p in forward.passages) == sorted(
        p.hashvalues for p in backward.passages)

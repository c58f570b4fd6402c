"""The trained attribution tagger: the shipped ONNX file on a seed report, and its decoding."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from claimscope.errors import ModelError
from claimscope.nlp.tagger import (
    BEGIN,
    INSIDE,
    OUTSIDE,
    WINDOW,
    AttributionTagger,
    may_hold_claim,
    paragraphs,
    runs,
    sentence_chunks,
    viterbi,
    windows,
)

SEEDS = Path(__file__).resolve().parents[2] / "examples" / "seeds"
REPORT_000 = SEEDS / "000_8a111a524688a94b.txt"
RELEASES = SEEDS.parent / "press-releases"
POLNEAR_DEV = Path(__file__).resolve().parents[3] / "shared" / "eval-data" / "polnear" / "dev" / "text"


@pytest.fixture(scope="module")
def tagger() -> AttributionTagger:
    return AttributionTagger.load()


@pytest.fixture(scope="module")
def report() -> str:
    return REPORT_000.read_text("utf-8")


def test_shipped_model_tags_a_seed_report_with_exact_offsets(tagger, report):
    tagging = tagger.tag(report)
    for role, spans in tagging.spans.items():
        for span in spans:
            assert report[span.start : span.end] == span.text, role
    cues = {s.text for s in tagging.spans["cue"]}
    assert "stated" in cues  # "Putin stated that when Ukrainian forces claimed …"
    putin = next(a for a in tagging.attributions if a.cue.text == "stated")
    assert putin.source is not None and putin.source.text == "Putin"
    assert putin.content and putin.content[0].text.startswith("that when Ukrainian forces")


def test_linked_spans_lie_in_the_cues_paragraph(tagger, report):
    ranges = paragraphs(report)
    for attribution in tagger.tag(report).attributions:
        paragraph = next(p for p in ranges if p[0] <= attribution.cue.start < p[1])
        for span in (attribution.source, *attribution.content):
            if span is not None:
                assert paragraph[0] <= span.start and span.end <= paragraph[1]


@pytest.mark.parametrize("seed", range(20))
def test_viterbi_never_emits_inside_without_begin(seed):
    rng = np.random.default_rng(seed)
    scores = rng.normal(size=(rng.integers(1, 40), 3))
    scores[:, INSIDE] += 2.0  # make I tempting everywhere, after O too
    tags = viterbi(scores)
    assert tags[0] != INSIDE
    assert all(not (a == OUTSIDE and b == INSIDE) for a, b in zip(tags, tags[1:]))


def test_viterbi_prefers_a_valid_span_over_a_stray_inside():
    log = np.log
    scores = log(np.array([[0.9, 0.05, 0.05], [0.2, 0.1, 0.7], [0.1, 0.1, 0.8], [0.9, 0.05, 0.05]]))
    assert list(viterbi(scores)) in ([OUTSIDE, BEGIN, INSIDE, OUTSIDE], [BEGIN, INSIDE, INSIDE, OUTSIDE])
    assert runs([OUTSIDE, BEGIN, INSIDE, BEGIN, OUTSIDE, BEGIN]) == [(1, 3), (3, 4), (5, 6)]


def test_long_paragraphs_are_covered_by_overlapping_windows():
    assert windows(100) == [(0, 100)]
    cut = windows(600)
    assert cut[0][0] == 0 and cut[-1][1] == 600
    assert all(b - a == 254 for a, b in cut)
    assert all(next_start < end for (_, end), (next_start, _) in zip(cut, cut[1:]))


def test_a_press_release_body_is_cut_where_its_sentences_end():
    """A release's body is one line of thousands of pieces: cut into whole sentences, packed
    up to the window, each piece in exactly one chunk."""
    from claimscope.ingest import read_paths
    from claimscope.records import Document

    from tokenizers import Tokenizer

    from claimscope.nlp.encoder import tokenizer_path

    tokenizer = Tokenizer.from_file(str(tokenizer_path()))
    tokenizer.no_truncation()
    body = max((d.text for d in read_paths([RELEASES]) if isinstance(d, Document)), key=len)
    line = max((body[a:b] for a, b in paragraphs(body)), key=len)
    offsets = tokenizer.encode(line, add_special_tokens=False).offsets
    chunks = sentence_chunks(line, offsets)
    assert len(offsets) > 3 * WINDOW and len(chunks) >= 3
    assert chunks[0][0] == 0 and chunks[-1][1] == len(offsets)
    assert all(end == start for (_, end), (start, _) in zip(chunks, chunks[1:]))
    for a, b in chunks[:-1]:
        assert b - a <= WINDOW - 2 or not any(
            line[offsets[i][1] - 1] in ".!?" for i in range(a, b - 1))  # only a long sentence is longer
        following = line[offsets[b][0]]
        assert line[offsets[b - 1][1] - 1] in ".!?\"”’)"
        assert following.isupper() or following.isdigit() or following in "\"“‘«("


def test_missing_model_is_a_model_error(tmp_path):
    with pytest.raises(ModelError, match="model.onnx"):
        AttributionTagger.load(tmp_path)



def test_the_extractor_uses_the_tagger_only_when_asked(extractor, tagged_extractor):
    """``analyze --tagger``: its name joins the extractor's version, and it adds attributions
    to the rules' on a seed report; without it, the version names no attribution model."""
    from tests.nlp.test_seed_claims import document_from

    tagged = tagged_extractor
    assert "attribution-minilm" in tagged.version and "attribution-minilm" not in extractor.version
    document = document_from(REPORT_000)
    plain = {(c.cue.span.start, c.cue.span.end) for c in extractor.extract(document).claims if c.cue.span}
    both = {(c.cue.span.start, c.cue.span.end) for c in tagged.extract(document).claims if c.cue.span}
    # every cue the rules find (the tagger may widen it: "has confirmed"), and more
    assert all(any(a <= start and end <= b for a, b in both) for start, end in plain)
    assert len(both) > len(plain)


def test_first_person_sources_are_the_author_or_whoever_is_quoted(tagged_extractor):
    """PolNeAR marks "I" in "I believe …" as a source. The ledger never names a speaker "I":
    outside quotation marks it is the article's own voice (op-eds), inside a quote the
    quoted speaker, or no claim at all."""
    import hashlib
    from datetime import UTC, datetime

    from claimscope.nlp.speakers import FIRST_PERSON
    from claimscope.records import Document

    tagged = tagged_extractor
    names = ("usa-today_2016-10-03_my-father", "nyt_2016-09-30_keep-the-return")
    texts = [next(POLNEAR_DEV.glob(f"{name}*.txt")).read_text("utf-8") for name in names]
    documents = [Document(text=t, source=name, sha256=hashlib.sha256(t.encode()).hexdigest(),
                          raw=t.encode(), ingested_at=datetime.now(UTC)) for name, t in zip(names, texts)]
    first_person_cues = {(a.cue.start, a.cue.end) for t in texts for a in tagged_attributions(t)
                         if a.source is not None and a.source.text.lower() in FIRST_PERSON}
    assert first_person_cues, "op-eds and letters speak in the first person"
    spoken = []
    for extraction in tagged.extract_many(documents):
        for claim in extraction.claims:
            assert claim.speaker.name.lower() not in FIRST_PERSON
            if claim.cue.span and (claim.cue.span.start, claim.cue.span.end) in first_person_cues:
                spoken.append(claim)
    assert spoken and all(c.speaker.kind == "author" or c.speaker.span.text.lower() in FIRST_PERSON
                          for c in spoken)
    assert any(c.speaker.kind == "author" for c in spoken)


def tagged_attributions(text: str):
    return AttributionTagger.load().tag(text).attributions


def test_a_paragraphs_spans_depend_on_its_text_alone(tagger):
    """The int8 network scales a run's activations by their range: tagged in one batch with
    other paragraphs, a paragraph's spans could change (this article's first did, in batches
    of 16 windows: a cue one character longer). Articles republish paragraphs."""
    article = next(POLNEAR_DEV.glob("huff-post_2016-09-20_elizabeth-warren-hammers*.txt")).read_text("utf-8")
    lines = [line for line in article.splitlines() if may_hold_claim(line)]
    alone = tagger.tag(lines[0])
    among = tagger.tag("\n".join(lines))
    first = [(s.start, s.end) for role in alone.spans for s in alone.spans[role]]
    assert first
    assert first == [(s.start, s.end) for role in among.spans for s in among.spans[role]
                     if s.end <= len(lines[0])]

"""The trained attribution tagger: the shipped ONNX file on a seed report, and its decoding."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from claimscope.errors import ModelError
from claimscope.nlp.tagger import BEGIN, INSIDE, OUTSIDE, AttributionTagger, paragraphs, runs, viterbi, windows

SEEDS = Path(__file__).resolve().parents[2] / "examples" / "seeds"
REPORT_000 = SEEDS / "000_8a111a524688a94b.txt"


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


def test_missing_model_is_a_model_error(tmp_path):
    with pytest.raises(ModelError, match="model.onnx"):
        AttributionTagger.load(tmp_path)



def test_the_extractor_uses_the_tagger_only_when_asked(extractor):
    """``analyze --tagger``: its name joins the extractor's version, and it adds attributions
    to the rules' on a seed report; without it, the version names no attribution model."""
    from claimscope.nlp import Extractor

    from tests.nlp.test_seed_claims import document_from

    tagged = Extractor.load(tagger=True)
    assert "attribution-minilm" in tagged.version and "attribution-minilm" not in extractor.version
    document = document_from(REPORT_000)
    plain = {(c.cue.span.start, c.cue.span.end) for c in extractor.extract(document).claims if c.cue.span}
    both = {(c.cue.span.start, c.cue.span.end) for c in tagged.extract(document).claims if c.cue.span}
    # every cue the rules find (the tagger may widen it: "has confirmed"), and more
    assert all(any(a <= start and end <= b for a, b in both) for start, end in plain)
    assert len(both) > len(plain)

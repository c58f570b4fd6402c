"""Same-claim matching on real text: what linking may skip, and BM25 queries made from the
corpus, each checked against the slower way linking used to take."""

from __future__ import annotations

import re

import numpy as np
import pytest

from claimscope.corpus import matching
from claimscope.corpus.bm25 import Bm25, terms
from claimscope.corpus.frames import pieces
from claimscope.corpus.matching import MatchInfo
from claimscope.nlp.encoder import SentenceEncoder

from .helpers import releases, seeds


@pytest.fixture(scope="module")
def texts() -> list[str]:
    """Every sentence of the shipped press releases and the seed reports."""
    found = [s for article in [*releases(), *seeds()]
             for s in re.split(r"(?<=[.!?])\s+", article.text) if len(s.split()) >= 5]
    assert len(found) > 100
    return found


def test_corpus_rows_as_queries_are_the_queries_their_texts_make(texts: list[str]) -> None:
    lexicon = Bm25(texts)
    rows = np.arange(0, len(texts), 3)
    made = lexicon.row_queries(rows)
    read = lexicon.query_matrix([texts[i] for i in rows])
    assert (made.indptr == read.indptr).all() and (made.indices == read.indices).all()
    assert (made.data == read.data).all()


def test_pairs_linking_does_not_judge_could_not_have_reached_a_tier(texts: list[str]) -> None:
    """Every pair of sentences, scored as linking scores it, with the entity check at its most
    favourable (each sentence's words as its entities): none that the filter skips links."""
    spans = [[(0, len(t)), *pieces(t)] for t in texts]
    encoded = SentenceEncoder().encode([t[a:b] for t, found in zip(texts, spans) for a, b in found])
    owner = np.repeat(np.arange(len(texts)), [len(found) for found in spans])
    whole = encoded[np.searchsorted(owner, np.arange(len(texts)))]
    first, second = np.triu_indices(len(texts), k=1)
    cosine = np.einsum("ij,ij->i", whole[first], whole[second]).astype(np.float64)
    best = encoded @ encoded.T
    piece = np.array([best[owner == a][:, owner == b].max() for a, b in zip(first, second)])
    lexical = Bm25(texts).similarity(np.stack([first, second], axis=1))
    kept = matching.may_reach_suggested(cosine, piece, lexical)
    infos = [MatchInfo(entity_words=frozenset(terms(t))) for t in texts]
    tiers = [matching.judge(c, p, x, infos[a], infos[b]).tier
             for c, p, x, a, b in zip(cosine, piece, lexical, first, second)]
    linked = np.array([tier is not None for tier in tiers])
    assert linked.any() and (kept[linked]).all()
    assert kept.mean() < 0.05  # most pairs of one front's sentences are left alone

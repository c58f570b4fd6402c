"""The vector search: the approximate index finds what the exact search finds, on real text."""

from __future__ import annotations

import re

import numpy as np
import pytest

from claimscope.corpus import vectors
from claimscope.nlp.encoder import SentenceEncoder

from .helpers import releases, seeds


@pytest.fixture(scope="module")
def sentences_matrix() -> np.ndarray:
    """Every sentence of the shipped press releases and seed reports, embedded."""
    texts = [s for article in [*releases(), *seeds()]
             for s in re.split(r"(?<=[.!?])\s+", article.text) if len(s.split()) >= 5]
    assert len(texts) > 100
    return SentenceEncoder().encode(texts)


def test_approximate_search_recalls_the_exact_neighbours(sentences_matrix: np.ndarray) -> None:
    exact_index, exact_score = vectors.exact_top_k(sentences_matrix, sentences_matrix, 10)
    found_index, found_score = vectors.approximate_top_k(sentences_matrix, sentences_matrix, 10)
    recall = np.mean([len(set(e) & set(f)) / len(e) for e, f in zip(exact_index, found_index)])
    assert recall >= 0.98
    # the cosines it reports are the true ones
    true = np.einsum("ij,ikj->ik", sentences_matrix, sentences_matrix[found_index])
    assert np.allclose(found_score, true, atol=2e-3)
    assert np.allclose(found_score[:, 0], 1.0, atol=2e-3)  # each finds itself (or its twin) first


def test_asking_for_more_neighbours_than_rows_pads(sentences_matrix: np.ndarray) -> None:
    index, score = vectors.approximate_top_k(sentences_matrix[:3], sentences_matrix[:5], 8)
    assert index.shape == (3, 8) and (index[:, 5:] == -1).all() and np.isneginf(score[:, 5:]).all()
    assert sorted(index[0, :5].tolist()) == [0, 1, 2, 3, 4]


def test_large_searches_take_the_index_and_apply_the_floor(sentences_matrix: np.ndarray,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vectors, "EXACT_PAIRS", 0)  # every search counts as large
    index, score = vectors.top_k(sentences_matrix, sentences_matrix, 5, floor=0.6)
    assert ((index == -1) == np.isneginf(score)).all()
    assert (score[index >= 0] >= 0.6).all()
    _, exact_score = vectors.exact_top_k(sentences_matrix, sentences_matrix, 5)
    assert np.allclose(score[:, 0], exact_score[:, 0], atol=2e-3)  # the nearest, ties aside

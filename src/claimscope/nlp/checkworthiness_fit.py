"""Fitting the check-worthiness model's weights (scikit-learn: the ``train`` or ``test`` extra).

The features are the ones :mod:`claimscope.nlp.checkworthiness` computes at run time, from
the same functions, so a fitted :class:`~claimscope.nlp.checkworthiness.LinearModel` scores
exactly as it was trained. The learner is scikit-learn's L2-regularised logistic regression
with balanced class weights (positives are 2–30 % of these corpora). Used by
``training/checkworthiness/train.py`` (the shipped model) and by ``claimscope eval
checkworthiness`` (which refits the same recipe on each protocol's training data).
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression

from claimscope.nlp.checkworthiness import LinearModel, hashed_tfidf, shape_features, word_ngrams

DEFAULT_BUCKETS = 2 ** 20
DEFAULT_C = 4.0
MAX_ITERATIONS = 5000


def fit(texts: Sequence[str], labels: Sequence[int], embeddings: np.ndarray, *, name: str,
        c: float = DEFAULT_C, buckets: int = DEFAULT_BUCKETS, meta: dict | None = None) -> LinearModel:
    """A model fitted on ``texts`` (with their MiniLM ``embeddings``) and 0/1 ``labels``."""
    idf = document_idf([word_ngrams(t) for t in texts], buckets)
    matrix = features(texts, embeddings, idf)
    learner = LogisticRegression(C=c, class_weight="balanced", max_iter=MAX_ITERATIONS)
    learner.fit(matrix, np.asarray(labels))
    weights = learner.coef_[0].astype(np.float32)
    dimensions = embeddings.shape[1]
    return LinearModel(
        name=name, word_idf=idf.astype(np.float32), word_weights=weights[:buckets],
        embedding_weights=weights[buckets:buckets + dimensions],
        shape_weights=weights[buckets + dimensions:], bias=float(learner.intercept_[0]),
        meta={**(meta or {}), "c": c, "buckets": buckets, "examples": len(texts),
              "positives": int(np.sum(labels))},
    )


def document_idf(grams: Sequence[list[str]], buckets: int) -> np.ndarray:
    """Smoothed idf per bucket, as scikit-learn computes it: ln((1 + n) / (1 + df)) + 1."""
    df = np.zeros(buckets, dtype=np.float64)
    for document in grams:
        df[list({zlib.crc32(g.encode("utf-8")) % buckets for g in document})] += 1
    return np.log((1 + len(grams)) / (1 + df)) + 1


def features(texts: Sequence[str], embeddings: np.ndarray, idf: np.ndarray):
    """The design matrix (scipy CSR): hashed n-gram TF-IDF | embedding | shape features."""
    rows, cols, values = [], [], []
    for row, text in enumerate(texts):
        index, weights = hashed_tfidf(word_ngrams(text), idf)
        rows.append(np.full(len(index), row))
        cols.append(index)
        values.append(weights)
    words = sparse.csr_matrix((np.concatenate(values), (np.concatenate(rows), np.concatenate(cols))),
                              shape=(len(texts), len(idf)))
    shapes = np.stack([shape_features(t) for t in texts])
    return sparse.hstack([words, sparse.csr_matrix(embeddings), sparse.csr_matrix(shapes)]).tocsr()

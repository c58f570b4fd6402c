"""BM25 over short texts (claims), as a sparse matrix: lexical scores for matching claims.

Written here rather than taken from a package because linking needs two things the common
packages do not give together: scores of *given pairs* (a candidate pair found by the vector
search) and a *normalised* score that can be compared across pairs, not only ranked per query.

- Terms: lowercase word tokens, English stop words dropped, a light suffix stemmer (so
  "captured" and "capture" meet), numbers kept.
- :class:`Bm25` holds a corpus as a CSR matrix of BM25 term weights (Okapi BM25, ``k1``, ``b``,
  IDF ``log(1 + (N - df + 0.5) / (df + 0.5))``); :meth:`Bm25.search` scores queries against the
  whole corpus with one sparse product.
- :meth:`Bm25.similarity` is the lexical similarity of two texts in [0, 1]: the BM25 score of
  one against the other divided by its score against itself, averaged over both directions.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
from scipy import sparse

K1 = 1.2
B = 0.75
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
STOP_WORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further had
has have having he her here hers herself him himself his how i if in into is it its itself just
me more most my myself no nor not of off on once only or other our ours ourselves out over own
same she should so some such than that the their theirs them themselves then there these they
this those through to too under until up very was we were what when where which while who whom
why will with would you your yours yourself yourselves s t said says say according reportedly
""".split())
_SUFFIXES = ("ations", "ation", "ings", "ing", "edly", "ed", "ies", "es", "s", "ly")


@lru_cache(maxsize=1 << 17)
def stem(word: str) -> str:
    """The word without its suffix (cached: a corpus repeats its words)."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)] + ("y" if suffix == "ies" else "")
            break
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]
    return word


def terms(text: str) -> list[str]:
    """The text's terms, in order (with repeats)."""
    return [stem(t) for t in (w.lower() for w in _TOKEN.findall(text)) if t not in STOP_WORDS]


class Bm25:
    """A corpus of texts as BM25 term weights (module docstring)."""

    def __init__(self, texts: Sequence[str], k1: float = K1, b: float = B) -> None:
        self.k1, self.b = k1, b
        self.vocabulary: dict[str, int] = {}
        rows, cols, counts = [], [], []
        lengths = np.zeros(len(texts), dtype=np.float64)
        for row, text in enumerate(texts):
            found = terms(text)
            lengths[row] = len(found)
            tally: dict[int, int] = {}
            for term in found:
                column = self.vocabulary.setdefault(term, len(self.vocabulary))
                tally[column] = tally.get(column, 0) + 1
            rows += [row] * len(tally)
            cols += list(tally)
            counts += list(tally.values())
        shape = (len(texts), max(len(self.vocabulary), 1))
        tf = sparse.csr_matrix((np.array(counts, dtype=np.float64), (rows, cols)), shape=shape)
        self.size = len(texts)
        df = np.bincount(tf.indices, minlength=shape[1]).astype(np.float64)
        self.idf = np.log1p((self.size - df + 0.5) / (df + 0.5))
        self.average_length = float(lengths.mean()) if len(texts) else 1.0
        self.weights = self._saturate(tf, lengths)

    def _saturate(self, tf: sparse.csr_matrix, lengths: np.ndarray) -> sparse.csr_matrix:
        """tf · (k1 + 1) / (tf + k1 · (1 - b + b · len / avg)) per stored entry."""
        norm = self.k1 * (1 - self.b + self.b * lengths / max(self.average_length, 1e-9))
        weights = tf.copy()
        row_of = np.repeat(np.arange(tf.shape[0]), np.diff(tf.indptr))
        weights.data = tf.data * (self.k1 + 1) / (tf.data + norm[row_of])
        return weights.tocsr()

    def query_matrix(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """Queries as IDF-weighted term indicators over this corpus's vocabulary (unknown
        terms dropped: they score nothing against the corpus)."""
        rows, cols = [], []
        for row, text in enumerate(texts):
            columns = {self.vocabulary[t] for t in terms(text) if t in self.vocabulary}
            rows += [row] * len(columns)
            cols += sorted(columns)
        data = self.idf[cols] if cols else np.zeros(0)
        return sparse.csr_matrix((data, (rows, cols)), shape=(len(texts), self.weights.shape[1]))

    def row_queries(self, rows: Sequence[int] | np.ndarray) -> sparse.csr_matrix:
        """Corpus texts as queries, as :meth:`query_matrix` makes them (each term once, weighed
        by its IDF), without reading their words again."""
        queries = self.weights[np.asarray(rows, dtype=np.int64)].sorted_indices()
        queries.data = self.idf[queries.indices]
        return queries

    def search(self, queries: Sequence[str]) -> sparse.csr_matrix:
        """BM25 scores of each query against every corpus text: (queries × corpus), sparse."""
        return (self.query_matrix(queries) @ self.weights.T).tocsr()

    def self_scores(self) -> np.ndarray:
        """Each corpus text's BM25 score against itself (the similarity's normaliser)."""
        own = self.weights.copy()
        own.data = self.idf[own.indices] * own.data
        return np.asarray(own.sum(axis=1)).ravel()

    def pair_scores(self, pairs: np.ndarray) -> np.ndarray:
        """BM25 score of text ``i`` (as a query) against text ``j``, for rows (i, j) of corpus
        positions."""
        if len(pairs) == 0:
            return np.zeros(0)
        docs = self.weights[pairs[:, 1]]
        return np.asarray(self.row_queries(pairs[:, 0]).multiply(docs).sum(axis=1)).ravel()

    def similarity(self, pairs: np.ndarray, own: np.ndarray | None = None) -> np.ndarray:
        """Symmetric normalised BM25 of corpus pairs, in [0, 1] (module docstring)."""
        if len(pairs) == 0:
            return np.zeros(0)
        own = self.self_scores() if own is None else own
        forward = self.pair_scores(pairs) / np.maximum(own[pairs[:, 0]], 1e-9)
        backward = self.pair_scores(pairs[:, ::-1]) / np.maximum(own[pairs[:, 1]], 1e-9)
        return np.clip((forward + backward) / 2, 0.0, 1.0)

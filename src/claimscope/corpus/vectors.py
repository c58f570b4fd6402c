"""Nearest neighbours by cosine: the vector search behind linking.

Vectors are unit rows, so cosine is a dot product. Two ways, chosen by the work to do:

- **Exact**, brute force in blocks: queries against the whole matrix one block of rows at a
  time (a 512 × 32,768 block of float32 scores is 64 MB), keeping each query's best ``k`` so
  far. Memory stays bounded, but the time grows as queries × rows: fine for an incremental
  link (a few new claims against the ledger) and for small corpora.
- **Approximate**, an HNSW graph (usearch) built over the matrix, when queries × rows passes
  ``EXACT_PAIRS``: the first link of a large corpus, where every claim is new. Its time grows
  as N log N. Its parameters keep recall of the exact search's candidates above 0.99 on
  replicated press-release claims (benchmarks/RESULTS.md, "Proposition linking at scale");
  what it misses are candidates, not links: BM25 and the place statuses add theirs besides.
"""

from __future__ import annotations

import numpy as np

BLOCK = 32_768
QUERY_BLOCK = 512
EXACT_PAIRS = 400_000_000
"""Above this many query × row products, the approximate index is faster (measured: about
20k × 20k)."""
HNSW_CONNECTIVITY = 16
HNSW_EXPANSION_ADD = 128
HNSW_EXPANSION_SEARCH = 128


def top_k(queries: np.ndarray, matrix: np.ndarray, k: int, floor: float) -> tuple[np.ndarray, np.ndarray]:
    """For each query row, the indexes and cosines of its ``k`` nearest matrix rows with a
    cosine of at least ``floor`` (index -1 and cosine -inf pad the rest)."""
    if len(queries) == 0 or len(matrix) == 0 or len(queries) * len(matrix) <= EXACT_PAIRS:
        index, score = exact_top_k(queries, matrix, k)
    else:
        index, score = approximate_top_k(queries, matrix, k)
    index[score < floor] = -1
    score[score < floor] = -np.inf
    return index, score


def exact_top_k(queries: np.ndarray, matrix: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    n = len(queries)
    best_index = np.full((n, k), -1, dtype=np.int64)
    best_score = np.full((n, k), -np.inf, dtype=np.float32)
    if n == 0 or len(matrix) == 0:
        return best_index, best_score
    for q0 in range(0, n, QUERY_BLOCK):
        q = queries[q0 : q0 + QUERY_BLOCK]
        index = best_index[q0 : q0 + QUERY_BLOCK]
        score = best_score[q0 : q0 + QUERY_BLOCK]
        for t0 in range(0, len(matrix), BLOCK):
            scores = q @ matrix[t0 : t0 + BLOCK].T
            take = min(k, scores.shape[1])
            part = np.argpartition(-scores, take - 1, axis=1)[:, :take]
            part_scores = np.take_along_axis(scores, part, axis=1)
            merged_index = np.concatenate([index, part + t0], axis=1)
            merged_score = np.concatenate([score, part_scores], axis=1)
            order = np.argsort(-merged_score, axis=1)[:, :k]
            index[:] = np.take_along_axis(merged_index, order, axis=1)
            score[:] = np.take_along_axis(merged_score, order, axis=1)
    return best_index, best_score


def approximate_top_k(queries: np.ndarray, matrix: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    from usearch.index import Index  # a compiled extension: loaded only for large searches

    index = Index(ndim=matrix.shape[1], metric="ip", dtype="f16", connectivity=HNSW_CONNECTIVITY,
                  expansion_add=HNSW_EXPANSION_ADD, expansion_search=HNSW_EXPANSION_SEARCH)
    index.add(np.arange(len(matrix), dtype=np.uint64), np.ascontiguousarray(matrix, dtype=np.float32))
    found = index.search(np.ascontiguousarray(queries, dtype=np.float32), min(k, len(matrix)))
    keys = np.asarray(found.keys, dtype=np.int64).reshape(len(queries), -1)
    # usearch's inner-product distance is 1 - cosine; rows past a query's count are padding
    scores = (1.0 - np.asarray(found.distances, dtype=np.float32)).reshape(len(queries), -1)
    counts = np.asarray(found.counts).reshape(-1, 1)
    padding = np.arange(keys.shape[1])[None, :] >= counts
    keys[padding], scores[padding] = -1, -np.inf
    best_index = np.full((len(queries), k), -1, dtype=np.int64)
    best_score = np.full((len(queries), k), -np.inf, dtype=np.float32)
    best_index[:, : keys.shape[1]], best_score[:, : keys.shape[1]] = keys, scores
    return best_index, best_score

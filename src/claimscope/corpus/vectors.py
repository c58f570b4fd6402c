"""Nearest neighbours by cosine, brute force in blocks: the vector search behind linking.

Vectors are unit rows, so cosine is a dot product. Queries are compared with the whole matrix
one block of rows at a time (``BLOCK`` rows: a 512 × 32,768 block of float32 scores is 64 MB),
keeping each query's best ``k`` so far; memory stays bounded whatever the corpus size, and the
time is one matrix product per block. Up to a few hundred thousand rows this is exact and fast
enough on a laptop; past that an approximate index would be the next step.
"""

from __future__ import annotations

import numpy as np

BLOCK = 32_768
QUERY_BLOCK = 512


def top_k(queries: np.ndarray, matrix: np.ndarray, k: int, floor: float) -> tuple[np.ndarray, np.ndarray]:
    """For each query row, the indexes and cosines of its ``k`` nearest matrix rows with a
    cosine of at least ``floor`` (index -1 and cosine -inf pad the rest)."""
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
    best_index[best_score < floor] = -1
    best_score[best_score < floor] = -np.inf
    return best_index, best_score

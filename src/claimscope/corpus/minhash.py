"""MinHash signatures (datasketch) and the LSH band index that finds candidate copies.

Signatures are datasketch ``MinHash`` values (the ``affine32`` permutation scheme, one fixed
seed), one per passage; a document's signature is the element-wise minimum of its passages'
(the MinHash of the union of their shingles). They are stored, so the index can be rebuilt
from the database without reading a text again.

The index is the banding of MinHash LSH: a signature cut into ``b`` bands of ``r`` values, two
signatures being candidates when any band is equal. ``b`` and ``r`` are those datasketch's
``MinHashLSH`` picks for a threshold. The buckets themselves are kept here in numpy arrays
rather than in a ``MinHashLSH``, whose in-memory storage measured about 8.5 KB per key
(855 MB and 17 s to insert 100,000 signatures at threshold 0.5, datasketch 2.0, this machine):
a 100,000-document corpus with its passages would not fit in the 4 GB budget, while a band key
here costs 8 bytes and the buckets are found by sorting.

A bucket holding more than ``max_bucket`` signatures is taken as boilerplate (a stock
paragraph, a sign-off) and proposes nothing: otherwise one paragraph shared by thousands of
documents would propose millions of pairs.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from datasketch import MinHash, MinHashLSH

SCHEME = "affine32"
SEED = 1
_BAND_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)


def _identity(value: int) -> int:
    """Shingles arrive hashed (``text.shingle_hashes``); datasketch's own hash would redo it."""
    return value


@lru_cache(maxsize=8)
def _permutations(num_perm: int) -> np.ndarray:
    return MinHash(num_perm=num_perm, seed=SEED, scheme=SCHEME).permutations


def minhash(shingles: np.ndarray, num_perm: int) -> np.ndarray:
    """The MinHash values (uint32, ``num_perm`` of them) of a set of 32-bit shingle hashes."""
    sketch = MinHash(
        num_perm=num_perm,
        seed=SEED,
        hashfunc=_identity,
        permutations=_permutations(num_perm),
        scheme=SCHEME,
    )
    sketch.update_batch(shingles)
    return np.asarray(sketch.hashvalues, dtype=np.uint32)


@lru_cache(maxsize=32)
def bands(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows per band) for a Jaccard threshold: datasketch's optimum, equal weights."""
    index = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return index.b, index.r


def band_keys(signatures: np.ndarray, b: int, r: int) -> np.ndarray:
    """A 64-bit key per band per signature: (n, b) uint64."""
    n = signatures.shape[0]
    keys = np.empty((n, b), dtype=np.uint64)
    values = signatures.astype(np.uint64)
    with np.errstate(over="ignore"):
        for band in range(b):
            key = np.full(n, np.uint64(band + 1), dtype=np.uint64)
            for column in range(band * r, (band + 1) * r):
                key = (key ^ values[:, column]) * _BAND_MULTIPLIER
            keys[:, band] = key ^ (key >> np.uint64(29))
    return keys


def candidate_pairs(
    keys: np.ndarray, owners: np.ndarray, new: np.ndarray, max_bucket: int
) -> np.ndarray:
    """Pairs of signatures (rows of ``keys``) sharing a band, at least one of them ``new``,
    of different owners (documents): an (m, 2) int64 array, each pair once, smaller row first.
    """
    count = keys.shape[0]
    found: list[np.ndarray] = []
    for band in range(keys.shape[1]):
        column = keys[:, band]
        rows = np.flatnonzero(np.isin(column, column[new]))
        if len(rows) < 2:
            continue
        rows = rows[np.argsort(column[rows], kind="stable")]
        sorted_keys = column[rows]
        starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
        sizes = np.diff(np.r_[starts, len(rows)])
        keep = (sizes >= 2) & (sizes <= max_bucket)
        left, right = _bucket_pairs(rows, starts[keep], sizes[keep], new)
        mixed = owners[left] != owners[right]
        low, high = np.minimum(left, right)[mixed], np.maximum(left, right)[mixed]
        found.append(np.unique(low * count + high))
    if not found:
        return np.empty((0, 2), dtype=np.int64)
    codes = np.unique(np.concatenate(found))
    return np.stack([codes // count, codes % count], axis=1)


def _bucket_pairs(
    rows: np.ndarray, starts: np.ndarray, sizes: np.ndarray, new: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Every (new member, other member) pair of each bucket, without a loop over buckets:
    each member of a bucket of size s is repeated s times against the whole bucket."""
    member_starts = np.repeat(starts, sizes)
    member_sizes = np.repeat(sizes, sizes)
    positions = member_starts + _ranges(sizes)
    fresh = new[rows[positions]]
    positions, member_starts, member_sizes = (
        positions[fresh], member_starts[fresh], member_sizes[fresh])
    left = np.repeat(positions, member_sizes)
    right = np.repeat(member_starts, member_sizes) + _ranges(member_sizes)
    distinct = left != right
    return rows[left[distinct]].astype(np.int64), rows[right[distinct]].astype(np.int64)


def _ranges(sizes: np.ndarray) -> np.ndarray:
    """0..s-1 for each s of ``sizes``, concatenated."""
    total = int(sizes.sum())
    if not total:
        return np.empty(0, dtype=np.int64)
    offsets = np.repeat(np.cumsum(sizes) - sizes, sizes)
    return np.arange(total, dtype=np.int64) - offsets


def similarity(signatures: np.ndarray, pairs: np.ndarray, chunk: int = 100_000) -> np.ndarray:
    """Estimated Jaccard similarity of each pair of rows: the share of equal MinHash values."""
    found = np.empty(len(pairs), dtype=np.float64)
    for start in range(0, len(pairs), chunk):
        part = pairs[start : start + chunk]
        equal = signatures[part[:, 0]] == signatures[part[:, 1]]
        found[start : start + chunk] = equal.mean(axis=1)
    return found

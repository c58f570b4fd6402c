"""Linking copies: new documents against the whole stored corpus, without re-reading it.

Two steps, each resumable:

1. *Read* every document not read yet: passages, shingles, MinHash signatures, stored one
   transaction per batch (``store.CopyLedger.save_signatures``).
2. *Link* the documents read but not yet linked: rebuild the band index from the stored
   signatures (every document's, and every passage's), take the pairs sharing a band with a
   new signature, and check each candidate pair of documents on its signatures:

   - the estimated Jaccard similarity of the whole texts;
   - every passage of one against every passage of the other, a passage being copied when
     its similarity reaches the passage threshold; the *coverage* of a document is the share
     of its text (in characters) in copied passages.

   A pair is linked with scope ``document`` when the texts' similarity reaches the document
   threshold or either document's coverage reaches ``coverage`` (a copy with boilerplate
   added or removed), with scope ``passage`` when at least one passage is copied. The links
   and the "linked" marks of the new documents are stored in one transaction.

A re-run finds nothing to read and nothing new to link: linking is idempotent, and linking a
new document costs one pass over the stored signatures, not over the texts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone

import numpy as np

from claimscope import settings
from claimscope.corpus import minhash
from claimscope.corpus.origins import order_pair
from claimscope.corpus.text import passages, shingle_hashes
from claimscope.store import CopyLedger, CopyLink, DocumentSignature, PassageSignature, Store
from claimscope.store.copies import LinkDocument

Progress = Callable[[str, int, int], None]
"""Called with (stage, done, total): stage "read" (documents) then "link" (candidate pairs)."""

MAX_EVIDENCE_PASSAGES = 50
"""Passage matches kept in a link's evidence; the coverage figures count them all."""
LINK_CHUNK = 2000
"""New documents whose links are stored in one transaction (memory: their links' evidence)."""


@dataclass(frozen=True)
class LinkSettings:
    """How copies are found; each default is a named constant in :mod:`claimscope.settings`."""

    shingle_words: int = settings.DEFAULT_SHINGLE_WORDS
    permutations: int = settings.DEFAULT_MINHASH_PERMUTATIONS
    document_threshold: float = settings.DEFAULT_COPY_DOCUMENT_THRESHOLD
    passage_threshold: float = settings.DEFAULT_COPY_PASSAGE_THRESHOLD
    coverage: float = settings.DEFAULT_COPY_COVERAGE
    passage_min_words: int = settings.DEFAULT_PASSAGE_MIN_WORDS
    passage_max_words: int = settings.DEFAULT_PASSAGE_MAX_WORDS
    max_bucket: int = settings.DEFAULT_COPY_MAX_BUCKET

    @property
    def method(self) -> str:
        """What stored signatures depend on: signatures of another method are recomputed."""
        return (
            f"minhash-{minhash.SCHEME}-s{minhash.SEED}/p{self.permutations}"
            f"/w{self.shingle_words}/passages{self.passage_min_words}-{self.passage_max_words}"
        )


@dataclass
class LinkReport:
    documents_read: int = 0
    """Documents whose signatures this run computed."""
    documents_linked: int = 0
    """Documents whose copy links this run looked for (new ones, plus all after a rebuild)."""
    candidates: int = 0
    links: int = 0
    by_scope: dict[str, int] = field(default_factory=dict)
    by_direction: dict[str, int] = field(default_factory=dict)
    rebuilt: bool = False

    def as_dict(self) -> dict:
        return {
            "documents_read": self.documents_read,
            "documents_linked": self.documents_linked,
            "candidate_pairs": self.candidates,
            "copy_links": self.links,
            "by_scope": self.by_scope,
            "by_direction": self.by_direction,
            "rebuilt": self.rebuilt,
        }


def sign(document_id: str, text: str, config: LinkSettings) -> DocumentSignature:
    """A document's signatures: one per passage with words, and their union for the text."""
    found: list[tuple[int, int, np.ndarray]] = []
    for passage in passages(text, config.passage_min_words, config.passage_max_words):
        shingles = shingle_hashes(text[passage.start : passage.end], config.shingle_words)
        if len(shingles):
            found.append((passage.start, passage.end, minhash.minhash(shingles, config.permutations)))
    if not found:
        return DocumentSignature(document_id, None)
    whole = np.minimum.reduce([values for _, _, values in found])
    return DocumentSignature(
        document_id,
        whole.tobytes(),
        tuple(PassageSignature(start, end, values.tobytes()) for start, end, values in found),
    )


def link_copies(
    store: Store,
    config: LinkSettings = LinkSettings(),
    progress: Progress | None = None,
    *,
    rebuild: bool = False,
    batch_size: int = 500,
) -> LinkReport:
    """Read the documents not read yet and link every document not linked yet.

    ``rebuild`` forgets every stored link and recomputes them all (after a change of
    thresholds); signatures made by another method are always recomputed.
    """
    ledger = CopyLedger(store)
    report = LinkReport()
    stale = ledger.other_methods(config.method)
    if rebuild or stale:
        ledger.reset(keep_signatures=not stale)
        report.rebuilt = True
    total = ledger.count_unsigned()
    if progress:
        progress("read", 0, total)
    for batch in ledger.unsigned_documents(batch_size):
        ledger.save_signatures(config.method, [sign(d.id, d.text, config) for d in batch])
        report.documents_read += len(batch)
        if progress:
            progress("read", report.documents_read, total)
    if not ledger.count_unlinked():
        return report
    corpus = _Corpus.load(ledger, config)
    for links, linked in corpus.links(config, progress, report):
        report.links += ledger.save_links(
            config.method, links, linked, datetime.now(timezone.utc)
        )
        report.documents_linked += len(linked)
        for link in links:
            report.by_scope[link.scope] = report.by_scope.get(link.scope, 0) + 1
            report.by_direction[link.direction] = report.by_direction.get(link.direction, 0) + 1
    return report


@dataclass
class _Corpus:
    """The stored signatures as arrays: documents (rows of ``signatures``) and passages."""

    documents: list[LinkDocument]
    signatures: np.ndarray
    has_signature: np.ndarray
    new: np.ndarray
    passage_owner: np.ndarray
    passage_spans: np.ndarray
    passage_signatures: np.ndarray

    @classmethod
    def load(cls, ledger: CopyLedger, config: LinkSettings) -> _Corpus:
        empty = np.full(config.permutations, np.iinfo(np.uint32).max, dtype=np.uint32).tobytes()
        documents: list[LinkDocument] = []
        blobs: list[np.ndarray] = []
        present: list[bool] = []
        new: list[bool] = []
        for rows in ledger.document_signatures(config.method):
            documents += [document for document, _, _ in rows]
            present += [values is not None for _, values, _ in rows]
            new += [not linked for _, _, linked in rows]
            blobs.append(_matrix([values or empty for _, values, _ in rows], config))
        position = {document.id: i for i, document in enumerate(documents)}
        owners: list[np.ndarray] = []
        spans: list[np.ndarray] = []
        passage_blobs: list[np.ndarray] = []
        for rows in ledger.passage_signatures(config.method):
            owners.append(np.fromiter((position[r[0]] for r in rows), np.int64, len(rows)))
            spans.append(np.array([(r[1], r[2]) for r in rows], dtype=np.int64))
            passage_blobs.append(_matrix([r[3] for r in rows], config))
        return cls(
            documents=documents,
            signatures=_stack(blobs, (0, config.permutations), np.uint32),
            has_signature=np.array(present, dtype=bool),
            new=np.array(new, dtype=bool),
            passage_owner=_stack(owners, (0,), np.int64),
            passage_spans=_stack(spans, (0, 2), np.int64),
            passage_signatures=_stack(passage_blobs, (0, config.permutations), np.uint32),
        )

    def candidates(self, config: LinkSettings) -> np.ndarray:
        """Pairs of documents (row indexes) proposed by the document or the passage index."""
        found = []
        rows = np.flatnonzero(self.has_signature)
        if len(rows) > 1:
            b, r = minhash.bands(config.document_threshold, config.permutations)
            keys = minhash.band_keys(self.signatures[rows], b, r)
            pairs = minhash.candidate_pairs(keys, rows, self.new[rows], config.max_bucket)
            found.append(rows[pairs])
        if len(self.passage_owner) > 1:
            b, r = minhash.bands(config.passage_threshold, config.permutations)
            keys = minhash.band_keys(self.passage_signatures, b, r)
            owners = self.passage_owner
            pairs = minhash.candidate_pairs(keys, owners, self.new[owners], config.max_bucket)
            found.append(owners[pairs])
        if not found:
            return np.empty((0, 2), dtype=np.int64)
        pairs = np.concatenate(found)
        pairs.sort(axis=1)
        return np.unique(pairs, axis=0)

    def links(
        self, config: LinkSettings, progress: Progress | None, report: LinkReport
    ) -> Iterator[tuple[list[CopyLink], list[str]]]:
        """The links of the new documents, ``LINK_CHUNK`` new documents at a time, each chunk
        with the ids of its documents: stored together, they make the run resumable.

        A pair belongs to the chunk of its later new document (in row order): if a run stops
        after an earlier chunk, the pair's other document is still new next time, so the pair
        is found again; a pair is never stored twice.
        """
        pairs = self.candidates(config)
        report.candidates = len(pairs)
        whole = minhash.similarity(self.signatures, pairs)
        whole[~(self.has_signature[pairs[:, 0]] & self.has_signature[pairs[:, 1]])] = 0.0
        passage_rows = _rows_by_owner(self.passage_owner, len(self.documents))
        new_rows = np.flatnonzero(self.new)
        rank = np.cumsum(self.new) - 1  # the rank of each new document among the new
        owner = np.where(self.new[pairs[:, 1]], pairs[:, 1], pairs[:, 0])  # rows are a < b
        chunk_of_pair = rank[owner] // LINK_CHUNK
        order = np.argsort(chunk_of_pair, kind="stable")
        bounds = np.searchsorted(chunk_of_pair[order], np.arange(len(new_rows) // LINK_CHUNK + 2))
        done = 0
        for chunk in range(len(bounds) - 1):
            links = []
            for index in order[bounds[chunk] : bounds[chunk + 1]]:
                a, b = pairs[index]
                link = self._check(int(a), int(b), float(whole[index]), passage_rows, config)
                if link is not None:
                    links.append(link)
            done += bounds[chunk + 1] - bounds[chunk]
            members = new_rows[chunk * LINK_CHUNK : (chunk + 1) * LINK_CHUNK]
            if len(members):
                yield links, [self.documents[row].id for row in members]
            if progress:
                progress("link", int(done), len(pairs))

    def _check(
        self, a: int, b: int, similarity: float, passage_rows: list[np.ndarray],
        config: LinkSettings,
    ) -> CopyLink | None:
        rows_a, rows_b = passage_rows[a], passage_rows[b]
        equal = self.passage_signatures[rows_a][:, None, :] == self.passage_signatures[rows_b][None]
        grid = equal.sum(axis=2) / config.permutations
        copied = grid >= config.passage_threshold
        coverage_a = self._coverage(rows_a, copied.any(axis=1))
        coverage_b = self._coverage(rows_b, copied.any(axis=0))
        if similarity >= config.document_threshold or max(coverage_a, coverage_b) >= config.coverage:
            scope = "document"
        elif copied.any():
            scope = "passage"
        else:
            return None
        source, copy, direction, order = order_pair(self.documents[a], self.documents[b])
        flipped = source is self.documents[b]
        matches = [
            (float(grid[i, j]), rows_a[i], rows_b[j]) for i, j in zip(*np.nonzero(copied))
        ]
        matches.sort(key=lambda m: -m[0])
        passages_evidence = [
            {
                "source": self._span(row_b if flipped else row_a),
                "copy": self._span(row_a if flipped else row_b),
                "similarity": round(value, 4),
            }
            for value, row_a, row_b in matches[:MAX_EVIDENCE_PASSAGES]
        ]
        coverage = {"source": coverage_b, "copy": coverage_a} if flipped else {
            "source": coverage_a, "copy": coverage_b}
        best = max((m[0] for m in matches), default=0.0)
        return CopyLink(
            source=source.id,
            copy=copy.id,
            scope=scope,
            similarity=round(similarity if scope == "document" else best, 4),
            direction=direction,
            evidence={
                "document_similarity": round(similarity, 4),
                "coverage": {k: round(v, 4) for k, v in coverage.items()},
                "passages_copied": len(matches),
                "passages": passages_evidence,
                "order": order,
            },
        )

    def _coverage(self, rows: np.ndarray, copied: np.ndarray) -> float:
        """The share of a document's passage text (in characters) that is copied."""
        if not copied.any():
            return 0.0
        lengths = self.passage_spans[rows, 1] - self.passage_spans[rows, 0]
        return float(lengths @ copied / lengths.sum())

    def _span(self, row: int) -> dict:
        start, end = self.passage_spans[row]
        return {"start": int(start), "end": int(end)}


def _matrix(blobs: list[bytes], config: LinkSettings) -> np.ndarray:
    if not blobs:
        return np.empty((0, config.permutations), dtype=np.uint32)
    return np.frombuffer(b"".join(blobs), dtype=np.uint32).reshape(len(blobs), config.permutations)


def _stack(parts: list[np.ndarray], empty_shape: tuple[int, ...], dtype: type) -> np.ndarray:
    return np.concatenate(parts) if parts else np.empty(empty_shape, dtype=dtype)


def _rows_by_owner(owners: np.ndarray, count: int) -> list[np.ndarray]:
    """For each document, the rows of its passages (owners are sorted: stored in id order)."""
    bounds = np.searchsorted(owners, np.arange(count + 1))
    rows = np.arange(len(owners))
    return [rows[bounds[i] : bounds[i + 1]] for i in range(count)]

"""Which proposition another fact-checker's claim is: the linker's own judgement, reused.

A fact-check's ``claimReviewed`` is scored against each proposition the way linking scores
two claims (:func:`.matching.judge`): its MiniLM vector (and its clause pieces') against the
stored vectors of the proposition's asserting claims and the proposition's statement, and
symmetric normalised BM25 (:mod:`.bm25`) against the same texts. Only the ``top_k``
propositions nearest by cosine are scored. The best proposition is kept with its score; it
*links* when the score reaches the ``suggested`` tier of claim linking.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from claimscope.corpus import matching
from claimscope.corpus.bm25 import Bm25
from claimscope.corpus.frames import pieces
from claimscope.corpus.matching import MatchInfo
from claimscope.corpus.propositions import Encoder, PropositionSettings
from claimscope.store import PropositionLedger, Store

TOP_K = 10


@dataclass(frozen=True)
class StatementMatch:
    proposition_id: str | None
    """The best proposition, when its score reaches a linking tier."""
    score: float | None
    """The score of the best proposition (None when there are no propositions)."""
    tier: str | None


def match_statements(store: Store, texts: Sequence[str], encoder: Encoder | None = None,
                     top_k: int = TOP_K) -> list[StatementMatch]:
    """The best proposition for each text (module docstring)."""
    ledger = PropositionLedger(store)
    rows = ledger.proposition_rows()
    if not rows or not texts:
        return [StatementMatch(None, None, None) for _ in texts]
    if encoder is None:
        from claimscope.nlp.encoder import (
            SentenceEncoder,  # onnxruntime: only when needed
        )

        encoder = SentenceEncoder()
    owners, vectors, targets = _proposition_vectors(ledger, rows, encoder)
    lexicon = Bm25([*targets.values(), *texts])
    rows_of: dict[str, list[int]] = {}
    for i, (pid, _) in enumerate(targets):
        rows_of.setdefault(pid, []).append(i)
    first_query = len(targets)
    found = []
    for qi, text in enumerate(texts):
        spans = [(0, len(text)), *pieces(text)]
        query = encoder.encode([text[a:b] for a, b in spans])
        scores = query @ vectors.T  # (query pieces × proposition vectors)
        whole, best_piece = scores[0], scores.max(axis=0)
        cosine: dict[str, float] = {}
        piece: dict[str, float] = {}
        for owner, w, p in zip(owners, whole, best_piece):
            cosine[owner] = max(cosine.get(owner, -1.0), float(w))
            piece[owner] = max(piece.get(owner, -1.0), float(p))
        nearest = sorted(cosine, key=lambda pid: -piece[pid])[:top_k]
        best: tuple[float, str] | None = None
        for pid in nearest:
            pairs = np.array([(first_query + qi, row) for row in rows_of.get(pid, [])])
            lexical = float(lexicon.similarity(pairs).max()) if len(pairs) else 0.0
            match = matching.judge(cosine[pid], piece[pid], lexical, MatchInfo(), MatchInfo())
            if best is None or match.score > best[0]:
                best = (match.score, pid)
        assert best is not None
        tier = matching.tier_of(best[0])
        found.append(StatementMatch(best[1] if tier else None, round(best[0], 4), tier))
    return found


def _proposition_vectors(ledger: PropositionLedger, rows: list, encoder: Encoder
                         ) -> tuple[list[str], np.ndarray, dict[tuple[str, str], str]]:
    """(owner proposition per vector row, the vectors, the texts BM25 compares with by
    (proposition, claim id or "" for the statement))."""
    asserting: dict[str, list[str]] = {}
    for m in ledger.member_rows([r.id for r in rows]):
        if m.stance == "asserts":
            asserting.setdefault(m.claim_id, []).append(m.proposition_id)
    owners: list[str] = []
    parts: list[np.ndarray] = []
    for ids, _, matrix in ledger.vectors(PropositionSettings().method):
        keep = [i for i, cid in enumerate(ids) if cid in asserting]
        for i in keep:
            for pid in asserting[ids[i]]:
                owners.append(pid)
                parts.append(matrix[i])
    statements = encoder.encode([r.statement for r in rows])
    owners += [r.id for r in rows]
    vectors = np.vstack([*parts, statements]) if parts else np.asarray(statements)
    contents = ledger.claims(asserting)
    targets = {(r.id, ""): r.statement for r in rows}
    targets.update({(pid, cid): contents[cid].content for cid, pids in asserting.items()
                    if cid in contents for pid in pids})
    return owners, vectors.astype(np.float32), targets

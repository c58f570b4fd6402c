"""Linking claims into propositions, incrementally: new claims against the stored corpus.

Two steps, each resumable (marks in ``claim_linking``):

1. *Read* every claim not read yet: its clause pieces and place statuses (:mod:`.frames`), and
   one sentence vector per piece and for the whole content, stored one transaction per batch.
   Only these new texts are encoded; identical texts are encoded once.
2. *Link* the claims read but not linked: load the stored vectors, find each new claim's
   candidates — its ``top_k`` nearest vectors (:mod:`.vectors`, any piece against any piece),
   its best BM25 matches, and every claim stating a status of a place it states a status of —
   and judge each pair (:func:`.matching.judge`). Contradictions are checked on every judged
   pair (:mod:`.contradictions`). Then, in storing order, each new claim joins propositions:

   - propositions are of two kinds: a *status* proposition holds the claims that state one
     status of one place (joined only through such a shared status: text similarity cannot
     add a claim that is merely about the place); a *text* proposition holds claims that
     matched by the text score;
   - a confirmed link (or a shared status) to a claim in no proposition of its kind makes a
     new proposition, anchored at that earlier claim, with the new claim in it;
   - a link to a member of a proposition of its kind joins it when both the link and the
     member are ``confirmed``, when a confirmed link goes to the anchor, or when a suggested
     link goes to the anchor from another document: chains of ``suggested`` links never grow
     a proposition, so one loose match cannot merge topics;
   - a claim may so join several propositions; a claim that negates what the anchor asserts
     joins with stance ``denies`` and is not counted among its origins.

Everything found by one run (propositions, members, contradictions, the "linked" marks) is
stored in one transaction; then the figures of the propositions it touched (and of those whose
figures are missing or stale after new copy links) are counted and stored
(:func:`.corroboration.refresh_figures`). A re-run finds nothing new; linking a new document costs encoding its
claims and one pass over the stored vectors, never a pass over the corpus's texts.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import Protocol

import numpy as np

from claimscope import rules
from claimscope.corpus import contradictions, matching
from claimscope.corpus.bm25 import Bm25, terms
from claimscope.corpus.corroboration import refresh_figures
from claimscope.corpus.frames import Frame, PlaceMention, pieces, status_frames
from claimscope.corpus.matching import CONFIRMED, Match, MatchInfo
from claimscope.corpus.vectors import top_k
from claimscope.store import Store
from claimscope.store.propositions import (
    Contradiction,
    LinkBatch,
    LinkClaim,
    Membership,
    NewProposition,
    PropositionLedger,
)

Progress = Callable[[str, int, int], None]
"""Called with (stage, done, total): "read" (claims encoded), then "link" (claims linked)."""
ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "EVENT", "NORP", "PRODUCT",
                           "WORK_OF_ART"})
PIECES_VERSION = "pieces-v1"
LEXICAL_BLOCK = 1024
LEXICAL_FLOOR = 0.3
"""A BM25 candidate must cover this share of the new claim's own BM25 mass."""


class Encoder(Protocol):
    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


@dataclass(frozen=True)
class PropositionSettings:
    top_k: int = 20
    """Nearest vectors kept per piece of a new claim."""
    lexical_k: int = 10
    """Best BM25 matches kept per new claim."""
    batch_size: int = 256
    """Claims encoded and stored per transaction."""

    @property
    def method(self) -> str:
        return f"{matching.METHOD}/minilm-int8/{PIECES_VERSION}/{rules.STATUS}"


@dataclass
class PropositionReport:
    claims_read: int = 0
    claims_linked: int = 0
    candidate_pairs: int = 0
    propositions: int = 0
    memberships: int = 0
    contradictions: int = 0
    figures: int = 0
    """Propositions whose figures were counted and stored (touched, stale or missing)."""
    rebuilt: bool = False

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def link_propositions(
    store: Store,
    encoder: Encoder | None = None,
    progress: Progress | None = None,
    *,
    config: PropositionSettings = PropositionSettings(),
    rebuild: bool = False,
) -> PropositionReport:
    """Read the claims not read yet and link every claim not linked yet (module docstring).

    ``encoder`` defaults to the packaged MiniLM (:class:`claimscope.nlp.encoder.SentenceEncoder`),
    loaded only when there is something to encode; ``rebuild`` forgets every proposition and
    links all claims again (vectors are kept unless made by another method).
    """
    ledger = PropositionLedger(store)
    report = PropositionReport()
    stale = ledger.other_methods(config.method)
    if rebuild or stale:
        ledger.reset(keep_vectors=not stale)
        report.rebuilt = True
    report.claims_read = _read(ledger, encoder, progress, config)
    new_ids = ledger.unlinked_ids(config.method)
    touched: set[str] = set()
    if new_ids:
        batch = _Linker(ledger, config, new_ids, progress).run(report)
        ledger.save_links(batch, new_ids, datetime.now(timezone.utc))
        report.claims_linked = len(new_ids)
        report.propositions = len(batch.propositions)
        report.memberships = len(batch.members)
        report.contradictions = len(batch.contradictions)
        touched = _touched(ledger, batch)
    report.figures = refresh_figures(store, touched)
    return report


def _touched(ledger: PropositionLedger, batch: LinkBatch) -> set[str]:
    """Propositions whose figures a run changed: those it added members to, and those of the
    claims in the contradictions it found."""
    parties = {c for item in batch.contradictions for c in (item.claim_a, item.claim_b)}
    held = ledger.memberships(parties)
    return ({m.proposition_id for m in batch.members}
            | {m.proposition_id for found in held.values() for m in found})


# -- step 1: read ---------------------------------------------------------------------------


def describe(claim: LinkClaim) -> tuple[list[tuple[int, int]], list[Frame]]:
    """A claim's pieces (offsets in its content) and the place statuses its content states."""
    mentions = [PlaceMention(name, kind, text) for name, kind, text in claim.places]
    return pieces(claim.content), status_frames(claim.content, mentions)


def _read(ledger: PropositionLedger, encoder: Encoder | None, progress: Progress | None,
          config: PropositionSettings) -> int:
    total = ledger.count_unread(config.method)
    if not total:
        return 0
    if encoder is None:
        from claimscope.nlp.encoder import SentenceEncoder  # onnxruntime: only when needed

        encoder = SentenceEncoder()
    done = 0
    if progress:
        progress("read", 0, total)
    for batch in ledger.unread_claims(config.method, config.batch_size):
        texts: list[str] = []
        spans: list[tuple[str, int, int, int]] = []
        frames: dict[str, list[dict]] = {}
        for claim in batch:
            found, stated = describe(claim)
            frames[claim.id] = [f.as_dict() for f in stated]
            for position, (start, end) in enumerate([(0, len(claim.content)), *found]):
                texts.append(claim.content[start:end])
                spans.append((claim.id, position, claim.content_start + start,
                              claim.content_start + end))
        unique = list(dict.fromkeys(texts))
        encoded = dict(zip(unique, encoder.encode(unique)))
        rows = [(*span, encoded[text]) for span, text in zip(spans, texts)]
        ledger.save_vectors(config.method, rows, frames)
        done += len(batch)
        if progress:
            progress("read", done, total)
    return done


# -- step 2: link ---------------------------------------------------------------------------


def match_info(claim: LinkClaim) -> MatchInfo:
    return MatchInfo(
        places=frozenset(name for name, _, _ in claim.places),
        dates=claim.dates,
        entity_words=frozenset(
            word for label, text in claim.entities if label in ENTITY_LABELS
            for word in terms(text)
        ),
        frames=tuple(Frame(**f) for f in claim.frames),
    )


def proposition_id(anchor: str, first: str) -> str:
    return hashlib.sha256(f"{anchor}|{first}".encode()).hexdigest()[:16]


@dataclass
class _Pair:
    cosine: float = -1.0
    piece: float = -1.0


@dataclass
class _Linker:
    ledger: PropositionLedger
    config: PropositionSettings
    new_ids: list[str]
    progress: Progress | None
    batch: LinkBatch = field(default_factory=LinkBatch)
    _position: dict[tuple[str, str], int] = field(default_factory=dict)
    """(proposition, claim) → index of its membership in ``batch.members``."""

    def run(self, report: PropositionReport) -> LinkBatch:
        pairs = self._candidates()
        report.candidate_pairs = len(pairs)
        involved = {c for pair in pairs for c in pair} | set(self.new_ids)
        claims = self.ledger.claims(involved)
        infos = {claim_id: match_info(claim) for claim_id, claim in claims.items()}
        lexical = self._lexical(pairs)
        judged: dict[str, list[tuple[str, Match]]] = {}
        found: list[tuple[str, str, contradictions.Found]] = []
        for (later, earlier), scores in pairs.items():
            a, b = claims[earlier], claims[later]
            match = matching.judge(scores.cosine, scores.piece, lexical[(later, earlier)],
                                   infos[earlier], infos[later])
            echo = match.reason == "status" or _may_echo(a, b)
            if match.tier is not None and echo:
                judged.setdefault(later, []).append((earlier, match))
            found += [(earlier, later, f) for f in contradictions.find(
                a, b, match, infos[earlier], infos[later], linked=match.tier is not None and echo)]
        self._assign(judged, claims)
        self._store_contradictions(found, claims)
        return self.batch

    # -- candidates ---------------------------------------------------------------

    def _candidates(self) -> dict[tuple[str, str], _Pair]:
        """(later, earlier) claim pairs with their whole and best-piece cosines."""
        ids, positions, matrix = self._vectors()
        unique_ids, owner = np.unique(np.array(ids, dtype=object), return_inverse=True)
        self._matrix, self._owner, self._ids = matrix, owner, unique_ids
        self._whole = {unique_ids[owner[r]]: r for r in np.flatnonzero(positions == 0)}
        rank = {cid: i for i, cid in enumerate(self.new_ids)}
        is_new = np.array([cid in rank for cid in unique_ids])
        query_rows = np.flatnonzero(is_new[owner])
        index, score = top_k(matrix[query_rows], matrix, self.config.top_k,
                             matching.CANDIDATE_COSINE)
        pairs: dict[tuple[str, str], _Pair] = {}
        for qi, row in enumerate(query_rows):
            source = unique_ids[owner[row]]
            for target, cosine in zip(index[qi], score[qi]):
                if target < 0:
                    continue
                other = unique_ids[owner[target]]
                key = self._order(source, other, rank)
                if key is not None:
                    pair = pairs.setdefault(key, _Pair())
                    pair.piece = max(pair.piece, float(cosine))
        self._add_structural(pairs, rank)
        self._lexical_candidates(pairs, rank)
        for later, earlier in pairs:
            pair = pairs[(later, earlier)]
            pair.cosine = float(matrix[self._whole[later]] @ matrix[self._whole[earlier]])
            if pair.piece < pair.cosine:
                pair.piece = self._best_piece(later, earlier)
        return pairs

    @staticmethod
    def _order(a: str, b: str, rank: dict[str, int]) -> tuple[str, str] | None:
        """(later, earlier): a new claim with a stored one, or two new ones by storing order."""
        if a == b:
            return None
        if b not in rank:
            return (a, b)
        if a not in rank:
            return (b, a)
        return (a, b) if rank[a] > rank[b] else (b, a)

    def _vectors(self) -> tuple[list[str], np.ndarray, np.ndarray]:
        ids: list[str] = []
        positions, parts = [], []
        for chunk_ids, chunk_positions, matrix in self.ledger.vectors(self.config.method):
            ids += chunk_ids
            positions.append(chunk_positions)
            parts.append(matrix)
        if not parts:
            return [], np.zeros(0, dtype=np.int64), np.zeros((0, 384), dtype=np.float32)
        return ids, np.concatenate(positions), np.concatenate(parts)

    def _best_piece(self, a: str, b: str) -> float:
        rows_a, rows_b = self._rows(a), self._rows(b)
        return float((self._matrix[rows_a] @ self._matrix[rows_b].T).max())

    def _rows(self, claim_id: str) -> np.ndarray:
        """The rows of one claim's vectors (stored in claim id order, so a slice)."""
        i = int(np.searchsorted(self._ids, claim_id))
        start = int(np.searchsorted(self._owner, i))
        end = int(np.searchsorted(self._owner, i, side="right"))
        return np.arange(start, end)

    def _add_structural(self, pairs: dict, rank: dict[str, int]) -> None:
        """Every stored claim stating a status of a place that a new claim states one of."""
        new = self.ledger.claims(self.new_ids)
        by_place: dict[str, list[str]] = {}
        for claim in new.values():
            for place in {f["place"] for f in claim.frames if f.get("asserted")}:
                by_place.setdefault(place, []).append(claim.id)
        for other, frame in self.ledger.stated_statuses(by_place):
            if not frame.get("asserted"):
                continue
            for claim_id in by_place[frame["place"]]:
                key = self._order(claim_id, other, rank)
                if key is not None:
                    pairs.setdefault(key, _Pair())

    def _lexical_candidates(self, pairs: dict, rank: dict[str, int]) -> None:
        """Each new claim's best BM25 matches (normalised score ≥ ``LEXICAL_FLOOR``), the
        queries scored a block at a time so memory stays bounded."""
        ids, texts = self.ledger.contents()
        self._bm25, self._bm25_row = Bm25(texts), {cid: i for i, cid in enumerate(ids)}
        self._own = self._bm25.self_scores()
        queries = [self._bm25_row[cid] for cid in self.new_ids]
        for first in range(0, len(queries), LEXICAL_BLOCK):
            block = queries[first : first + LEXICAL_BLOCK]
            scores = (self._bm25.query_matrix([texts[q] for q in block])
                      @ self._bm25.weights.T).tocsr()
            for qi, row in enumerate(block):
                start, end = scores.indptr[qi], scores.indptr[qi + 1]
                if start == end:
                    continue
                normalised = scores.data[start:end] / max(self._own[row], 1e-9)
                best = np.argsort(-normalised)[: self.config.lexical_k + 1]
                for j in best:
                    if normalised[j] < LEXICAL_FLOOR:
                        break
                    key = self._order(ids[row], ids[scores.indices[start + j]], rank)
                    if key is not None:
                        pairs.setdefault(key, _Pair())

    def _lexical(self, pairs: dict[tuple[str, str], _Pair]) -> dict[tuple[str, str], float]:
        keys = list(pairs)
        if not keys:
            return {}
        rows = np.array([(self._bm25_row[a], self._bm25_row[b]) for a, b in keys])
        return dict(zip(keys, self._bm25.similarity(rows, self._own).tolist()))

    # -- propositions -------------------------------------------------------------

    def _assign(self, judged: dict[str, list[tuple[str, Match]]], claims: dict[str, LinkClaim]) -> None:
        others = {other for links in judged.values() for other, _ in links}
        stored = self.ledger.memberships(others)
        members: dict[str, dict[str, Membership]] = {
            cid: {m.proposition_id: m for m in found} for cid, found in stored.items()
        }
        anchors = self.ledger.anchors({pid for found in members.values() for pid in found})
        missing = set(anchors.values()) - set(claims)
        if missing:
            claims.update(self.ledger.claims(missing))
        kinds = {pid: m.evidence.get("reason", "text") for found in members.values()
                 for pid, m in found.items() if anchors.get(pid) == m.claim_id}
        if self.progress:
            self.progress("link", 0, len(self.new_ids))
        for done, claim_id in enumerate(self.new_ids, start=1):
            links = sorted(judged.get(claim_id, []),
                           key=lambda item: (item[1].tier != CONFIRMED, -item[1].score))
            joined: set[str] = set()
            for other, match in links:
                held = members.get(other, {})
                if not any(kinds.get(pid) == _kind(match) for pid in held) and _founds(match):
                    pid = proposition_id(other, claim_id)
                    statement = _statement(claims[other], claims[claim_id], match)
                    self.batch.propositions.append(
                        NewProposition(pid, statement, other, self.config.method))
                    anchors[pid], kinds[pid] = other, _kind(match)
                    self._join(members, pid, claims[other], claims[other], claim_id, match)
                    self._join(members, pid, claims[claim_id], claims[other], other, match)
                    joined.add(pid)
                    continue
                for pid, membership in list(held.items()):
                    if pid in joined or kinds.get(pid) != _kind(match):
                        continue
                    anchor = claims[anchors[pid]]
                    if _joins(match, membership, other == anchors[pid],
                              claims[claim_id].document_id != claims[other].document_id):
                        self._join(members, pid, claims[claim_id], anchor, other, match)
                        joined.add(pid)
            if self.progress and (done % 500 == 0 or done == len(self.new_ids)):
                self.progress("link", done, len(self.new_ids))

    def _join(self, members: dict, pid: str, claim: LinkClaim, anchor: LinkClaim,
              via: str, match: Match) -> None:
        """Add ``claim`` to the proposition, linked through ``via`` by ``match`` (the anchor
        itself joins through the claim that made its proposition, at that link's tier)."""
        if pid in members.get(claim.id, {}):
            return
        stance = "denies" if contradictions.negated(claim) != contradictions.negated(anchor) \
            else "asserts"
        membership = Membership(
            proposition_id=pid, claim_id=claim.id, tier=match.tier or CONFIRMED, stance=stance,
            score=round(match.score, 4), via=via, evidence=match.evidence(),
        )
        members.setdefault(claim.id, {})[pid] = membership
        self._position[(pid, claim.id)] = len(self.batch.members)
        self.batch.members.append(membership)
        through = members.get(via, {}).get(pid)
        position = self._position.get((pid, via))
        if match.tier == CONFIRMED and through is not None and through.tier != CONFIRMED \
                and position is not None:
            # A confirmed link is evidence for both ends: the member it goes through, linked
            # by this run at the suggested tier, is confirmed too.
            raised = replace(through, tier=CONFIRMED, evidence=match.evidence() | {
                "raised_by": claim.id})
            self.batch.members[position] = raised
            members[via][pid] = raised

    def _store_contradictions(self, found: list, claims: dict[str, LinkClaim]) -> None:
        held: dict[str, set[str]] = {}
        for m in self.batch.members:
            held.setdefault(m.claim_id, set()).add(m.proposition_id)
        stored = self.ledger.memberships({c for a, b, _ in found for c in (a, b)})
        for claim_id, found_here in stored.items():
            held.setdefault(claim_id, set()).update(m.proposition_id for m in found_here)
        seen = set()
        for a, b, item in found:
            if (a, b, item.kind) in seen:
                continue
            seen.add((a, b, item.kind))
            shared = sorted(held.get(a, set()) & held.get(b, set()))
            self.batch.contradictions.append(Contradiction(
                claim_a=a, claim_b=b, kind=item.kind, reason=item.reason,
                proposition_id=shared[0] if shared else None,
                same_document=claims[a].document_id == claims[b].document_id,
                evidence=item.evidence,
            ))


def _kind(match: Match) -> str:
    """``status`` propositions hold claims stating one place status; ``text`` ones the rest."""
    return "status" if match.reason == "status" else "text"


def _may_echo(a: LinkClaim, b: LinkClaim) -> bool:
    """Whether a text link between two claims can make them one proposition: claims of
    different documents, or one speaker's quote and its paraphrase in one document. Other
    claims of one article are its different statements, however alike their words (a war
    report's sentences are all about one town)."""
    if a.document_id != b.document_id:
        return True
    return a.speaker_kind != "author" and a.speaker_name == b.speaker_name


def _founds(match: Match) -> bool:
    """Whether a link may start a proposition: a shared place status, or a confirmed link."""
    return match.reason == "status" or match.tier == CONFIRMED


def _joins(match: Match, member: Membership, to_anchor: bool, across_documents: bool) -> bool:
    """Whether a link to a member brings a claim into that member's proposition (a link of
    the proposition's own kind): a shared place status always does; a text link does when
    both it and the member are confirmed, or when it is a suggested link to the anchor from
    another document (an article does not repeat its own claims, except by quoting them,
    and a quote matches at the confirmed tier)."""
    if match.reason == "status":
        return True
    if match.tier == CONFIRMED:
        return member.tier == CONFIRMED or to_anchor
    return to_anchor and across_documents


STATUS_WORDS = {"captured": "captured", "contested": "contested", "uncertain": "status uncertain"}


def _statement(anchor: LinkClaim, claim: LinkClaim, match: Match) -> str:
    """The proposition's words: for a shared place status, the status itself ("Kupyansk:
    captured (russia)"), else the anchor's content."""
    if match.reason == "status":
        mine = {(f["place"], f["status"]): f for f in claim.frames if f.get("asserted")}
        for frame in anchor.frames:
            other = mine.get((frame["place"], frame["status"]))
            if frame.get("asserted") and other:
                side = frame.get("side") or other.get("side")
                words = f"{frame['place']}: {STATUS_WORDS[frame['status']]}"
                return f"{words} ({side})" if side else words
    return " ".join(anchor.content.split())

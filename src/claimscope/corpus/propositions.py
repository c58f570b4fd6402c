"""Linking claims into propositions, incrementally: new claims against the stored corpus.

Two steps, each resumable (marks in ``claim_linking``):

1. *Read* every claim not read yet: its clause pieces and place statuses (:mod:`.frames`), and
   one sentence vector per piece and for the whole content, stored one transaction per batch.
   Only these new texts are encoded; identical texts of a batch are encoded once.
2. *Link* the claims read but not linked: load the stored vectors, find each new claim's
   candidates — its ``top_k`` nearest vectors (:mod:`.vectors`, any piece against any piece),
   its best BM25 matches, and every claim stating a status of a place it states a status of —
   and judge each pair (:func:`.matching.judge`), except those that can neither link nor
   contradict (a text score that cannot reach a tier, and no place status stated by both:
   :func:`.matching.may_reach_suggested`). Contradictions are checked on every judged pair
   (:mod:`.contradictions`). Then, in storing order, each new claim joins propositions:

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
from claimscope.nlp.encoder import VERSION as ENCODER_VERSION
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
        return f"{matching.METHOD}/{ENCODER_VERSION}/{PIECES_VERSION}/{rules.STATUS}"


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
class _Pairs:
    """Candidate pairs as claim indexes (into ``_Linker._ids``), with their whole and best-piece
    cosines, in the order they were found: each new claim weighs its equally scored links in
    that order, so it is kept (vector hits query by query, then place statuses, then BM25)."""

    later: np.ndarray
    earlier: np.ndarray
    cosine: np.ndarray
    piece: np.ndarray

    def __len__(self) -> int:
        return len(self.later)


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
        claims = self.ledger.claims(self.new_ids)
        pairs = self._candidates(claims)
        report.candidate_pairs = len(pairs)
        involved = np.unique(np.concatenate([pairs.later, pairs.earlier]))
        claims |= self.ledger.claims(set(self._ids[involved]) - set(claims))
        infos = {claim_id: match_info(claim) for claim_id, claim in claims.items()}
        lexical = self._bm25.similarity(
            np.stack([self._bm25_row[pairs.later], self._bm25_row[pairs.earlier]], axis=1),
            self._own)
        # Only pairs whose text score can reach a tier, or whose claims both state a place
        # status, can link or contradict: the rest are not judged one by one.
        states = np.zeros(len(self._ids), dtype=bool)
        states[[self._index[c] for c, info in infos.items()
                if any(f.asserted for f in info.frames)]] = True
        worth_judging = matching.may_reach_suggested(pairs.cosine, pairs.piece, lexical) | (
            states[pairs.later] & states[pairs.earlier])
        judged: dict[str, list[tuple[str, Match]]] = {}
        found: list[tuple[str, str, contradictions.Found]] = []
        for n in np.flatnonzero(worth_judging):
            later, earlier = self._ids[pairs.later[n]], self._ids[pairs.earlier[n]]
            a, b = claims[earlier], claims[later]
            match = matching.judge(float(pairs.cosine[n]), float(pairs.piece[n]),
                                   float(lexical[n]), infos[earlier], infos[later])
            echo = match.reason == "status" or _may_echo(a, b)
            if match.tier is not None and echo:
                judged.setdefault(later, []).append((earlier, match))
            found += [(earlier, later, f) for f in contradictions.find(
                a, b, match, infos[earlier], infos[later], linked=match.tier is not None and echo)]
        self._assign(judged, claims)
        self._store_contradictions(found, claims)
        return self.batch

    # -- candidates ---------------------------------------------------------------

    def _candidates(self, new_claims: dict[str, LinkClaim]) -> _Pairs:
        """(later, earlier) claim pairs with their whole and best-piece cosines."""
        ids, positions, matrix = self._vectors()
        unique_ids, owner = np.unique(np.array(ids, dtype=object), return_inverse=True)
        self._ids, self._matrix = unique_ids, matrix
        self._index = {claim_id: i for i, claim_id in enumerate(unique_ids)}
        # a claim's vectors are stored in claim id order: its rows are one slice
        self._starts = np.searchsorted(owner, np.arange(len(unique_ids)))
        self._ends = np.searchsorted(owner, np.arange(len(unique_ids)), side="right")
        whole_row = np.zeros(len(unique_ids), dtype=np.int64)
        whole_row[owner[positions == 0]] = np.flatnonzero(positions == 0)
        self._rank = np.full(len(unique_ids), -1, dtype=np.int64)
        self._rank[[self._index[c] for c in self.new_ids]] = np.arange(len(self.new_ids))
        query_rows = np.flatnonzero(self._rank[owner] >= 0)
        index, score = top_k(matrix[query_rows], matrix, self.config.top_k,
                             matching.CANDIDATE_COSINE)
        hit = index >= 0
        found = [
            (np.broadcast_to(owner[query_rows][:, None], index.shape)[hit], owner[index[hit]],
             score[hit].astype(np.float64)),
            (*self._structural(new_claims), None),
            (*self._lexical_candidates(), None),
        ]
        later, earlier, piece = self._ordered([self._order(a, b, p) for a, b, p in found])
        # One dot product per pair: a batched product rounds the last bit differently, and a
        # score on a tier's threshold would move.
        cosine = np.array([float(matrix[a] @ matrix[b]) for a, b in
                           zip(whole_row[later].tolist(), whole_row[earlier].tolist())])
        for n in np.flatnonzero(piece < cosine):
            piece[n] = self._best_piece(later[n], earlier[n])
        return _Pairs(later, earlier, cosine, piece)

    def _order(self, a: np.ndarray, b: np.ndarray, piece: np.ndarray | None
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(later, earlier, piece) of pairs of claim indexes: a new claim with a stored one, or
        two new ones by storing order; a claim with itself is dropped. Pairs found by another
        way than their vectors have no piece cosine yet (-1)."""
        rank_a, rank_b = self._rank[a], self._rank[b]
        a_later = (rank_b < 0) | ((rank_a >= 0) & (rank_a > rank_b))
        keep = a != b
        piece = np.full(len(a), -1.0) if piece is None else piece
        return (np.where(a_later, a, b)[keep], np.where(a_later, b, a)[keep], piece[keep])

    def _ordered(self, parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]]
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Each pair once, in the order first found, with the best piece cosine found for it."""
        count = len(self._ids)
        code = np.concatenate([later * count + earlier for later, earlier, _ in parts])
        pieces_found = np.concatenate([piece for _, _, piece in parts])
        unique, first, inverse = np.unique(code, return_index=True, return_inverse=True)
        best = np.full(len(unique), -1.0)
        np.maximum.at(best, inverse, pieces_found)
        order = np.argsort(first, kind="stable")
        return unique[order] // count, unique[order] % count, best[order]

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

    def _best_piece(self, a: int, b: int) -> float:
        rows_a = self._matrix[self._starts[a] : self._ends[a]]
        rows_b = self._matrix[self._starts[b] : self._ends[b]]
        return float((rows_a @ rows_b.T).max())

    def _structural(self, new_claims: dict[str, LinkClaim]) -> tuple[np.ndarray, np.ndarray]:
        """Every stored claim stating a status of a place that a new claim states one of."""
        by_place: dict[str, list[int]] = {}
        for claim in new_claims.values():
            for place in {f["place"] for f in claim.frames if f.get("asserted")}:
                by_place.setdefault(place, []).append(self._index[claim.id])
        new, other = [], []
        for claim_id, frame in self.ledger.stated_statuses(by_place):
            if frame.get("asserted"):
                stating = by_place[frame["place"]]
                new += stating
                other += [self._index[claim_id]] * len(stating)
        return np.array(new, dtype=np.int64), np.array(other, dtype=np.int64)

    def _lexical_candidates(self) -> tuple[np.ndarray, np.ndarray]:
        """Each new claim's best BM25 matches (normalised score ≥ ``LEXICAL_FLOOR``), the
        queries scored a block at a time so memory stays bounded.

        Only a query's matches above the floor are sorted (a claim shares a word with a tenth
        of the corpus, so sorting them all grew as N²), equal scores by claim id: copies tie
        exactly, and which of them is kept must not depend on numpy's sort algorithm."""
        ids, texts = self.ledger.contents()
        self._bm25 = Bm25(texts)
        self._own = self._bm25.self_scores()
        row_of = {claim_id: i for i, claim_id in enumerate(ids)}
        self._bm25_row = np.array([row_of[c] for c in self._ids], dtype=np.int64)
        claim_of_row = np.array([self._index.get(c, -1) for c in ids], dtype=np.int64)
        queries = [row_of[c] for c in self.new_ids]
        new: list[np.ndarray] = [np.zeros(0, dtype=np.int64)]
        other: list[np.ndarray] = [np.zeros(0, dtype=np.int64)]
        for first in range(0, len(queries), LEXICAL_BLOCK):
            block = queries[first : first + LEXICAL_BLOCK]
            scores = (self._bm25.row_queries(block) @ self._bm25.weights.T).tocsr()
            query = np.repeat(np.asarray(block), np.diff(scores.indptr))
            normalised = scores.data / np.maximum(self._own[query], 1e-9)
            above = np.flatnonzero(normalised >= LEXICAL_FLOOR)
            bounds = np.searchsorted(above, scores.indptr)
            for qi, row in enumerate(block):
                found = above[bounds[qi] : bounds[qi + 1]]
                found = found[np.lexsort((scores.indices[found], -normalised[found]))]
                kept = found[: self.config.lexical_k + 1]
                new.append(np.full(len(kept), claim_of_row[row]))
                other.append(claim_of_row[scores.indices[kept]])
        return np.concatenate(new), np.concatenate(other)

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

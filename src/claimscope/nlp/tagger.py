"""A trained attribution tagger: source, cue and content spans, read off word pieces.

The network (``claimscope/models/attribution/model.onnx``, made by
``training/attribution/train.py`` from PolNeAR, see its MODEL_CARD.md) is all-MiniLM-L6-v2
with a linear head giving, for every word piece, three BIO tags at once, one layer per
role: roles nest (a content may hold another attribution's source and cue), so one tag
sequence could not hold them. Only onnxruntime, numpy and tokenizers run here.

- **Which text.** Paragraphs (lines) are tagged one at a time, and only
  those that can hold a claim (:func:`may_hold_claim`): a reporting word or a quotation
  mark. A paragraph longer than the window (a press release's body is one line) is cut
  where sentences end into chunks of whole sentences, and a chunk without such a sign is
  skipped (:func:`sentence_chunks`); only a single sentence longer than the window is cut
  into overlapping windows, each piece taking its scores from the window where it sits
  furthest from an edge.
- **Decoding.** Viterbi per role over the allowed BIO transitions (no I after O, none
  first), in numpy: the head has no CRF layer, the transitions are hard constraints.
- **Offsets.** Spans are runs of B/I, mapped to characters through the tokenizer's
  offsets, so ``text[start:end]`` is always the span's text.
- **Linking.** Every cue is one attribution; its content is the nearest content span in
  the paragraph, with a second fragment on the cue's other side when no other cue is
  nearer to it; its source is the nearest source span on the side away from the content
  (:func:`link`). Speakers' kinds and names, relays and factuality stay with the rules
  (:mod:`claimscope.nlp.pipeline`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from claimscope.errors import ModelError
from claimscope.nlp.encoder import tokenizer_path
from claimscope.records import Span

ROLES = ("source", "cue", "content")
OUTSIDE, BEGIN, INSIDE = 0, 1, 2
TAGS = 3
WINDOW = 256
"""Word pieces per window, [CLS] and [SEP] included (what the model was trained on)."""
STRIDE = 128
CLS, SEP = 101, 102
MODEL_FILE = "model.onnx"
LABELS_FILE = "labels.json"
DEFAULT_TAG_BATCH = 1
"""Windows per run. The int8 network scales each run's activations by their range, so in a
batch a paragraph's tags would depend on the paragraphs (and padding) beside it: the same
paragraph in two articles could be tagged differently. One window a run was also faster
here (1.6 s against 1.9 s for 20 PolNeAR articles)."""

_PARAGRAPH_BREAK = re.compile(r"\n\s*")
_CLAIM_SIGN = re.compile(
    r"[\"“”‘’«»:]|'\w|\b(?:accord|accus|acknowledg|add|admit|agre|alleg|announc|appear|argu|ask|"
    r"assert|back|believ|call|claim|comment|conclud|confirm|contend|declar|defend|deni|deny|"
    r"describ|disclos|emphasi[sz]|endors|estimat|explain|expect|express|feel|felt|find|found|"
    r"hope|hoping|indicat|insist|look|maintain|mention|noted|oppos|plan|point|prais|predict|"
    r"prefer|promis|propos|recall|recount|refus|remark|report|repl|reveal|said|say|see|seem|"
    r"show|stat|stress|suggest|support|tell|think|thought|told|tweet|urg|vot|want|warn|wrote|"
    r"writ)\w*",
    re.IGNORECASE,
)
"""Signs that a paragraph may hold an attribution: a quotation mark, or a word that starts
like a reporting verb. PolNeAR's cues are broad (*call*, *show*, *find*, *want*), so this
keeps nearly every paragraph with one while dropping datelines, headlines and lists."""

_CLOSING, _OPENING = "\"”’»)", "\"“‘«("

# Allowed transitions between BIO tags: log 0 where allowed, -inf where not (O -> I).
_TRANSITIONS = np.array([[0.0, 0.0, -np.inf], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]])
_START = np.array([0.0, 0.0, -np.inf])

Runner = Callable[[np.ndarray, np.ndarray], np.ndarray]
"""``(input_ids, attention_mask)`` (int64, batch × pieces) → logits (batch × pieces × 9)."""


@dataclass(frozen=True)
class TaggedAttribution:
    """One cue with the content and source spans linked to it (either may be missing). A
    content the cue interrupts (“X,” he said, “Y.”) has two fragments, in text order."""

    cue: Span
    content: tuple[Span, ...]
    source: Span | None


@dataclass(frozen=True)
class Tagging:
    """What the tagger found in one text: every span per role, and their linking."""

    spans: dict[str, tuple[Span, ...]]
    attributions: tuple[TaggedAttribution, ...]


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Character ranges of the paragraphs (lines: PolNeAR writes one paragraph a line, press
    releases too, without blank lines between), whitespace trimmed."""
    ranges = []
    start = 0
    for found in [*_PARAGRAPH_BREAK.finditer(text), None]:
        end = found.start() if found else len(text)
        chunk = text[start:end]
        left = len(chunk) - len(chunk.lstrip())
        right = len(chunk.rstrip())
        if right > left:
            ranges.append((start + left, start + right))
        start = found.end() if found else end
    return ranges


def may_hold_claim(paragraph: str) -> bool:
    return _CLAIM_SIGN.search(paragraph) is not None


def sentence_chunks(text: str, offsets: Sequence[tuple[int, int]], size: int = WINDOW - 2) -> list[tuple[int, int]]:
    """Piece ranges of a long paragraph, cut where a sentence ends (a piece ending in . ! ?,
    or a closing quotation mark after one, then space and a capital or an opening mark)
    and packed whole up to ``size`` pieces: every piece is scored once, with at least its
    sentence around it, where overlapping windows score each twice. A sentence longer
    than ``size`` is one range (:func:`windows` then covers it)."""
    if len(offsets) <= size:
        return [(0, len(offsets))]
    ends = [i + 1 for i in range(len(offsets) - 1) if _ends_sentence(text, offsets[i][1], offsets[i + 1][0])]
    chunks, start, last = [], 0, 0
    for end in [*ends, len(offsets)]:
        if end - start > size and last > start:
            chunks.append((start, last))
            start = last
        last = end
    chunks.append((start, len(offsets)))
    return chunks


def _ends_sentence(text: str, end: int, following: int) -> bool:
    """Whether a piece ending at ``end`` closes a sentence, the next piece starting at ``following``."""
    if following == end or not text[end:following].isspace():
        return False
    last, before = text[end - 1], text[end - 2 : end - 1]
    closes = last in ".!?" or (last in _CLOSING and before in (".", "!", "?"))
    return closes and (text[following].isupper() or text[following].isdigit() or text[following] in _OPENING)


def windows(length: int, size: int = WINDOW - 2, stride: int = STRIDE) -> list[tuple[int, int]]:
    """Piece ranges covering ``length`` pieces: one window, or overlapping ones ``stride`` apart."""
    if length <= size:
        return [(0, length)]
    starts = list(range(0, length - size, stride)) + [length - size]
    return [(s, s + size) for s in starts]


def viterbi(scores: np.ndarray) -> np.ndarray:
    """The best BIO tag sequence for ``scores`` (pieces × 3 log-probabilities) that never
    has I without a B or I before it."""
    n = len(scores)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    best = _START + scores[0]
    back = np.zeros((n, TAGS), dtype=np.int64)
    for i in range(1, n):
        candidates = best[:, None] + _TRANSITIONS
        back[i] = candidates.argmax(axis=0)
        best = candidates.max(axis=0) + scores[i]
    tags = np.zeros(n, dtype=np.int64)
    tags[-1] = int(best.argmax())
    for i in range(n - 1, 0, -1):
        tags[i - 1] = back[i, tags[i]]
    return tags


def runs(tags: Sequence[int]) -> list[tuple[int, int]]:
    """Index ranges of the B/I runs (a B always opens a new one)."""
    found, start = [], None
    for i, tag in enumerate(tags):
        if tag == BEGIN or tag == INSIDE and start is None:
            if start is not None:
                found.append((start, i))
            start = i
        elif tag == OUTSIDE and start is not None:
            found.append((start, i))
            start = None
    if start is not None:
        found.append((start, len(tags)))
    return found


def _log_softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


class AttributionTagger:
    """Texts in, tagged and linked spans out; load once, use for many documents."""

    def __init__(self, run: Runner, version: str, batch_size: int = DEFAULT_TAG_BATCH) -> None:
        try:
            from tokenizers import Tokenizer
        except ImportError as error:
            raise ModelError(f"the attribution tagger needs tokenizers: {error}") from error
        self._run = run
        self.version = version
        self._batch_size = batch_size
        self._tokenizer = Tokenizer.from_file(str(tokenizer_path()))
        self._tokenizer.no_truncation()
        self._tokenizer.no_padding()

    @classmethod
    def load(cls, folder: Path | None = None, threads: int | None = None) -> "AttributionTagger":
        """The shipped model (or the one in ``folder``); :class:`ModelError` if it is missing."""
        folder = folder or Path(str(resources.files("claimscope.models.attribution")))
        path, labels_path = folder / MODEL_FILE, folder / LABELS_FILE
        for needed in (path, labels_path):
            if not needed.is_file():
                raise ModelError(f"{needed}: the attribution tagger's file is missing "
                                 "(made by training/attribution/export.py)")
        try:
            import onnxruntime
        except ImportError as error:
            raise ModelError(f"the attribution tagger needs onnxruntime: {error}") from error
        labels = json.loads(labels_path.read_text(encoding="utf-8"))
        if labels.get("roles") != list(ROLES):
            raise ModelError(f"{labels_path}: roles {labels.get('roles')!r}, expected {list(ROLES)}")
        options = onnxruntime.SessionOptions()
        options.log_severity_level = 3
        if threads:
            options.intra_op_num_threads = threads
        try:
            session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        except Exception as error:  # onnxruntime raises its own untyped errors for bad files
            raise ModelError(f"{path}: cannot load the attribution tagger: {error}") from error

        def run(ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
            return session.run(None, {"input_ids": ids, "attention_mask": mask})[0]

        return cls(run, labels["version"])

    # -- tagging ----------------------------------------------------------------------
    def tag(self, text: str, keep: Callable[[str], bool] = may_hold_claim) -> Tagging:
        """Every role's spans in ``text`` (paragraphs ``keep`` rejects are skipped), linked."""
        chosen = [(a, b) for a, b in paragraphs(text) if keep(text[a:b])]
        spans: dict[str, list[Span]] = {role: [] for role in ROLES}
        attributions: list[TaggedAttribution] = []
        encodings = self._tokenizer.encode_batch([text[a:b] for a, b in chosen], add_special_tokens=False)
        chunks = []  # (paragraph, first piece, end piece) of each part worth tagging
        for number, ((start, end), encoding) in enumerate(zip(chosen, encodings)):
            for a, b in sentence_chunks(text[start:end], encoding.offsets):
                if b - a == len(encoding.ids) or keep(text[start + encoding.offsets[a][0]:start + encoding.offsets[b - 1][1]]):
                    chunks.append((number, a, b))
        scores = self._scores([encodings[p].ids[a:b] for p, a, b in chunks])
        by_paragraph: dict[int, list[tuple[int, np.ndarray]]] = {}
        for (number, a, _), chunk_scores in zip(chunks, scores):
            by_paragraph.setdefault(number, []).append((a, chunk_scores))
        for number, parts in by_paragraph.items():
            start, offsets = chosen[number][0], encodings[number].offsets
            found: dict[str, list[Span]] = {role: [] for role in ROLES}
            for a, chunk_scores in parts:
                for r, role in enumerate(ROLES):
                    found[role].extend(self._spans(text, start, offsets[a:], chunk_scores[:, r]))
            for role in ROLES:
                spans[role].extend(found[role])
            attributions.extend(link(found["cue"], found["content"], found["source"]))
        return Tagging({role: tuple(spans[role]) for role in ROLES}, tuple(attributions))

    def _scores(self, pieces: list[list[int]]) -> list[np.ndarray]:
        """Per paragraph, log-probabilities (pieces × roles × tags), windows joined."""
        jobs = [(p, a, b) for p, ids in enumerate(pieces) for a, b in windows(len(ids))]
        jobs.sort(key=lambda job: job[2] - job[1])  # batches of like length pad little
        out = [np.zeros((len(ids), len(ROLES), TAGS), dtype=np.float32) for ids in pieces]
        margin = [np.full(len(ids), -1) for ids in pieces]
        for first in range(0, len(jobs), self._batch_size):
            batch = jobs[first:first + self._batch_size]
            width = max(b - a for _, a, b in batch) + 2
            ids = np.zeros((len(batch), width), dtype=np.int64)
            mask = np.zeros_like(ids)
            for row, (p, a, b) in enumerate(batch):
                ids[row, :b - a + 2] = [CLS, *pieces[p][a:b], SEP]
                mask[row, :b - a + 2] = 1
            logits = self._run(ids, mask).reshape(len(batch), width, len(ROLES), TAGS)
            for row, (p, a, b) in enumerate(batch):
                positions = np.arange(a, b)
                room = np.minimum(positions - a, b - 1 - positions)  # distance from the edge
                better = room > margin[p][a:b]
                out[p][a:b][better] = _log_softmax(logits[row, 1:b - a + 1][better])
                margin[p][a:b][better] = room[better]
        return out

    @staticmethod
    def _spans(text: str, offset: int, piece_offsets: list[tuple[int, int]], scores: np.ndarray) -> list[Span]:
        found = []
        for first, last in runs(viterbi(scores)):
            start, end = offset + piece_offsets[first][0], offset + piece_offsets[last - 1][1]
            found.append(Span(start, end, text[start:end]))
        return found


def link(cues: Sequence[Span], contents: Sequence[Span], sources: Sequence[Span]) -> list[TaggedAttribution]:
    """Attributions of one paragraph: each cue with its nearest content (plus the fragment
    across the cue that no other cue is nearer to) and the nearest source on the side of
    the cue away from the content."""
    linked = []
    for cue in cues:
        outside = [c for c in contents if c.end <= cue.start or c.start >= cue.end]
        content = min(outside, key=lambda c: _distance(cue, c), default=None)
        fragments: tuple[Span, ...] = ()
        if content is not None:
            after = content.start >= cue.end
            across = [c for c in outside if (c.end <= cue.start if after else c.start >= cue.end)]
            other = min(across, key=lambda c: _distance(cue, c), default=None)
            if other is not None and all(_distance(cue, other) <= _distance(k, other) for k in cues):
                fragments = tuple(sorted((content, other), key=lambda c: c.start))
            else:
                fragments = (content,)
        if content is None or content.start >= cue.end:
            candidates = [s for s in sources if s.end <= cue.start]
        else:
            candidates = [s for s in sources if s.start >= cue.end]
        candidates = candidates or [s for s in sources if s.end <= cue.start or s.start >= cue.end]
        source = min(candidates, key=lambda s: _distance(cue, s), default=None)
        linked.append(TaggedAttribution(cue, fragments, source))
    return linked


def _distance(a: Span, b: Span) -> int:
    return max(b.start - a.end, a.start - b.end, 0)

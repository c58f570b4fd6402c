"""PolNeAR brat files to training windows: word-piece ids with three BIO tag layers.

Each annotator's ``.ann`` file is an example of its own (the CofeNet protocol), read with
:func:`claimscope.exchange.read_ann`. Text is cut exactly as the runtime tagger cuts it
(:mod:`claimscope.nlp.tagger`: paragraphs, windows of word pieces), so a label sits on
every piece of a word and offsets map back exactly. A discontinuous span gives one span
per fragment (as the CofeNet protocol scores them). Where spans of one role nest (an outer
content holding an inner attribution's content), the longer one is kept: one BIO layer
cannot hold both. ``Attribution-no-source`` gives cue and content without a source;
``Discuss`` and ``Discard`` are not attributions and are ignored.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from tokenizers import Tokenizer

from claimscope.evaluate.polnear import articles
from claimscope.exchange.brat import read_ann
from claimscope.nlp.encoder import tokenizer_path
from claimscope.nlp.tagger import BEGIN, CLS, INSIDE, ROLES, SEP, may_hold_claim, paragraphs, windows

IGNORED = -100  # the label of [CLS], [SEP] and padding: no loss


@dataclass(frozen=True)
class Window:
    ids: np.ndarray  # int64, [CLS] pieces [SEP]
    labels: np.ndarray  # int64, pieces × roles; IGNORED on [CLS] and [SEP]


def tokenizer() -> Tokenizer:
    loaded = Tokenizer.from_file(str(tokenizer_path()))
    loaded.no_truncation()
    loaded.no_padding()
    return loaded


def role_spans(standoff) -> dict[str, list[tuple[int, int]]]:
    """Every fragment of every attribution's source, cue and content, per role."""
    spans: dict[str, set[tuple[int, int]]] = {role: set() for role in ROLES}
    for attribution in standoff.attributions:
        parts = {"source": [attribution.source] if attribution.has_source and attribution.source else [],
                 "cue": [attribution.cue] if attribution.cue else [],
                 "content": list(attribution.contents)}
        for role, annotations in parts.items():
            spans[role].update((f.start, f.end) for a in annotations for f in a.fragments if f.end > f.start)
    return {role: sorted(found) for role, found in spans.items()}


def label_pieces(offsets: list[tuple[int, int]], spans: dict[str, list[tuple[int, int]]],
                 base: int) -> np.ndarray:
    """BIO labels (pieces × roles) for pieces at ``offsets`` (relative to ``base``)."""
    starts = np.array([base + a for a, _ in offsets])
    ends = np.array([base + b for _, b in offsets])
    labels = np.zeros((len(offsets), len(ROLES)), dtype=np.int64)
    for r, role in enumerate(ROLES):
        for start, end in sorted(spans[role], key=lambda s: s[0] - s[1]):  # longest first
            covered = np.nonzero((starts < end) & (ends > start))[0]
            if len(covered) == 0 or labels[covered, r].any():
                continue
            labels[covered, r] = INSIDE
            labels[covered[0], r] = BEGIN
    return labels


def windows_of(text: str, spans: dict[str, list[tuple[int, int]]], encode: Tokenizer,
               filtered: bool = True) -> list[Window]:
    """Training windows of one annotated text (paragraphs the runtime skips are left out)."""
    chosen = [(a, b) for a, b in paragraphs(text) if not filtered or may_hold_claim(text[a:b])]
    found = []
    encodings = encode.encode_batch([text[a:b] for a, b in chosen], add_special_tokens=False)
    for (start, _), encoding in zip(chosen, encodings):
        labels = label_pieces(encoding.offsets, spans, start)
        for a, b in windows(len(encoding.ids)):
            ids = np.array([CLS, *encoding.ids[a:b], SEP], dtype=np.int64)
            window_labels = np.full((b - a + 2, len(ROLES)), IGNORED, dtype=np.int64)
            window_labels[1:-1] = labels[a:b]
            found.append(Window(ids, window_labels))
    return found


def read_split(folder: Path, encode: Tokenizer) -> list[Window]:
    """All windows of a PolNeAR split, one set per annotator file."""
    found = []
    for article in articles(folder):
        text = article.read_text()
        for gold in article.files("cofenet"):
            found.extend(windows_of(text, role_spans(read_ann(gold.path, text)), encode))
    return found

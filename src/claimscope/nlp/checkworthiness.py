"""A 0–1 score a fact-checker can rank claims by: is this worth checking?

A linear model (logistic regression) over three blocks of features of a claim's words,
trained by ``training/checkworthiness/train.py`` on ClaimBuster and CheckThat sentences
and shipped as ``claimscope/models/checkworthiness/model.npz`` (see its MODEL_CARD.md):

- **words**: TF-IDF of word 1–2-grams, hashed into a fixed number of buckets with CRC-32,
  so the model needs no vocabulary file and the same code computes the features at
  training and at run time;
- **meaning**: the sentence's all-MiniLM-L6-v2 embedding (:mod:`claimscope.nlp.encoder`);
- **shape**: a few signs of a checkable statement (numbers, years, money, percentages,
  months, proper names, the past tense) and of commentary (a question, first or second
  person), named in :data:`SHAPE_FEATURES`.

A claim is scored on its content, or on its sentence when the content is a bare noun
phrase (:func:`scored_text`). Only numpy, onnxruntime and tokenizers run here:
scikit-learn is needed to fit the weights (:mod:`claimscope.nlp.checkworthiness_fit`),
never to score. Texts are scored in batches (:meth:`CheckworthinessScorer.score_many`),
since the encoder is the cost.
"""

from __future__ import annotations

import json
import math
import re
import zlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from claimscope.errors import ModelError
from claimscope.nlp.encoder import SentenceEncoder, TextNetwork

MODEL_FILE = "model.npz"
FORMAT = "claimscope-checkworthiness/1"

_WORD = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token pattern
_SHAPE_TOKEN = re.compile(r"[A-Za-z]+(?:'[a-z]+)?|\d[\d,.]*%?|\$|%")
_MONTHS = frozenset("january february march april may june july august september october "
                    "november december".split())
_NUMBER_WORDS = frozenset("one two three four five six seven eight nine ten eleven twelve "
                          "twenty thirty forty fifty hundred hundreds thousand thousands million "
                          "millions billion billions trillion percent half twice double triple".split())
_FIRST_PERSON = frozenset({"i", "we", "my", "our", "me", "us", "i'm", "we're", "i've", "we've"})
_SECOND_PERSON = frozenset({"you", "your", "you're"})
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_PERCENT = re.compile(r"%|\bpercent\b", re.I)
_MONEY = re.compile(r"\$|€|£|₴|\bdollars?\b|\beuros?\b|\bhryvnias?\b|\broubles?\b|\brubles?\b", re.I)
_PAST = re.compile(r"\b(was|were|had|did|has been|have been)\b", re.I)

SHAPE_FEATURES = ("log_words", "digits", "number_words", "year", "percent", "money", "month",
                  "proper_names", "question", "first_person", "second_person", "past_auxiliary")


def shape_features(text: str) -> np.ndarray:
    """The :data:`SHAPE_FEATURES` of a text, each 0..1 except ``log_words``."""
    tokens = _SHAPE_TOKEN.findall(text)
    lower = [t.lower() for t in tokens]
    names = sum(1 for i, t in enumerate(tokens) if i > 0 and t[0].isupper() and t != "I"
                and t.lower() not in _FIRST_PERSON)
    return np.array([
        math.log1p(len(tokens)),
        any(t[0].isdigit() for t in tokens),
        any(t in _NUMBER_WORDS for t in lower),
        bool(_YEAR.search(text)),
        bool(_PERCENT.search(text)),
        bool(_MONEY.search(text)),
        any(t in _MONTHS for t in lower),
        min(names, 4) / 4,
        text.rstrip().endswith("?"),
        any(t in _FIRST_PERSON for t in lower),
        any(t in _SECOND_PERSON for t in lower),
        bool(_PAST.search(text)),
    ], dtype=np.float32)


def word_ngrams(text: str) -> list[str]:
    """Lower-cased word 1- and 2-grams (scikit-learn's ``analyzer="word"``, ``(1, 2)``)."""
    words = _WORD.findall(text.lower())
    return words + [f"{a} {b}" for a, b in zip(words, words[1:])]


def hashed_tfidf(grams: list[str], idf: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sublinear TF-IDF of hashed n-grams, L2-normalised: (bucket indices, values)."""
    buckets = len(idf)
    counts = Counter(zlib.crc32(g.encode("utf-8")) % buckets for g in grams)
    if not counts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    index = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
    tf = 1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))
    values = tf * idf[index]
    norm = np.linalg.norm(values)
    return index, (values / norm if norm > 0 else values).astype(np.float32)


@dataclass(frozen=True)
class LinearModel:
    """The fitted weights: hashed n-grams' idf and weights, embedding and shape weights, bias."""

    name: str
    word_idf: np.ndarray
    word_weights: np.ndarray
    embedding_weights: np.ndarray
    shape_weights: np.ndarray
    bias: float
    meta: dict

    @classmethod
    def load(cls, path: Path | None = None) -> "LinearModel":
        path = path or packaged_model_path()
        try:
            with np.load(path, allow_pickle=False) as data:
                arrays = {key: data[key] for key in data.files}
            meta = json.loads(str(arrays.pop("meta")))
        except (OSError, ValueError, KeyError) as error:
            raise ModelError(f"{path}: cannot read the check-worthiness model: {error}") from error
        if meta.get("format") != FORMAT or tuple(meta.get("shape_features", ())) != SHAPE_FEATURES:
            raise ModelError(f"{path}: not a {FORMAT} model for this version of claimscope")
        return cls(meta["name"], arrays["word_idf"], arrays["word_weights"],
                   arrays["embedding_weights"], arrays["shape_weights"], float(meta["bias"]), meta)

    def save(self, path: Path) -> None:
        meta = {**self.meta, "format": FORMAT, "name": self.name, "bias": self.bias,
                "shape_features": list(SHAPE_FEATURES)}
        np.savez_compressed(path, meta=np.array(json.dumps(meta)), word_idf=self.word_idf,
                            word_weights=self.word_weights, embedding_weights=self.embedding_weights,
                            shape_weights=self.shape_weights)

    def logits(self, texts: Sequence[str], embeddings: np.ndarray) -> np.ndarray:
        z = embeddings @ self.embedding_weights + self.bias
        for row, text in enumerate(texts):
            words, values = hashed_tfidf(word_ngrams(text), self.word_idf)
            z[row] += values @ self.word_weights[words] + shape_features(text) @ self.shape_weights
        return z


class TunedNetwork(TextNetwork):
    """MiniLM fine-tuned for check-worthiness (:mod:`.checkworthiness_tune`): a logit per
    text. Int8 matrix products, so one text a run, like the sentence encoder."""

    def logits(self, texts: Sequence[str]) -> np.ndarray:
        return self._run_all(texts, ()).astype(np.float64)


MIN_CONTENT_WORDS = 6


def scored_text(content: str, sentence: str) -> str:
    """What is scored for a claim: its content, or its sentence when the content is a bare
    noun phrase ("confirmed the capture of Kupyansk"): the model learnt whole sentences."""
    return content if len(content.split()) >= MIN_CONTENT_WORDS else sentence


def packaged_model_path() -> Path:
    return Path(str(resources.files("claimscope.models.checkworthiness") / MODEL_FILE))


class CheckworthinessScorer:
    """Claims' words in, 0–1 scores out; load once (the networks take a second).

    The score is the linear model's, or, with a fine-tuned ``network``, the mean of the two
    logits: the network reads the sentence, the linear model adds the exact words and shape
    signs that a fine-tuned encoder blurs. A linear model without embedding weights needs
    no sentence encoder, so ``analyze`` then runs one network per claim, not two."""

    def __init__(self, model: LinearModel, encoder: SentenceEncoder | None,
                 network: TunedNetwork | None = None) -> None:
        self._model = model
        self._encoder = encoder
        self._network = network
        self.version = model.name

    @classmethod
    def load(cls, model_path: Path | None = None, threads: int = 1) -> "CheckworthinessScorer":
        """The packaged model (or ``model_path``), the fine-tuned network its file names beside
        it, and the sentence encoder if it weighs embeddings; one thread, since ``analyze``
        scales by processes."""
        model = LinearModel.load(model_path)
        network = None
        if model.meta.get("network"):
            path = (model_path or packaged_model_path()).parent / model.meta["network"]
            if not path.is_file():
                raise ModelError(f"{path}: the check-worthiness network is missing; reinstall claimscope")
            network = TunedNetwork(path, threads=threads)
        encoder = SentenceEncoder(threads=threads) if model.embedding_weights.size else None
        return cls(model, encoder, network)

    def score_many(self, texts: Sequence[str]) -> list[float]:
        """One score per text, rounded to 4 places; each distinct text is run once."""
        distinct = list(dict.fromkeys(texts))
        if not distinct:
            return []
        embeddings = (self._encoder.encode(distinct) if self._encoder is not None
                      else np.zeros((len(distinct), self._model.embedding_weights.size), dtype=np.float32))
        z = self._model.logits(distinct, embeddings)
        if self._network is not None:
            z = (z + self._network.logits(distinct)) / 2
        scores = dict(zip(distinct, np.round(1.0 / (1.0 + np.exp(-z)), 4).tolist()))
        return [scores[text] for text in texts]

    def score(self, text: str) -> float:
        return self.score_many([text])[0]

"""Check-worthiness measured on ClaimBuster and CheckThat, beside a baseline run in the same pass.

Three protocols, each scoring claimscope's scorer (:mod:`claimscope.nlp.checkworthiness`)
refitted on the protocol's training data: its two parts, the **linear** model
(:mod:`claimscope.nlp.checkworthiness_fit`) and the fine-tuned MiniLM **network**
(:mod:`claimscope.nlp.checkworthiness_tune`, scored from its int8 ONNX export), each alone
and, as **claimscope**, together (the mean of their logits, as ``analyze`` scores), beside
a **baseline**, TF-IDF of word 1–2-grams (sublinear tf) + logistic regression with
balanced class weights, on the same splits:

- **ClaimBuster 2.5xNCS** (9,674 sentences): 5-fold stratified cross-validation (shuffled,
  seed :data:`SEED`); F1 of the positive class (check-worthy factual sentence) at
  probability 0.5, per fold, and its mean over the folds.
- **CheckThat 2019 task 1**: fitted on the 2019 training set only (the 2020 training set
  holds the 2019 test debates), each of the 7 test debates ranked.
- **CheckThat 2020 task 5**: fitted on its 50 training debates, its 20 test debates ranked.

Readers and figures (the CLEF lab scorer's MAP and P@k, F1) are in
:mod:`.checkworthiness_figures`. The shipped scorer (fitted on ClaimBuster and
the 2019 training set, neither test set) is also scored on both test sets as it is.
Fine-tuning takes most of the run: about an hour on this project's 2-core machine.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from claimscope.evaluate.checkworthiness_figures import (
    Debate, f1_positive, ranking_figures, read_claimbuster, read_debates,
)
from claimscope.nlp.checkworthiness import CheckworthinessScorer, TunedNetwork
from claimscope.nlp.checkworthiness_fit import fit

CLAIMBUSTER = Path("claimbuster/2.5xNCS.json")
CHECKTHAT = {
    "checkthat2019": (Path("checkthat2019-task1-debates/training"),
                      Path("checkthat2019-task1-debates/test_annotated")),
    "checkthat2020": (Path("checkthat2020-task5-debates/training"),
                      Path("checkthat2020-task5-debates/test-gold")),
}
FOLDS = 5
SEED = 0
CLAIMBUSTER_C = 4.0  # ~30 % positives: light regularisation
CHECKTHAT_C = 0.25  # ~3 % positives, chosen by leave-one-debate-out on the 2019 training set

SCORER = "words+network"
"""The combination ``analyze`` scores with (``CheckworthinessScorer``), reported as claimscope."""

Progress = Callable[[str], None]
Predict = Callable[[Sequence[str]], np.ndarray]
System = Callable[[Sequence[str], np.ndarray, float], Predict]


# -- the systems ----------------------------------------------------------------
class Embeddings:
    """Each distinct text embedded once for the whole run, in chunks that report progress."""

    CHUNK = 1000

    def __init__(self, encoder, progress: Progress) -> None:
        self._encoder = encoder
        self._progress = progress
        self._vectors: dict[str, np.ndarray] = {}
        self.seconds = 0.0

    def add(self, texts: Sequence[str]) -> None:
        missing = list(dict.fromkeys(t for t in texts if t not in self._vectors))
        for first in range(0, len(missing), self.CHUNK):
            chunk = missing[first:first + self.CHUNK]
            started = time.perf_counter()
            self._vectors.update(zip(chunk, self._encoder.encode(chunk)))
            self.seconds += time.perf_counter() - started
            self._progress(f"embedded {first + len(chunk)}/{len(missing)} new sentences")

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        self.add(texts)
        return np.stack([self._vectors[t] for t in texts])

    def __len__(self) -> int:
        return len(self._vectors)


def claimscope_system(embeddings: Embeddings) -> System:
    """The linear model (words, shape, frozen sentence embedding)."""
    def train(texts: Sequence[str], labels: np.ndarray, c: float) -> Predict:
        model = fit(texts, labels, embeddings(texts), name="eval", c=c)
        return lambda batch: _sigmoid(model.logits(batch, embeddings(batch)))
    return train


def words_system(texts: Sequence[str], labels: np.ndarray, c: float) -> Predict:
    """The linear model without the sentence embedding (words and shape only)."""
    model = fit(texts, labels, _no_embedding(texts), name="eval", c=c)
    return lambda batch: _sigmoid(model.logits(batch, _no_embedding(batch)))


def _no_embedding(texts: Sequence[str]) -> np.ndarray:
    return np.zeros((len(texts), 0), dtype=np.float32)


def tuned_system(progress: Progress) -> System:
    """MiniLM fine-tuned on the training data, exported to int8 ONNX and scored from that file
    (:class:`~claimscope.nlp.checkworthiness.TunedNetwork`), as ``analyze`` would run it."""
    def train(texts: Sequence[str], labels: np.ndarray, c: float) -> Predict:
        from claimscope.nlp.checkworthiness_tune import export, fine_tune

        model = fine_tune(texts, labels, progress=progress)
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "network.onnx"
            export(model, path)
            network = TunedNetwork(path)
        return lambda batch: _sigmoid(network.logits(batch))
    return train


def ensemble(*predicts: Predict) -> Predict:
    """The mean of the systems' logits."""
    def predict(batch: Sequence[str]) -> np.ndarray:
        return _sigmoid(np.mean([_logit(p(batch)) for p in predicts], axis=0))
    return predict


def baseline_system(texts: Sequence[str], labels: np.ndarray, c: float) -> Predict:
    """TF-IDF 1–2-grams + logistic regression (C = 1 always: the baseline is not tuned)."""
    vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
    learner = LogisticRegression(class_weight="balanced", max_iter=5000)
    learner.fit(vectorizer.fit_transform(texts), labels)
    return lambda batch: learner.predict_proba(vectorizer.transform(batch))[:, 1]


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-7, 1 - 1e-7)
    return np.log(p / (1 - p))


# -- the protocols --------------------------------------------------------------
def _trained(systems: dict[str, System], ensembles: dict[str, tuple[str, ...]], texts: Sequence[str],
             labels: np.ndarray, c: float) -> dict[str, Predict]:
    predicts = {name: system(texts, labels, c) for name, system in systems.items()}
    predicts.update({name: ensemble(*(predicts[part] for part in parts)) for name, parts in ensembles.items()})
    return predicts


def claimbuster_cv(texts: list[str], labels: list[int], systems: dict[str, System],
                   progress: Progress, ensembles: dict[str, tuple[str, ...]] | None = None) -> dict:
    y = np.asarray(labels)
    splits = StratifiedKFold(FOLDS, shuffle=True, random_state=SEED).split(np.zeros(len(y)), y)
    per_fold: dict[str, list[float]] = {name: [] for name in [*systems, *(ensembles or {})]}
    for fold, (train, test) in enumerate(splits, 1):
        predicts = _trained(systems, ensembles or {}, [texts[i] for i in train], y[train], CLAIMBUSTER_C)
        for name, predict in predicts.items():
            predicted = (predict([texts[i] for i in test]) >= 0.5).astype(int)
            per_fold[name].append(f1_positive(y[test].tolist(), predicted.tolist()))
        progress(f"ClaimBuster fold {fold}/{FOLDS} done")
    return {"sentences": len(y), "positives": int(y.sum()), "folds": FOLDS, "seed": SEED,
            **{name: {"f1": float(np.mean(f1s)), "f1_per_fold": f1s} for name, f1s in per_fold.items()}}


def checkthat(train: list[Debate], test: list[Debate], systems: dict[str, System],
              progress: Progress, shipped: Predict | None,
              ensembles: dict[str, tuple[str, ...]] | None = None) -> dict:
    texts = [t for d in train for t in d.texts]
    labels = np.asarray([label for d in train for label in d.labels])
    result: dict = {"train_debates": len(train), "train_sentences": len(texts),
                    "test_debates": len(test), "test_sentences": sum(len(d.texts) for d in test),
                    "test_positives": sum(sum(d.labels) for d in test)}
    for name, predict in _trained(systems, ensembles or {}, texts, labels, CHECKTHAT_C).items():
        result[name] = ranking_figures(test, [predict(d.texts) for d in test])
        progress(f"{name} ranked {len(test)} debates")
    if shipped is not None:
        result["shipped"] = ranking_figures(test, [shipped(d.texts) for d in test])
    return result


def evaluate_checkworthiness(data: Path, encoder, shipped: CheckworthinessScorer | None = None,
                             progress: Progress = lambda message: None) -> dict:
    """All three protocols on the eval-data folder ``data``; ``shipped`` is the packaged scorer."""
    texts, labels = read_claimbuster(data / CLAIMBUSTER)
    splits = {key: (read_debates(data / a), read_debates(data / b)) for key, (a, b) in CHECKTHAT.items()}
    embeddings = Embeddings(encoder, progress)
    systems = {"linear": claimscope_system(embeddings), "words": words_system,
               "network": tuned_system(progress), "baseline": baseline_system}
    ensembles = {"linear+network": ("linear", "network"), "words+network": ("words", "network")}
    shipped_predict = (lambda batch: np.asarray(shipped.score_many(batch))) if shipped else None
    started = time.perf_counter()
    report = {"claimbuster": claimbuster_cv(texts, labels, systems, progress, ensembles)}
    for key, (train, test) in splits.items():
        report[key] = checkthat(train, test, systems, progress, shipped_predict, ensembles)
    for key in ("claimbuster", *splits):
        report[key]["claimscope"] = report[key][SCORER]
    report["model"] = shipped.version if shipped else None
    report["seconds"] = round(time.perf_counter() - started, 1)
    report["embedding"] = {"sentences": len(embeddings), "seconds": round(embeddings.seconds, 1),
                           "seconds_per_1000": round(1000 * embeddings.seconds / max(len(embeddings), 1), 2)}
    return report

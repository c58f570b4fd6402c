"""Check-worthiness on ClaimBuster and CheckThat 2019/2020, and the scorer's speed.

    pip install -e '.[train]'
    python benchmarks/checkworthiness.py [--data DIR] [--out FILE] [--cache FILE]

Runs :func:`claimscope.evaluate.checkworthiness.evaluate_checkworthiness`, the function
behind ``claimscope eval checkworthiness --json``: claimscope's scorer (and its linear
and network parts alone) refitted per protocol, the TF-IDF + logistic regression baseline
on the same splits, and the shipped scorer on both CheckThat test sets. Then the speed of
the scorer ``analyze`` uses (MiniLM embedding, linear model and fine-tuned network, one
thread, as in each ``analyze`` process) on the first 1,000 claims' worth of sentences of
the press releases. Prints a summary and
writes the JSON to ``--out``. ``--cache`` reuses MiniLM embeddings saved by
``training/checkworthiness/train.py --cache`` (the same encoder; the speed figure is
always measured afresh). Gold data is read from ``../shared/eval-data`` (never copied here).
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np

from claimscope.evaluate.checkworthiness import evaluate_checkworthiness
from claimscope.nlp.checkworthiness import CheckworthinessScorer
from claimscope.nlp.encoder import VERSION as ENCODER_VERSION
from claimscope.nlp.encoder import SentenceEncoder

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / ".." / "shared" / "eval-data"
PRESS = "kremlin-zelenskyy-press-releases/zelenskyy_president_gov_ua_en.csv"
SPEED_SENTENCES = 1000


class CachedEncoder:
    """Embeddings saved earlier by the same encoder; texts not in the file are encoded."""

    def __init__(self, path: Path, encoder: SentenceEncoder) -> None:
        with np.load(path, allow_pickle=False) as data:
            made_by = str(data["encoder"]) if "encoder" in data.files else "an unnamed encoder"
            if made_by != ENCODER_VERSION:
                sys.exit(f"{path}: embeddings made by {made_by}, not {ENCODER_VERSION}; remove the file")
            self._vectors = dict(zip(data["texts"].tolist(), data["vectors"]))
        self._encoder = encoder

    def encode(self, texts: list[str]) -> np.ndarray:
        missing = [t for t in texts if t not in self._vectors]
        if missing:
            self._vectors.update(zip(missing, self._encoder.encode(missing)))
        return np.stack([self._vectors[t] for t in texts])


def press_sentences(data: Path, n: int) -> list[str]:
    csv.field_size_limit(sys.maxsize)
    with open(data / PRESS, encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle)
        column = next(c for c in rows.fieldnames or [] if c.lower() in {"text", "content", "body"})
        sentences: list[str] = []
        for row in rows:
            sentences += [s for s in re.split(r"(?<=[.!?])\s+", row[column]) if len(s.split()) >= 6]
            if len(sentences) >= n:
                return sentences[:n]
    return sentences


def speed(data: Path) -> dict:
    texts = press_sentences(data, SPEED_SENTENCES)
    scorer = CheckworthinessScorer.load()
    scorer.score_many(texts[:16])  # warm up
    started = time.perf_counter()
    for first in range(0, len(texts), 32):  # a document's claims at a time, as analyze does
        scorer.score_many(texts[first:first + 32])
    seconds = time.perf_counter() - started
    return {"sentences": len(texts), "mean_words": round(float(np.mean([len(t.split()) for t in texts])), 1),
            "seconds": round(seconds, 2), "seconds_per_1000": round(1000 * seconds / len(texts), 2),
            "threads": 1}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--out", type=Path, default=Path("checkworthiness.json"))
    parser.add_argument("--cache", type=Path, help="MiniLM embeddings saved by train.py --cache.")
    args = parser.parse_args()
    encoder = SentenceEncoder()
    if args.cache:
        encoder = CachedEncoder(args.cache, encoder)
    report = evaluate_checkworthiness(args.data, encoder, CheckworthinessScorer.load(),
                                      progress=lambda message: print(message, file=sys.stderr, flush=True))
    report["speed"] = speed(args.data)
    report["date"] = date.today().isoformat()
    report["embeddings_cached"] = bool(args.cache)
    args.out.write_text(json.dumps(report, indent=2), encoding="utf-8")
    cb = report["claimbuster"]
    systems = ("claimscope", "linear", "network", "baseline")
    print("ClaimBuster F1: " + ", ".join(f"{name} {cb[name]['f1']:.3f}" for name in systems))
    for key in ("checkthat2019", "checkthat2020"):
        row = report[key]
        print(f"{key} MAP / P@10: " + ", ".join(f"{name} {row[name]['map']:.3f} / {row[name]['p_at_10']:.3f}"
                                               for name in (*systems, "shipped")))
    print(f"scorer: {report['speed']['seconds_per_1000']} s per 1,000 sentences (1 thread)")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()

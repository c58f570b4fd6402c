"""Fit the shipped check-worthiness model: ``src/claimscope/models/checkworthiness/model.npz``.

    pip install -e '.[train]'
    python training/checkworthiness/train.py [--data ../shared/eval-data] [--cache FILE]

Data (read from ``../shared/eval-data``, never copied): ClaimBuster 2.5xNCS (all 9,674
sentences) and the CheckThat 2019 task 1 *training* debates (19 debates, 16,421 sentences).
Neither test set is used: the CheckThat 2019 and 2020 test debates stay held out, so
``claimscope eval checkworthiness`` can score the shipped file on them as it is.

The two corpora label different things at different rates (ClaimBuster: 29 % "check-worthy
factual sentence"; CheckThat: 2.7 % "fact-checked by factcheck.org"), so each is weighted
to the same total weight; the score is then a ClaimBuster-like probability that a
sentence states a checkable fact. ``--cache`` keeps the MiniLM embeddings between runs
(an .npz of texts and vectors, made by the same encoder).
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np

from claimscope.evaluate.checkworthiness import CHECKTHAT, CLAIMBUSTER
from claimscope.evaluate.checkworthiness_figures import read_claimbuster, read_debates
from claimscope.nlp.checkworthiness import packaged_model_path
from claimscope.nlp.checkworthiness_fit import DEFAULT_C, fit
from claimscope.nlp.encoder import VERSION as ENCODER_VERSION
from claimscope.nlp.encoder import SentenceEncoder

NAME = "checkworthiness-minilm.v2"
ROOT = Path(__file__).resolve().parents[2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "eval-data")
    parser.add_argument("--cache", type=Path, help="An .npz of MiniLM embeddings to reuse and extend.")
    parser.add_argument("--out", type=Path, default=packaged_model_path())
    args = parser.parse_args()

    cb_texts, cb_labels = read_claimbuster(args.data / CLAIMBUSTER)
    debates = read_debates(args.data / CHECKTHAT["checkthat2019"][0])
    ct_texts = [t for d in debates for t in d.texts]
    ct_labels = [label for d in debates for label in d.labels]
    texts, labels = cb_texts + ct_texts, cb_labels + ct_labels
    # Each corpus gets half the total weight: repeat the smaller one rather than pass weights
    # through, so the fit is the very same function the harness uses.
    repeat = max(1, round(len(ct_texts) / len(cb_texts)))
    texts, labels = cb_texts * repeat + ct_texts, cb_labels * repeat + ct_labels

    started = time.perf_counter()
    vectors = embed(sorted(set(texts)), args.cache)
    embeddings = np.stack([vectors[t] for t in texts])
    print(f"embedded {len(vectors)} sentences in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    meta = {"trained": date.today().isoformat(),
            "data": {"claimbuster-2.5xNCS": len(cb_texts), "checkthat2019-training": len(ct_texts),
                     "claimbuster_repeated": repeat},
            "encoder": f"all-MiniLM-L6-v2 ({ENCODER_VERSION}, claimscope/models/encoder), mean pooling"}
    model = fit(texts, labels, embeddings, name=NAME, c=DEFAULT_C, meta=meta)
    model.save(args.out)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB)", file=sys.stderr)


def embed(texts: list[str], cache: Path | None) -> dict[str, np.ndarray]:
    """The texts' vectors, from ``cache`` where it holds them (made by this very encoder)."""
    vectors: dict[str, np.ndarray] = {}
    if cache and cache.exists():
        with np.load(cache, allow_pickle=False) as data:
            made_by = str(data["encoder"]) if "encoder" in data.files else "an unnamed encoder"
            if made_by != ENCODER_VERSION:
                sys.exit(f"{cache}: embeddings made by {made_by}, not {ENCODER_VERSION}; remove the file")
            vectors = dict(zip(data["texts"].tolist(), data["vectors"]))
    missing = [t for t in texts if t not in vectors]
    if missing:
        vectors.update(zip(missing, SentenceEncoder().encode(missing)))
        if cache:
            np.savez(cache, texts=np.array(list(vectors)), vectors=np.stack(list(vectors.values())),
                     encoder=np.array(ENCODER_VERSION))
    return vectors


if __name__ == "__main__":
    main()

"""Fit the shipped check-worthiness scorer: ``src/claimscope/models/checkworthiness/``.

    pip install -e '.[train]'
    python training/checkworthiness/train.py [--data ../shared/eval-data] [--steps N]

Writes ``network.onnx`` (all-MiniLM-L6-v2 fine-tuned for the task, int8; ``SHA256`` names
it) and ``model.npz`` (the linear model over words and shape signs, which names the
network); the scorer averages their logits. The linear model weighs no sentence
embedding: the network reads the sentence, and ``analyze`` runs one network per claim.

Data (read from ``../shared/eval-data``, never copied): ClaimBuster 2.5xNCS (all 9,674
sentences) and the CheckThat 2019 task 1 *training* debates (19 debates, 16,421 sentences).
Neither test set is used: the CheckThat 2019 and 2020 test debates stay held out, so
``claimscope eval checkworthiness`` can score the shipped files on them as they are.

The two corpora label different things at different rates (ClaimBuster: 29 % "check-worthy
factual sentence"; CheckThat: 2.7 % "fact-checked by factcheck.org"), so each is weighted
to the same total weight; the score is then a ClaimBuster-like probability that a
sentence states a checkable fact.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from dataclasses import asdict
from datetime import date
from pathlib import Path

import numpy as np

from claimscope.evaluate.checkworthiness import CHECKTHAT, CLAIMBUSTER
from claimscope.evaluate.checkworthiness_figures import read_claimbuster, read_debates
from claimscope.nlp.checkworthiness import packaged_model_path
from claimscope.nlp.checkworthiness_fit import DEFAULT_C, fit
from claimscope.nlp.checkworthiness_tune import TuningSettings, export, fine_tune

NAME = "checkworthiness-minilm.v3"
NETWORK_FILE = "network.onnx"
ROOT = Path(__file__).resolve().parents[2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "eval-data")
    parser.add_argument("--out", type=Path, default=packaged_model_path())
    parser.add_argument("--steps", type=int, default=1000, help="Fine-tuning steps of 32 sentences.")
    args = parser.parse_args()

    cb_texts, cb_labels = read_claimbuster(args.data / CLAIMBUSTER)
    debates = read_debates(args.data / CHECKTHAT["checkthat2019"][0])
    ct_texts = [t for d in debates for t in d.texts]
    ct_labels = [label for d in debates for label in d.labels]
    # Each corpus gets half the total weight: repeat the smaller one rather than pass weights
    # through, so the fits are the very functions the harness uses.
    repeat = max(1, round(len(ct_texts) / len(cb_texts)))
    texts, labels = cb_texts * repeat + ct_texts, cb_labels * repeat + ct_labels

    settings = TuningSettings(max_steps=args.steps)
    network_path = args.out.parent / NETWORK_FILE
    network = fine_tune(texts, labels, settings, progress=lambda message: print(message, file=sys.stderr))
    export(network, network_path)
    digest = hashlib.sha256(network_path.read_bytes()).hexdigest()
    (args.out.parent / "SHA256").write_text(f"{digest}  {NETWORK_FILE}\n")
    meta = {"trained": date.today().isoformat(),
            "data": {"claimbuster-2.5xNCS": len(cb_texts), "checkthat2019-training": len(ct_texts),
                     "claimbuster_repeated": repeat},
            "network": NETWORK_FILE, "tuning": asdict(settings)}
    model = fit(texts, labels, np.zeros((len(texts), 0), dtype=np.float32), name=NAME, c=DEFAULT_C, meta=meta)
    model.save(args.out)
    for path in (args.out, network_path):
        print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB)", file=sys.stderr)


if __name__ == "__main__":
    main()

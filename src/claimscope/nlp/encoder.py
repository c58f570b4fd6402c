"""Sentence embeddings from all-MiniLM-L6-v2, run offline with onnxruntime.

The network is shipped in ``claimscope/models/encoder/`` (see its MODEL_CARD.md): the
model's float weights exported to ONNX by ``training/encoder/export.py`` and quantized to
int8 matrix products (``last_hidden_state`` out, no pooling), 2.4x faster than float at a
mean cosine of 0.992 to the float vectors. Its WordPiece tokenizer is the original model's
``tokenizer.json``, shipped beside it with its Apache-2.0 licence and read by the
``tokenizers`` package. Nothing is fetched at run time and neither torch nor scikit-learn
is imported.

A sentence's vector is what sentence-transformers computes for this model: the mean of
the token states under the attention mask, L2-normalised. The shipped int8 network runs
one text at a time: it scales each run's activations to int8 by their range, so in a batch
a text's vector would depend on the texts (and the padding) beside it, and a claim's
vector, score and links on what it was analysed with. Alone, it ran at 3.0 s per 1,000
sentences on one thread, against 2.4 s in batches and 5.7 s for the float network batched.
A float network (``model_path``) is batched by length instead (sorted first, so a batch
pads little), at most :data:`DEFAULT_BATCH_TOKENS` word pieces a batch, padding included:
its vectors do not depend on the batch (the same floats, measured), while onnxruntime keeps
the memory of its largest batch for good. Vectors come back in input order.
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
VERSION = "minilm-l6-qint8.v1"
"""Names the vectors: stored vectors made by another version are made again."""
MODEL_FILE = "model.onnx"


def _model_folder() -> Path:
    return Path(str(resources.files("claimscope.models.encoder")))


def tokenizer_path() -> Path:
    return _model_folder() / "tokenizer.json"


def packaged_model_path() -> Path:
    return _model_folder() / MODEL_FILE


class TextNetwork:
    """An ONNX network over a text's word pieces (MiniLM's tokenizer), run text by text or in
    batches of like length; subclasses say what a run's output means per text."""

    def __init__(self, path: Path, max_tokens: int = DEFAULT_MAX_TOKENS, threads: int | None = None,
                 batch_tokens: int = 1) -> None:
        try:
            import onnxruntime
            from tokenizers import Tokenizer
        except ImportError as error:  # a broken install, not a user error: name the package
            raise ModelError(f"the MiniLM networks need onnxruntime and tokenizers: {error}") from error
        self.batch_tokens = batch_tokens
        """Word pieces per run, padding included (1: one text a run)."""
        options = onnxruntime.SessionOptions()
        options.log_severity_level = 3
        if threads:
            options.intra_op_num_threads = threads
        try:
            self._session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        except Exception as error:  # onnxruntime raises its own untyped errors for a bad file
            raise ModelError(f"{path}: cannot load the ONNX network: {error}") from error
        self._inputs = {i.name for i in self._session.get_inputs()}
        self._tokenizer = Tokenizer.from_file(str(tokenizer_path()))
        self._tokenizer.enable_truncation(max_length=max_tokens)
        self._tokenizer.no_padding()  # padded per batch below, to the batch's longest text

    def _run_all(self, texts: Sequence[str], width: tuple[int, ...]) -> np.ndarray:
        """Each text's output (shape ``width``), in input order."""
        out = np.zeros((len(texts), *width), dtype=np.float32)
        if not texts:
            return out
        encodings = self._tokenizer.encode_batch([t if t.strip() else "." for t in texts])
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        for rows in _batches(order, [len(e.ids) for e in encodings], self.batch_tokens):
            batch = [encodings[i] for i in rows]
            ids = np.zeros((len(batch), max(len(e.ids) for e in batch)), dtype=np.int64)
            mask = np.zeros_like(ids)
            for row, encoding in enumerate(batch):
                ids[row, :len(encoding.ids)] = encoding.ids
                mask[row, :len(encoding.ids)] = 1
            feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            output = self._session.run(None, {k: v for k, v in feeds.items() if k in self._inputs})[0]
            out[rows] = self._per_text(output, mask)
        return out

    def _per_text(self, output: np.ndarray, mask: np.ndarray) -> np.ndarray:
        return output


class SentenceEncoder(TextNetwork):
    """Texts in, one 384-float unit vector per text out."""

    def __init__(self, model_path: Path | None = None, max_tokens: int = DEFAULT_MAX_TOKENS,
                 threads: int | None = None, batch_tokens: int | None = None) -> None:
        super().__init__(model_path or _packaged_model(), max_tokens, threads,
                         batch_tokens or (DEFAULT_BATCH_TOKENS if model_path else 1))

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """The texts' embeddings, shape ``(len(texts), 384)``, float32, rows of norm 1."""
        return self._run_all(texts, (DIMENSIONS,))

    def _per_text(self, states: np.ndarray, mask: np.ndarray) -> np.ndarray:
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
    path = packaged_model_path()
    if not path.is_file():
        raise ModelError(f"{path}: the sentence encoder's ONNX file is missing; reinstall claimscope")
    return path

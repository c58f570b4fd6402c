"""Reading ClaimBuster and CheckThat files, and the figures they are scored by.

Pure Python (no scikit-learn), so the definitions are tested wherever claimscope runs.
Ranking figures are the CLEF CheckThat lab scorer's: a debate's lines are sorted by
decreasing score (a stable sort: ties keep line order); average precision is the mean of
the precision at each positive's rank over all the debate's positives (0 without any);
P@k is the positives among the first k, over k (also for a debate shorter than k). MAP
and mean P@10 average those over the debates. F1 is the positive class's.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from claimscope.errors import ReadError

TOP_K = 10


@dataclass(frozen=True)
class Debate:
    name: str
    lines: tuple[int, ...]
    texts: tuple[str, ...]
    labels: tuple[int, ...]


# -- reading --------------------------------------------------------------------
def read_claimbuster(path: Path) -> tuple[list[str], list[int]]:
    """ClaimBuster's ``[{"sentence_id", "label", "text"}, …]``."""
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
        return [str(r["text"]) for r in rows], [int(r["label"]) for r in rows]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ReadError(str(path), f"not a ClaimBuster sentence file: {error}") from error


def read_debates(folder: Path) -> list[Debate]:
    """Every ``*.tsv`` of a CheckThat folder: ``line_number TAB speaker TAB text TAB label``."""
    files = sorted(folder.glob("*.tsv"))
    if not files:
        raise ReadError(str(folder), "no CheckThat .tsv debates here")
    debates = []
    for path in files:
        lines, texts, labels = [], [], []
        for number, row in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            parts = row.split("\t")
            if len(parts) != 4 or parts[3].strip() not in {"0", "1"} or not parts[0].strip().isdigit():
                raise ReadError(f"{path}:{number}", "expected line_number, speaker, text, 0/1 label")
            lines.append(int(parts[0]))
            texts.append(parts[2])
            labels.append(int(parts[3]))
        debates.append(Debate(path.stem, tuple(lines), tuple(texts), tuple(labels)))
    return debates


# -- figures --------------------------------------------------------------------
def ranked(scores: Sequence[float], labels: Sequence[int]) -> list[int]:
    """The labels in the order the lab's scorer ranks them: by score, ties in line order."""
    order = sorted(range(len(scores)), key=lambda i: scores[i], reverse=True)  # a stable sort
    return [labels[i] for i in order]


def average_precision(ranking: Sequence[int]) -> float:
    positives = sum(ranking)
    found, total = 0, 0.0
    for rank, label in enumerate(ranking, 1):
        if label == 1:
            found += 1
            total += found / rank
    return total / positives if positives else 0.0


def precision_at(ranking: Sequence[int], k: int) -> float:
    return sum(ranking[:k]) / k


def f1_positive(gold: Sequence[int], predicted: Sequence[int]) -> float:
    tp = sum(1 for g, p in zip(gold, predicted) if g == 1 and p == 1)
    fp = sum(1 for g, p in zip(gold, predicted) if g == 0 and p == 1)
    fn = sum(1 for g, p in zip(gold, predicted) if g == 1 and p == 0)
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def ranking_figures(debates: Sequence[Debate], scores: Sequence[np.ndarray]) -> dict:
    per_debate = {}
    for debate, debate_scores in zip(debates, scores):
        ranking = ranked(list(debate_scores), debate.labels)
        per_debate[debate.name] = {"ap": average_precision(ranking), "p_at_10": precision_at(ranking, TOP_K)}
    return {"map": float(np.mean([d["ap"] for d in per_debate.values()])),
            "p_at_10": float(np.mean([d["p_at_10"] for d in per_debate.values()])),
            "debates": per_debate}

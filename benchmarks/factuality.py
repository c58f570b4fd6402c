"""Factuality and hedging figures for benchmarks/RESULTS.md.

    .venv/bin/python benchmarks/factuality.py [--json OUT]

Runs what ``claimscope eval factuality --data … --json`` runs (the same library call, on
the tagger ``analyze`` uses) on MEANTIME and UW (train, dev, test) and on the Szeged
WikiWeasel corpus (its train and test cut: every fifth document is test), and prints the
figures as the Markdown tables of RESULTS.md. The data is read from ../shared/eval-data.

``--baseline`` scores, on MEANTIME and UW, what a one-line rule does instead of the tagger:
an event is −3 when a ``neg`` dependent ("not", "never") hangs from it, else +3.
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import UTC, datetime
from pathlib import Path

from spacy.tokens import Doc

from claimscope.evaluate.factuality import evaluate_factuality
from claimscope.records import Factuality, Span

DATA = Path(__file__).resolve().parents[2] / "shared" / "eval-data"
PATHS = (DATA / "factuality-meantime-uw", DATA / "szeged-uncertainty-wiki")


class NegationOnly:
    """The baseline: the event's own ``neg`` dependent decides, nothing else."""

    def tag_clause(self, doc: Doc, index: int) -> Factuality:
        negated = any(child.dep_ == "neg" for child in doc[index].children)
        return Factuality(polarity="negative" if negated else "positive")

    def cues(self, doc: Doc, start: int, end: int) -> list[Span]:
        return []


def _in_order(rows: dict) -> list[tuple[str, dict]]:
    """Corpus by corpus, train, dev, test."""
    splits = ("train", "dev", "test")
    return sorted(rows.items(), key=lambda item: (item[0].split("/")[0], splits.index(item[0].split("/")[1])))


def markdown(figures: dict) -> str:
    lines = ["| data | sentences | events | Pearson r | MAE |", "|---|---:|---:|---:|---:|"]
    for name, row in _in_order(figures["factuality"]):
        lines.append(f"| {name} | {row['sentences']} | {row['events']} | {row['pearson']:.3f} | {row['mae']:.3f} |")
    if figures["uncertainty"]:
        lines += ["", "| data | sentences | cue P | cue R | cue F1 | overlap F1 | sentence P | sentence R "
                  "| sentence F1 |", "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for name, row in _in_order(figures["uncertainty"]):
        exact, overlap, sentence = row["cue"]["exact"], row["cue"]["overlap"], row["sentence"]
        lines.append(f"| {name} | {row['sentences']} | {100 * exact['precision']:.1f} | "
                     f"{100 * exact['recall']:.1f} | {100 * exact['f1']:.1f} | {100 * overlap['f1']:.1f} | "
                     f"{100 * sentence['precision']:.1f} | {100 * sentence['recall']:.1f} | "
                     f"{100 * sentence['f1']:.1f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="Also write the figures here.")
    parser.add_argument("--baseline", action="store_true", help="Score the negation-only baseline.")
    args = parser.parse_args()
    started = time.perf_counter()
    if args.baseline:
        figures = evaluate_factuality(PATHS[:1], tagger=NegationOnly()).as_dict()  # type: ignore[arg-type]
        figures["rules"] = "negation-only baseline"
    else:
        figures = evaluate_factuality(list(PATHS)).as_dict()
    figures["date"] = datetime.now(UTC).date().isoformat()
    figures["seconds"] = round(time.perf_counter() - started)
    print(markdown(figures))
    print(f"\n{figures['rules']}, {figures['date']}, {figures['seconds']} s")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()

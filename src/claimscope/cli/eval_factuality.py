"""``claimscope eval factuality``: the factuality tagger scored on MEANTIME / UW and Szeged.

The figures are defined in :mod:`claimscope.evaluate.factuality`; this module parses the
options, calls :func:`~claimscope.evaluate.factuality.evaluate_factuality` once and formats
the report (a table, or JSON).
"""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich import box
from rich.console import Console
from rich.table import Table

from claimscope.cli.evaluate import eval_group
from claimscope.cli.progress import StageProgress

SPLITS = ("train", "dev", "test")


@eval_group.command("factuality")
@click.option("--data", "data", required=True, multiple=True, metavar="PATH",
              type=click.Path(path_type=Path),
              help="Unified-format *.conll files (MEANTIME, UW), a Szeged uncertainty *.xml, or a "
                   "folder holding them; repeat for several.")
@click.option("--split", "splits", multiple=True, type=click.Choice(SPLITS),
              help="Only these splits (repeatable) [default: all]. Szeged has no split of its own: "
                   "every fifth document is its test split, the others train.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON on stdout.")
def factuality_command(data: tuple[Path, ...], splits: tuple[str, ...], as_json: bool) -> None:
    """Score factuality and hedging against gold data.

    MEANTIME and UW: every annotated event gets the factuality the tagger gives its clause
    (certain / probable / possible / unknown as 3 / 2 / 1 / 0, negative when negated);
    Pearson r and mean absolute error against the -3..+3 gold. Szeged: hedge cues against
    gold cues (exact and overlapping P / R / F1) and uncertain-sentence P / R / F1.
    """
    # Imported here: scoring loads spaCy, which `claimscope claims` should not pay.
    from claimscope.evaluate.factuality import evaluate_factuality

    with StageProgress(log=True) as progress:
        report = evaluate_factuality(list(data), splits or SPLITS, progress)
    figures = report.as_dict()
    if as_json:
        click.echo(json.dumps(figures, ensure_ascii=False, indent=2))
    else:
        _print_report(figures)


def _print_report(figures: dict) -> None:
    console = Console()
    if figures["factuality"]:
        table = Table(box=box.SIMPLE_HEAD, title=f"event factuality ({figures['rules']})")
        for header in ("data", "sentences", "events", "Pearson r", "MAE"):
            table.add_column(header, justify="left" if header == "data" else "right")
        for name, row in figures["factuality"].items():
            table.add_row(name, str(row["sentences"]), str(row["events"]), f"{row['pearson']:.3f}",
                          f"{row['mae']:.3f}")
        console.print(table)
    if figures["uncertainty"]:
        table = Table(box=box.SIMPLE_HEAD, title=f"uncertainty cues ({figures['rules']})")
        for header in ("data", "sentences", "cue exact P", "R", "F1", "overlap P", "R", "F1",
                       "sentence P", "R", "F1"):
            table.add_column(header, justify="left" if header == "data" else "right")
        for name, row in figures["uncertainty"].items():
            cells = [row["cue"]["exact"], row["cue"]["overlap"], row["sentence"]]
            table.add_row(name, str(row["sentences"]),
                          *(f"{100 * c[k]:.1f}" for c in cells for k in ("precision", "recall", "f1")))
        console.print(table)

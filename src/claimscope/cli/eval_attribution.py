"""``claimscope eval attribution``: the extractor's attributions scored on PolNeAR-style gold.

The figures are defined in :mod:`claimscope.evaluate.scoring`; this module parses the
options, calls :func:`claimscope.evaluate.attribution.evaluate_attribution` once and
formats the report (a table, or the JSON the harness documents).
"""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from claimscope.cli.base import tagger_option
from claimscope.cli.evaluate import eval_group
from claimscope.cli.ledger import load_extractor
from claimscope.cli.progress import StageProgress
from claimscope.evaluate.polnear import PROTOCOLS

ROLES = ("source", "cue", "content")
PLAIN_PROGRESS_EVERY = 10


@eval_group.command("attribution")
@click.option("--data", "data", required=True, metavar="DIR", type=click.Path(path_type=Path),
              help="A folder laid out like PolNeAR's dev/: text/*.txt and attributions/*.ann.")
@click.option("--protocol", type=click.Choice(PROTOCOLS), default=PROTOCOLS[0], show_default=True,
              help="cofenet: every annotator's file is a document, fragments apart; single: the "
                   "smallest annotator id per article, fragments joined.")
@click.option("--predictions-out", metavar="OUT", type=click.Path(path_type=Path, file_okay=False),
              help="Write the predictions scored as brat files: <article>.ann and .txt per article.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON on stdout.")
@tagger_option
@click.pass_context
def attribution_command(ctx: click.Context, data: Path, protocol: str,
                        predictions_out: Path | None, as_json: bool, tagger: bool) -> None:
    """Score the extractor's attributions (source, cue, content) against brat gold.

    Per role: precision, recall and F1 of exact token-set matches, of token overlap
    (Jaccard) and of partial matches; and relation F1 (source, cue and content all exact).
    Only attributed claims are scored (not the article's own voice). Also how claimscope
    labels PolNeAR's speaker-less attributions and its vague and anonymous sources.
    """
    # Imported here: scoring loads spaCy, which `claimscope claims` should not pay.
    from claimscope.evaluate.attribution import evaluate_attribution

    extractor = load_extractor(ctx, tagger)
    with StageProgress({"articles": "scoring articles"}, log=True, every=PLAIN_PROGRESS_EVERY) as bar:
        report = evaluate_attribution(data, extractor, protocol, predictions_out,
                                      lambda done, total, _name: bar("articles", done, total))
    figures = report.as_dict()
    if as_json:
        click.echo(json.dumps(figures, ensure_ascii=False, indent=2))
    else:
        _print_report(figures)


def _print_report(figures: dict) -> None:
    """Exact and overlap P / R / F1 in percent per role, the counts, then the source lines
    (partial matches are in the JSON)."""
    console = Console()
    table = Table(box=box.SIMPLE_HEAD, title=f"attribution, protocol {figures['protocol']}: "
                  f"{figures['documents']} gold files, {figures['articles']} articles")
    table.add_column("role")
    for header in ("exact P", "R", "F1", "overlap P", "R", "F1", "gold", "pred"):
        table.add_column(header, justify="right")
    for role in (*ROLES, "relation"):
        cells = []
        for measure in ("exact", "overlap"):
            scores = figures[role].get(measure)
            cells += [f"{100 * scores[k]:.1f}" if scores else "–" for k in ("precision", "recall", "f1")]
        counts = figures["counts"][role]
        table.add_row(role, *cells, str(counts["gold"]), str(counts["predicted"]))
    console.print(table)
    for line in _source_lines(figures["vague_and_anonymous"]):
        console.print(Text(line))


def _source_lines(sources: dict) -> list[str]:
    no_source = sources["gold_no_source"]
    unnamed = sources["unnamed"]
    kinds = ", ".join(f"{kind} {n}" for kind, n in no_source["by_kind"].items())
    lines = [
        f"PolNeAR attributions without a source: {no_source['total']} ({kinds})",
        f"unnamed sources (anonymous or vague): precision {100 * unnamed['precision']:.1f}, "
        f"recall {100 * unnamed['recall']:.1f}, F1 {100 * unnamed['f1']:.1f} "
        f"({unnamed['predicted']} predicted, {unnamed['gold']} gold)",
    ]
    for name, row in sources["gold_sources"].items():
        kinds = ", ".join(f"{kind} {n}" for kind, n in row["by_kind"].items())
        lines.append(f"gold {name} sources: {row['total']}, found {row['found']} ({kinds})")
    return lines

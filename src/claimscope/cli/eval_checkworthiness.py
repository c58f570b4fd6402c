"""``claimscope eval checkworthiness``: the check-worthiness scorer on ClaimBuster and CheckThat.

The protocols and figures are defined in :mod:`claimscope.evaluate.checkworthiness`; this
module parses the options, calls :func:`~claimscope.evaluate.checkworthiness.evaluate_checkworthiness`
once and formats the report (a table, or JSON). Refitting the scorer on each protocol's
training data needs scikit-learn and torch (``pip install 'claimscope[train]'``).
"""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich import box
from rich.console import Console
from rich.table import Table

from claimscope.cli.evaluate import eval_group
from claimscope.errors import ClaimscopeError


@eval_group.command("checkworthiness")
@click.option("--data", "data", required=True, metavar="DIR", type=click.Path(path_type=Path, file_okay=False),
              help="The eval-data folder holding claimbuster/, checkthat2019-task1-debates/ and "
                   "checkthat2020-task5-debates/ (e.g. ../shared/eval-data).")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON on stdout.")
def checkworthiness_command(data: Path, as_json: bool) -> None:
    """Score check-worthiness: claimscope's scorer against a TF-IDF + logistic regression
    baseline, on ClaimBuster 2.5xNCS (5-fold stratified F1 of the positive class) and on the
    CheckThat 2019 and 2020 debates (MAP and P@10 per debate, averaged). Takes about an
    hour on 2 cores: the scorer's network is fine-tuned for each fold and protocol.
    """
    try:  # scikit-learn and torch are the `train` extra, not runtime dependencies
        import torch  # noqa: F401
        from claimscope.evaluate.checkworthiness import evaluate_checkworthiness
    except ImportError as error:
        raise click.ClickException(f"eval checkworthiness refits models and needs the train extra "
                                   f"(pip install 'claimscope[train]'): {error}") from error
    from claimscope.nlp.checkworthiness import CheckworthinessScorer
    from claimscope.nlp.encoder import SentenceEncoder

    try:
        report = evaluate_checkworthiness(data, SentenceEncoder(), CheckworthinessScorer.load(),
                                          progress=lambda message: click.echo(f"claimscope: {message}", err=True))
    except ClaimscopeError as error:
        raise click.ClickException(str(error)) from error
    if as_json:
        click.echo(json.dumps(report, indent=2))
    else:
        _print_report(report)


def _print_report(report: dict) -> None:
    console = Console()
    cb = report["claimbuster"]
    table = Table(box=box.SIMPLE_HEAD, title="check-worthiness (in %)")
    systems = ("claimscope", "linear", "network", "baseline")
    for header in ("data", "figure", *systems, "shipped scorer"):
        table.add_column(header, justify="left" if header in ("data", "figure") else "right")
    table.add_row(f"ClaimBuster, {cb['folds']}-fold", "F1", *(_pct(cb[name]["f1"]) for name in systems), "–")
    for key, label in (("checkthat2019", "CheckThat 2019"), ("checkthat2020", "CheckThat 2020")):
        row = report[key]
        for figure, name in (("map", "MAP"), ("p_at_10", "P@10")):
            shipped = row.get("shipped")
            table.add_row(f"{label} ({row['test_debates']} debates)", name,
                          *(_pct(row[system][figure]) for system in systems),
                          _pct(shipped[figure]) if shipped else "–")
    console.print(table)
    embedding = report["embedding"]
    console.print(f"model {report['model']}; {embedding['sentences']} sentences embedded in "
                  f"{embedding['seconds']} s ({embedding['seconds_per_1000']} s per 1,000); "
                  f"{report['seconds']} s in all", highlight=False)


def _pct(value: float) -> str:
    return f"{100 * value:.1f}"

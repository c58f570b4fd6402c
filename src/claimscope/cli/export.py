"""``claimscope export``: the whole ledger in an exchange format (brat, JSON Lines, CSV,
ClaimReview)."""

from __future__ import annotations

import json
from pathlib import Path
import click

from claimscope.cli.base import cli, db_option, printable
from claimscope.cli.progress import StageProgress
from claimscope.exchange.export import EXPORT_FORMATS
from claimscope.store import open_store, resolve_database_url


@cli.command("export")
@click.option("--format", "format_name", type=click.Choice(sorted(EXPORT_FORMATS)),
              required=True, help="brat: a <name>.txt and <name>.ann pair per document "
              "(PolNeAR's Source/Cue/Content attributions); jsonl: one claim a line, as "
              "`claims --json`; csv: one claim a row; claimreview: the verdicts as schema.org "
              "ClaimReview JSON-LD.")
@click.option("--out", required=True, type=click.Path(path_type=Path), metavar="PATH",
              help="A directory for brat, a file for jsonl and csv.")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON on stdout.")
def export_command(format_name: str, out: Path, db: str | None, as_json: bool) -> None:
    """Write every listed claim (reviewed versions where a reviewer corrected one) to PATH.

    brat files load into brat or INCEpTION; corrected, they come back in with
    `claimscope import-annotations`.
    """
    if format_name != "brat" and out.is_dir():
        raise click.UsageError(f"--out {out} is a directory: {format_name} writes one file")
    if format_name == "brat" and out.is_file():
        raise click.UsageError(f"--out {out} is a file: brat writes a directory of pairs")
    with open_store(resolve_database_url(db)) as store, StageProgress() as bar:
        summary = EXPORT_FORMATS[format_name](store, out, lambda done, total, _name: bar("exporting", done, total))
    if as_json:
        click.echo(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        counts = ", ".join(f"{v} {k}" for k, v in summary.items() if isinstance(v, int))
        click.echo(f"wrote {counts} to {printable(out)}")

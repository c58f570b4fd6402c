"""``claimscope import-annotations``: corrected brat files back in as reviewed attributions."""

from __future__ import annotations

import getpass
import json
from pathlib import Path

import click

from claimscope.cli.base import EXIT_FAILURES, cli, db_option, printable
from claimscope.cli.progress import StageProgress
from claimscope.exchange.annotations import import_annotations
from claimscope.nlp import Extractor
from claimscope.store import open_store, resolve_database_url


@cli.command("import-annotations")
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--by", metavar="NAME", help="Who reviewed the files (default: the login name).")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON on stdout.")
@click.pass_context
def import_annotations_command(ctx: click.Context, directory: Path, by: str | None,
                               db: str | None, as_json: bool) -> None:
    """Read corrected brat .txt/.ann pairs (as `export --format brat` wrote them) from
    DIRECTORY: their attributions take precedence over the extractor's in the ledger.

    The extractor's output stays stored; a document's latest import is its review.
    Importing an unchanged file again does nothing. Exit status 1 if a pair was refused
    (its line names the file), the others are imported all the same.
    """
    reviewer = by or getpass.getuser()
    extractor = Extractor.load()  # reads the claims a reviewer added, as analyze would
    with open_store(resolve_database_url(db)) as store, StageProgress() as bar:
        report = import_annotations(store, directory, reviewer,
                                    lambda done, total, _name: bar("importing", done, total),
                                    extractor)
    if as_json:
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(f"documents reviewed: {len(report.imported)}, unchanged: "
                   f"{len(report.unchanged)}; claims revised: {report.revised}, added: "
                   f"{report.added}, deleted: {report.deleted}")
    for failure in report.failures:
        click.echo(f"claimscope: {printable(failure)}", err=True)
    ctx.exit(EXIT_FAILURES if report.failures else 0)

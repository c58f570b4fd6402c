"""The corpus commands: ``link`` (find copies), ``copies`` (copy groups and their origins) and
``outlets`` (the registry, with each outlet's documents and copy roles).

Importing this module registers them on the ``claimscope`` group (``cli/__init__.py`` does).
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from claimscope import settings
from claimscope.cli.base import EXIT_FAILURES, EXIT_INTERRUPTED, cli, db_option, printable
from claimscope.cli.progress import StageProgress
from claimscope.cli.propositions import link_new_claims
from claimscope.corpus import CopyGroup, copy_groups, outlet_table
from claimscope.store import Store, open_store, resolve_database_url

if TYPE_CHECKING:
    from claimscope.corpus.link import LinkReport

_STAGES = {"read": "reading documents", "link": "checking candidate pairs"}

# -- link -------------------------------------------------------------------------


def link_new_documents(store: Store, console: Console | None = None) -> LinkReport:
    """Link the documents not linked yet (what ``analyze`` runs after storing new ones)."""
    from claimscope.corpus import LinkSettings, link_copies  # datasketch: see corpus/__init__

    with StageProgress(_STAGES, console=console) as progress:
        return link_copies(store, LinkSettings(), progress)


@cli.command("link")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON on stdout.")
@click.option(
    "--document-threshold",
    type=click.FloatRange(0.1, 1.0),
    default=settings.DEFAULT_COPY_DOCUMENT_THRESHOLD,
    metavar="J",
    help=settings.help_for("copy_document_threshold"),
)
@click.option(
    "--passage-threshold",
    type=click.FloatRange(0.1, 1.0),
    default=settings.DEFAULT_COPY_PASSAGE_THRESHOLD,
    metavar="J",
    help=settings.help_for("copy_passage_threshold"),
)
@click.option(
    "--rebuild",
    is_flag=True,
    help="Forget every copy link and find them all again (after changing a threshold).",
)
@click.pass_context
def link_command(
    ctx: click.Context,
    db: str | None,
    as_json: bool,
    document_threshold: float,
    passage_threshold: float,
    rebuild: bool,
) -> None:
    """Find copies: link every document not linked yet to the documents it copies or that copy
    it (whole or in part), with a similarity score and the evidence.

    Only new documents are read; the others are known by their stored signatures, so running
    it again adds nothing, and an interrupted run resumes. Thresholds apply to the documents
    linked by this run; --rebuild applies them to all.
    """
    from claimscope.corpus import LinkSettings, link_copies  # datasketch: see corpus/__init__

    config = replace(
        LinkSettings(),
        document_threshold=document_threshold,
        passage_threshold=passage_threshold,
    )
    with open_store(resolve_database_url(db)) as store:
        try:
            with StageProgress(_STAGES) as progress:
                report = link_copies(store, config, progress, rebuild=rebuild)
            propositions = link_new_claims(store)  # then the claims not linked yet
        except KeyboardInterrupt:
            click.echo(
                "claimscope: interrupted; the signatures computed so far are kept, "
                "run the same command again to resume",
                err=True,
            )
            ctx.exit(EXIT_INTERRUPTED)
    if as_json:
        click.echo(json.dumps(report.as_dict() | {"propositions": propositions.as_dict()},
                              indent=2))
        return
    lines = [
        f"documents read: {report.documents_read}",
        f"documents linked: {report.documents_linked}",
        f"copy links: {report.links}",
    ]
    lines += [f"  {scope}: {n}" for scope, n in sorted(report.by_scope.items())]
    lines += [f"  order {direction}: {n}" for direction, n in sorted(report.by_direction.items())]
    if report.rebuilt:
        lines.append("all links were recomputed")
    lines.append(f"claims linked into propositions: {propositions.claims_linked} "
                 f"({propositions.propositions} new propositions, "
                 f"{propositions.contradictions} contradictions)")
    click.echo("\n".join(lines))


# -- copies ----------------------------------------------------------------------


@cli.command("copies")
@db_option
@click.option("--json", "as_json", is_flag=True, help="A JSON array of copy groups, with evidence.")
@click.option(
    "--document",
    metavar="ID|SOURCE",
    help="Only the group of this document: an id prefix, or its source (file path).",
)
@click.pass_context
def copies_command(
    ctx: click.Context, db: str | None, as_json: bool, document: str | None
) -> None:
    """List copy groups: documents joined by copy links, each group with its origin (the
    earliest published) or, when publication times are missing or equal, order "unknown"
    and the document seen first (weak evidence, not an origin). Run `link` first."""
    with open_store(resolve_database_url(db)) as store:
        groups = copy_groups(store, document, evidence=as_json)
    if as_json:
        click.echo(json.dumps([g.as_dict() for g in groups], ensure_ascii=False, indent=2))
    else:
        _print_groups(groups)
    if document is not None and not groups:
        click.echo(f"claimscope: no copy links for document {printable(document)}", err=True)
        ctx.exit(EXIT_FAILURES)


def _label(document: dict) -> str:
    if document["title"]:
        return document["title"]
    path, hash_sign, entry = (document["source"] or "").partition("#")
    return Path(path).name + hash_sign + entry


def _print_groups(groups: list[CopyGroup]) -> None:
    console = Console()
    if not groups:
        console.print(Text("No copy links (run `claimscope link` after `analyze`)."))
        return
    for number, group in enumerate(groups, start=1):
        data = group.as_dict()
        if group.order == "published":
            head = f"group {number}: {len(group.documents)} documents, origin {group.origin}"
        else:
            head = (
                f"group {number}: {len(group.documents)} documents, order unknown "
                f"({group.reason}); first seen: {group.first_seen} (weak evidence)"
            )
        console.print(Text(printable(head), style="bold"))
        table = Table(box=box.SIMPLE_HEAD, expand=True)
        for header in ("id", "role", "published"):
            table.add_column(header, no_wrap=True)
        table.add_column("outlet", overflow="fold", ratio=1)
        table.add_column("document", overflow="fold", ratio=2)
        for doc in data["documents"]:
            cells = (doc["id"], doc["role"] or "—", doc["published_at"] or "—",
                     doc["outlet"] or "—", _label(doc))
            table.add_row(*(Text(printable(cell)) for cell in cells))
        console.print(table)
        for link in group.links:
            line = (
                f"  {link['source']} → {link['copy']}  {link['scope']}  "
                f"similarity {link['similarity']:.2f}  order {link['direction']}"
            )
            console.print(Text(line))
    console.print(Text(f"{len(groups)} copy groups"))


# -- outlets ---------------------------------------------------------------------


@cli.command("outlets")
@db_option
@click.option("--json", "as_json", is_flag=True, help="A JSON array of outlets.")
@click.option(
    "--outlets",
    "outlets_file",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help=settings.help_for("outlets"),
)
def outlets_command(db: str | None, as_json: bool, outlets_file: Path | None) -> None:
    """List the outlet registry (shipped entries and your own), with each outlet's stored
    documents and how often it was the origin of a copy, the republisher, or of unknown order."""
    with open_store(resolve_database_url(db)) as store:
        rows = outlet_table(store, outlets_file)
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    table = Table(box=box.SIMPLE_HEAD, expand=True)
    table.add_column("outlet", overflow="fold", ratio=2)
    table.add_column("type", overflow="fold", ratio=1)
    table.add_column("network / owner", overflow="fold", ratio=2)
    for header in ("docs", "origin", "republisher", "unknown order"):
        table.add_column(header, justify="right")
    for row in rows:
        name = row["name"] + ("" if row["registered"] else " (not registered)")
        kind = " ".join(part for part in (row["type"], row["country"]) if part) or "—"
        cells = (
            name, kind, row["network"] or row["owner"] or "—",
            row["documents"], row["origin"], row["republisher"], row["order_unknown"],
        )
        table.add_row(*(Text(printable(cell)) for cell in cells))
    console = Console()
    console.print(table)
    console.print(Text(f"{len(rows)} outlets; origin/republisher: copy links ordered by "
                       "publication time; unknown order: links without usable dates"))

"""The proposition commands: ``propositions`` (claims that assert one thing, with their
independent origins, echo ratio and contradictions) and ``trace`` (one claim's provenance).

Importing this module registers them on the ``claimscope`` group (``cli/__init__.py`` does).
``link_new_claims`` is what ``analyze`` and ``link`` run to link the claims not linked yet.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import click
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from claimscope.cli.base import EXIT_FAILURES, cli, db_option, printable
from claimscope.cli.progress import StageProgress
from claimscope.corpus.corroboration import SORTS, proposition_table, trace
from claimscope.store import Store, open_store, resolve_database_url

if TYPE_CHECKING:
    from claimscope.corpus.propositions import PropositionReport

_STAGES = {"read": "encoding claims", "link": "linking claims into propositions"}


def link_new_claims(store: Store, console: Console | None = None, *,
                    rebuild: bool = False) -> PropositionReport:
    """Link the claims not linked yet into propositions (what ``analyze`` and ``link`` run)."""
    from claimscope.corpus.propositions import link_propositions  # numpy/scipy, the encoder

    with StageProgress(_STAGES, console=console) as progress:
        return link_propositions(store, progress=progress, rebuild=rebuild)


@cli.command("propositions")
@db_option
@click.option("--json", "as_json", is_flag=True, help="A JSON array of propositions.")
@click.option(
    "--sort",
    type=click.Choice(SORTS),
    default="independent-origins",
    show_default=True,
    help="Largest first: independent origins, echo ratio (documents per independent "
    "origin), contradictions, or claims.",
)
@click.option("--limit", type=click.IntRange(min=0), help="At most this many propositions.")
def propositions_command(db: str | None, as_json: bool, sort: str, limit: int | None) -> None:
    """List propositions: claims that assert the same thing, each with its documents, outlets,
    independent origins (distinct original speakers, copies collapsed, outlets of one network
    or owner counted once), echo ratio and contradictions. `analyze` and `link` make them."""
    with open_store(resolve_database_url(db)) as store:
        found = proposition_table(store, sort)
    if limit is not None:
        found = found[:limit]
    if as_json:
        click.echo(json.dumps(found, ensure_ascii=False, indent=2))
        return
    console = Console()
    if not found:
        console.print(Text("No propositions (run `claimscope analyze` or `claimscope link`)."))
        return
    table = Table(box=box.SIMPLE_HEAD, expand=True)
    table.add_column("id", no_wrap=True)
    table.add_column("proposition", overflow="fold", ratio=3)
    for header in ("claims", "docs", "origins", "echo", "contra."):
        table.add_column(header, justify="right")
    table.add_column("origins (order)", overflow="fold", ratio=2)
    for p in found:
        origins = "; ".join(o["speaker"] for o in p["origins"])
        cells = (p["id"], p["statement"], len(p["claims"]), len(p["documents"]),
                 p["independent_origins"], f"{p['echo_ratio'] or 0:.2f}",
                 len(p["contradictions"]), f"{origins} ({p['origin_order']})")
        table.add_row(*(Text(printable(cell)) for cell in cells))
    console.print(table)
    console.print(Text(f"{len(found)} propositions; echo = documents per independent origin"))


@cli.command("trace")
@click.argument("claim_id")
@db_option
@click.option("--json", "as_json", is_flag=True, help="The trace as a JSON object.")
@click.pass_context
def trace_command(ctx: click.Context, claim_id: str, db: str | None, as_json: bool) -> None:
    """Trace one claim: its original speaker, the republication tree of its document (dates,
    outlets), the propositions it belongs to with their independent corroborations, and the
    contradictions it takes part in."""
    with open_store(resolve_database_url(db)) as store:
        found = trace(store, claim_id)
    if found is None:
        click.echo(f"claimscope: no claim with id {printable(claim_id)}", err=True)
        ctx.exit(EXIT_FAILURES)
    if as_json:
        click.echo(json.dumps(found, ensure_ascii=False, indent=2))
        return
    _print_trace(found)


def _line(console: Console, text: str, style: str | None = None) -> None:
    console.print(Text(printable(text), style=style or ""))


def _print_trace(found: dict) -> None:
    console = Console()
    claim, origin = found["claim"], found["origin"]
    _line(console, f"claim {claim['id']}: {claim['speaker']} ({claim['speaker_kind']}, "
          f"{claim['cue_class']}): {claim['content']}", "bold")
    relays = " → ".join(origin["relayed_via"])
    _line(console, f"origin: {origin['speaker']}" + (f", relayed via {relays}" if relays else ""))
    tree = found["republication"]
    _line(console, "republication:", "bold")
    if not tree["documents"]:
        _line(console, f"  {claim['document_label']} ({claim['outlet'] or 'outlet unknown'}, "
              f"{claim['published_at'] or 'date unknown'}): {tree['reason']}")
    else:
        _line(console, f"  order {tree['order']}" + (f", origin {tree['origin']}"
                                                     if tree["origin"] else f" ({tree['reason']})"))
        for doc in tree["documents"]:
            _line(console, f"  {doc['role'] or '—'} {doc['id']} {doc['outlet'] or '—'} "
                  f"{doc['published_at'] or 'date unknown'} {doc['title'] or doc['source']}")
        for link in tree["links"]:
            _line(console, f"    {link['source']} → {link['copy']} ({link['scope']}, "
                  f"similarity {link['similarity']:.2f}, order {link['direction']})")
    for p in found["propositions"]:
        m = p["membership"]
        _line(console, f"proposition {p['id']}: {p['statement']}", "bold")
        _line(console, f"  this claim: {m['tier']}, {m['stance']}, score {m['score']:.2f}; "
              f"{p['independent_origins']} independent origins, {len(p['documents'])} documents, "
              f"echo {p['echo_ratio'] or 0:.2f}; order of origins: {p['origin_order']}")
        for o in p["corroborating_origins"]:
            _line(console, f"  corroborated by {o['speaker']} ({o['tier']}; claims "
                  f"{', '.join(o['claims'])}; first published {o['first_published'] or 'unknown'})")
    if found["contradictions"]:
        _line(console, "contradictions:", "bold")
    for c in found["contradictions"]:
        other = c["other"] or {}
        where = "same document" if c["same_document"] else other.get("document_label", "")
        _line(console, f"  {c['kind']}: {c['reason']}")
        _line(console, f"    with {other.get('id')} ({other.get('speaker')}, {where}): "
              f"{other.get('content', '')}")

"""The verdict commands: ``verdict`` (judge a proposition), ``verdicts`` (current verdicts, or
one proposition's history) and ``import-claimreview`` (other fact-checkers' ClaimReviews,
matched to propositions).

Importing this module registers them on the ``claimscope`` group (``cli/__init__.py`` does).
"""

from __future__ import annotations

import json

import click
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from claimscope.cli.base import EXIT_FAILURES, cli, db_option, printable
from claimscope.corpus.verdicts import set_verdict, verdict_history, verdict_table
from claimscope.store import Accounts, UnknownUser, open_store, resolve_database_url
from claimscope.store.schema import VERDICTS


@cli.command("verdict")
@click.argument("proposition_id")
@click.argument("verdict", type=click.Choice(VERDICTS))
@click.option("--rationale", required=True, help="Why: what the verdict rests on.")
@click.option("--evidence", "evidence", multiple=True, metavar="URL",
              help="An http(s) link to evidence (repeat for several).")
@click.option("--by", "by", required=True, metavar="USER",
              help="The analyst setting it: a user of role analyst or admin "
                   "(`claimscope users add`).")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print the recorded verdict as JSON.")
def verdict_command(proposition_id: str, verdict: str, rationale: str, evidence: tuple[str, ...],
                    by: str, db: str | None, as_json: bool) -> None:
    """Set the verdict on a proposition (ids: `claimscope propositions`). Every change is
    kept with who, when, the old and the new verdict; setting again exactly the current
    verdict adds nothing."""
    with open_store(resolve_database_url(db)) as store:
        user = Accounts(store).by_name(by)
        if user is None:
            raise UnknownUser(f"no user named {by!r} (add one with `claimscope users add`)")
        recorded = set_verdict(store, proposition_id, verdict, rationale, list(evidence), user)
    if as_json:
        click.echo(json.dumps(recorded, ensure_ascii=False, indent=2))
        return
    change = f"{recorded['previous']} → {recorded['verdict']}" if recorded["previous"] \
        else recorded["verdict"]
    click.echo(printable(f"proposition {recorded['proposition_id']}: {change} "
                         f"(by {recorded['judged_by']}, {recorded['judged_at']})"))


@cli.command("verdicts")
@db_option
@click.option("--history", "history_of", metavar="PROPOSITION_ID",
              help="Every verdict of this proposition, oldest first, instead.")
@click.option("--json", "as_json", is_flag=True, help="Print them as JSON.")
@click.pass_context
def verdicts_command(ctx: click.Context, db: str | None, history_of: str | None,
                     as_json: bool) -> None:
    """List the current verdict of every judged proposition (latest change first), or with
    --history one proposition's every change."""
    with open_store(resolve_database_url(db)) as store:
        found = verdict_history(store, history_of) if history_of else verdict_table(store)
    if as_json:
        click.echo(json.dumps(found, ensure_ascii=False, indent=2))
        return
    if history_of:
        if not found:
            click.echo(f"claimscope: no verdict on proposition {printable(history_of)}", err=True)
            ctx.exit(EXIT_FAILURES)
        _print_history(found)
        return
    _print_current(found)


def _print_current(found: dict) -> None:
    console = Console()
    if not found["verdicts"]:
        console.print(Text("No verdicts yet (set one with `claimscope verdict`)."))
    else:
        table = Table(box=box.SIMPLE_HEAD, expand=True)
        for header in ("proposition", "verdict"):
            table.add_column(header, no_wrap=True)
        table.add_column("statement", overflow="fold", ratio=1)
        for header in ("by", "when", "changes"):
            table.add_column(header, no_wrap=True)
        for v in found["verdicts"]:
            statement = v["statement"] if len(v["statement"]) <= 160 \
                else v["statement"][:159] + "…"
            cells = (v["proposition_id"], v["verdict"], statement, v["judged_by"],
                     v["judged_at"][:16].replace("T", " "), v["changes"])
            table.add_row(*(Text(printable(cell)) for cell in cells))
        console.print(table)
    for v in found["unattached"]:
        console.print(Text(printable(
            f"unattached: {v['verdict']} on {v['proposition_id']} ({v['statement']}): no "
            "proposition holds its claims since re-linking")))


def _print_history(found: list[dict]) -> None:
    console = Console()
    for v in found:
        change = f"{v['previous']} → {v['verdict']}" if v["previous"] else v["verdict"]
        console.print(Text(printable(f"{v['judged_at'][:19]}  {v['judged_by']}: {change}"),
                           style="bold"))
        console.print(Text(printable(f"  {v['rationale']}", keep_lines=True)))
        for link in v["evidence"]:
            console.print(Text(printable(f"  evidence: {link}")))


@cli.command("import-claimreview")
@click.argument("file", type=click.Path(dir_okay=False))
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def import_claimreview_command(file: str, db: str | None, as_json: bool) -> None:
    """Import fact-checks from a ClaimReview JSON-LD file (one object, a list, or a @graph)
    and match each to the proposition it reviews (the claim linker's score). Importing a
    file again adds nothing."""
    from claimscope.exchange.claimreview import (
        import_claimreviews,  # numpy, the encoder
    )

    with open_store(resolve_database_url(db)) as store:
        report = import_claimreviews(store, file)
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    console = Console()
    for f in report["fact_checks"]:
        where = f"proposition {f['proposition_id']} ({f['tier']}, score {f['score']:.3f})" \
            if f["proposition_id"] else "no proposition"
        console.print(Text(printable(f"{f['rating'] or '?'}: {f['claim_reviewed'][:100]} → "
                                     f"{where}")))
    console.print(Text(printable(f"{report['read']} fact-checks read from {report['file']}, "
                                 f"{report['new']} new, {report['matched']} matched")))

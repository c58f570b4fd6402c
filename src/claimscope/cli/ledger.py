"""The ledger commands: ``analyze`` (files in, claims stored), ``claims`` and ``show``."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import click
from rich import box
from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from rich.text import Text

from claimscope import settings
from claimscope.cli.base import EXIT_FAILURES, EXIT_INTERRUPTED, db_option, printable, tagger_option
from claimscope.cli.corpus import link_new_documents
from claimscope.cli.propositions import link_new_claims
from claimscope.exchange.export import write_csv_rows
from claimscope.records import CUE_CLASSES, SPEAKER_KINDS, document_label
from claimscope.store import ClaimFilter, open_store, resolve_database_url

# -- analyze ----------------------------------------------------------------------


def _column_option(name: str) -> Any:
    option = "--" + name.replace("_", "-")
    return click.option(option, name, metavar="FIELD", help=settings.help_for(name))


@click.command("analyze")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON on stdout.")
@click.option(
    "--max-article-bytes",
    type=click.IntRange(min=1),
    default=settings.DEFAULT_MAX_ARTICLE_BYTES,
    metavar="BYTES",
    help=settings.help_for("max_article_bytes"),
)
@click.option(
    "--processes",
    type=click.IntRange(min=1),
    default=settings.DEFAULT_PROCESSES,
    metavar="N",
    help=settings.help_for("processes"),
)
@_column_option("text_column")
@_column_option("title_column")
@_column_option("date_column")
@_column_option("url_column")
@_column_option("outlet_column")
@_column_option("language_column")
@tagger_option
@click.pass_context
def analyze_command(
    ctx: click.Context,
    paths: tuple[Path, ...],
    db: str | None,
    as_json: bool,
    max_article_bytes: int,
    processes: int,
    tagger: bool,
    **columns: str | None,
) -> None:
    """Read articles (files or folders), extract their claims and store them.

    Documents already stored are skipped, so running again resumes an interrupted run.
    Exit status: 0 if every input was read, 1 if some could not be, 2 on a usage or
    database error.
    """
    # Imported here, not at the top: the readers and spaCy take a second or two to import,
    # which `claims` and `show` should not pay. (No import cycle is hidden here.)
    from claimscope.analyze import analyze
    from claimscope.ingest import Columns, ReadOptions

    fields = Columns(
        text=columns["text_column"],
        title=columns["title_column"],
        published_at=columns["date_column"],
        url=columns["url_column"],
        outlet=columns["outlet_column"],
        language=columns["language_column"],
    )
    options = ReadOptions(max_article_bytes=max_article_bytes, columns=fields)
    with open_store(resolve_database_url(db)) as store:
        extractor = load_extractor(ctx, tagger)
        console = Console(stderr=True)
        try:
            with _FileProgress(console) as advance:
                report = analyze(list(paths), store, extractor, options, advance,
                                 processes=processes)
            copy_links = link_new_documents(store, console).links  # the new documents only
            propositions = link_new_claims(store, console)  # the new claims only
        except KeyboardInterrupt:
            click.echo(
                "claimscope: interrupted; the documents saved so far are kept, "
                "run the same command again to resume",
                err=True,
            )
            ctx.exit(EXIT_INTERRUPTED)
    if as_json:
        summary = report.as_dict() | {"copy_links": copy_links,
                                      "propositions": propositions.as_dict()}
        click.echo(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        _print_report(report)
        click.echo(f"copy links: {copy_links}")
        click.echo(f"propositions: {propositions.propositions} new, "
                   f"{propositions.contradictions} contradictions")
    ctx.exit(EXIT_FAILURES if report.failures else 0)


def load_extractor(ctx: click.Context, tagger: bool = False) -> Any:
    """The extractor: one given by an embedding program through ``ctx.obj`` (a loaded
    spaCy pipeline is expensive to build twice), else a freshly loaded one."""
    from claimscope.nlp import Extractor

    given = ctx.obj.get("extractor") if isinstance(ctx.obj, dict) else None
    return given if given is not None else Extractor.load(tagger=tagger)


class _FileProgress:
    """A progress display on stderr, shown only on a terminal; called with each file."""

    def __init__(self, console: Console) -> None:
        self._progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.completed} files"),
            BarColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.description}", markup=False),  # a file name is data
            console=console,
            transient=True,
            disable=not console.is_terminal,
        )
        self._task = self._progress.add_task("", total=None)
        self._started = False

    def __enter__(self) -> Any:
        self._progress.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._progress.stop()

    def __call__(self, path: str) -> None:
        advance = 1 if self._started else 0
        self._started = True
        self._progress.update(self._task, advance=advance, description=printable(path))


def _print_report(report: Any) -> None:
    lines = [
        f"files: {report.files}",
        f"articles read: {report.documents_read}",
        f"new: {report.documents_new}",
        f"already stored: {report.documents_skipped}",
        f"claims found: {report.claims}",
        f"failures: {len(report.failures)}",
    ]
    lines += [printable(failure) for failure in report.failures]
    click.echo("\n".join(lines))


# -- claims ----------------------------------------------------------------------


@click.command("claims")
@db_option
@click.option("--speaker", metavar="TEXT",
              help="Speaker name or words holding TEXT's words in order, the last as a prefix.")
@click.option("--speaker-kind", type=click.Choice(SPEAKER_KINDS), help="Only this kind of speaker.")
@click.option("--outlet", metavar="NAME", help="Only documents published by this outlet.")
@click.option("--cue-class", type=click.Choice(CUE_CLASSES), help="Only this class of cue.")
@click.option(
    "--hedged/--not-hedged",
    default=None,
    help="Only claims with (or without) a hedge or a certainty below 'certain'.",
)
@click.option(
    "--document",
    metavar="ID|SOURCE",
    help="Only claims of this document: an id prefix, or its source (file path).",
)
@click.option("--limit", type=click.IntRange(min=0), help="At most this many claims.")
@click.option("--offset", type=click.IntRange(min=0), default=0, help="Skip this many first.")
@click.option("--json", "as_json", is_flag=True, help="A JSON array of claims.")
@click.option("--csv", "as_csv", is_flag=True, help="Flat CSV, one claim per row.")
def claims_command(db: str | None, as_json: bool, as_csv: bool, **filters: Any) -> None:
    """List stored claims, in order of document and sentence."""
    if as_json and as_csv:
        raise click.UsageError("choose one of --json and --csv")
    with open_store(resolve_database_url(db)) as store:
        found = store.claims(ClaimFilter(**filters))
    if as_json:
        click.echo(json.dumps(found, ensure_ascii=False, indent=2))
    elif as_csv:
        _write_csv(found)
    else:
        _print_table(found)


def _write_csv(found: list[dict]) -> None:
    buffer = io.StringIO()
    write_csv_rows(buffer, found)
    click.echo(buffer.getvalue(), nl=False)


def _cut(text: str | None, width: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: width - 1] + "…"


_TABLE_COLUMNS = (
    ("id", {"min_width": 8}),
    ("speaker", {"max_width": 26}),
    ("cue", {"no_wrap": True}),
    ("content", {"ratio": 1, "min_width": 20}),
    ("hedges", {"max_width": 18}),
    ("document", {"max_width": 26}),
)
"""Left to rich to fit: on a narrow terminal it narrows the widest columns first."""


def _print_table(found: list[dict]) -> None:
    console = Console()
    if not found:
        console.print(Text("No claims match."))
        return
    table = Table(box=box.SIMPLE_HEAD, expand=True)
    for header, layout in _TABLE_COLUMNS:
        table.add_column(header, overflow="fold", **layout)
    for claim in found:
        speaker = claim["speaker"]
        hedging = ", ".join(hedge["text"] for hedge in claim["hedges"])
        if claim["conditional"]:
            hedging = f"{hedging}, conditional" if hedging else "conditional"
        cells = (
            claim["id"],
            f"{speaker['name']} ({speaker['kind']})",
            claim["cue"]["class"],
            _cut(claim["content"]["text"], settings.DEFAULT_CONTENT_WIDTH),
            hedging,
            _cut(document_label(claim["document"]["title"], claim["document"]["source"]), 40),
        )
        table.add_row(*(Text(printable(cell)) for cell in cells))
    console.print(table)
    console.print(Text(f"{len(found)} claims"))


# -- show ----------------------------------------------------------------------


@click.command("show")
@click.argument("claim_id")
@db_option
@click.option("--json", "as_json", is_flag=True, help="The claim as a JSON object.")
@click.pass_context
def show_command(ctx: click.Context, claim_id: str, db: str | None, as_json: bool) -> None:
    """Show one claim in full: sentence, speaker, cue, content, relays, factuality, places,
    dates, entities and its document."""
    with open_store(resolve_database_url(db)) as store:
        claim = store.claim(claim_id)
    if claim is None:
        click.echo(f"claimscope: no claim with id {printable(claim_id)}", err=True)
        ctx.exit(EXIT_FAILURES)
    if as_json:
        click.echo(json.dumps(claim, ensure_ascii=False, indent=2))
    else:
        Console().print(_claim_grid(claim))


def _span_text(part: dict) -> str:
    if part.get("text") is None:
        return "—"
    pieces = part.get("fragments") or [part]
    offsets = ";".join(f"{p['start']}:{p['end']}" for p in pieces)
    return f"“{part['text']}” [{offsets}]"


def _claim_lines(claim: dict) -> list[tuple[str, str]]:
    document, speaker, cue = claim["document"], claim["speaker"], claim["cue"]
    content = claim["content"]
    factuality = f"{claim['polarity']}, {claim['certainty']}"
    if claim["conditional"]:
        factuality += ", conditional"
    if claim["hedges"]:
        factuality += "; hedges: " + ", ".join(_span_text(h) for h in claim["hedges"])
    published = " · ".join(
        str(part) for part in (document["outlet"], document["published_at"]) if part
    )
    return [
        ("claim", claim["id"]),
        ("document", f"{document['title'] or '(untitled)'} {document['id']}"),
        ("published", published or "—"),
        ("source", " ".join(part for part in (document["source"], document["url"]) if part)),
        ("sentence", claim["sentence"]),
        ("speaker", f"{speaker['name']} ({speaker['kind']}) {_span_text(speaker)}"),
        ("cue", f"{cue['class']} {_span_text(cue)}"),
        ("content", f"{content['quote']} {_span_text(content)}"),
        ("relayed via", " → ".join(f"{r['name']} ({r['kind']})" for r in claim["relayed_via"])
         or "—"),
        ("factuality", factuality),
        ("places", "; ".join(
            f"{p['name']} ({p['kind']}, {p['country'] or '?'}, {p['lat']:.4f} {p['lon']:.4f}) "
            f"{_span_text(p)}" for p in claim["places"]) or "—"),
        ("dates", "; ".join(f"{d['value']} {_span_text(d)}" for d in claim["dates"]) or "—"),
        ("entities", "; ".join(f"{e['label']} {_span_text(e)}" for e in claim["entities"])
         or "—"),
        ("checkworthiness", f"{claim['checkworthiness']:.2f}"),
        ("extractor", claim["extractor"]),
        ("reviewed", _review_text(claim["review"])),
    ]


def _review_text(review: dict | None) -> str:
    if review is None:
        return "no"
    added = ", added by the reviewer" if review["added"] else ""
    return f"by {review['by']} at {review['at']} from {review['source']}{added}"


def _claim_grid(claim: dict) -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    for label, value in _claim_lines(claim):
        grid.add_row(Text(label), Text(printable(value, keep_lines=True)))
    return grid

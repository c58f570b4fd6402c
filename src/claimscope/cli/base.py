"""The ``claimscope`` command group and what every command shares.

Each command parses its arguments, makes one library call and formats the result; the
commands live in the modules beside this one, one module per feature, and are registered
in ``claimscope/cli/__init__.py``.

Errors: every :class:`~claimscope.errors.ClaimscopeError` becomes one line on stderr,
``claimscope: <message>``, and exit status 2 (as for click's usage errors); ``analyze`` exits 1
when some input could not be read. Article text is hostile: it is printed only as data (rich
``Text`` objects, never markup) and with terminal control characters made visible.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from claimscope import settings
from claimscope.errors import ClaimscopeError

EXIT_FAILURES = 1
EXIT_ERROR = 2
EXIT_INTERRUPTED = 130

_CONTROL = {code: f"\\x{code:02x}" for code in (*range(0x20), 0x7F, *range(0x80, 0xA0))}
_BIDI = (*range(0x202A, 0x202F), *range(0x2066, 0x206A))
_CONTROL.update({code: f"\\u{code:04x}" for code in _BIDI})
_KEEP_LINES = {k: v for k, v in _CONTROL.items() if k not in (0x09, 0x0A)}


def printable(text: object, *, keep_lines: bool = False) -> str:
    """``text`` safe for a terminal: control, escape and bidi-override characters shown as
    escapes, so an article cannot move the cursor, retitle the window or reorder a line."""
    return str(text).translate(_KEEP_LINES if keep_lines else _CONTROL)


class ClaimscopeGroup(click.Group):
    """Turns a ClaimscopeError from any command into one line and exit status 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ClaimscopeError as error:
            click.echo(f"claimscope: {printable(error)}", err=True)
            ctx.exit(EXIT_ERROR)


def tagger_option(function: Any) -> Any:
    return click.option(
        "--tagger", is_flag=True,
        help="Also find attributions with the trained tagger (models/attribution): far higher "
             "recall on PolNeAR, at about half the speed (benchmarks/RESULTS.md).",
    )(function)


def db_option(function: Any) -> Any:
    return click.option("--db", metavar="URL|PATH", help=settings.help_for("db"))(function)


@click.group(cls=ClaimscopeGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="claimscope")
def cli() -> None:
    """A ledger of attributed claims in war reporting: who claims what, via whom, how hedged."""


def main() -> None:
    """Console-script entry point."""
    try:
        cli(prog_name="claimscope")
    except BrokenPipeError:  # `claimscope claims | head`: the reader left, nothing to say
        sys.stderr.close()
        sys.exit(0)



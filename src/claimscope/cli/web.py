"""The web desk's commands: ``serve``, and ``users`` (add a user, make an API token, list)."""

from __future__ import annotations

import json

import click

from claimscope.cli.base import cli, db_option, printable
from claimscope.store import Accounts, open_store, resolve_database_url
from claimscope.web import DEFAULT_HOST, DEFAULT_PORT, add_user, new_token, serve
from claimscope.web.auth import MIN_PASSWORD_LENGTH, ROLES


@click.command("serve")
@db_option
@click.option("--host", default=DEFAULT_HOST, show_default=True,
              help="Address to listen on. Anything but the loopback requires login for "
                   "every page and API call.")
@click.option("--port", default=DEFAULT_PORT, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on.")
@click.option("--require-login", is_flag=True,
              help="Require login for every page even on the loopback.")
def serve_command(db: str | None, host: str, port: int, require_login: bool) -> None:
    """Serve the ledger as a web desk (pages and the /api/v1 JSON API) until Ctrl-C."""
    serve(resolve_database_url(db), host=host, port=port, require_login=require_login,
          warn=lambda line: click.echo(line, err=True))


@click.group("users")
def users_group() -> None:
    """Who may use the web desk: viewers read, analysts judge, admins manage users.

    Each command takes --db, the ledger whose desk the users are for.
    """


@users_group.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), default="viewer", show_default=True,
              help="viewer: reads; analyst: also sets verdicts; admin: also manages users.")
@click.password_option(
    "--password", prompt=True, confirmation_prompt=True,
    help=f"At least {MIN_PASSWORD_LENGTH} characters; asked for when not given "
         "(giving it here leaves it in your shell history).",
)
@db_option
def users_add_command(name: str, role: str, password: str, db: str | None) -> None:
    """Add a user NAME; the password is asked for and stored only as an argon2 hash."""
    with open_store(resolve_database_url(db)) as store:
        try:
            user = add_user(store, name, role, password)
        except ValueError as error:
            raise click.UsageError(str(error)) from error
    click.echo(f"added {printable(user.name)} ({user.role})")


@users_group.command("token")
@click.argument("name")
@click.option("--label", help="What the token is for, e.g. the script using it.")
@db_option
def users_token_command(name: str, label: str | None, db: str | None) -> None:
    """Make an API token for user NAME and print it (only this once).

    Scripts send it as ``Authorization: Bearer TOKEN``.
    """
    with open_store(resolve_database_url(db)) as store:
        click.echo(new_token(store, name, label))


@users_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print the users as JSON.")
@db_option
def users_list_command(as_json: bool, db: str | None) -> None:
    """List the users and their roles."""
    with open_store(resolve_database_url(db)) as store:
        found = Accounts(store).all()
    if as_json:
        rows = [{"name": u.name, "role": u.role, "created_at": u.created_at.isoformat()}
                for u in found]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for user in found:
        click.echo(f"{printable(user.name)}\t{user.role}\t{user.created_at:%Y-%m-%d}")


for _command in (serve_command, users_group):  # registered by importing this module
    cli.add_command(_command)

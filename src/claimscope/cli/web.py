"""The web desk's commands: ``serve``, and ``users`` (add, list, disable and enable users;
make, list and revoke API tokens)."""

from __future__ import annotations

import json

import click

from claimscope.cli.base import cli, db_option, printable
from claimscope.store import Accounts, open_store, resolve_database_url
from claimscope.store.users import ApiToken, User
from claimscope.web import DEFAULT_HOST, DEFAULT_PORT, add_user, new_token, serve
from claimscope.web.auth import (
    MIN_PASSWORD_LENGTH,
    ROLES,
    disable_user,
    revoke_token,
    revoke_tokens,
)

JSON_OPTION = click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")


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
@JSON_OPTION
@db_option
def users_token_command(name: str, label: str | None, as_json: bool, db: str | None) -> None:
    """Make an API token for user NAME and print it (only this once).

    Scripts send it as ``Authorization: Bearer TOKEN``. With --json, the token is printed
    with its record (``id`` for `users revoke-token`, user, label, created_at).
    """
    with open_store(resolve_database_url(db)) as store:
        made = new_token(store, name, label)
    if as_json:
        click.echo(json.dumps({"token": made.secret, **made.record.to_dict()},
                              ensure_ascii=False, indent=2))
    else:
        click.echo(made.secret)


@users_group.command("list")
@JSON_OPTION
@db_option
def users_list_command(as_json: bool, db: str | None) -> None:
    """List the users, their roles and whether they are disabled."""
    with open_store(resolve_database_url(db)) as store:
        _echo_users(Accounts(store).all(), as_json)


@users_group.command("disable")
@click.argument("name")
@JSON_OPTION
@db_option
def users_disable_command(name: str, as_json: bool, db: str | None) -> None:
    """Disable user NAME: no login, no session, and every API token of theirs revoked.

    The user is kept (with their verdicts and tokens) for the audit; `users enable` lets
    them log in again, but their old tokens stay revoked.
    """
    with open_store(resolve_database_url(db)) as store:
        _echo_users([disable_user(store, name)], as_json)


@users_group.command("enable")
@click.argument("name")
@JSON_OPTION
@db_option
def users_enable_command(name: str, as_json: bool, db: str | None) -> None:
    """Let the disabled user NAME log in again (old tokens stay revoked)."""
    with open_store(resolve_database_url(db)) as store:
        _echo_users([Accounts(store).enable(name)], as_json)


@users_group.command("tokens")
@click.argument("name")
@JSON_OPTION
@db_option
def users_tokens_command(name: str, as_json: bool, db: str | None) -> None:
    """List user NAME's API tokens (id, label, created, revoked); never the tokens themselves."""
    with open_store(resolve_database_url(db)) as store:
        _echo_tokens(Accounts(store).tokens(name), as_json)


@users_group.command("revoke-token")
@click.argument("token_id", type=click.IntRange(min=1), required=False)
@click.option("--all", "all_of", metavar="NAME", help="Revoke every token of user NAME.")
@JSON_OPTION
@db_option
def users_revoke_token_command(token_id: int | None, all_of: str | None, as_json: bool,
                               db: str | None) -> None:
    """Revoke the API token TOKEN_ID (see `users tokens`), or with --all NAME every token of
    a user: the API refuses it from now on. The token stays on record with its revocation time.
    """
    if (token_id is None) == (all_of is None):
        raise click.UsageError("give a TOKEN_ID or --all NAME (one of them)")
    with open_store(resolve_database_url(db)) as store:
        revoked = [revoke_token(store, token_id)] if all_of is None else revoke_tokens(
            store, all_of)
    _echo_tokens(revoked, as_json)


def _echo_users(found: list[User], as_json: bool) -> None:
    if as_json:
        rows = [{"name": u.name, "role": u.role, "created_at": u.created_at.isoformat(),
                 "disabled_at": u.disabled_at.isoformat() if u.disabled_at else None}
                for u in found]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for user in found:
        state = f"\tdisabled {user.disabled_at:%Y-%m-%d %H:%M}" if user.disabled_at else ""
        click.echo(f"{printable(user.name)}\t{user.role}\t{user.created_at:%Y-%m-%d}{state}")


def _echo_tokens(found: list[ApiToken], as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps([t.to_dict() for t in found], ensure_ascii=False, indent=2))
        return
    for token in found:
        revoked = f"revoked {token.revoked_at:%Y-%m-%d %H:%M}" if token.revoked_at else "live"
        click.echo(f"{token.id}\t{printable(token.user_name)}\t{printable(token.label or '-')}"
                   f"\t{token.created_at:%Y-%m-%d %H:%M}\t{revoked}")


for _command in (serve_command, users_group):  # registered by importing this module
    cli.add_command(_command)

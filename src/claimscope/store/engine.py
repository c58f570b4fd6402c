"""Where the database is, how to connect to it, and bringing its schema to the head revision.

SQLite gets foreign keys on, the WAL journal (readers beside the one writer), and real
transactions: pysqlite's own transaction handling is switched off and SQLAlchemy emits BEGIN
itself, the recipe from SQLAlchemy's SQLite notes, so DDL in a migration is transactional too.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.util.exc import CommandError
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.pool import StaticPool

from claimscope import settings
from claimscope.errors import StoreError

MIGRATIONS = Path(__file__).parent / "migrations"
_URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://")
_MIGRATING = threading.Lock()
"""Alembic's ``context`` is process-global: two threads opening stores migrate one at a time."""


def resolve_database_url(db: str | None) -> str:
    """The SQLAlchemy URL for a ``--db`` value.

    A value with a scheme (``sqlite:///x.db``, ``postgresql://…``) is taken as a URL; anything
    else as a file path for SQLite (``~`` expanded, made absolute so messages name the real
    file). Without a value: the ``CLAIMSCOPE_DB`` environment variable, else ./claimscope.db.
    """
    value = db or settings.env_value("db") or settings.DEFAULT_DB
    if _URL_SCHEME.match(value):
        return value
    if value == ":memory:":
        return "sqlite://"
    path = Path(value).expanduser().absolute()
    return URL.create("sqlite", database=str(path)).render_as_string()


def display_url(url: str) -> str:
    """The URL as safe to print: any password hidden."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def make_engine(url: str) -> Engine:
    """An engine for ``url``; StoreError if the URL cannot be understood or its driver loaded."""
    try:
        parsed = make_url(url)
        if parsed.get_backend_name() != "sqlite":
            return create_engine(parsed)
        in_memory = parsed.database in (None, "", ":memory:")
        # One in-memory database shared by every use of the engine, not one per connection.
        extra = {"poolclass": StaticPool} if in_memory else {}
        engine = create_engine(parsed, connect_args={"check_same_thread": False}, **extra)
    except (ArgumentError, ImportError, SQLAlchemyError) as error:
        raise StoreError(f"cannot use database {display_url(url)}: {error}") from error
    event.listen(engine, "connect", _sqlite_on_connect)
    event.listen(engine, "begin", _sqlite_on_begin)
    return engine


def _sqlite_on_connect(dbapi_connection: object, connection_record: object) -> None:
    dbapi_connection.isolation_level = None  # type: ignore[attr-defined]
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    try:
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
    finally:
        cursor.close()


WRITE = {"claimscope_write": True}
"""Execution options for a connection that will write: on SQLite its transaction takes the
write lock at BEGIN (``BEGIN IMMEDIATE``), so two processes writing one file queue up for
the lock instead of one failing when a read transaction tries to become a write."""


def _sqlite_on_begin(connection: object) -> None:
    write = connection.get_execution_options().get("claimscope_write")  # type: ignore[attr-defined]
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")  # type: ignore[attr-defined]


def alembic_config(url: str) -> Config:
    """Alembic's configuration without an ini file: the migrations ship inside the package."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def migrate(engine: Engine) -> None:
    """Bring the database to the head revision in one transaction; StoreError if it cannot."""
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    where = display_url(engine.url.render_as_string(hide_password=False))
    try:
        with _MIGRATING, engine.execution_options(**WRITE).begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except CommandError as error:
        raise StoreError(
            f"cannot migrate database {where}: {error} "
            "(was it written by a newer claimscope?)"
        ) from error
    except SQLAlchemyError as error:
        raise StoreError(f"cannot open database {where}: {_reason(error)}") from error
    finally:
        config.attributes.pop("connection", None)


def _reason(error: SQLAlchemyError) -> str:
    """The driver's own message, without SQLAlchemy's statement dump and help link."""
    original = getattr(error, "orig", None)
    return str(original) if original is not None else str(error).splitlines()[0]

"""Alembic environment, run programmatically by :func:`claimscope.store.engine.migrate`.

No alembic.ini: the caller puts the open connection in ``config.attributes["connection"]``
so the migration runs inside the Store's own transaction (one writer per database). Offline
mode (``--sql``) renders the DDL for a database administrator from ``sqlalchemy.url``.
"""

from alembic import context

from claimscope.store.schema import metadata

config = context.config


def run_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("claimscope migrations run through claimscope.store.open_store()")
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=True,  # SQLite alters tables by copying them; batch mode does that
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_offline()
else:
    run_online()

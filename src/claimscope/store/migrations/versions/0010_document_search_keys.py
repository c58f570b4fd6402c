"""Documents' full-text rows found by key, as claims' are since 0009.

The triggers of 0003 delete a document's row from ``documents_fts`` by its ``document_id``,
a column FTS5 cannot index: each deleted (or retitled) document scanned the whole table,
which holds a copy of every document's text. ``documents_fts_keys`` maps a document id to its row in
``documents_fts``, and the triggers delete by that row id. The FTS row id cannot simply be
the document's: ``documents.id`` is a text key, and the table's own rowid may be renumbered
by VACUUM (0003). On other databases there is no FTS table, so nothing is made.

Revision ID: 0010
Revises: 0009
Landed: never edit this file once committed; change the schema in a new revision.
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_DOCUMENT_ROW = "new.id, coalesce(new.title, ''), new.text"
_INSERT_ROW = ("INSERT INTO documents_fts (document_id, title, text) "
               f"VALUES ({_DOCUMENT_ROW}); "
               "INSERT INTO documents_fts_keys (document_id, fts_rowid) "
               "VALUES (new.id, last_insert_rowid()); ")
_DELETE_ROW = ("DELETE FROM documents_fts WHERE rowid = "
               "(SELECT fts_rowid FROM documents_fts_keys WHERE document_id = old.id); "
               "DELETE FROM documents_fts_keys WHERE document_id = old.id; ")
_KEYED_TRIGGERS = [
    f"CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN {_INSERT_ROW}END",
    f"CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN {_DELETE_ROW}END",
    "CREATE TRIGGER documents_fts_update AFTER UPDATE OF title, text ON documents "
    f"BEGIN {_DELETE_ROW}{_INSERT_ROW}END",
]
_SCANNING_TRIGGERS = [  # as 0003 left them
    "CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN "
    "INSERT INTO documents_fts (document_id, title, text) "
    f"VALUES ({_DOCUMENT_ROW}); END",
    "CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN "
    "DELETE FROM documents_fts WHERE document_id = old.id; END",
    "CREATE TRIGGER documents_fts_update AFTER UPDATE OF title, text ON documents BEGIN "
    "DELETE FROM documents_fts WHERE document_id = old.id; "
    "INSERT INTO documents_fts (document_id, title, text) "
    f"VALUES ({_DOCUMENT_ROW}); END",
]
_TRIGGERS = ("documents_fts_insert", "documents_fts_delete", "documents_fts_update")


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.create_table(
        "documents_fts_keys",
        sa.Column("document_id", sa.String(16), nullable=False),
        sa.Column("fts_rowid", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("document_id", name="pk_documents_fts_keys"),
    )
    op.execute("INSERT INTO documents_fts_keys (document_id, fts_rowid) "
               "SELECT document_id, rowid FROM documents_fts")
    for trigger in _TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    for statement in _KEYED_TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for trigger in _TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    for statement in _SCANNING_TRIGGERS:
        op.execute(statement)
    op.drop_table("documents_fts_keys")

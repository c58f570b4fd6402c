"""The ledger's filters at 100k claims: a stored ``hedged`` flag, covering indexes for the
ledger's order, claims' full-text rows found by key.

``claims.hedged`` is what the ledger's "hedged" filter asks: the claim has a hedge, or a
certainty other than "certain". Computed per claim with an ``EXISTS`` over ``claim_hedges``,
the filter's count read every claim (~200 ms at 100k claims, ``benchmarks/web_latency.py``);
stored and indexed, it is an index count. It is set when a claim is written; filled here.

A filter that yields a list of claim ids (speaker and search through the full-text index,
place) makes SQLite fetch every matching claim and its document to sort them in the ledger's
order. ``ix_documents_ledger`` gives a document's ``source``, ``outlet`` and publication
time without reading its row (they lie after its full ``text``, so reading them walked the
text's overflow pages), and ``ix_claims_ledger_order`` a claim's document, position and the
columns the other filters test without reading the claim's row: sorted from these alone, a
page of 50 claims filtered by speaker (15k matches) went from ~400 to ~40 ms.

The full-text triggers of 0003 deleted a claim's row from ``claims_fts`` by its
``claim_id``, a column FTS5 cannot index: each deleted claim scanned the whole table, so
re-analysing a corpus of 100k claims deleted them in quadratic time. ``claims_fts_keys`` maps
a claim id to its row in ``claims_fts``, and the triggers delete by that row id.

Revision ID: 0009
Revises: 0008
Landed: never edit this file once committed; change the schema in a new revision.
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_HEDGED = ("certainty != 'certain' OR EXISTS "
           "(SELECT 1 FROM claim_hedges WHERE claim_hedges.claim_id = claims.id)")
_CLAIM_ROW = ("new.id, new.speaker_name || ' ' || coalesce(new.speaker_text, ''), "
              "new.sentence_text, new.content_text")
_INSERT_ROW = ("INSERT INTO claims_fts (claim_id, speaker, sentence, content) "
               f"VALUES ({_CLAIM_ROW}); "
               "INSERT INTO claims_fts_keys (claim_id, fts_rowid) "
               "VALUES (new.id, last_insert_rowid()); ")
_DELETE_ROW = ("DELETE FROM claims_fts WHERE rowid = "
               "(SELECT fts_rowid FROM claims_fts_keys WHERE claim_id = old.id); "
               "DELETE FROM claims_fts_keys WHERE claim_id = old.id; ")
_KEYED_TRIGGERS = [
    f"CREATE TRIGGER claims_fts_insert AFTER INSERT ON claims BEGIN {_INSERT_ROW}END",
    f"CREATE TRIGGER claims_fts_delete AFTER DELETE ON claims BEGIN {_DELETE_ROW}END",
    "CREATE TRIGGER claims_fts_update AFTER UPDATE OF speaker_name, speaker_text, "
    f"sentence_text, content_text ON claims BEGIN {_DELETE_ROW}{_INSERT_ROW}END",
]
_SCANNING_TRIGGERS = [  # as 0003 and 0008 left them
    "CREATE TRIGGER claims_fts_insert AFTER INSERT ON claims BEGIN "
    "INSERT INTO claims_fts (claim_id, speaker, sentence, content) "
    f"VALUES ({_CLAIM_ROW}); END",
    "CREATE TRIGGER claims_fts_delete AFTER DELETE ON claims BEGIN "
    "DELETE FROM claims_fts WHERE claim_id = old.id; END",
    "CREATE TRIGGER claims_fts_update AFTER UPDATE OF speaker_name, speaker_text, "
    "sentence_text, content_text ON claims BEGIN "
    "DELETE FROM claims_fts WHERE claim_id = old.id; "
    "INSERT INTO claims_fts (claim_id, speaker, sentence, content) "
    f"VALUES ({_CLAIM_ROW}); END",
]
_TRIGGERS = ("claims_fts_insert", "claims_fts_delete", "claims_fts_update")


def upgrade() -> None:
    op.add_column("claims", sa.Column("hedged", sa.Boolean, nullable=False,
                                      server_default=sa.false()))
    op.execute(f"UPDATE claims SET hedged = ({_HEDGED})")
    op.create_index("ix_claims_hedged", "claims", ["hedged"])
    op.create_index("ix_documents_ledger", "documents",
                    ["id", "source", "outlet", "published_at"])
    op.create_index("ix_claims_ledger_order", "claims",
                    ["id", "document_id", "sentence_start", "content_start", "speaker_kind",
                     "cue_class", "hedged"])
    if op.get_bind().dialect.name != "sqlite":
        return
    op.create_table(
        "claims_fts_keys",
        sa.Column("claim_id", sa.String(128), nullable=False),
        sa.Column("fts_rowid", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("claim_id", name="pk_claims_fts_keys"),
    )
    op.execute("INSERT INTO claims_fts_keys (claim_id, fts_rowid) "
               "SELECT claim_id, rowid FROM claims_fts")
    for trigger in _TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    for statement in _KEYED_TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in _TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        for statement in _SCANNING_TRIGGERS:
            op.execute(statement)
        op.drop_table("claims_fts_keys")
    op.drop_index("ix_claims_ledger_order", table_name="claims")
    op.drop_index("ix_documents_ledger", table_name="documents")
    op.drop_index("ix_claims_hedged", table_name="claims")
    with op.batch_alter_table("claims") as table:
        table.drop_column("hedged")

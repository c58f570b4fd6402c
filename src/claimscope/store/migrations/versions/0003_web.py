"""The web desk: users and API tokens; full-text search over claims and documents (SQLite).

Revision ID: 0003
Revises: 0002
Landed: never edit this file once committed; change the schema in a new revision.

The FTS5 tables are plain (not external-content) tables keyed by an UNINDEXED id column:
an external-content table would be keyed by ``claims.rowid``, which SQLite's VACUUM may
renumber on a table without an INTEGER PRIMARY KEY. The price is a second copy of the
indexed text, and deletes that scan the FTS table (nothing deletes claims today). Triggers
keep them in step with every write; rows stored before this revision are copied in here.
On other databases (PostgreSQL, later) nothing is made and searches fall back to LIKE.
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_CLAIM_ROW = (
    "{row}.id, {row}.speaker_name || ' ' || coalesce({row}.speaker_text, ''), "
    "{row}.sentence_text, {row}.content_text"
)
_DOCUMENT_ROW = "{row}.id, coalesce({row}.title, ''), {row}.text"

_FULL_TEXT = [
    "CREATE VIRTUAL TABLE claims_fts USING fts5("
    "claim_id UNINDEXED, speaker, sentence, content, tokenize = 'unicode61 remove_diacritics 2')",
    "CREATE VIRTUAL TABLE documents_fts USING fts5("
    "document_id UNINDEXED, title, text, tokenize = 'unicode61 remove_diacritics 2')",
    "CREATE TRIGGER claims_fts_insert AFTER INSERT ON claims BEGIN "
    "INSERT INTO claims_fts (claim_id, speaker, sentence, content) "
    f"VALUES ({_CLAIM_ROW.format(row='new')}); END",
    "CREATE TRIGGER claims_fts_delete AFTER DELETE ON claims BEGIN "
    "DELETE FROM claims_fts WHERE claim_id = old.id; END",
    "CREATE TRIGGER claims_fts_update AFTER UPDATE ON claims BEGIN "
    "DELETE FROM claims_fts WHERE claim_id = old.id; "
    "INSERT INTO claims_fts (claim_id, speaker, sentence, content) "
    f"VALUES ({_CLAIM_ROW.format(row='new')}); END",
    "CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN "
    "INSERT INTO documents_fts (document_id, title, text) "
    f"VALUES ({_DOCUMENT_ROW.format(row='new')}); END",
    "CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN "
    "DELETE FROM documents_fts WHERE document_id = old.id; END",
    "CREATE TRIGGER documents_fts_update AFTER UPDATE OF title, text ON documents BEGIN "
    "DELETE FROM documents_fts WHERE document_id = old.id; "
    "INSERT INTO documents_fts (document_id, title, text) "
    f"VALUES ({_DOCUMENT_ROW.format(row='new')}); END",
    "INSERT INTO claims_fts (claim_id, speaker, sentence, content) "
    f"SELECT {_CLAIM_ROW.format(row='claims')} FROM claims",
    "INSERT INTO documents_fts (document_id, title, text) "
    f"SELECT {_DOCUMENT_ROW.format(row='documents')} FROM documents",
]


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("role", sa.String(10), nullable=False),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_users"),
        sa.UniqueConstraint("name", name="uq_users_name"),
        sa.CheckConstraint(
            "role IN ('viewer', 'analyst', 'admin')", name=op.f("ck_users_role")
        ),
    )
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.Column("token_sha256", sa.String(64), nullable=False),
        sa.Column("label", sa.Text),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_api_tokens"),
        sa.UniqueConstraint("token_sha256", name="uq_api_tokens_token_sha256"),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_api_tokens_user_id_users", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_api_tokens_user_id", "api_tokens", ["user_id"])
    if op.get_bind().dialect.name == "sqlite":
        for statement in _FULL_TEXT:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("claims_fts_insert", "claims_fts_delete", "claims_fts_update",
                        "documents_fts_insert", "documents_fts_delete", "documents_fts_update"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS claims_fts")
        op.execute("DROP TABLE IF EXISTS documents_fts")
    op.drop_table("api_tokens")
    op.drop_table("users")

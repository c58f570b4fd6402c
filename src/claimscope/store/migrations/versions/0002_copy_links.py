"""Copy links between documents, and the MinHash signatures they are found with.

Revision ID: 0002
Revises: 0001
Landed: never edit this file once committed; change the schema in a new revision.
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _document_fk(table: str, column: str = "document_id") -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        ["documents.id"],
        name=f"fk_{table}_{column}_documents",
        ondelete="CASCADE",
    )


def upgrade() -> None:
    op.create_table(
        "minhash_signatures",
        sa.Column("document_id", sa.String(16), nullable=False),
        sa.Column("method", sa.String(80), nullable=False),
        sa.Column("hashvalues", sa.LargeBinary),
        sa.Column("passages", sa.Integer, nullable=False),
        sa.Column("linked_at", sa.String(40)),
        sa.PrimaryKeyConstraint("document_id", name="pk_minhash_signatures"),
        _document_fk("minhash_signatures"),
    )
    op.create_index(
        "ix_minhash_signatures_linked_at", "minhash_signatures", ["linked_at"]
    )

    op.create_table(
        "minhash_passages",
        sa.Column("document_id", sa.String(16), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("hashvalues", sa.LargeBinary, nullable=False),
        sa.PrimaryKeyConstraint("document_id", "position", name="pk_minhash_passages"),
        _document_fk("minhash_passages"),
    )

    op.create_table(
        "copy_links",
        sa.Column("source_document_id", sa.String(16), nullable=False),
        sa.Column("copy_document_id", sa.String(16), nullable=False),
        sa.Column("scope", sa.String(10), nullable=False),
        sa.Column("similarity", sa.Float, nullable=False),
        sa.Column("direction", sa.String(10), nullable=False),
        sa.Column("evidence", sa.JSON, nullable=False),
        sa.Column("method", sa.String(80), nullable=False),
        sa.Column("linked_at", sa.String(40), nullable=False),
        sa.PrimaryKeyConstraint(
            "source_document_id", "copy_document_id", name="pk_copy_links"
        ),
        _document_fk("copy_links", "source_document_id"),
        _document_fk("copy_links", "copy_document_id"),
        sa.CheckConstraint(
            "scope IN ('document', 'passage')", name=op.f("ck_copy_links_scope")
        ),
        sa.CheckConstraint(
            "direction IN ('published', 'unknown')", name=op.f("ck_copy_links_direction")
        ),
    )
    op.create_index(
        "ix_copy_links_copy_document_id", "copy_links", ["copy_document_id"]
    )


def downgrade() -> None:
    for table in ("copy_links", "minhash_passages", "minhash_signatures"):
        op.drop_table(table)

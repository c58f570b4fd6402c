"""Revoking API tokens and disabling users, kept as times; an index for the desk's ledger.

A token is refused once ``api_tokens.revoked_at`` is set; a user (and every token of theirs)
once ``users.disabled_at`` is set. Nothing is deleted: who held which token, and when it
stopped working, remains on record.

``ix_claims_checkworthiness`` (check-worthiness descending, then id: the ledger's sort) lets
a page of the ledger sorted by check-worthiness be read off the index at 100k claims
(``benchmarks/web_latency.py``) instead of sorting every claim.

Revision ID: 0007
Revises: 0006
Landed: never edit this file once committed; change the schema in a new revision.
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("users", sa.Column("disabled_at", sa.String(40)))
    op.add_column("api_tokens", sa.Column("revoked_at", sa.String(40)))
    op.create_index("ix_claims_checkworthiness", "claims",
                    [sa.text("checkworthiness DESC"), "id"])


def downgrade() -> None:
    op.drop_index("ix_claims_checkworthiness", table_name="claims")
    with op.batch_alter_table("api_tokens") as table:
        table.drop_column("revoked_at")
    with op.batch_alter_table("users") as table:
        table.drop_column("disabled_at")

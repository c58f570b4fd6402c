"""Verdicts on propositions (an append-only history) and imported ClaimReview fact-checks.

Revision ID: 0006
Revises: 0005
Landed: never edit this file once committed; change the schema in a new revision.
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_APPEND_ONLY = [
    f"CREATE TRIGGER verdicts_no_{action.lower()} BEFORE {action} ON verdicts BEGIN "
    "SELECT RAISE(ABORT, 'verdicts are append-only: record a new verdict instead'); END"
    for action in ("UPDATE", "DELETE")
]
"""On SQLite, the database itself refuses to rewrite or drop a verdict (audit trail)."""


def upgrade() -> None:
    op.create_table(
        "verdicts",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("proposition_id", sa.String(16), nullable=False),
        sa.Column("verdict", sa.String(12), nullable=False),
        sa.Column("previous", sa.String(12)),
        sa.Column("rationale", sa.Text, nullable=False),
        sa.Column("evidence", sa.JSON, nullable=False),
        sa.Column("judged_by", sa.String(100), nullable=False),
        sa.Column("judged_at", sa.String(40), nullable=False),
        sa.Column("statement", sa.Text, nullable=False),
        sa.Column("claim_ids", sa.JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_verdicts"),
        sa.CheckConstraint(
            "verdict IN ('true', 'false', 'misleading', 'unproven', 'unverifiable')",
            name=op.f("ck_verdicts_verdict"),
        ),
    )
    op.create_index("ix_verdicts_proposition_id", "verdicts", ["proposition_id"])
    op.create_table(
        "fact_checks",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("url", sa.Text),
        sa.Column("claim_reviewed", sa.Text, nullable=False),
        sa.Column("rating", sa.Text),
        sa.Column("author", sa.Text),
        sa.Column("date_published", sa.String(40)),
        sa.Column("review", sa.JSON, nullable=False),
        sa.Column("proposition_id", sa.String(16)),
        sa.Column("score", sa.Float),
        sa.Column("imported_at", sa.String(40), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_fact_checks"),
        sa.UniqueConstraint("sha256", name="uq_fact_checks_sha256"),
    )
    op.create_index("ix_fact_checks_proposition_id", "fact_checks", ["proposition_id"])
    if op.get_bind().dialect.name == "sqlite":
        for statement in _APPEND_ONLY:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for action in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS verdicts_no_{action}")
    op.drop_table("fact_checks")
    op.drop_table("verdicts")

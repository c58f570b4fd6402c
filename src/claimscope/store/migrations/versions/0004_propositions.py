"""Propositions: claim vectors and linking marks, propositions, their members, contradictions.

Revision ID: 0004
Revises: 0003
Landed: never edit this file once committed; change the schema in a new revision.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _claim_fk(table: str, column: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], ["claims.id"], name=f"fk_{table}_{column}_claims", ondelete="CASCADE"
    )


def upgrade() -> None:
    op.create_table(
        "claim_vectors",
        sa.Column("claim_id", sa.String(128), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("vector", sa.LargeBinary, nullable=False),
        sa.PrimaryKeyConstraint("claim_id", "position", name="pk_claim_vectors"),
        _claim_fk("claim_vectors", "claim_id"),
    )
    op.create_table(
        "claim_linking",
        sa.Column("claim_id", sa.String(128), nullable=False),
        sa.Column("method", sa.String(80), nullable=False),
        sa.Column("frames", sa.JSON, nullable=False),
        sa.Column("linked_at", sa.String(40)),
        sa.PrimaryKeyConstraint("claim_id", name="pk_claim_linking"),
        _claim_fk("claim_linking", "claim_id"),
    )
    op.create_index("ix_claim_linking_linked_at", "claim_linking", ["linked_at"])
    op.create_table(
        "propositions",
        sa.Column("id", sa.String(16), nullable=False),
        sa.Column("statement", sa.Text, nullable=False),
        sa.Column("anchor_claim_id", sa.String(128), nullable=False),
        sa.Column("method", sa.String(80), nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_propositions"),
        _claim_fk("propositions", "anchor_claim_id"),
    )
    op.create_index("ix_propositions_anchor_claim_id", "propositions", ["anchor_claim_id"])
    op.create_table(
        "proposition_members",
        sa.Column("proposition_id", sa.String(16), nullable=False),
        sa.Column("claim_id", sa.String(128), nullable=False),
        sa.Column("tier", sa.String(10), nullable=False),
        sa.Column("stance", sa.String(10), nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("via_claim_id", sa.String(128)),
        sa.Column("evidence", sa.JSON, nullable=False),
        sa.Column("linked_at", sa.String(40), nullable=False),
        sa.PrimaryKeyConstraint("proposition_id", "claim_id", name="pk_proposition_members"),
        sa.ForeignKeyConstraint(
            ["proposition_id"], ["propositions.id"],
            name="fk_proposition_members_proposition_id_propositions", ondelete="CASCADE",
        ),
        _claim_fk("proposition_members", "claim_id"),
        sa.CheckConstraint(
            "tier IN ('confirmed', 'suggested')", name=op.f("ck_proposition_members_tier")
        ),
        sa.CheckConstraint(
            "stance IN ('asserts', 'denies')", name=op.f("ck_proposition_members_stance")
        ),
    )
    op.create_index("ix_proposition_members_claim_id", "proposition_members", ["claim_id"])
    op.create_table(
        "contradictions",
        sa.Column("claim_a_id", sa.String(128), nullable=False),
        sa.Column("claim_b_id", sa.String(128), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("proposition_id", sa.String(16)),
        sa.Column("same_document", sa.Boolean, nullable=False),
        sa.Column("evidence", sa.JSON, nullable=False),
        sa.Column("found_at", sa.String(40), nullable=False),
        sa.PrimaryKeyConstraint("claim_a_id", "claim_b_id", "kind", name="pk_contradictions"),
        _claim_fk("contradictions", "claim_a_id"),
        _claim_fk("contradictions", "claim_b_id"),
        sa.ForeignKeyConstraint(
            ["proposition_id"], ["propositions.id"],
            name="fk_contradictions_proposition_id_propositions", ondelete="SET NULL",
        ),
        sa.CheckConstraint(
            "kind IN ('denial', 'polarity', 'value', 'status')", name=op.f("ck_contradictions_kind")
        ),
    )
    op.create_index("ix_contradictions_claim_b_id", "contradictions", ["claim_b_id"])


def downgrade() -> None:
    for table in ("contradictions", "proposition_members", "propositions", "claim_linking",
                  "claim_vectors"):
        op.drop_table(table)

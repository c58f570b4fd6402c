"""Each proposition's summary figures, stored; each claim's highest of them, for the ledger.

``proposition_figures`` holds what the proposition lists show and sort by (claims, documents,
outlets, independent origins, echo ratio, origin order, contradictions, denials), counted by
``corpus.corroboration`` when linking touches the proposition, so a list request reads one
indexed table instead of counting every proposition (``benchmarks/web_latency.py``).
``claims.proposition_origins`` and ``claims.proposition_echo_ratio`` are the highest of those
figures among a claim's propositions (NULL in none), indexed like check-worthiness (0007) so
the ledger sorted by them reads a page off an index.

The full-text trigger of 0003 re-indexed a claim on *any* update of its row, and its
``claim_id`` lookup in the FTS table is a scan: storing those two figures for 100k claims would
have re-indexed every claim, each by a scan. It now fires only when the indexed words change.

No back-fill here: the figures are counted in Python (origins collapse copies and outlets of
one network), and a migration calls nothing from ``corpus``. The next ``claimscope link`` (or
``analyze``) counts every proposition that has no figures yet.

Revision ID: 0008
Revises: 0007
Landed: never edit this file once committed; change the schema in a new revision.
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_CLAIM_ROW = ("new.id, new.speaker_name || ' ' || coalesce(new.speaker_text, ''), "
              "new.sentence_text, new.content_text")


def _full_text_trigger(columns: str) -> str:
    return (f"CREATE TRIGGER claims_fts_update AFTER UPDATE {columns}ON claims BEGIN "
            "DELETE FROM claims_fts WHERE claim_id = old.id; "
            "INSERT INTO claims_fts (claim_id, speaker, sentence, content) "
            f"VALUES ({_CLAIM_ROW}); END")


def upgrade() -> None:
    op.create_table(
        "proposition_figures",
        sa.Column("proposition_id", sa.String(16),
                  sa.ForeignKey("propositions.id", ondelete="CASCADE",
                                name="fk_proposition_figures_proposition_id_propositions")),
        sa.Column("claims", sa.Integer, nullable=False),
        sa.Column("documents", sa.Integer, nullable=False),
        sa.Column("outlets", sa.JSON, nullable=False),
        sa.Column("independent_origins", sa.Integer, nullable=False),
        sa.Column("echo_ratio", sa.Float),
        sa.Column("origin_order", sa.String(10), nullable=False),
        sa.Column("contradictions", sa.Integer, nullable=False),
        sa.Column("denied_by", sa.Integer, nullable=False),
        sa.Column("copies_as_of", sa.String(40)),
        sa.Column("computed_at", sa.String(40), nullable=False),
        sa.PrimaryKeyConstraint("proposition_id", name="pk_proposition_figures"),
    )
    op.create_index("ix_proposition_figures_independent_origins", "proposition_figures",
                    [sa.text("independent_origins DESC"), sa.text("documents DESC")])
    op.create_index("ix_proposition_figures_echo_ratio", "proposition_figures",
                    [sa.text("echo_ratio DESC"), sa.text("documents DESC")])
    op.create_index("ix_proposition_figures_contradictions", "proposition_figures",
                    [sa.text("contradictions DESC"), sa.text("independent_origins DESC")])
    op.add_column("claims", sa.Column("proposition_origins", sa.Integer))
    op.add_column("claims", sa.Column("proposition_echo_ratio", sa.Float))
    op.create_index("ix_claims_proposition_origins", "claims",
                    [sa.text("proposition_origins DESC"), "id"])
    op.create_index("ix_claims_proposition_echo_ratio", "claims",
                    [sa.text("proposition_echo_ratio DESC"), "id"])
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS claims_fts_update")
        op.execute(_full_text_trigger("OF speaker_name, speaker_text, sentence_text, content_text "))


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS claims_fts_update")
        op.execute(_full_text_trigger(""))
    op.drop_index("ix_claims_proposition_echo_ratio", table_name="claims")
    op.drop_index("ix_claims_proposition_origins", table_name="claims")
    with op.batch_alter_table("claims") as table:
        table.drop_column("proposition_echo_ratio")
        table.drop_column("proposition_origins")
    op.drop_table("proposition_figures")

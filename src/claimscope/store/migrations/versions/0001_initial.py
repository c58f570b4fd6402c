"""The first ledger: documents, claims and the claim parts later issues filter on.

Revision ID: 0001
Revises: -
Landed: never edit this file once committed; change the schema in a new revision.
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _claim_key() -> list:
    return [
        sa.Column("claim_id", sa.String(128), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
    ]


def _claim_key_constraints(table: str) -> list:
    return [
        sa.PrimaryKeyConstraint("claim_id", "position", name=f"pk_{table}"),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["claims.id"],
            name=f"fk_{table}_claim_id_claims",
            ondelete="CASCADE",
        ),
    ]


def _span(nullable: bool) -> list:
    return [
        sa.Column("text", sa.Text, nullable=nullable),
        sa.Column("start", sa.Integer, nullable=nullable),
        sa.Column("end", sa.Integer, nullable=nullable),
    ]


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.String(16), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("title", sa.Text),
        sa.Column("outlet", sa.Text),
        sa.Column("url", sa.Text),
        sa.Column("published_at", sa.String(40)),
        sa.Column("language", sa.String(16)),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("raw", sa.LargeBinary, nullable=False),
        sa.Column("ingested_at", sa.String(40), nullable=False),
        sa.Column("relayed_from", sa.JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_documents"),
        sa.UniqueConstraint("sha256", name="uq_documents_sha256"),
    )
    op.create_index("ix_documents_outlet", "documents", ["outlet"])
    op.create_index("ix_documents_source", "documents", ["source"])

    op.create_table(
        "claims",
        sa.Column("id", sa.String(128), nullable=False),
        sa.Column("document_id", sa.String(16), nullable=False),
        sa.Column("sentence_start", sa.Integer, nullable=False),
        sa.Column("sentence_end", sa.Integer, nullable=False),
        sa.Column("sentence_text", sa.Text, nullable=False),
        sa.Column("speaker_text", sa.Text),
        sa.Column("speaker_name", sa.Text, nullable=False),
        sa.Column("speaker_kind", sa.String(20), nullable=False),
        sa.Column("speaker_start", sa.Integer),
        sa.Column("speaker_end", sa.Integer),
        sa.Column("cue_text", sa.Text),
        sa.Column("cue_class", sa.String(20), nullable=False),
        sa.Column("cue_start", sa.Integer),
        sa.Column("cue_end", sa.Integer),
        sa.Column("content_text", sa.Text, nullable=False),
        sa.Column("content_quote", sa.String(10), nullable=False),
        sa.Column("content_start", sa.Integer, nullable=False),
        sa.Column("content_end", sa.Integer, nullable=False),
        sa.Column("polarity", sa.String(10), nullable=False),
        sa.Column("certainty", sa.String(10), nullable=False),
        sa.Column("conditional", sa.Boolean, nullable=False),
        sa.Column("checkworthiness", sa.Float, nullable=False),
        sa.Column("extractor", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_claims"),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name="fk_claims_document_id_documents",
            ondelete="CASCADE",
        ),
    )
    op.create_index(
        "ix_claims_document_sentence", "claims", ["document_id", "sentence_start"]
    )
    op.create_index("ix_claims_speaker_name", "claims", ["speaker_name"])
    op.create_index("ix_claims_speaker_kind", "claims", ["speaker_kind"])
    op.create_index("ix_claims_cue_class", "claims", ["cue_class"])
    op.create_index("ix_claims_certainty", "claims", ["certainty"])

    op.create_table(
        "claim_relays",
        *_claim_key(),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        *_span(nullable=True),
        *_claim_key_constraints("claim_relays"),
    )
    op.create_index("ix_claim_relays_name", "claim_relays", ["name"])

    op.create_table(
        "claim_hedges",
        *_claim_key(),
        *_span(nullable=False),
        *_claim_key_constraints("claim_hedges"),
    )
    op.create_index("ix_claim_hedges_text", "claim_hedges", ["text"])

    op.create_table(
        "claim_places",
        *_claim_key(),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("lat", sa.Float, nullable=False),
        sa.Column("lon", sa.Float, nullable=False),
        sa.Column("country", sa.String(100)),
        sa.Column("geonameid", sa.Integer),
        *_span(nullable=False),
        *_claim_key_constraints("claim_places"),
    )
    op.create_index("ix_claim_places_name", "claim_places", ["name"])
    op.create_index("ix_claim_places_country", "claim_places", ["country"])

    op.create_table(
        "claim_dates",
        *_claim_key(),
        sa.Column("value", sa.String(40), nullable=False),
        *_span(nullable=False),
        *_claim_key_constraints("claim_dates"),
    )
    op.create_index("ix_claim_dates_value", "claim_dates", ["value"])

    op.create_table(
        "claim_entities",
        *_claim_key(),
        sa.Column("label", sa.String(40), nullable=False),
        *_span(nullable=False),
        *_claim_key_constraints("claim_entities"),
    )
    op.create_index(
        "ix_claim_entities_label_text", "claim_entities", ["label", "text"]
    )


def downgrade() -> None:
    for table in (
        "claim_entities",
        "claim_dates",
        "claim_places",
        "claim_hedges",
        "claim_relays",
        "claims",
        "documents",
    ):
        op.drop_table(table)

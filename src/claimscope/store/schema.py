"""The ledger's tables as SQLAlchemy Core objects: what the code reads and writes through.

The database itself is built by the Alembic revisions in ``migrations/versions`` (append-only);
``tests/store`` checks that the migrated schema and these tables agree, so neither can drift.

Design notes:
- Portable SQL only (SQLite now, PostgreSQL later): no SQLite-only types or statements.
- The parts of a claim that later issues filter on (relays, hedges, places, dates, entities)
  are child tables keyed by ``(claim_id, position)``, each with its span offsets.
- Dates are stored as ISO 8601 text (:class:`IsoDateTime`): SQLite's DATETIME would silently drop
  a time zone, and whether a publication time was known with its zone is itself evidence.
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
)

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
"""Named constraints, so a later revision can alter them (SQLite's batch mode needs names)."""

metadata = MetaData(naming_convention=NAMING_CONVENTION)


class IsoDateTime(TypeDecorator):
    """A datetime kept as ISO 8601 text; aware values are stored in UTC, naive ones as given.

    Round-trips exactly whether a time zone was known, and sorts correctly among aware values.
    """

    impl = String(40)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> str | None:
        if value is None:
            return None
        if value.tzinfo is not None:
            value = value.astimezone(timezone.utc)
        return value.isoformat()

    def process_result_value(self, value: str | None, dialect: object) -> datetime | None:
        return None if value is None else datetime.fromisoformat(value)


def _span_columns(nullable: bool) -> list[Column]:
    return [
        Column("text", Text, nullable=nullable),
        Column("start", Integer, nullable=nullable),
        Column("end", Integer, nullable=nullable),
    ]


def _claim_key() -> list[Column]:
    return [
        Column(
            "claim_id",
            String(128),
            ForeignKey("claims.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        Column("position", Integer, primary_key=True),
    ]


documents = Table(
    "documents",
    metadata,
    Column("id", String(16), primary_key=True),
    Column("sha256", String(64), nullable=False, unique=True),
    Column("text", Text, nullable=False),
    Column("title", Text),
    Column("outlet", Text),
    Column("url", Text),
    Column("published_at", IsoDateTime),
    Column("language", String(16)),
    Column("source", Text, nullable=False),
    Column("raw", LargeBinary, nullable=False),
    Column("ingested_at", IsoDateTime, nullable=False),
    Column("relayed_from", JSON, nullable=False),
    Index("ix_documents_outlet", "outlet"),
    Index("ix_documents_source", "source"),
)

claims = Table(
    "claims",
    metadata,
    Column("id", String(128), primary_key=True),
    Column(
        "document_id",
        String(16),
        ForeignKey("documents.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("sentence_start", Integer, nullable=False),
    Column("sentence_end", Integer, nullable=False),
    Column("sentence_text", Text, nullable=False),
    Column("speaker_text", Text),
    Column("speaker_name", Text, nullable=False),
    Column("speaker_kind", String(20), nullable=False),
    Column("speaker_start", Integer),
    Column("speaker_end", Integer),
    Column("cue_text", Text),
    Column("cue_class", String(20), nullable=False),
    Column("cue_start", Integer),
    Column("cue_end", Integer),
    Column("content_text", Text, nullable=False),
    Column("content_quote", String(10), nullable=False),
    Column("content_start", Integer, nullable=False),
    Column("content_end", Integer, nullable=False),
    Column("polarity", String(10), nullable=False),
    Column("certainty", String(10), nullable=False),
    Column("conditional", Boolean, nullable=False),
    Column("checkworthiness", Float, nullable=False),
    Column("extractor", Text, nullable=False),
    Index("ix_claims_document_sentence", "document_id", "sentence_start"),
    Index("ix_claims_speaker_name", "speaker_name"),
    Index("ix_claims_speaker_kind", "speaker_kind"),
    Index("ix_claims_cue_class", "cue_class"),
    Index("ix_claims_certainty", "certainty"),
)

claim_relays = Table(
    "claim_relays",
    metadata,
    *_claim_key(),
    Column("name", Text, nullable=False),
    Column("kind", String(20), nullable=False),
    *_span_columns(nullable=True),
    Index("ix_claim_relays_name", "name"),
)

claim_hedges = Table(
    "claim_hedges",
    metadata,
    *_claim_key(),
    *_span_columns(nullable=False),
    Index("ix_claim_hedges_text", "text"),
)

claim_places = Table(
    "claim_places",
    metadata,
    *_claim_key(),
    Column("name", Text, nullable=False),
    Column("kind", String(20), nullable=False),
    Column("lat", Float, nullable=False),
    Column("lon", Float, nullable=False),
    Column("country", String(100)),
    Column("geonameid", Integer),
    *_span_columns(nullable=False),
    Index("ix_claim_places_name", "name"),
    Index("ix_claim_places_country", "country"),
)

claim_dates = Table(
    "claim_dates",
    metadata,
    *_claim_key(),
    Column("value", String(40), nullable=False),
    *_span_columns(nullable=False),
    Index("ix_claim_dates_value", "value"),
)

claim_entities = Table(
    "claim_entities",
    metadata,
    *_claim_key(),
    Column("label", String(40), nullable=False),
    *_span_columns(nullable=False),
    Index("ix_claim_entities_label_text", "label", "text"),
)

CHILD_TABLES = (claim_relays, claim_hedges, claim_places, claim_dates, claim_entities)

"""The ledger's tables as SQLAlchemy Core objects: what the code reads and writes through.

The database itself is built by the Alembic revisions in ``migrations/versions`` (append-only);
``tests/store`` checks that the migrated schema and these tables agree, so neither can drift.

Design notes:
- Portable SQL only (SQLite now, PostgreSQL later): no SQLite-only types or statements.
- The parts of a claim that later issues filter on (relays, hedges, places, dates, entities)
  are child tables keyed by ``(claim_id, position)``, each with its span offsets.
- Dates are stored as ISO 8601 text (:class:`IsoDateTime`): SQLite's DATETIME would silently drop
  a time zone, and whether a publication time was known with its zone is itself evidence.
- Copy links (revision 0002) keep the MinHash signatures they were found with, per document and
  per passage, so linking a new document queries an index rebuilt from stored signatures
  instead of re-reading the corpus; a signature row also marks its document as linked.
- Propositions (revision 0004) keep each claim's sentence vectors, so a new claim is compared
  with stored ones by a vector search instead of encoding the corpus again.
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
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
    false,
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
    # rev. 0009: the ledger's order and filters read these without the row (and its text)
    Index("ix_documents_ledger", "id", "source", "outlet", "published_at"),
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
    Column("proposition_origins", Integer),  # rev. 0008
    Column("proposition_echo_ratio", Float),  # rev. 0008
    Column("hedged", Boolean, nullable=False, server_default=false()),  # rev. 0009
    Index("ix_claims_document_sentence", "document_id", "sentence_start"),
    Index("ix_claims_speaker_name", "speaker_name"),
    Index("ix_claims_speaker_kind", "speaker_kind"),
    Index("ix_claims_cue_class", "cue_class"),
    Index("ix_claims_certainty", "certainty"),
    Index("ix_claims_hedged", "hedged"),
    # rev. 0009: the ledger's order and filters of a list of ids, without reading their rows
    Index("ix_claims_ledger_order", "id", "document_id", "sentence_start", "content_start",
          "speaker_kind", "cue_class", "hedged"),
)
Index("ix_claims_checkworthiness", claims.c.checkworthiness.desc(), claims.c.id)  # rev. 0007
"""The ledger sorted by check-worthiness (highest first, then id) reads a page off this index
instead of sorting every claim."""
Index("ix_claims_proposition_origins", claims.c.proposition_origins.desc(),
      claims.c.id)  # rev. 0008
Index("ix_claims_proposition_echo_ratio", claims.c.proposition_echo_ratio.desc(),
      claims.c.id)  # rev. 0008
"""``proposition_origins`` and ``proposition_echo_ratio`` (revision 0008) are the highest
independent origins and echo ratio among the claim's propositions (NULL in none), kept by
proposition linking with ``proposition_figures`` so the ledger sorts by them off an index."""

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


# -- revision 0002: copy links ----------------------------------------------------------

COPY_SCOPES = ("document", "passage")
"""``document``: one document republishes (nearly) all of the other; ``passage``: part of it."""
COPY_DIRECTIONS = ("published", "unknown")
"""``published``: the source was published first; ``unknown``: publication times missing,
equal or not comparable (the source is then only the one claimscope saw first)."""


def _document_key() -> Column:
    return Column(
        "document_id",
        String(16),
        ForeignKey("documents.id", ondelete="CASCADE"),
        primary_key=True,
    )


minhash_signatures = Table(
    "minhash_signatures",
    metadata,
    _document_key(),
    Column("method", String(80), nullable=False),
    Column("hashvalues", LargeBinary),
    Column("passages", Integer, nullable=False),
    Column("linked_at", IsoDateTime),
    Index("ix_minhash_signatures_linked_at", "linked_at"),
)
"""One row per document read by ``link``: its whole-text signature (NULL if it has fewer words
than a shingle) and, once its copy links are stored, when."""

minhash_passages = Table(
    "minhash_passages",
    metadata,
    _document_key(),
    Column("position", Integer, primary_key=True),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("hashvalues", LargeBinary, nullable=False),
)
"""The signature of each passage (paragraph) of a document, with its character offsets."""

copy_links = Table(
    "copy_links",
    metadata,
    Column(
        "source_document_id",
        String(16),
        ForeignKey("documents.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column(
        "copy_document_id",
        String(16),
        ForeignKey("documents.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("scope", String(10), nullable=False),
    Column("similarity", Float, nullable=False),
    Column("direction", String(10), nullable=False),
    Column("evidence", JSON, nullable=False),
    Column("method", String(80), nullable=False),
    Column("linked_at", IsoDateTime, nullable=False),
    CheckConstraint("scope IN ('document', 'passage')", name="scope"),
    CheckConstraint("direction IN ('published', 'unknown')", name="direction"),
    Index("ix_copy_links_copy_document_id", "copy_document_id"),
)
"""Document ``copy`` republishes all or part of document ``source``: one row per pair."""

COPY_TABLES = (minhash_signatures, minhash_passages, copy_links)


# -- revision 0003: the web desk's users and API tokens; full-text search ----------------

ROLES = ("viewer", "analyst", "admin")
"""``viewer`` reads; ``analyst`` also judges (verdicts, to come); ``admin`` also manages users."""

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("role", String(10), nullable=False),
    Column("password_hash", Text, nullable=False),
    Column("created_at", IsoDateTime, nullable=False),
    Column("disabled_at", IsoDateTime),  # revision 0007
    CheckConstraint("role IN ('viewer', 'analyst', 'admin')", name="role"),
)
"""People who log in to the web desk; the password only as an argon2 hash. A user is
disabled, never deleted (their verdicts and tokens stay on record): from ``disabled_at`` on,
neither their password nor their tokens let them in."""

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("token_sha256", String(64), nullable=False, unique=True),
    Column("label", Text),
    Column("created_at", IsoDateTime, nullable=False),
    Column("revoked_at", IsoDateTime),  # revision 0007
    Index("ix_api_tokens_user_id", "user_id"),
)
"""Tokens for scripts (``Authorization: Bearer …``), kept only as their SHA-256: a token is
shown once when made, and a copy of the database does not hold usable credentials. A revoked
token keeps its row (the audit of who could call the API when) and is refused from
``revoked_at`` on."""

FULL_TEXT_TABLES = ("claims_fts", "documents_fts")
"""SQLite FTS5 tables made by revision 0003 (on SQLite only) and kept in step with ``claims``
and ``documents`` by triggers. Virtual tables are not SQLAlchemy tables: they and their
shadow tables (``claims_fts_data``, …) are outside ``metadata``, see :func:`is_full_text`."""


def is_full_text(table_name: str) -> bool:
    """Whether a table in the database is one of the FTS5 tables, their shadow tables,
    ``claims_fts_keys`` (revision 0009: which FTS5 row holds which claim) or
    ``documents_fts_keys`` (revision 0010: the same for documents)."""
    return any(
        table_name == name or table_name.startswith(f"{name}_") for name in FULL_TEXT_TABLES
    )


# -- revision 0004: propositions, their members, contradictions ---------------------------

TIERS = ("confirmed", "suggested")
"""How strongly a claim is linked to a proposition (corpus/matching.py sets the thresholds)."""
STANCES = ("asserts", "denies")
"""Whether a member claim asserts the proposition or denies it (negative polarity, deny cue)."""
CONTRADICTION_KINDS = ("denial", "polarity", "value", "status")
VECTOR_DTYPE = "float16"
"""Claim vectors are stored as 384 half floats (768 bytes): plenty for cosine ranking."""


def _claim_column(name: str, primary_key: bool = False, nullable: bool = False) -> Column:
    return Column(
        name,
        String(128),
        ForeignKey("claims.id", ondelete="CASCADE"),
        primary_key=primary_key,
        nullable=nullable,
    )


claim_vectors = Table(
    "claim_vectors",
    metadata,
    _claim_column("claim_id", primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("vector", LargeBinary, nullable=False),
)
"""Sentence vectors of a claim's content (position 0) and of its clause pieces (1, 2, …), with
the pieces' offsets in the document's text: linking a new claim searches these instead of
encoding the corpus again."""

claim_linking = Table(
    "claim_linking",
    metadata,
    _claim_column("claim_id", primary_key=True),
    Column("method", String(80), nullable=False),
    Column("frames", JSON, nullable=False),
    Column("linked_at", IsoDateTime),
    Index("ix_claim_linking_linked_at", "linked_at"),
)
"""One row per claim read by proposition linking: the method its vectors were made with, the
place statuses its content states, and (once its links are stored) when."""

propositions = Table(
    "propositions",
    metadata,
    Column("id", String(16), primary_key=True),
    Column("statement", Text, nullable=False),
    _claim_column("anchor_claim_id"),
    Column("method", String(80), nullable=False),
    Column("created_at", IsoDateTime, nullable=False),
    Index("ix_propositions_anchor_claim_id", "anchor_claim_id"),
)
"""What several claims assert in common; ``statement`` is the words of the anchor claim (the
first one linked) that the others matched."""

proposition_members = Table(
    "proposition_members",
    metadata,
    Column(
        "proposition_id",
        String(16),
        ForeignKey("propositions.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    _claim_column("claim_id", primary_key=True),
    Column("tier", String(10), nullable=False),
    Column("stance", String(10), nullable=False),
    Column("score", Float, nullable=False),
    Column("via_claim_id", String(128)),
    Column("evidence", JSON, nullable=False),
    Column("linked_at", IsoDateTime, nullable=False),
    CheckConstraint("tier IN ('confirmed', 'suggested')", name="tier"),
    CheckConstraint("stance IN ('asserts', 'denies')", name="stance"),
    Index("ix_proposition_members_claim_id", "claim_id"),
)
"""A claim's membership of a proposition: tier, stance, the score and the claim it was linked
through (None for the anchor), with the features behind the score."""

contradictions = Table(
    "contradictions",
    metadata,
    _claim_column("claim_a_id", primary_key=True),
    _claim_column("claim_b_id", primary_key=True),
    Column("kind", String(10), primary_key=True),
    Column("reason", Text, nullable=False),
    Column(
        "proposition_id",
        String(16),
        ForeignKey("propositions.id", ondelete="SET NULL"),
    ),
    Column("same_document", Boolean, nullable=False),
    Column("evidence", JSON, nullable=False),
    Column("found_at", IsoDateTime, nullable=False),
    CheckConstraint("kind IN ('denial', 'polarity', 'value', 'status')", name="kind"),
    Index("ix_contradictions_claim_b_id", "claim_b_id"),
)
"""Two claims that cannot both hold, with the reason; ``claim_a`` is the one linked first."""

proposition_figures = Table(
    "proposition_figures",
    metadata,
    Column(
        "proposition_id",
        String(16),
        ForeignKey("propositions.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("claims", Integer, nullable=False),
    Column("documents", Integer, nullable=False),
    Column("outlets", JSON, nullable=False),
    Column("independent_origins", Integer, nullable=False),
    Column("echo_ratio", Float),
    Column("origin_order", String(10), nullable=False),
    Column("contradictions", Integer, nullable=False),
    Column("denied_by", Integer, nullable=False),
    Column("copies_as_of", IsoDateTime),
    Column("computed_at", IsoDateTime, nullable=False),
)
Index("ix_proposition_figures_independent_origins",
      proposition_figures.c.independent_origins.desc(), proposition_figures.c.documents.desc())
Index("ix_proposition_figures_echo_ratio",
      proposition_figures.c.echo_ratio.desc(), proposition_figures.c.documents.desc())
Index("ix_proposition_figures_contradictions", proposition_figures.c.contradictions.desc(),
      proposition_figures.c.independent_origins.desc())
"""A proposition's summary figures (revision 0008) as ``corpus.corroboration`` counts them,
stored by linking for the propositions it touched, so the lists read and sort them instead of
counting every proposition per request. ``copies_as_of``: the newest copy link when counted
(origins collapse copies, so a newer link may change them)."""

PROPOSITION_TABLES = (claim_vectors, claim_linking, propositions, proposition_members,
                      contradictions, proposition_figures)


# -- revision 0005: spans as objects, reviewed attributions imported from brat -----------

SPAN_PARTS = ("speaker", "cue", "content", "relay", "hedge", "place")
"""The parts of a claim whose span may be discontinuous (``relay``, ``hedge`` and ``place``
are numbered by ``part_position``, their position in the claim's child table)."""
REVIEWED_ROLES = ("speaker", "cue", "content")
"""The roles a reviewed attribution has spans for: brat's Source, Cue and Content."""
REVIEWED_EXTRACTOR = "annotations"
"""The ``extractor`` of a claim row made for an attribution a reviewer added: such a row
exists only so the claim is listed, filtered and searched like any other."""

span_fragments = Table(
    "span_fragments",
    metadata,
    _claim_column("claim_id", primary_key=True),
    Column("part", String(10), primary_key=True),
    Column("part_position", Integer, primary_key=True),
    Column("position", Integer, primary_key=True),
    *_span_columns(nullable=False),
    CheckConstraint(
        "part IN ('speaker', 'cue', 'content', 'relay', 'hedge', 'place')", name="part"
    ),
)
"""The pieces of a discontinuous span, in text order (a content interrupted by its cue);
a span in one piece has no rows here. The span itself (first to last character) stays
where it was, so ``text[start:end]`` still holds for it."""

annotation_imports = Table(
    "annotation_imports",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "document_id",
        String(16),
        ForeignKey("documents.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("source", Text, nullable=False),
    Column("ann_sha256", String(64), nullable=False),
    Column("imported_by", Text, nullable=False),
    Column("imported_at", IsoDateTime, nullable=False),
    Index("ix_annotation_imports_document_id", "document_id"),
)
"""One row per corrected ``.ann`` file read back in: whose, when, from where. Kept as the
history of a document's reviews; the latest one's attributions are the reviewed version."""

reviewed_attributions = Table(
    "reviewed_attributions",
    metadata,
    _claim_column("claim_id", primary_key=True),
    Column(
        "import_id",
        Integer,
        ForeignKey("annotation_imports.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column(
        "document_id",
        String(16),
        ForeignKey("documents.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("position", Integer, nullable=False),
    Column("added", Boolean, nullable=False),
    Index("ix_reviewed_attributions_document_id", "document_id"),
    Index("ix_reviewed_attributions_import_id", "import_id"),
)
"""A claim as a reviewer left it: it takes precedence over the extractor's spans. ``added``:
the reviewer added it (its claim row was made by the import). An extracted attribution of a
reviewed document with no row here was deleted by the reviewer and is no longer listed."""

reviewed_spans = Table(
    "reviewed_spans",
    metadata,
    Column(
        "claim_id",
        String(128),
        ForeignKey("reviewed_attributions.claim_id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("role", String(10), primary_key=True),
    Column("position", Integer, primary_key=True),
    *_span_columns(nullable=False),
    CheckConstraint("role IN ('speaker', 'cue', 'content')", name="role"),
)
"""The fragments of a reviewed attribution's source, cue and content, in text order."""

SPAN_TABLES = (span_fragments, annotation_imports, reviewed_attributions, reviewed_spans)


# -- revision 0006: verdicts on propositions, imported fact-checks ------------------------

VERDICTS = ("true", "false", "misleading", "unproven", "unverifiable")
"""An analyst's judgement of a proposition (DESIGN.md)."""

verdicts = Table(
    "verdicts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("proposition_id", String(16), nullable=False),
    Column("verdict", String(12), nullable=False),
    Column("previous", String(12)),
    Column("rationale", Text, nullable=False),
    Column("evidence", JSON, nullable=False),
    Column("judged_by", String(100), nullable=False),
    Column("judged_at", IsoDateTime, nullable=False),
    Column("statement", Text, nullable=False),
    Column("claim_ids", JSON, nullable=False),
    CheckConstraint(
        "verdict IN ('true', 'false', 'misleading', 'unproven', 'unverifiable')", name="verdict"
    ),
    Index("ix_verdicts_proposition_id", "proposition_id"),
)
"""Every verdict ever set, one row per change, never updated (on SQLite triggers refuse it):
the current verdict of a proposition is its latest row. No foreign key to ``propositions``:
re-linking rebuilds propositions, and a verdict must outlive that. ``statement`` and
``claim_ids`` record what was judged, so a verdict whose proposition id is gone after a
re-link still finds the proposition holding those claims (``store/verdicts.py``)."""

fact_checks = Table(
    "fact_checks",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("sha256", String(64), nullable=False, unique=True),
    Column("source", Text, nullable=False),
    Column("url", Text),
    Column("claim_reviewed", Text, nullable=False),
    Column("rating", Text),
    Column("author", Text),
    Column("date_published", String(40)),
    Column("review", JSON, nullable=False),
    Column("proposition_id", String(16)),
    Column("score", Float),
    Column("imported_at", IsoDateTime, nullable=False),
    Index("ix_fact_checks_proposition_id", "proposition_id"),
)
"""ClaimReviews imported from other fact-checkers (the JSON-LD object as read, its SHA-256 so
importing a file twice adds nothing), with the proposition it matched and the match score."""

VERDICT_TABLES = (verdicts, fact_checks)

"""The Alembic revisions build the schema the code expects, on a fresh SQLite file."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from claimscope.errors import StoreError
from claimscope.store import open_store, resolve_database_url
from claimscope.store.engine import MIGRATIONS
from claimscope.store.schema import is_full_text, metadata

SPAN = ["text", "start", "end"]
KEY = ["claim_id", "position"]
EXPECTED_COLUMNS = {
    "documents": [
        "id", "sha256", "text", "title", "outlet", "url", "published_at", "language",
        "source", "raw", "ingested_at", "relayed_from",
    ],
    "claims": [
        "id", "document_id", "sentence_start", "sentence_end", "sentence_text",
        "speaker_text", "speaker_name", "speaker_kind", "speaker_start", "speaker_end",
        "cue_text", "cue_class", "cue_start", "cue_end", "content_text", "content_quote",
        "content_start", "content_end", "polarity", "certainty", "conditional",
        "checkworthiness", "extractor", "proposition_origins", "proposition_echo_ratio",
        "hedged",
    ],
    "claim_relays": KEY + ["name", "kind"] + SPAN,
    "claim_hedges": KEY + SPAN,
    "claim_places": KEY + ["name", "kind", "lat", "lon", "country", "geonameid"] + SPAN,
    "claim_dates": KEY + ["value"] + SPAN,
    "claim_entities": KEY + ["label"] + SPAN,
    "minhash_signatures": ["document_id", "method", "hashvalues", "passages", "linked_at"],
    "minhash_passages": ["document_id", "position", "start", "end", "hashvalues"],
    "copy_links": [
        "source_document_id", "copy_document_id", "scope", "similarity", "direction",
        "evidence", "method", "linked_at",
    ],
    "users": ["id", "name", "role", "password_hash", "created_at", "disabled_at"],  # 0007
    "api_tokens": ["id", "user_id", "token_sha256", "label", "created_at", "revoked_at"],
    # revision 0004: propositions
    "claim_vectors": ["claim_id", "position", "start", "end", "vector"],
    "claim_linking": ["claim_id", "method", "frames", "linked_at"],
    "propositions": ["id", "statement", "anchor_claim_id", "method", "created_at"],
    "proposition_members": [
        "proposition_id", "claim_id", "tier", "stance", "score", "via_claim_id", "evidence",
        "linked_at",
    ],
    "contradictions": [
        "claim_a_id", "claim_b_id", "kind", "reason", "proposition_id", "same_document",
        "evidence", "found_at",
    ],
    # revision 0008: proposition figures
    "proposition_figures": [
        "proposition_id", "claims", "documents", "outlets", "independent_origins", "echo_ratio",
        "origin_order", "contradictions", "denied_by", "copies_as_of", "computed_at",
    ],
    # revision 0005: spans as objects, reviewed attributions
    "span_fragments": ["claim_id", "part", "part_position", "position"] + SPAN,
    "annotation_imports": [
        "id", "document_id", "source", "ann_sha256", "imported_by", "imported_at",
    ],
    "reviewed_attributions": ["claim_id", "import_id", "document_id", "position", "added"],
    "reviewed_spans": ["claim_id", "role", "position"] + SPAN,
    # revision 0006: verdicts, imported fact-checks
    "verdicts": [
        "id", "proposition_id", "verdict", "previous", "rationale", "evidence", "judged_by",
        "judged_at", "statement", "claim_ids",
    ],
    "fact_checks": [
        "id", "sha256", "source", "url", "claim_reviewed", "rating", "author",
        "date_published", "review", "proposition_id", "score", "imported_at",
    ],
}
EXPECTED_INDEXES = {
    "documents": {"ix_documents_outlet": ["outlet"], "ix_documents_source": ["source"],
                  "ix_documents_ledger": ["id", "source", "outlet", "published_at"]},  # 0009
    "claims": {
        "ix_claims_document_sentence": ["document_id", "sentence_start"],
        "ix_claims_speaker_name": ["speaker_name"],
        "ix_claims_speaker_kind": ["speaker_kind"],
        "ix_claims_cue_class": ["cue_class"],
        "ix_claims_certainty": ["certainty"],
        "ix_claims_hedged": ["hedged"],  # 0009
        "ix_claims_ledger_order": ["id", "document_id", "sentence_start", "content_start",
                                   "speaker_kind", "cue_class", "hedged"],
        "ix_claims_checkworthiness": ["checkworthiness", "id"],  # 0007
        "ix_claims_proposition_origins": ["proposition_origins", "id"],  # 0008
        "ix_claims_proposition_echo_ratio": ["proposition_echo_ratio", "id"],  # 0008
    },
    "claim_relays": {"ix_claim_relays_name": ["name"]},
    "claim_hedges": {"ix_claim_hedges_text": ["text"]},
    "claim_places": {
        "ix_claim_places_name": ["name"],
        "ix_claim_places_country": ["country"],
    },
    "claim_dates": {"ix_claim_dates_value": ["value"]},
    "claim_entities": {"ix_claim_entities_label_text": ["label", "text"]},
    "minhash_signatures": {"ix_minhash_signatures_linked_at": ["linked_at"]},
    "minhash_passages": {},
    "copy_links": {"ix_copy_links_copy_document_id": ["copy_document_id"]},
    "users": {},
    "api_tokens": {"ix_api_tokens_user_id": ["user_id"]},
    "claim_vectors": {},
    "claim_linking": {"ix_claim_linking_linked_at": ["linked_at"]},
    "propositions": {"ix_propositions_anchor_claim_id": ["anchor_claim_id"]},
    "proposition_members": {"ix_proposition_members_claim_id": ["claim_id"]},
    "contradictions": {"ix_contradictions_claim_b_id": ["claim_b_id"]},
    "proposition_figures": {
        "ix_proposition_figures_independent_origins": ["independent_origins", "documents"],
        "ix_proposition_figures_echo_ratio": ["echo_ratio", "documents"],
        "ix_proposition_figures_contradictions": ["contradictions", "independent_origins"],
    },
    "span_fragments": {},
    "annotation_imports": {"ix_annotation_imports_document_id": ["document_id"]},
    "reviewed_attributions": {
        "ix_reviewed_attributions_document_id": ["document_id"],
        "ix_reviewed_attributions_import_id": ["import_id"],
    },
    "reviewed_spans": {},
    "verdicts": {"ix_verdicts_proposition_id": ["proposition_id"]},
    "fact_checks": {"ix_fact_checks_proposition_id": ["proposition_id"]},
}
LANDED_REVISIONS = {
    "0001_initial.py": "e6b2a78010b3775c3c543cb74f75d48777cb77a917855aa135689b6d4d6007fe",
    "0002_copy_links.py": "6ad503789eecd35b87175496ed6631633dcd18db4f1260f554451f8561b8563e",
    "0003_web.py": "c3339c4fd1c43ada2edca3a992df91986c1e354f72c1bbae2908f4d0190db00d",
    "0004_propositions.py": "07fa300e2fc98a7c32bf509f7ebe47d04add933efeec010b983c506895f64164",
    "0005_spans.py": "464cab8d7182a3553fca01bb769ba922f1ea5d9293486e5862b9532e0c21d342",
    "0006_verdicts.py": "56c90fcbebe80b06ce58488bf4eaeeff9f40e531bc6d6e2e98d754495160def2",
    "0007_token_revocation.py": "966aba3587ee8288177afd0017c9f1d412159c8aeff519e38ab08f2fcd5ea6f9",
    "0008_proposition_stats.py": "533fe79dbcdc1b1e0512fa9cf249963166704f1154b9491e02ab1df2a0636ec5",
    "0009_ledger_filters.py": "eb0649102a3245521fb44167c80618e89e468fc4a56c74374f25e684368f0a6d",
    "0010_document_search_keys.py": "85f9dfbf18ff6e3c561faf8ad7db2dfcb9d3ee043fc831e59513676cca2a063f",
}
"""SHA-256 of each landed revision: revisions are append-only, never edited once committed.
A schema change is a new revision file (and a new line here), not an edit of an old one."""


@pytest.fixture
def migrated(tmp_path: Path):
    path = tmp_path / "fresh.db"
    open_store(resolve_database_url(str(path))).close()
    engine = create_engine(f"sqlite:///{path}")
    yield engine
    engine.dispose()


def test_migrations_create_the_expected_tables_and_columns(migrated) -> None:
    inspector = inspect(migrated)
    tables = {t for t in inspector.get_table_names() if not is_full_text(t)} - {"alembic_version"}
    assert tables == set(EXPECTED_COLUMNS)
    for table, columns in EXPECTED_COLUMNS.items():
        assert [c["name"] for c in inspector.get_columns(table)] == columns, table


def test_migrations_create_the_indexes_the_filters_use(migrated) -> None:
    inspector = inspect(migrated)
    for table, indexes in EXPECTED_INDEXES.items():
        found = {ix["name"]: ix["column_names"] for ix in inspector.get_indexes(table)}
        assert found == indexes, table


def test_migrations_create_keys_and_cascading_foreign_keys(migrated) -> None:
    inspector = inspect(migrated)
    assert inspector.get_pk_constraint("documents")["constrained_columns"] == ["id"]
    assert [u["column_names"] for u in inspector.get_unique_constraints("documents")] == [
        ["sha256"]
    ]
    (claims_fk,) = inspector.get_foreign_keys("claims")
    assert claims_fk["referred_table"] == "documents"
    assert claims_fk["options"].get("ondelete") == "CASCADE"
    for table in ("claim_relays", "claim_hedges", "claim_places", "claim_dates", "claim_entities"):
        assert inspector.get_pk_constraint(table)["constrained_columns"] == KEY
        (fk,) = inspector.get_foreign_keys(table)
        assert (fk["referred_table"], fk["constrained_columns"]) == ("claims", ["claim_id"])
        assert fk["options"].get("ondelete") == "CASCADE"


def test_migrated_schema_matches_the_tables_the_code_uses(migrated) -> None:
    with migrated.connect() as connection:
        # FTS5 virtual tables (revision 0003, SQLite only) are not SQLAlchemy tables.
        skip_full_text = lambda name, kind, parent: kind != "table" or not is_full_text(name)  # noqa: E731
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_name": skip_full_text}
        )
        assert compare_metadata(context, metadata) == []


def test_database_is_stamped_with_the_head_revision(migrated) -> None:
    with migrated.connect() as connection:
        assert MigrationContext.configure(connection).get_current_heads() == ("0010",)


def test_sqlite_runs_with_foreign_keys_and_wal(tmp_path: Path) -> None:
    store = open_store(resolve_database_url(str(tmp_path / "pragmas.db")))
    try:
        with store._engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    finally:
        store.close()


def test_opening_twice_keeps_the_data_and_migrates_nothing(tmp_path: Path) -> None:
    url = resolve_database_url(str(tmp_path / "twice.db"))
    open_store(url).close()
    with open_store(url) as store:
        assert store.summary()["documents"] == 0


def test_landed_revisions_are_never_edited() -> None:
    files = {p.name: p for p in (MIGRATIONS / "versions").glob("*.py")}
    assert set(files) == set(LANDED_REVISIONS), "add each new revision to LANDED_REVISIONS"
    for name, digest in LANDED_REVISIONS.items():
        assert hashlib.sha256(files[name].read_bytes()).hexdigest() == digest, (
            f"{name} has landed and must not change: write a new revision instead"
        )


def test_a_database_from_a_newer_claimscope_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "newer.db"
    open_store(resolve_database_url(str(path))).close()
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(StoreError, match="newer claimscope"):
        open_store(resolve_database_url(str(path)))


@pytest.mark.parametrize(
    ("name", "content"),
    [("not-a-db.db", b"this is a text file, not a database\n" * 100), ("missing/dir/x.db", None)],
)
def test_a_file_that_cannot_be_a_database_is_a_store_error(
    tmp_path: Path, name: str, content: bytes | None
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(StoreError, match="cannot open database"):
        open_store(resolve_database_url(str(path)))

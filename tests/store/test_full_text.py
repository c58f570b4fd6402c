"""Revision 0003's full-text tables: filled with what was stored before it, kept in step after."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import Connection, delete, inspect, text

from claimscope.records import Extraction
from claimscope.store import LedgerFilter, LedgerViews, DocumentFilter, open_store
from claimscope.store import resolve_database_url
from claimscope.store.engine import WRITE, alembic_config, make_engine
from claimscope.store.schema import documents
from claimscope.store.write import child_rows, claim_row, document_row

from tests.store.conftest import insert_as_of_old_revision


def insert_into_old_revision(connection: Connection, extraction: Extraction) -> None:
    tables = set(inspect(connection).get_table_names())
    insert_as_of_old_revision(connection, "documents", [document_row(extraction.document)])
    insert_as_of_old_revision(connection, "claims", [claim_row(extraction.document.id, c)
                                                     for c in extraction.claims])
    for table, rows in child_rows(extraction.claims).items():
        if rows and table.name in tables:
            insert_as_of_old_revision(connection, table.name, rows)


def test_claims_stored_before_revision_0003_are_searchable_after_it(
    tmp_path: Path, seed_extractions
) -> None:
    url = resolve_database_url(str(tmp_path / "old.db"))
    engine = make_engine(url)
    config = alembic_config(url)
    with engine.execution_options(**WRITE).begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0002")
    with engine.execution_options(**WRITE).begin() as connection:
        insert_into_old_revision(connection, seed_extractions[0])
    engine.dispose()
    with open_store(url) as store:  # migrates to head: 0003 copies the rows in, 0009 flags
        views = LedgerViews(store)
        assert views.claims_page(LedgerFilter(q="thwarting"))["count"] == 1
        hedged = [c.id for c in seed_extractions[0].claims if c.factuality.hedged]
        assert hedged, "the seed report has hedged claims: the back-fill is tested on them"
        flagged = views.claims_page(LedgerFilter(hedged=True))["claims"]
        assert sorted(c["id"] for c in flagged) == sorted(hedged)
        store.save(seed_extractions[1])  # stored after 0003: the triggers index it
        assert views.claims_page(LedgerFilter(q="underground"))["count"] == 1
        assert views.claims_page(LedgerFilter(q="Kupyansk"))["count"] >= 3
        assert views.documents_page(DocumentFilter(q="Mash"))["count"] == 1
        # the rows indexed by 0003 got their keys in 0009: deleting them still reaches them
        first = seed_extractions[0].document.id
        store.write(lambda c: c.execute(delete(documents).where(documents.c.id == first)))
        assert views.claims_page(LedgerFilter(q="thwarting"))["count"] == 0
        indexed = text("SELECT count(*) FROM claims_fts")
        assert store.read(lambda c: c.execute(indexed).scalar_one()) == len(
            seed_extractions[1].claims)
        assert views.documents_page(DocumentFilter(q="thwarting"))["count"] == 0
        documents_indexed = text("SELECT count(*) FROM documents_fts")
        assert store.read(lambda c: c.execute(documents_indexed).scalar_one()) == 1


def test_search_words_are_all_required_and_prefixes_marked(store, seed_extractions) -> None:
    for extraction in seed_extractions:
        store.save(extraction)
    views = LedgerViews(store)
    assert views.claims_page(LedgerFilter(q="Kupyansk highways"))["count"] == 1
    assert views.claims_page(LedgerFilter(q="highway"))["count"] == 0
    assert views.claims_page(LedgerFilter(q="highway*"))["count"] == 1
    assert views.claims_page(LedgerFilter(q='"); DROP TABLE claims; --'))["count"] == 0
    assert views.claims_page(LedgerFilter(q="  ,;  "))["count"] == 10  # no word: no filter


def test_only_a_change_of_the_indexed_words_reindexes_a_claim(store, seed_extractions) -> None:
    """Since 0008 the update trigger fires on the words, not on every column: storing a claim's
    proposition figures must not rewrite the full-text index (a scan per claim)."""
    from sqlalchemy import func, select, text, update

    from claimscope.store.schema import claims

    store.save(seed_extractions[0])
    views = LedgerViews(store)
    claim_id = views.claims_page(LedgerFilter(q="thwarting"))["claims"][0]["id"]
    fts_rows = "SELECT rowid FROM claims_fts ORDER BY rowid"
    before = store.read(lambda c: list(c.execute(text(fts_rows)).scalars()))
    store.write(lambda c: c.execute(update(claims).values(proposition_origins=2)))
    assert store.read(lambda c: list(c.execute(text(fts_rows)).scalars())) == before
    store.write(lambda c: c.execute(update(claims).where(claims.c.id == claim_id)
                                    .values(content_text="drones over the Oskil")))
    assert views.claims_page(LedgerFilter(q="Oskil"))["count"] == 1
    indexed = text("SELECT content FROM claims_fts WHERE claim_id = :id")
    assert store.read(lambda c: c.execute(indexed, {"id": claim_id}).scalar_one()) == "drones over the Oskil"
    count = store.read(lambda c: c.execute(select(func.count()).select_from(claims)).scalar_one())
    assert store.read(lambda c: len(c.execute(text(fts_rows)).all())) == count


def test_deleted_claims_leave_the_full_text_index_by_their_key(store, seed_extractions) -> None:
    """Since 0009 a deleted claim's FTS row is found through ``claims_fts_keys``, not by a scan
    of the index; the index, its keys and the claims stay one to one."""
    for extraction in seed_extractions:
        store.save(extraction)
    views = LedgerViews(store)
    assert views.claims_page(LedgerFilter(q="thwarting"))["count"] == 1
    kontora = seed_extractions[0].document.id
    store.write(lambda c: c.execute(delete(documents).where(documents.c.id == kontora)))

    remaining = len(seed_extractions[1].claims)
    assert _rows_index_and_keys(store, "claim") == (remaining, remaining, remaining)
    assert views.claims_page(LedgerFilter(q="thwarting"))["count"] == 0
    assert views.claims_page(LedgerFilter(q="underground"))["count"] == 1
    store.save(seed_extractions[0])  # stored again: indexed again
    assert views.claims_page(LedgerFilter(q="thwarting"))["count"] == 1
    assert _deletes_by_key(store, "claim")


def test_deleted_documents_leave_the_full_text_index_by_their_key(store, seed_extractions) -> None:
    """Since 0010 a deleted or retitled document's FTS row is found through
    ``documents_fts_keys``, not by a scan of the index (which holds every document's text)."""
    from sqlalchemy import update

    for extraction in seed_extractions:
        store.save(extraction)
    views = LedgerViews(store)
    kontora, other = (e.document.id for e in seed_extractions[:2])
    assert views.documents_page(DocumentFilter(q="thwarting"))["count"] == 1
    store.write(lambda c: c.execute(update(documents).where(documents.c.id == other)
                                    .values(title="Oskil crossing")))
    assert views.documents_page(DocumentFilter(q="Oskil"))["count"] == 1
    store.write(lambda c: c.execute(delete(documents).where(documents.c.id == kontora)))

    remaining = len(seed_extractions) - 1
    assert _rows_index_and_keys(store, "document") == (remaining, remaining, remaining)
    assert views.documents_page(DocumentFilter(q="thwarting"))["count"] == 0
    assert views.documents_page(DocumentFilter(q="Oskil"))["count"] == 1
    store.save(seed_extractions[0])  # stored again: indexed again
    assert views.documents_page(DocumentFilter(q="thwarting"))["count"] == 1
    assert _deletes_by_key(store, "document")


def _rows_index_and_keys(store, kind: str) -> tuple[int, ...]:
    """How many rows the table of ``kind`` ("claim", "document"), its FTS index and its keys hold."""
    tables = (f"{kind}s", f"{kind}s_fts", f"{kind}s_fts_keys")
    return store.read(lambda c: tuple(c.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in tables))


def _deletes_by_key(store, kind: str) -> bool:
    """The triggers' delete finds its FTS row through the keys table's index, not a scan."""
    plan = store.read(lambda c: c.exec_driver_sql(
        f"EXPLAIN QUERY PLAN DELETE FROM {kind}s_fts WHERE rowid = "
        f"(SELECT fts_rowid FROM {kind}s_fts_keys WHERE {kind}_id = 'x')").all())
    return not any(f"SCAN {kind}s_fts_keys" in row[-1] for row in plan)

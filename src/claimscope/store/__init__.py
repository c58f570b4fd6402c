"""The ledger in a database: documents and their attributed claims, one writer, migrated schema.

    url = resolve_database_url(db)          # --db value, CLAIMSCOPE_DB, or ./claimscope.db
    with open_store(url) as store:          # created or migrated to head; StoreError if not
        store.save(extraction)              # one transaction per document; False if stored
        store.claims(ClaimFilter(speaker_kind="vague"))   # JSON-ready dicts

Modules: ``schema`` (tables), ``engine`` (URL, connection, migrations), ``write`` (records →
rows), ``read`` (rows → dicts, filters), ``store`` (the Store). ``migrations/`` holds the
append-only Alembic revisions.
"""

from claimscope.store.engine import resolve_database_url
from claimscope.store.read import ClaimFilter
from claimscope.store.store import RecordRejected, Store, open_store

__all__ = ["ClaimFilter", "RecordRejected", "Store", "open_store", "resolve_database_url"]

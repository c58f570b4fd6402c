"""The ledger in a database: documents and their attributed claims, one writer, migrated schema.

    url = resolve_database_url(db)          # --db value, CLAIMSCOPE_DB, or ./claimscope.db
    with open_store(url) as store:          # created or migrated to head; StoreError if not
        store.save(extraction)              # one transaction per document; False if stored
        store.claims(ClaimFilter(speaker_kind="vague"))   # JSON-ready dicts

Modules: ``schema`` (tables), ``engine`` (URL, connection, migrations), ``write`` (records →
rows), ``read`` (rows → dicts, filters), ``store`` (the Store), ``copies`` (copy links and the
MinHash signatures behind them, through the Store's writer), ``views`` (the web desk's
read-only pages of claims, documents and outlets, cut by ``cursors``), ``users`` (the web
desk's users and API tokens), ``propositions`` (claim vectors, propositions, their members
and contradictions, through the Store's writer). ``migrations/`` holds the append-only Alembic revisions.
"""

from claimscope.store.copies import CopyLedger, CopyLink, DocumentSignature, PassageSignature
from claimscope.store.cursors import InvalidCursor
from claimscope.store.engine import resolve_database_url
from claimscope.store.propositions import PropositionLedger
from claimscope.store.read import ClaimFilter
from claimscope.store.store import RecordRejected, Store, open_store
from claimscope.store.users import Accounts, UnknownUser, User, UserExists
from claimscope.store.views import DocumentFilter, LedgerFilter, LedgerViews

__all__ = [
    "ClaimFilter", "CopyLedger", "CopyLink", "DocumentSignature", "PassageSignature",
    "RecordRejected", "Store", "open_store", "resolve_database_url",
    "Accounts", "UnknownUser", "User", "UserExists",
    "DocumentFilter", "InvalidCursor", "LedgerFilter", "LedgerViews",
    "PropositionLedger",
]

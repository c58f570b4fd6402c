"""The Store: the ledger's one writer, and the reads the CLI and the web UI share.

Every write goes through :meth:`Store.save` under one lock on one engine, one transaction per
document, so a run interrupted at any point leaves whole documents or none. Reads open their
own connections beside it (SQLite's WAL journal lets them run while a write is under way).
"""

from __future__ import annotations

import threading

from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, exists, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from claimscope.errors import StoreError
from claimscope.records import Extraction
from claimscope.store.engine import WRITE, display_url, make_engine, migrate
from claimscope.store.read import ClaimFilter, claim_dicts, select_claims, summary
from claimscope.store.schema import claims, documents
from claimscope.store.write import insert_extraction

T = TypeVar("T")


class RecordRejected(StoreError):
    """The database refused one document's records (e.g. two claims with one id): nothing of
    that document was written, and the store itself is fine to go on with.

    Like ReadError, ``source`` names the document and ``problem`` says what was wrong.
    """

    def __init__(self, source: str, problem: str) -> None:
        super().__init__(f"{source}: {problem}")
        self.source = source
        self.problem = problem


def open_store(url: str) -> Store:
    """Open the database at ``url``, creating it and migrating it to the head revision."""
    engine = make_engine(url)
    try:
        migrate(engine)
    except BaseException:
        engine.dispose()
        raise
    return Store(engine)


class Store:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._writer = engine.execution_options(**WRITE)
        self._write_lock = threading.Lock()

    @property
    def url(self) -> str:
        """The database URL, any password hidden."""
        return display_url(self._engine.url.render_as_string(hide_password=False))

    def has_document(self, sha256: str) -> bool:
        query = select(exists().where(documents.c.sha256 == sha256))
        return bool(self.read(lambda connection: connection.execute(query).scalar()))

    def save(self, extraction: Extraction) -> bool:
        """Store the document and all its claims in one transaction, or nothing.

        Returns False, adding nothing, if a document with the same SHA-256 is already stored.
        Raises RecordRejected if the database refuses a record (nothing of the document is
        kept), StoreError if the database cannot be written at all.
        """
        document = extraction.document
        stray = [c.id for c in extraction.claims if c.document_sha256 != document.sha256]
        if stray:
            raise RecordRejected(document.source, f"claim {stray[0]} belongs to another document")
        with self._write_lock:
            try:
                with self._writer.begin() as connection:
                    query = select(exists().where(documents.c.sha256 == document.sha256))
                    if connection.execute(query).scalar():
                        return False
                    insert_extraction(connection, extraction)
            except IntegrityError as error:
                if self.has_document(document.sha256):  # another writer stored it just now
                    return False
                raise RecordRejected(
                    document.source,
                    f"not stored, the database refused it: {getattr(error, 'orig', error)}",
                ) from error
            except SQLAlchemyError as error:
                raise StoreError(
                    f"cannot write to {self.url}: {getattr(error, 'orig', error)}"
                ) from error
        return True

    def claims(self, filters: ClaimFilter = ClaimFilter()) -> list[dict]:
        """Claims matching ``filters`` as JSON-ready dicts, in order of source and sentence."""

        def run(connection):
            query = select_claims(filters, connection.dialect.name)
            return claim_dicts(connection, list(connection.execute(query)))

        return self.read(run)

    def claim(self, claim_id: str) -> dict | None:
        """One claim by its exact id, or None."""

        def run(connection):
            query = select_claims(ClaimFilter()).where(claims.c.id == claim_id)
            rows = list(connection.execute(query))
            return claim_dicts(connection, rows)[0] if rows else None

        return self.read(run)

    def summary(self) -> dict:
        """Counts of documents, outlets, claims, claims by speaker kind and by cue class."""
        return self.read(summary)

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- the plumbing that every part of the store (copies, propositions, users, views) shares --

    def read(self, run: Callable[[Connection], T]) -> T:
        """``run(connection)`` on a read connection; a database error becomes a StoreError
        naming the database."""
        try:
            with self._engine.connect() as connection:
                return run(connection)
        except SQLAlchemyError as error:
            raise StoreError(
                f"cannot read {self.url}: {getattr(error, 'orig', error)}"
            ) from error

    def write(self, run: Callable[[Connection], None]) -> None:
        """``run(connection)`` in one transaction on the one write connection, under the
        Store's lock: one writer per database, whoever writes."""
        with self._write_lock:
            try:
                with self._writer.begin() as connection:
                    run(connection)
            except SQLAlchemyError as error:
                raise StoreError(
                    f"cannot write to {self.url}: {getattr(error, 'orig', error)}"
                ) from error

    def stream(self, query: Any, chunk: int) -> Iterator[list[Any]]:
        """The rows of ``query`` in lists of up to ``chunk``, without holding them all."""
        try:
            with self._engine.connect() as connection:
                result = connection.execution_options(yield_per=chunk).execute(query)
                for rows in result.partitions():
                    yield list(rows)
        except SQLAlchemyError as error:
            raise StoreError(
                f"cannot read {self.url}: {getattr(error, 'orig', error)}"
            ) from error

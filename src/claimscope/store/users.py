"""The web desk's users and API tokens, in the ledger's database.

This module only moves rows: hashing passwords and making tokens is the web desk's job
(``claimscope.web.auth``), so nothing here sees a password or a token in clear. Writes go
through the Store's one writer, like every write to the ledger.

    accounts = Accounts(store)
    accounts.add("ana", "analyst", password_hash, now)     # UserExists if the name is taken
    accounts.add_token("ana", token_sha256, "nightly export", now)
    accounts.by_token(token_sha256)                        # the User, or None
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Connection, func, insert, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from claimscope.errors import StoreError
from claimscope.store.schema import ROLES, api_tokens, users
from claimscope.store.store import Store

T = TypeVar("T")


class UserExists(StoreError):
    """A user of that name is already registered."""


class UnknownUser(StoreError):
    """No user of that name is registered."""


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: str
    password_hash: str
    created_at: datetime

    def may(self, role: str) -> bool:
        """Whether this user holds ``role`` or a higher one (viewer < analyst < admin)."""
        return ROLES.index(self.role) >= ROLES.index(role)


def _user(row: Any) -> User:
    return User(row.id, row.name, row.role, row.password_hash, row.created_at)


class Accounts:
    def __init__(self, store: Store) -> None:
        self._store = store

    def add(self, name: str, role: str, password_hash: str, now: datetime) -> User:
        if role not in ROLES:
            raise StoreError(f"unknown role {role!r}: one of {', '.join(ROLES)}")
        values = dict(name=name, role=role, password_hash=password_hash, created_at=now)
        self._write(
            lambda connection: connection.execute(insert(users).values(**values)),
            conflict=f"a user named {name!r} is already registered",
        )
        found = self.by_name(name)
        assert found is not None
        return found

    def set_password(self, name: str, password_hash: str) -> None:
        query = update(users).where(users.c.name == name).values(password_hash=password_hash)

        def run(connection: Connection) -> None:
            if connection.execute(query).rowcount == 0:
                raise UnknownUser(f"no user named {name!r}")

        self._write(run)

    def by_name(self, name: str) -> User | None:
        query = select(users).where(users.c.name == name)
        return self._read(lambda connection: _first(connection, query))

    def by_id(self, user_id: int) -> User | None:
        query = select(users).where(users.c.id == user_id)
        return self._read(lambda connection: _first(connection, query))

    def all(self) -> list[User]:
        query = select(users).order_by(users.c.name)
        return self._read(lambda connection: [_user(row) for row in connection.execute(query)])

    def count(self) -> int:
        query = select(func.count()).select_from(users)
        return int(self._read(lambda connection: connection.execute(query).scalar_one()))

    def add_token(self, name: str, token_sha256: str, label: str | None, now: datetime) -> None:
        user = self.by_name(name)
        if user is None:
            raise UnknownUser(f"no user named {name!r}")
        values = dict(user_id=user.id, token_sha256=token_sha256, label=label, created_at=now)
        self._write(
            lambda connection: connection.execute(insert(api_tokens).values(**values)),
            conflict="that token is already registered",
        )

    def by_token(self, token_sha256: str) -> User | None:
        query = (
            select(users)
            .join(api_tokens, api_tokens.c.user_id == users.c.id)
            .where(api_tokens.c.token_sha256 == token_sha256)
        )
        return self._read(lambda connection: _first(connection, query))

    def _read(self, run: Callable[[Connection], T]) -> T:
        return self._store._read(run)  # the Store's reads: its engine and its error message

    def _write(self, run: Callable[[Connection], Any], conflict: str = "conflict") -> None:
        # One writer per database: the Store's write connection, under the Store's lock.
        store = self._store
        with store._write_lock:
            try:
                with store._writer.begin() as connection:
                    run(connection)
            except IntegrityError as error:
                raise UserExists(conflict) from error
            except SQLAlchemyError as error:
                raise StoreError(
                    f"cannot write to {store.url}: {getattr(error, 'orig', error)}"
                ) from error


def _first(connection: Connection, query: Any) -> User | None:
    row = connection.execute(query).first()
    return None if row is None else _user(row)

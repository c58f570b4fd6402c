"""The web desk's users and API tokens, in the ledger's database.

This module only moves rows: hashing passwords and making tokens is the web desk's job
(``claimscope.web.auth``), so nothing here sees a password or a token in clear. Writes go
through the Store's one writer, like every write to the ledger.

    accounts = Accounts(store)
    accounts.add("ana", "analyst", password_hash, now)     # UserExists if the name is taken
    accounts.add_token("ana", token_sha256, "nightly export", now)
    accounts.by_token(token_sha256)                        # the User, or None
    accounts.revoke_token(token_id, now)                   # refused from now on, row kept
    accounts.disable("ana", now)                           # no login, every token revoked

Nothing is deleted: a revoked token or a disabled user keeps its row and gets a time, so
who could use the desk, and until when, stays on record.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Connection, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from claimscope.errors import StoreError
from claimscope.store.schema import ROLES, api_tokens, users
from claimscope.store.store import Store

T = TypeVar("T")


class UserExists(StoreError):
    """A user of that name is already registered."""


class UnknownUser(StoreError):
    """No user of that name is registered."""


class UnknownToken(StoreError):
    """No API token has that id."""


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: str
    password_hash: str
    created_at: datetime
    disabled_at: datetime | None = None

    @property
    def active(self) -> bool:
        """Whether the user may still log in or use a token (not disabled)."""
        return self.disabled_at is None

    def may(self, role: str) -> bool:
        """Whether this user holds ``role`` or a higher one (viewer < analyst < admin)."""
        return ROLES.index(self.role) >= ROLES.index(role)


def _user(row: Any) -> User:
    return User(row.id, row.name, row.role, row.password_hash, row.created_at, row.disabled_at)


@dataclass(frozen=True)
class ApiToken:
    """What is on record about a token: never the token itself, nor its hash."""

    id: int
    user_name: str
    label: str | None
    created_at: datetime
    revoked_at: datetime | None

    def to_dict(self) -> dict:
        return {
            "id": self.id, "user": self.user_name, "label": self.label,
            "created_at": self.created_at.isoformat(),
            "revoked_at": self.revoked_at.isoformat() if self.revoked_at else None,
        }


_TOKEN_COLUMNS = (api_tokens.c.id, users.c.name, api_tokens.c.label, api_tokens.c.created_at,
                  api_tokens.c.revoked_at)


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

    def add_token(self, name: str, token_sha256: str, label: str | None,
                  now: datetime) -> ApiToken:
        """Register a token's hash for user ``name``; what is on record about it."""
        user = self._existing(name)
        if not user.active:
            raise StoreError(f"user {name!r} is disabled: enable them first")
        values = dict(user_id=user.id, token_sha256=token_sha256, label=label, created_at=now)
        query = insert(api_tokens).values(**values).returning(api_tokens.c.id)
        made: list[int] = []
        self._write(lambda connection: made.append(connection.execute(query).scalar_one()),
                    conflict="that token is already registered")
        found = self.token(made[0])
        assert found is not None
        return found

    def by_token(self, token_sha256: str) -> User | None:
        """The user holding this token, or None: also when it is revoked or they are disabled."""
        query = (
            select(users)
            .join(api_tokens, api_tokens.c.user_id == users.c.id)
            .where(api_tokens.c.token_sha256 == token_sha256,
                   api_tokens.c.revoked_at.is_(None), users.c.disabled_at.is_(None))
        )
        return self._read(lambda connection: _first(connection, query))

    def tokens(self, name: str) -> list[ApiToken]:
        """User ``name``'s tokens, revoked ones included, oldest first."""
        user = self._existing(name)
        query = (select(*_TOKEN_COLUMNS).join(users, users.c.id == api_tokens.c.user_id)
                 .where(api_tokens.c.user_id == user.id).order_by(api_tokens.c.id))
        return self._read(lambda connection: [ApiToken(*row) for row in connection.execute(query)])

    def all_tokens(self) -> list[ApiToken]:
        """Every user's tokens, revoked ones included, by user name then age (the admin page)."""
        query = (select(*_TOKEN_COLUMNS).join(users, users.c.id == api_tokens.c.user_id)
                 .order_by(users.c.name, api_tokens.c.id))
        return self._read(lambda connection: [ApiToken(*row) for row in connection.execute(query)])

    def token(self, token_id: int) -> ApiToken | None:
        query = (select(*_TOKEN_COLUMNS).join(users, users.c.id == api_tokens.c.user_id)
                 .where(api_tokens.c.id == token_id))
        row = self._read(lambda connection: connection.execute(query).first())
        return None if row is None else ApiToken(*row)

    def revoke_token(self, token_id: int, now: datetime) -> ApiToken:
        """Refuse token ``token_id`` from ``now`` on; a token revoked before keeps its time."""
        query = (update(api_tokens)
                 .where(api_tokens.c.id == token_id, api_tokens.c.revoked_at.is_(None))
                 .values(revoked_at=now))
        self._write(lambda connection: connection.execute(query))
        found = self.token(token_id)
        if found is None:
            raise UnknownToken(f"no API token with id {token_id}")
        return found

    def revoke_tokens(self, name: str, now: datetime) -> list[ApiToken]:
        """Revoke every live token of user ``name``; the tokens revoked by this call."""
        user = self._existing(name)
        revoked: list[int] = []
        query = _revoke_all(user.id, now).returning(api_tokens.c.id)
        self._write(lambda connection: revoked.extend(connection.execute(query).scalars()))
        return [t for t in self.tokens(name) if t.id in revoked]

    def disable(self, name: str, now: datetime) -> User:
        """Disable user ``name`` and revoke their tokens, in one transaction: enabling them
        again later does not bring old tokens back."""
        user = self._existing(name)

        def run(connection: Connection) -> None:
            connection.execute(update(users).where(users.c.id == user.id,
                                                   users.c.disabled_at.is_(None))
                               .values(disabled_at=now))
            connection.execute(_revoke_all(user.id, now))

        self._write(run)
        return self._existing(name)

    def enable(self, name: str) -> User:
        """Let a disabled user log in again (with a new token for scripts)."""
        user = self._existing(name)
        query = update(users).where(users.c.id == user.id).values(disabled_at=None)
        self._write(lambda connection: connection.execute(query))
        return self._existing(name)

    def _existing(self, name: str) -> User:
        user = self.by_name(name)
        if user is None:
            raise UnknownUser(f"no user named {name!r}")
        return user

    def _read(self, run: Callable[[Connection], T]) -> T:
        return self._store.read(run)

    def _write(self, run: Callable[[Connection], Any], conflict: str = "conflict") -> None:
        try:
            self._store.write(run)
        except StoreError as error:
            if isinstance(error.__cause__, IntegrityError):
                raise UserExists(conflict) from error.__cause__
            raise


def _revoke_all(user_id: int, now: datetime) -> Any:
    return (update(api_tokens)
            .where(api_tokens.c.user_id == user_id, api_tokens.c.revoked_at.is_(None))
            .values(revoked_at=now))


def _first(connection: Connection, query: Any) -> User | None:
    row = connection.execute(query).first()
    return None if row is None else _user(row)

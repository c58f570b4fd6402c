"""Who is asking, and may they: passwords, API tokens, sessions, CSRF tokens and roles.

- Passwords are hashed with argon2id (argon2-cffi's defaults); a login for an unknown name
  still verifies against a dummy hash, so timing does not tell which names exist.
- API tokens (``Authorization: Bearer …``) are random, shown once, stored as SHA-256;
  a revoked token, or any token of a disabled user, is refused (401) like an unknown one.
- A disabled user cannot log in, and a session they already hold stops working.
- A browser session is a signed cookie (Starlette's SessionMiddleware) holding the user's id
  and a CSRF token; every POST form carries that token and is refused without it.
- When the server is bound beyond the loopback, every page and API call needs a user; on
  127.0.0.1 a visitor without one reads as a viewer.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timezone
from typing import NamedTuple

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from fastapi import HTTPException, Request

from claimscope.store import Accounts, Store, User
from claimscope.store.users import ApiToken

ROLES = ("viewer", "analyst", "admin")
MIN_PASSWORD_LENGTH = 8
LOOPBACK_HOSTS = ("127.0.0.1", "::1", "localhost")
SESSION_USER = "user_id"
SESSION_CSRF = "csrf"
CSRF_FIELD = "csrf_token"

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


class LoginRequired(Exception):
    """Raised by a page dependency when the visitor must log in first."""


def is_loopback(host: str) -> bool:
    return host in LOOPBACK_HOSTS or host.startswith("127.")


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    return _hasher.hash(password)


def verify_password(user: User | None, password: str) -> bool:
    """Whether ``password`` is ``user``'s; never for a disabled user (still hashed, so the
    answer takes as long)."""
    try:
        return (_hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
                and user is not None and user.active)
    except (VerificationError, InvalidHashError):
        return False


def add_user(store: Store, name: str, role: str, password: str) -> User:
    """Register a user (``claimscope users add``, the admin page): one call, one row."""
    name = name.strip()
    if not name or len(name) > 100 or any(ch.isspace() or not ch.isprintable() for ch in name):
        raise ValueError("a user name is 1 to 100 printable characters without spaces")
    if role not in ROLES:
        raise ValueError(f"a role is one of {', '.join(ROLES)}")
    return Accounts(store).add(name, role, hash_password(password), _now())


class NewToken(NamedTuple):
    """A token just made: its ``secret`` is shown this once; ``record`` is what is kept."""

    secret: str
    record: ApiToken


def new_token(store: Store, name: str, label: str | None = None) -> NewToken:
    """A new API token for user ``name``: returned once, only its SHA-256 is kept."""
    secret = "cs_" + secrets.token_urlsafe(32)
    return NewToken(secret, Accounts(store).add_token(name, _digest(secret), label, _now()))


def user_for_token(store: Store, token: str) -> User | None:
    return Accounts(store).by_token(_digest(token))


def revoke_token(store: Store, token_id: int) -> ApiToken:
    """Refuse the token ``token_id`` from now on (``claimscope users revoke-token``)."""
    return Accounts(store).revoke_token(token_id, _now())


def revoke_tokens(store: Store, name: str) -> list[ApiToken]:
    """Refuse every token of user ``name`` from now on; the ones this revoked."""
    return Accounts(store).revoke_tokens(name, _now())


def disable_user(store: Store, name: str) -> User:
    """Shut user ``name`` out: no login, no session, every token revoked; rows kept."""
    return Accounts(store).disable(name, _now())


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _now() -> datetime:
    return datetime.now(timezone.utc)


# -- per request -------------------------------------------------------------------------


def current_user(request: Request) -> User | None:
    """The user behind a request: its bearer token, else its session; cached per request."""
    if "user" in request.scope.get("state", {}):
        return request.state.user
    store: Store = request.app.state.store
    user = None
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        user = user_for_token(store, token.strip())
        request.state.via_token = True
    elif isinstance(request.session.get(SESSION_USER), int):
        user = Accounts(store).by_id(request.session[SESSION_USER])
        if user is not None and not user.active:
            user = None
    request.state.user = user
    return user


def require_reader(request: Request) -> User | None:
    """Dependency of every page and API call: anyone on loopback, else a logged-in user."""
    user = current_user(request)
    if user is None and (request.app.state.require_login or getattr(
            request.state, "via_token", False)):
        if request.url.path.startswith("/api/"):
            raise HTTPException(401, "log in or send a token", {"WWW-Authenticate": "Bearer"})
        raise LoginRequired()
    return user


def require_role(role: str):
    """A dependency refusing (403) anyone below ``role``; a visitor is sent to log in."""

    def check(request: Request) -> User:
        user = current_user(request)
        if user is None:
            if request.url.path.startswith("/api/"):
                raise HTTPException(401, "log in or send a token", {"WWW-Authenticate": "Bearer"})
            raise LoginRequired()
        if not user.may(role):
            raise HTTPException(403, f"this needs the {role} role")
        return user

    return check


def csrf_token(request: Request) -> str:
    """The session's CSRF token, made on first use; put in every form as ``csrf_token``."""
    token = request.session.get(SESSION_CSRF)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session[SESSION_CSRF] = token
    return token


def check_csrf(request: Request, submitted: str | None) -> None:
    expected = request.session.get(SESSION_CSRF)
    if not (isinstance(expected, str) and submitted
            and hmac.compare_digest(expected.encode(), submitted.encode())):
        raise HTTPException(403, "the form's CSRF token is missing or stale: reload the page")


def log_in(request: Request, user: User) -> None:
    """A fresh session for ``user``: new CSRF token, nothing kept from before (fixation)."""
    request.session.clear()
    request.session[SESSION_USER] = user.id
    request.session[SESSION_CSRF] = secrets.token_urlsafe(32)
    request.state.user = user


def log_out(request: Request) -> None:
    request.session.clear()
    request.state.user = None

"""Revision 0007 on a ledger that already has users and tokens: they keep working."""

from __future__ import annotations

from datetime import datetime, timezone

from alembic import command
from sqlalchemy import create_engine

from claimscope.store import Accounts, open_store, resolve_database_url
from claimscope.store.engine import alembic_config

CREATED = datetime(2025, 11, 23, 18, 0, tzinfo=timezone.utc)


def test_tokens_made_before_revocation_existed_stay_valid(tmp_path) -> None:
    url = resolve_database_url(str(tmp_path / "before.db"))
    engine = create_engine(url)
    config = alembic_config(url)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0006")
        connection.exec_driver_sql(
            "INSERT INTO users (name, role, password_hash, created_at) "
            f"VALUES ('ana', 'analyst', 'x', '{CREATED.isoformat()}')")
        connection.exec_driver_sql(
            "INSERT INTO api_tokens (user_id, token_sha256, created_at) "
            f"VALUES (1, '{'a' * 64}', '{CREATED.isoformat()}')")
    engine.dispose()
    with open_store(url) as store:
        accounts = Accounts(store)
        assert accounts.by_token("a" * 64).name == "ana"
        (token,) = accounts.tokens("ana")
        assert token.revoked_at is None and token.created_at == CREATED
        assert accounts.by_name("ana").active
        accounts.revoke_token(token.id, CREATED)
        assert accounts.by_token("a" * 64) is None

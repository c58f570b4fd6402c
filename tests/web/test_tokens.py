"""Revoking API tokens and disabling users (issue 5): refused by the API, kept on record."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from lxml import html
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from claimscope.cli import cli
from claimscope.errors import StoreError
from claimscope.store import Accounts, UnknownUser, open_store, resolve_database_url
from claimscope.store.schema import api_tokens
from claimscope.store.users import UnknownToken
from claimscope.web import add_user, create_app, new_token
from claimscope.web.auth import disable_user, revoke_token, revoke_tokens
from tests.web.conftest import PASSWORDS
from tests.web.test_auth import log_in


@pytest.fixture
def db(tmp_path) -> str:
    """A fresh ledger's path with the users of the desk's tests (ada, ana, vic)."""
    path = str(tmp_path / "tokens.db")
    with open_store(resolve_database_url(path)) as store:
        for name, role in (("ada", "admin"), ("ana", "analyst"), ("vic", "viewer")):
            add_user(store, name, role, PASSWORDS[name])
    return path


@pytest.fixture
def store(db):
    with open_store(resolve_database_url(db)) as opened:
        yield opened


@pytest.fixture(params=[False, True], ids=["loopback", "require-login"])
def client(request, store) -> TestClient:
    """The desk on the loopback and beyond it: a bad token is a 401 on both."""
    with TestClient(create_app(store, require_login=request.param)) as test_client:
        yield test_client


def api_status(client: TestClient, token: str) -> int:
    return client.get("/api/v1/claims?limit=1",
                      headers={"Authorization": f"Bearer {token}"}).status_code


def token_ids(store, name: str) -> list[int]:
    return [t.id for t in Accounts(store).tokens(name)]


def test_a_revoked_token_is_refused_and_the_users_other_token_still_works(client, store):
    kept = new_token(store, "ana", "kept").secret
    revoked = new_token(store, "ana", "revoked").secret
    assert api_status(client, kept) == api_status(client, revoked) == 200
    record = revoke_token(store, token_ids(store, "ana")[1])
    assert record.label == "revoked" and record.revoked_at is not None
    assert api_status(client, revoked) == 401
    assert api_status(client, kept) == 200


def test_revoking_all_of_a_users_tokens_leaves_other_users_tokens(client, store):
    mine = [new_token(store, "ana", label).secret for label in ("a", "b", "c")]
    theirs = new_token(store, "vic").secret
    revoke_token(store, token_ids(store, "ana")[0])
    revoked = revoke_tokens(store, "ana")
    assert [t.label for t in revoked] == ["b", "c"]  # "a" was revoked already
    assert [api_status(client, token) for token in mine] == [401, 401, 401]
    assert api_status(client, theirs) == 200


def test_revocation_keeps_the_row_and_its_first_time(store):
    new_token(store, "vic", "audit")
    (token_id,) = token_ids(store, "vic")
    first = revoke_token(store, token_id)
    again = revoke_token(store, token_id)
    assert again.revoked_at == first.revoked_at
    count = store.read(lambda c: c.execute(select(func.count()).select_from(api_tokens))
                       .scalar_one())
    assert count == 1
    assert Accounts(store).tokens("vic") == [first]


def test_unknown_tokens_and_users_are_store_errors(store):
    with pytest.raises(UnknownToken, match="no API token with id 42"):
        revoke_token(store, 42)
    with pytest.raises(UnknownUser, match="nobody"):
        revoke_tokens(store, "nobody")
    with pytest.raises(UnknownUser, match="nobody"):
        Accounts(store).tokens("nobody")


def test_a_disabled_user_loses_tokens_login_and_session(store):
    token = new_token(store, "ana").secret
    with TestClient(create_app(store, require_login=True)) as client:
        assert log_in(client, "ana").status_code == 303
        assert client.get("/api/v1/claims").status_code == 200
        disable_user(store, "ana")
        assert client.get("/api/v1/claims").status_code == 401  # the open session
        assert api_status(client, token) == 401
        refused = log_in(client, "ana")
        assert refused.status_code == 400 and "Wrong name or password" in refused.text
    assert all(t.revoked_at is not None for t in Accounts(store).tokens("ana"))
    with pytest.raises(StoreError, match="disabled"):
        new_token(store, "ana")


def test_enabling_a_user_again_does_not_bring_old_tokens_back(store):
    old = new_token(store, "vic").secret
    disable_user(store, "vic")
    assert Accounts(store).enable("vic").active
    fresh = new_token(store, "vic").secret
    with TestClient(create_app(store, require_login=True)) as client:
        assert api_status(client, old) == 401
        assert api_status(client, fresh) == 200
        assert log_in(client, "vic").status_code == 303


def run(*args: str):
    return CliRunner().invoke(cli, ["users", *args])


def test_cli_lists_revokes_and_disables(db, store):
    for label in ("nightly export", "notebook"):
        assert run("token", "ana", "--label", label, "--db", db).exit_code == 0
    listed = run("tokens", "ana", "--json", "--db", db)
    assert listed.exit_code == 0, listed.output
    tokens = json.loads(listed.output)
    assert [(t["user"], t["label"], t["revoked_at"]) for t in tokens] == [
        ("ana", "nightly export", None), ("ana", "notebook", None)]
    assert set(tokens[0]) == {"id", "user", "label", "created_at", "revoked_at"}

    one = run("revoke-token", str(tokens[0]["id"]), "--json", "--db", db)
    assert one.exit_code == 0, one.output
    assert [t["id"] for t in json.loads(one.output)] == [tokens[0]["id"]]
    plain = run("tokens", "ana", "--db", db).output.splitlines()
    assert "revoked" in plain[0] and plain[1].endswith("live")

    rest = run("revoke-token", "--all", "ana", "--json", "--db", db)
    assert [t["label"] for t in json.loads(rest.output)] == ["notebook"]

    assert run("token", "vic", "--db", db).exit_code == 0
    disabled = run("disable", "vic", "--json", "--db", db)
    assert json.loads(disabled.output)[0]["disabled_at"] is not None
    assert all(t.revoked_at for t in Accounts(store).tokens("vic"))
    users = {u["name"]: u["disabled_at"] for u in json.loads(run("list", "--json", "--db", db)
                                                            .output)}
    assert users["vic"] is not None and users["ana"] is None
    assert json.loads(run("enable", "vic", "--json", "--db", db).output)[0]["disabled_at"] is None


@pytest.mark.parametrize(("args", "message"), [
    (["revoke-token"], "a TOKEN_ID or --all NAME"),
    (["revoke-token", "1", "--all", "ana"], "a TOKEN_ID or --all NAME"),
    (["revoke-token", "99"], "no API token with id 99"),
    (["revoke-token", "zero"], "not a valid integer"),
    (["revoke-token", "--all", "nobody"], "no user named 'nobody'"),
    (["tokens", "nobody"], "no user named 'nobody'"),
    (["disable", "nobody"], "no user named 'nobody'"),
])
def test_cli_bad_input_is_one_line_not_a_traceback(db, args, message):
    result = run(*args, "--db", db)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_cli_prints_a_new_token_with_its_record_as_json(db, store):
    made = run("token", "ana", "--label", "nightly export", "--json", "--db", db)
    assert made.exit_code == 0, made.output
    found = json.loads(made.output)
    assert set(found) == {"token", "id", "user", "label", "created_at", "revoked_at"}
    assert (found["user"], found["label"], found["revoked_at"]) == ("ana", "nightly export", None)
    with TestClient(create_app(store)) as client:
        assert api_status(client, found["token"]) == 200
        assert run("revoke-token", str(found["id"]), "--db", db).exit_code == 0
        assert api_status(client, found["token"]) == 401


def admin_post(client: TestClient, path: str) -> object:
    """A button of the admin page: its form's CSRF token, posted to its action."""
    page = html.fromstring(client.get("/admin/users").text)
    (form,) = page.xpath(f"//form[@action='{path}']")
    token = form.xpath(".//input[@name='csrf_token']/@value")[0]
    return client.post(path, data={"csrf_token": token})


def test_the_admin_page_revokes_tokens_and_disables_and_enables_users(store):
    token = new_token(store, "ana", "notebook")
    with TestClient(create_app(store, require_login=True)) as client:
        assert log_in(client, "ada").status_code == 303
        rows = html.fromstring(client.get("/admin/users").text).xpath(
            "//h2[.='API tokens']/following-sibling::table[1]//tbody/tr")
        assert [r.xpath("string(td[3])") for r in rows] == ["notebook"]

        revoked = admin_post(client, f"/admin/tokens/{token.record.id}/revoke")
        assert revoked.status_code == 200 and f"Revoked token {token.record.id}" in revoked.text
        assert api_status(client, token.secret) == 401
        assert not html.fromstring(revoked.text).xpath(
            f"//form[@action='/admin/tokens/{token.record.id}/revoke']")  # no button twice

        fresh = new_token(store, "vic").secret
        assert admin_post(client, "/admin/users/vic/disable").status_code == 200
        assert api_status(client, fresh) == 401
        assert not Accounts(store).by_name("vic").active
        assert admin_post(client, "/admin/users/vic/enable").status_code == 200
        assert Accounts(store).by_name("vic").active

        # no button to shut oneself out, and the route refuses it too
        assert not html.fromstring(client.get("/admin/users").text).xpath(
            "//form[@action='/admin/users/ada/disable']")
        page = html.fromstring(client.get("/admin/users").text)
        csrf = page.xpath("//form[@method='post']//input[@name='csrf_token']/@value")[0]
        refused = client.post("/admin/users/ada/disable", data={"csrf_token": csrf})
        assert refused.status_code == 400 and Accounts(store).by_name("ada").active
        assert client.post("/admin/users/nobody/disable",
                           data={"csrf_token": csrf}).status_code == 404
        assert client.post("/admin/tokens/999/revoke", data={"csrf_token": csrf}).status_code == 404
        assert client.post("/admin/users/vic/disable", data={}).status_code == 403  # no CSRF


def test_only_an_admin_may_use_the_admin_buttons(store):
    token = new_token(store, "vic")
    with TestClient(create_app(store, require_login=True)) as client:
        assert log_in(client, "ana").status_code == 303
        csrf = html.fromstring(client.get("/").text).xpath(
            "//form[@method='post']//input[@name='csrf_token']/@value")[0]
        assert client.post(f"/admin/tokens/{token.record.id}/revoke",
                           data={"csrf_token": csrf}).status_code == 403
        assert client.post("/admin/users/vic/disable", data={"csrf_token": csrf}).status_code == 403
    assert api_status_without_login(store, token.secret) == 200
    assert Accounts(store).by_name("vic").active


def api_status_without_login(store, token: str) -> int:
    with TestClient(create_app(store)) as client:
        return api_status(client, token)

"""Users, logins, tokens, CSRF and roles; and the CLI commands that make users and tokens."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from lxml import html
from sqlalchemy import select

from claimscope.cli import cli
from claimscope.store.schema import api_tokens, users
from tests.web.conftest import PASSWORDS


def form_token(client, path: str = "/login") -> str:
    page = html.fromstring(client.get(path).text)
    (token,) = page.xpath("//form[@method='post']//input[@name='csrf_token']/@value")[:1]
    return token


def log_in(client, name: str, next: str = "/") -> object:
    return client.post("/login", data={
        "name": name, "password": PASSWORDS[name], "csrf_token": form_token(client),
        "next": next,
    }, follow_redirects=False)


def test_logging_in_shows_the_user_and_logging_out_ends_it(client) -> None:
    response = log_in(client, "ana")
    assert response.status_code == 303 and response.headers["location"] == "/"
    page = html.fromstring(client.get("/").text)
    assert "ana" in page.xpath("string(//header//span[@class='user'])")
    logout = client.post("/logout", data={"csrf_token": form_token(client, "/")},
                         follow_redirects=False)
    assert logout.status_code == 303
    assert html.fromstring(client.get("/").text).xpath("//header//a[text()='Log in']")


def test_login_without_the_csrf_token_is_refused(client) -> None:
    client.get("/login")
    response = client.post("/login", data={"name": "ana", "password": PASSWORDS["ana"]})
    assert response.status_code == 403


def test_logout_without_the_csrf_token_is_refused(client) -> None:
    assert log_in(client, "ana").status_code == 303
    assert client.post("/logout", data={}).status_code == 403
    assert "ana" in client.get("/").text


@pytest.mark.parametrize("name, password", [("ana", "wrong-password"), ("nobody", "whatever1")])
def test_a_wrong_name_or_password_is_one_answer(client, name, password) -> None:
    response = client.post("/login", data={
        "name": name, "password": password, "csrf_token": form_token(client)})
    assert response.status_code == 400
    assert "Wrong name or password" in response.text


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/\\evil"])
def test_login_never_redirects_off_site(client, target) -> None:
    assert log_in(client, "vic", next=target).headers["location"] == "/"


def test_login_returns_to_the_page_asked_for(client) -> None:
    assert log_in(client, "vic", next="/outlets?x=1").headers["location"] == "/outlets?x=1"


def test_beyond_loopback_every_page_and_call_needs_a_user(locked_client) -> None:
    page = locked_client.get("/outlets", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/login?next=%2Foutlets"
    assert locked_client.get("/api/v1/claims").status_code == 401
    assert locked_client.get("/login").status_code == 200
    assert locked_client.get("/static/desk.css").status_code == 200
    assert log_in(locked_client, "vic").status_code == 303
    assert locked_client.get("/outlets").status_code == 200
    assert locked_client.get("/api/v1/claims").status_code == 200


def test_a_token_opens_the_api_and_an_unknown_one_is_refused(locked_client, token) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    assert locked_client.get("/api/v1/claims?limit=1", headers=headers).status_code == 200
    bad = {"Authorization": "Bearer cs_not-a-token"}
    assert locked_client.get("/api/v1/claims", headers=bad).status_code == 401


def test_a_viewer_may_not_manage_users_an_admin_may(client) -> None:
    log_in(client, "vic")
    assert client.get("/admin/users").status_code == 403
    client.post("/logout", data={"csrf_token": form_token(client, "/")})
    log_in(client, "ada")
    page = client.get("/admin/users")
    assert page.status_code == 200 and "vic" in page.text


def test_an_admin_adds_a_user_through_a_form_with_its_csrf_token(client) -> None:
    log_in(client, "ada")
    data = {"name": "newbie", "role": "viewer", "password": "newbie-pass-1"}
    assert client.post("/admin/users", data=data).status_code == 403
    response = client.post("/admin/users", data={**data, "csrf_token": form_token(
        client, "/admin/users")})
    assert response.status_code == 200 and "Added newbie" in response.text
    again = client.post("/admin/users", data={**data, "csrf_token": form_token(
        client, "/admin/users")})
    assert again.status_code == 400 and "already registered" in again.text


def test_passwords_and_tokens_are_stored_only_hashed(store, token) -> None:
    with store._engine.connect() as connection:
        hashes = connection.execute(select(users.c.password_hash)).scalars().all()
        digests = connection.execute(select(api_tokens.c.token_sha256)).scalars().all()
    assert hashes and all(h.startswith("$argon2id$") for h in hashes)
    assert not any(p in h for h in hashes for p in PASSWORDS.values())
    assert token not in digests and all(len(d) == 64 for d in digests)


def test_users_commands_add_list_and_make_tokens(tmp_path) -> None:
    db = str(tmp_path / "users.db")
    runner = CliRunner()
    added = runner.invoke(cli, ["users", "add", "eve", "--role", "analyst", "--db", db],
                          input="long-enough-1\nlong-enough-1\n")
    assert added.exit_code == 0, added.output
    assert "added eve (analyst)" in added.output
    twice = runner.invoke(cli, ["users", "add", "eve", "--db", db],
                          input="long-enough-1\nlong-enough-1\n")
    assert twice.exit_code == 2 and "already registered" in twice.output
    short = runner.invoke(cli, ["users", "add", "bob", "--db", db], input="short\nshort\n")
    assert short.exit_code == 2 and "at least 8" in short.output
    listed = runner.invoke(cli, ["users", "list", "--json", "--db", db])
    assert [u["name"] for u in json.loads(listed.output)] == ["eve"]
    made = runner.invoke(cli, ["users", "token", "eve", "--db", db])
    assert made.exit_code == 0 and made.output.strip().startswith("cs_")
    nobody = runner.invoke(cli, ["users", "token", "nobody", "--db", db])
    assert nobody.exit_code == 2 and "no user named" in nobody.output

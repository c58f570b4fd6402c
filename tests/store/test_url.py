"""resolve_database_url: a --db value, else CLAIMSCOPE_DB, else ./claimscope.db."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from claimscope.store import resolve_database_url


@pytest.fixture(autouse=True)
def no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CLAIMSCOPE_DB", raising=False)


def sqlite_file(url: str) -> str:
    parsed = make_url(url)
    assert parsed.get_backend_name() == "sqlite"
    return parsed.database


def test_default_is_claimscope_db_in_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert sqlite_file(resolve_database_url(None)) == str(tmp_path / "claimscope.db")


def test_environment_variable_when_no_value(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAIMSCOPE_DB", "postgresql://u@db.example/claims")
    assert resolve_database_url(None) == "postgresql://u@db.example/claims"


def test_a_value_wins_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAIMSCOPE_DB", "sqlite:///env.db")
    assert resolve_database_url("sqlite:////tmp/given.db") == "sqlite:////tmp/given.db"


@pytest.mark.parametrize(
    "url", ["sqlite:///relative.db", "sqlite:////abs/path.db", "postgresql+psycopg://u:p@h/db"]
)
def test_a_url_is_kept_as_given(url: str) -> None:
    assert resolve_database_url(url) == url


def test_a_relative_path_is_sqlite_in_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert sqlite_file(resolve_database_url("data/ledger.db")) == str(tmp_path / "data/ledger.db")


def test_home_is_expanded(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    assert sqlite_file(resolve_database_url("~/x.db")) == str(tmp_path / "x.db")


@pytest.mark.parametrize("name", ["odd?name#1.db", "with space.db", "per%cent.db"])
def test_characters_special_in_urls_stay_part_of_the_file_name(
    tmp_path: Path, name: str
) -> None:
    assert sqlite_file(resolve_database_url(str(tmp_path / name))) == str(tmp_path / name)


def test_memory_is_an_in_memory_sqlite() -> None:
    assert resolve_database_url(":memory:") == "sqlite://"

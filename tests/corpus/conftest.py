"""A fresh ledger per test and the real articles copies are derived from."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimscope.store import Store, open_store, resolve_database_url

from .helpers import Article, releases, seeds


@pytest.fixture
def store(tmp_path: Path) -> Store:
    opened = open_store(resolve_database_url(str(tmp_path / "ledger.db")))
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def articles() -> dict[str, Article]:
    """The six press releases and the two seed reports, by name."""
    found = {article.name: article for article in [*releases(), *seeds()]}
    assert len(found) == 8, sorted(found)
    return found

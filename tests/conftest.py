"""Shared fixtures: the seed reports (read from ../shared, copied at test time) and one
spaCy-based extractor per session (with and without the tagger)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


@pytest.fixture(scope="session")
def seed_paths() -> list[Path]:
    paths = sorted(SEEDS.glob("*.txt"))
    assert paths, f"the seed reports are missing: expected *.txt in {SEEDS}"
    return paths


@pytest.fixture
def seed_dir(tmp_path: Path, seed_paths: list[Path]) -> Path:
    """A folder holding a copy of each seed report."""
    folder = tmp_path / "articles"
    folder.mkdir()
    for path in seed_paths:
        shutil.copyfile(path, folder / path.name)
    return folder


@pytest.fixture(scope="session")
def extractor():
    from claimscope.nlp import Extractor

    return Extractor.load()


@pytest.fixture(scope="session")
def tagged_extractor():
    """The extractor of ``analyze --tagger``: the rules with the trained tagger."""
    from claimscope.nlp import Extractor

    return Extractor.load(tagger=True)


@pytest.fixture
def invoke(extractor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Run a command against a fresh database, with the session's extractor."""
    monkeypatch.delenv("CLAIMSCOPE_DB", raising=False)
    monkeypatch.setenv("COLUMNS", "240")  # a wide terminal: table cells are not wrapped
    db = str(tmp_path / "ledger.db")

    from claimscope.cli import cli

    def run(*args: str):
        result = CliRunner().invoke(cli, [*args, "--db", db], obj={"extractor": extractor})
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result

    return run

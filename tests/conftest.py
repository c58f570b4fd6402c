"""Shared fixtures: the seed reports (read from ../shared, copied at test time) and one
spaCy-based extractor per session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

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

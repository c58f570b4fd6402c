"""Real text for the readers: the seed reports and the press releases, read from
``../shared`` where they live (never copied into the repository), and a fixed clock."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import pytest

from claimscope.ingest import ReadOptions

from .helpers import KREMLIN_CSV, NOW


@pytest.fixture
def options() -> ReadOptions:
    return ReadOptions(now=lambda: NOW)


@pytest.fixture(scope="session")
def seed_paragraphs(seed_paths: list[Path]) -> list[list[str]]:
    """Each seed report as its list of non-blank paragraphs."""
    return [
        [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        for path in seed_paths
    ]


@pytest.fixture(scope="session")
def kremlin_rows() -> list[dict[str, str]]:
    """The Kremlin press releases as header → cell rows, read with the csv module."""
    assert KREMLIN_CSV.exists(), f"the press releases are missing: {KREMLIN_CSV}"
    limit = csv.field_size_limit(sys.maxsize)  # one release is longer than the default cap
    try:
        with KREMLIN_CSV.open(encoding="utf-8", newline="") as file:
            return list(csv.DictReader(file))
    finally:
        csv.field_size_limit(limit)

"""A ledger of the seed reports and the shipped press releases, analysed by the real extractor
and linked by the real linker (what `claimscope analyze` does), with an analyst and a viewer:
what the verdict tests of the CLI, the corpus and ClaimReview start from."""

from __future__ import annotations

import shutil
from pathlib import Path

from claimscope.analyze import analyze
from claimscope.corpus import LinkSettings, link_copies
from claimscope.corpus.propositions import link_propositions
from claimscope.ingest import ReadOptions
from claimscope.store import open_store, resolve_database_url
from claimscope.web import add_user

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = [ROOT / "examples" / "seeds", ROOT / "examples" / "press-releases"]


def build(folder: Path, extractor) -> Path:
    """The analysed, linked ledger as a file in ``folder``."""
    path = folder / "verdicts.db"
    with open_store(resolve_database_url(str(path))) as store:
        report = analyze(EXAMPLES, store, extractor, ReadOptions())
        assert not report.failures, report.failures
        link_copies(store, LinkSettings())
        assert link_propositions(store).propositions > 3
        add_user(store, "ana", "analyst", "analyst-pass-1")
        add_user(store, "vic", "viewer", "viewer-pass-1")
    return path


def copy(path: Path, folder: Path) -> str:
    """A copy of the ledger for one test to change; its --db value."""
    target = folder / "ledger.db"
    shutil.copyfile(path, target)
    return str(target)

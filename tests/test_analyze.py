"""analyze(): the real readers and the real extractor on the seed reports."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from claimscope.analyze import AnalysisReport, analyze
from claimscope.errors import ReadError
from claimscope.ingest import ReadOptions
from claimscope.nlp import Extractor
from claimscope.store import Store, open_store, resolve_database_url

POISON = "This sentence makes the extractor fail."


class ChokingExtractor:
    """The real extractor, except that it raises on any document containing POISON: how a
    parser bug on one hostile article looks from analyze()."""

    def __init__(self, extractor: Extractor) -> None:
        self._extractor = extractor
        self.version = extractor.version

    def extract_many(self, documents):
        for extraction in self._extractor.extract_many(documents):
            if POISON in extraction.document.text:
                raise RuntimeError("the parser fell over")
            yield extraction


@pytest.fixture
def store(tmp_path: Path):
    opened = open_store(resolve_database_url(str(tmp_path / "ledger.db")))
    yield opened
    opened.close()


def run(paths: list[Path], store: Store, extractor, **kwargs) -> AnalysisReport:
    return analyze(paths, store, extractor, ReadOptions(), **kwargs)


def test_analyze_stores_the_claims_of_the_seed_reports(seed_dir, store, extractor) -> None:
    report = run([seed_dir], store, extractor)
    assert (report.files, report.documents_read, report.documents_new) == (2, 2, 2)
    assert report.documents_skipped == 0
    assert report.failures == []
    assert report.claims == len(store.claims()) > 0
    assert store.summary()["documents"] == 2


def test_a_second_run_adds_nothing(seed_dir, store, extractor) -> None:
    first = run([seed_dir], store, extractor)
    before = store.claims()
    second = run([seed_dir], store, extractor)
    assert (second.documents_read, second.documents_new, second.documents_skipped) == (2, 0, 2)
    assert second.claims == 0
    assert store.claims() == before
    assert first.claims == len(before)


def test_an_interrupted_run_resumes_where_it_stopped(seed_dir, store, extractor) -> None:
    first_file = sorted(seed_dir.iterdir())[0]
    run([first_file], store, extractor)
    report = run([seed_dir], store, extractor)
    assert (report.documents_new, report.documents_skipped) == (1, 1)
    assert store.summary()["documents"] == 2


def test_the_same_bytes_twice_in_one_run_are_one_document(seed_dir, store, extractor) -> None:
    first_file = sorted(seed_dir.iterdir())[0]
    shutil.copyfile(first_file, seed_dir / "copy.txt")
    report = run([seed_dir], store, extractor)
    assert (report.documents_read, report.documents_new, report.documents_skipped) == (3, 2, 1)


@pytest.mark.parametrize("batch_size", [1, 2, 16])
def test_a_document_the_extractor_chokes_on_fails_alone(
    seed_dir, store, extractor, batch_size
) -> None:
    poisoned = seed_dir / "aa_poisoned.txt"
    poisoned.write_text(f"Officials said that the bridge was destroyed. {POISON}\n")
    report = run([seed_dir], store, ChokingExtractor(extractor), batch_size=batch_size)
    assert [f.source for f in report.failures] == [str(poisoned)]
    assert "cannot extract" in report.failures[0].problem
    assert "the parser fell over" in report.failures[0].problem
    assert report.documents_new == 2
    assert store.summary()["documents"] == 2


def test_progress_is_told_about_each_file(seed_dir, store, extractor) -> None:
    seen: list[str] = []
    run([seed_dir], store, extractor, progress=seen.append)
    assert sorted(Path(s).name for s in seen) == sorted(p.name for p in seed_dir.iterdir())


def test_a_missing_path_is_a_read_error_before_anything_is_stored(
    seed_dir, store, extractor, tmp_path
) -> None:
    with pytest.raises(ReadError, match="nowhere"):
        run([seed_dir, tmp_path / "nowhere"], store, extractor)
    assert store.summary()["documents"] == 0


def test_stored_spans_are_offsets_into_their_document(seed_dir, store, extractor) -> None:
    run([seed_dir], store, extractor)
    for claim in store.claims():
        sentence, offset = claim["sentence"], claim["sentence_span"]["start"]
        end = offset + len(sentence)
        inside = lambda part: offset <= part["start"] <= part["end"] <= end  # noqa: E731
        assert inside(claim["content"])
        for part in (claim["content"], claim["speaker"], claim["cue"]):
            if part["start"] is not None and inside(part):
                assert sentence[part["start"] - offset : part["end"] - offset] == part["text"]


def test_two_processes_store_the_same_claims_as_one(seed_dir, extractor, tmp_path) -> None:
    """Extraction in worker processes, one writer: the same ledger, in the same order."""
    stored = {}
    for processes in (1, 2):
        with open_store(resolve_database_url(str(tmp_path / f"ledger-{processes}.db"))) as store:
            report = run([seed_dir], store, extractor, processes=processes, batch_size=1)
            assert (report.documents_new, report.failures) == (2, [])
            stored[processes] = store.claims()
    assert stored[2] == stored[1] and len(stored[1]) > 0


def test_a_second_run_with_two_processes_adds_nothing(seed_dir, store, extractor) -> None:
    first = run([seed_dir], store, extractor, processes=2)
    before = store.claims()
    second = run([seed_dir], store, extractor, processes=2)
    assert (second.documents_new, second.documents_skipped) == (0, 2)
    assert store.claims() == before and first.claims == len(before)


def test_a_document_the_extractor_chokes_on_fails_alone_in_a_worker(seed_dir, store, extractor) -> None:
    poisoned = seed_dir / "aa_poisoned.txt"
    poisoned.write_text(f"Officials said that the bridge was destroyed. {POISON}\n")
    report = run([seed_dir], store, ChokingExtractor(extractor), processes=2, batch_size=2)
    assert [f.source for f in report.failures] == [str(poisoned)]
    assert "the parser fell over" in report.failures[0].problem
    assert store.summary()["documents"] == 2

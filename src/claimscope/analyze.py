"""Files in, claims stored: the loop read (ingest) → extract (nlp) → save (store).

A plain loop over documents, saved one transaction each, so an interrupted run loses at most
the batch in hand and a re-run resumes: a document whose SHA-256 is already stored is skipped
before extraction, and so is a second copy of the same bytes within one run. Nothing bad in
one input stops the others: unreadable files and entries come back from ingest as failures,
and a document the extractor or the database chokes on becomes a failure named by its source.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from claimscope.errors import ReadError, StoreError
from claimscope.ingest import ReadOptions, discover, read_file
from claimscope.records import Document, Extraction, ReadFailure
from claimscope.settings import DEFAULT_BATCH_SIZE
from claimscope.store import RecordRejected, Store

if TYPE_CHECKING:  # the extractor is handed in, loaded by the caller: only its type is needed
    from claimscope.nlp import Extractor


@dataclass
class AnalysisReport:
    files: int = 0
    documents_read: int = 0
    documents_new: int = 0
    documents_skipped: int = 0
    """Already stored, or a second copy of the same bytes in this run."""
    claims: int = 0
    failures: list[ReadFailure] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "files": self.files,
            "documents_read": self.documents_read,
            "documents_new": self.documents_new,
            "documents_skipped": self.documents_skipped,
            "claims": self.claims,
            "failures": [{"source": f.source, "problem": f.problem} for f in self.failures],
        }


def analyze(
    paths: Sequence[Path],
    store: Store,
    extractor: Extractor,
    options: ReadOptions,
    progress: Callable[[str], None] | None = None,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> AnalysisReport:
    """Read every file under ``paths``, extract claims from new documents and store them.

    ``progress`` is called with each file's path as work on it starts. All paths are
    discovered first, so a missing one raises ReadError before anything is stored.
    """
    files = list(discover(paths))
    report = AnalysisReport(files=len(files))
    seen: set[str] = set()
    batch: list[Document] = []
    for path in files:
        if progress is not None:
            progress(str(path))
        for document in _new_documents(path, options, store, seen, report):
            batch.append(document)
            if len(batch) >= batch_size:
                _extract_and_save(batch, extractor, store, report)
                batch = []
    if batch:
        _extract_and_save(batch, extractor, store, report)
    return report


def _new_documents(
    path: Path, options: ReadOptions, store: Store, seen: set[str], report: AnalysisReport
) -> Iterator[Document]:
    """The file's documents not stored yet; its failures go into the report.

    Only the reader's own errors are caught here: the store's propagate (a database that
    cannot be read is no single input's problem).
    """
    items = read_file(path, options)
    while True:
        try:
            item = next(items)
        except StopIteration:
            return
        except ReadError as error:
            report.failures.append(ReadFailure(error.source, error.problem))
            return
        except Exception as error:  # noqa: BLE001 - one bad input must not stop the rest
            report.failures.append(ReadFailure(str(path), _problem("cannot read", error)))
            return
        if isinstance(item, ReadFailure):
            report.failures.append(item)
            continue
        report.documents_read += 1
        if item.sha256 in seen or store.has_document(item.sha256):
            report.documents_skipped += 1
            continue
        seen.add(item.sha256)
        yield item


def _extract_and_save(
    batch: list[Document], extractor: Extractor, store: Store, report: AnalysisReport
) -> None:
    """Extract and save a batch; if the extractor fails, retry the rest one by one.

    The extractor yields in order, so the documents it yielded before failing are saved;
    which of the others made it fail is found by running each alone.
    """
    done = 0
    try:
        extractions = iter(extractor.extract_many(batch))
        while done < len(batch):
            try:
                extraction = next(extractions)
            except StopIteration:
                break
            _save(extraction, store, report)
            done += 1
    except StoreError:
        raise
    except Exception:  # noqa: BLE001 - narrowed to one document below
        for document in batch[done:]:
            _extract_one(document, extractor, store, report)
        return
    for document in batch[done:]:
        report.failures.append(ReadFailure(document.source, "the extractor returned nothing"))


def _extract_one(
    document: Document, extractor: Extractor, store: Store, report: AnalysisReport
) -> None:
    try:
        extractions = list(extractor.extract_many([document]))
    except Exception as error:  # noqa: BLE001 - reported as this document's failure
        report.failures.append(ReadFailure(document.source, _problem("cannot extract", error)))
        return
    for extraction in extractions:
        _save(extraction, store, report)


def _save(extraction: Extraction, store: Store, report: AnalysisReport) -> None:
    try:
        saved = store.save(extraction)
    except RecordRejected as error:
        report.failures.append(ReadFailure(error.source, error.problem))
        return
    if saved:
        report.documents_new += 1
        report.claims += len(extraction.claims)
    else:
        report.documents_skipped += 1


def _problem(what: str, error: Exception) -> str:
    detail = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return f"{what}: {type(error).__name__}" + (f": {detail}" if detail else "")

"""Files in, claims stored: the loop read (ingest) → extract (nlp) → save (store).

A plain loop over documents, saved one transaction each, so an interrupted run loses at most
the batches in hand and a re-run resumes: a document whose SHA-256 is already stored is
skipped before extraction, and so is a second copy of the same bytes within one run. Nothing
bad in one input stops the others: unreadable files and entries come back from ingest as
failures, and a document the extractor or the database chokes on becomes a failure named by
its source.

With ``processes`` above 1, batches of documents are extracted in that many worker
processes, each holding the extractor once (forked from this one where the platform allows,
so the loaded model is shared rather than loaded again); this process stays the one writer:
it reads ahead a few batches, and stores the results in input order, one transaction per
document, exactly as the single-process loop does.
"""

from __future__ import annotations

import gc
import multiprocessing
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from claimscope.errors import ReadError
from claimscope.ingest import ReadOptions, discover, read_file
from claimscope.records import Document, Extraction, ReadFailure
from claimscope.settings import DEFAULT_BATCH_SIZE, DEFAULT_PROCESSES
from claimscope.store import RecordRejected, Store

if TYPE_CHECKING:  # the extractor is handed in, loaded by the caller: only its type is needed
    from claimscope.nlp import Extractor

BATCHES_AHEAD = 2
"""Batches per worker handed out before the oldest is stored: enough to keep every worker
busy while this process stores, few enough to bound the memory read ahead."""


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
    processes: int = DEFAULT_PROCESSES,
) -> AnalysisReport:
    """Read every file under ``paths``, extract claims from new documents and store them.

    ``progress`` is called with each file's path as reading it starts. All paths are
    discovered first, so a missing one raises ReadError before anything is stored.
    ``processes`` above 1 extracts in that many worker processes (see the module's notes).
    """
    files = list(discover(paths))
    report = AnalysisReport(files=len(files))
    batches = _batches(_documents(files, options, store, report, progress), batch_size)
    if processes <= 1:
        for batch in batches:
            _store(_extract_batch(batch, extractor), store, report)
    else:
        _extract_in_workers(batches, extractor, processes, store, report)
    return report


def _documents(
    files: list[Path], options: ReadOptions, store: Store, report: AnalysisReport,
    progress: Callable[[str], None] | None,
) -> Iterator[Document]:
    seen: set[str] = set()
    for path in files:
        if progress is not None:
            progress(str(path))
        yield from _new_documents(path, options, store, seen, report)


def _batches(documents: Iterable[Document], size: int) -> Iterator[list[Document]]:
    batch: list[Document] = []
    for document in documents:
        batch.append(document)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


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


def _extract_batch(batch: list[Document], extractor: Extractor) -> list[Extraction | ReadFailure]:
    """One outcome per document of the batch, in order: its extraction or why there is none.

    The extractor yields in order, so the documents it yielded before failing keep their
    extractions; which of the others made it fail is found by running each alone.
    """
    outcomes: list[Extraction | ReadFailure] = []
    try:
        for extraction in extractor.extract_many(batch):
            outcomes.append(extraction)
            if len(outcomes) == len(batch):
                break
    except Exception:  # noqa: BLE001 - narrowed to one document below
        for document in batch[len(outcomes):]:
            outcomes.append(_extract_one(document, extractor))
    missing = batch[len(outcomes):]
    return outcomes + [ReadFailure(d.source, "the extractor returned nothing") for d in missing]


def _extract_one(document: Document, extractor: Extractor) -> Extraction | ReadFailure:
    try:
        extractions = list(extractor.extract_many([document]))
    except Exception as error:  # noqa: BLE001 - reported as this document's failure
        return ReadFailure(document.source, _problem("cannot extract", error))
    return extractions[0] if extractions else ReadFailure(document.source, "the extractor returned nothing")


def _store(outcomes: list[Extraction | ReadFailure], store: Store, report: AnalysisReport) -> None:
    for outcome in outcomes:
        if isinstance(outcome, ReadFailure):
            report.failures.append(outcome)
        else:
            _save(outcome, store, report)


# -- worker processes ---------------------------------------------------------------------
_worker_extractor: Extractor | None = None
"""The extractor of a worker process, set once when the worker starts."""


def _start_worker(extractor: Extractor) -> None:
    global _worker_extractor
    _worker_extractor = extractor
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the writer's to handle


def _extract_in_worker(batch: list[Document]) -> list[Extraction | ReadFailure]:
    assert _worker_extractor is not None, "the worker was started without an extractor"
    return _extract_batch(batch, _worker_extractor)


def _extract_in_workers(batches: Iterator[list[Document]], extractor: Extractor, processes: int,
                        store: Store, report: AnalysisReport) -> None:
    """Batches out to the workers, results stored here in input order as they complete.

    A worker that dies (killed, out of memory) fails the batches in its pool, which are
    reported as failures; the others go on in a new pool.
    """
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    with _collector_kept_off_shared_pages():
        pool = _pool(context, extractor, processes)
        pending: deque[tuple[list[Document], Future]] = deque()
        try:
            for batch in batches:
                pending.append((batch, pool.submit(_extract_in_worker, batch)))
                while len(pending) >= BATCHES_AHEAD * processes:
                    pool = _store_oldest(pending, pool, context, extractor, processes, store, report)
            while pending:
                pool = _store_oldest(pending, pool, context, extractor, processes, store, report)
        except BaseException:  # interrupted, or the database failed: drop the batches not begun
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown(wait=True)


@contextmanager
def _collector_kept_off_shared_pages() -> Iterator[None]:
    """Forked workers share the loaded extractor's memory until a page is written to, and
    the garbage collector writes to every object it walks: the objects that exist on entry
    are left out of its walks (the workers' too) until exit. Measured with 2 processes:
    peak memory (PSS) 1,980 → 1,812 MiB (benchmarks/throughput.py --limit 40)."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _pool(context: multiprocessing.context.BaseContext, extractor: Extractor, processes: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(processes, mp_context=context, initializer=_start_worker, initargs=(extractor,))


def _store_oldest(pending: deque[tuple[list[Document], Future]], pool: ProcessPoolExecutor,
                  context: multiprocessing.context.BaseContext, extractor: Extractor, processes: int,
                  store: Store, report: AnalysisReport) -> ProcessPoolExecutor:
    """Store the oldest batch's outcomes; the pool to go on with (a new one if it broke:
    the oldest batch is then reported as failed, the others are handed to the new pool)."""
    batch, future = pending.popleft()
    try:
        outcomes = future.result()
    except BrokenProcessPool as error:
        _store([ReadFailure(d.source, _problem("the extracting process stopped", error)) for d in batch],
               store, report)
        pool.shutdown(wait=False, cancel_futures=True)
        pool = _pool(context, extractor, processes)
        waiting = [b for b, _ in pending]
        pending.clear()
        pending.extend((b, pool.submit(_extract_in_worker, b)) for b in waiting)
        return pool
    _store(outcomes, store, report)
    return pool


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

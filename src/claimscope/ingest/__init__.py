"""Readers: files in, :class:`~claimscope.records.Document` records out.

One reader per format (``text``, ``html``, ``feed``, ``table`` for CSV/TSV and JSON Lines,
``telegram``), chosen by file extension in :mod:`.detect`. Everything about reading that
can go wrong with the *content* of an input — empty, binary, not UTF-8, malformed, an
entity bomb, too big, an unknown format — comes back from :func:`read_file` as a
:class:`~claimscope.records.ReadFailure` naming the file (or ``file#entry``) and the
problem in plain words, and never stops the other files or entries. Only a path that does
not exist (or a folder that cannot be listed) raises, from :func:`discover`, before any
reading starts.

Identity: a document's SHA-256 is over its ``raw`` bytes — the file for a one-article
file; for a container entry its own bytes (a JSONL line) or, where the parser gives none
back (feed entry, CSV row, Telegram message), the canonical JSON of its fields
(``json.dumps(fields, sort_keys=True, ensure_ascii=False)`` in UTF-8). The same bytes
always give the same document.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from claimscope.errors import ReadError
from claimscope.ingest import feed, html, table, telegram, text
from claimscope.ingest.detect import SINGLE_ARTICLE, Format, check_not_binary, format_of, is_sidecar
from claimscope.ingest.metadata import check_size
from claimscope.ingest.options import Columns, ReadOptions
from claimscope.records import Document, ReadFailure

__all__ = ["Columns", "ReadOptions", "discover", "read_file", "read_paths"]

Reader = Callable[[Path, bytes, ReadOptions], Iterator[Document | ReadFailure]]

_READERS: dict[Format, Reader] = {
    Format.TEXT: text.read,
    Format.HTML: html.read,
    Format.FEED: feed.read,
    Format.JSONL: table.read_jsonl,
    Format.CSV: table.read_csv,
    Format.TSV: table.read_tsv,
    Format.JSON: telegram.read,
}


def discover(paths: Iterable[Path]) -> Iterator[Path]:
    """The files to read under ``paths``: folders walked recursively in sorted order.

    Hidden files and folders (a leading dot) are skipped inside folders, as are sidecars
    (``<file>.meta.yaml``, metadata for ``<file>``) everywhere; a file named explicitly is
    otherwise kept whatever its name, and no file is listed twice. A path that does not
    exist, or a folder that cannot be listed, raises ReadError before anything is yielded.
    """
    paths = list(paths)
    for path in paths:
        if not path.exists():
            raise ReadError(str(path), "no such file or folder")
    found: list[Path] = []
    for path in paths:
        found.extend(_walk(path) if path.is_dir() else [path])
    seen: set[Path] = set()
    for path in found:
        key = path.resolve()
        if key not in seen and not is_sidecar(path):
            seen.add(key)
            yield path


def _walk(folder: Path) -> list[Path]:
    def fail(error: OSError) -> None:
        raise ReadError(str(error.filename or folder), f"cannot list the folder: {error.strerror}")

    files: list[Path] = []
    for root, folders, names in os.walk(folder, onerror=fail):
        folders[:] = [name for name in folders if not name.startswith(".")]
        files.extend(Path(root) / name for name in names if not name.startswith("."))
    return sorted(files)


def read_file(path: Path, options: ReadOptions = ReadOptions()) -> Iterator[Document | ReadFailure]:
    """The documents in one file, and a ReadFailure for each file or entry that cannot be
    read; bad content never raises."""
    try:
        yield from _read(path, options)
    except ReadError as error:
        yield ReadFailure(error.source, error.problem)


def read_paths(
    paths: Iterable[Path], options: ReadOptions = ReadOptions()
) -> Iterator[Document | ReadFailure]:
    """Every document (or failure) under ``paths``: :func:`discover` then :func:`read_file`."""
    for path in discover(paths):
        yield from read_file(path, options)


def _read(path: Path, options: ReadOptions) -> Iterator[Document | ReadFailure]:
    source = str(path)
    file_format = format_of(path)
    try:
        size = path.stat().st_size
        check_size(source, size, options.max_file_bytes, "the file")
        if file_format in SINGLE_ARTICLE:
            check_size(source, size, options.max_article_bytes)
        raw = path.read_bytes()
    except OSError as error:
        raise ReadError(source, f"cannot read the file: {error.strerror or error}") from None
    check_not_binary(source, raw)
    yield from _READERS[file_format](path, raw, options)

"""CSV/TSV and JSON Lines corpora: one article per row.

Which field holds the text, title, date, URL, outlet and language is given by
:class:`~claimscope.ingest.options.Columns`, or guessed from the field names
(case-insensitively; see :data:`~claimscope.ingest.options.GUESSES`). Without an outlet
field the outlet is the one the registry knows for the URL's domain. A bad row is a
ReadFailure for that row alone; the others are read.

Sources and evidence: a JSONL row is ``<path>#<line number>`` and its ``raw`` is the line's
own bytes (without the line break, or a BOM on the first line). A CSV row is
``<path>#<N>``, N counting data rows from 1 after the header (a quoted field can span
lines, so N is not a line number), and its ``raw`` is the canonical JSON of the row as a
header → cell mapping, since the csv module hands back no bytes.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from pathlib import Path

from claimscope.errors import ReadError
from claimscope.ingest.detect import decode, normalize, parse_json
from claimscope.ingest.metadata import Metadata, canonical_json, make_document
from claimscope.ingest.options import GUESSES, Columns, ReadOptions
from claimscope.records import Document, ReadFailure

_BOM = b"\xef\xbb\xbf"

Fields = dict[str, str | None]
"""Document field ("text", "title", …) → the name of the row field holding it, if any."""


def read_jsonl(path: Path, raw: bytes, options: ReadOptions) -> Iterator[Document | ReadFailure]:
    source, ingested_at = str(path), options.now()
    offset = 0
    for number, line in enumerate(raw.split(b"\n"), start=1):
        line_start, offset = offset, offset + len(line) + 1
        line = line.removesuffix(b"\r")
        if number == 1 and line.startswith(_BOM):
            line, line_start = line[len(_BOM) :], line_start + len(_BOM)
        if not line.strip():
            continue
        row_source = f"{source}#{number}"
        try:
            row = _json_row(row_source, line, line_start)
            fields = resolve(options.columns, row, row_source)
            yield _document(row, fields, row_source, line, ingested_at, options)
        except ReadError as error:
            yield ReadFailure(error.source, error.problem)


def read_csv(path: Path, raw: bytes, options: ReadOptions) -> Iterator[Document | ReadFailure]:
    yield from _read_delimited(path, raw, options, ",")


def read_tsv(path: Path, raw: bytes, options: ReadOptions) -> Iterator[Document | ReadFailure]:
    yield from _read_delimited(path, raw, options, "\t")


def _read_delimited(
    path: Path, raw: bytes, options: ReadOptions, delimiter: str
) -> Iterator[Document | ReadFailure]:
    source, ingested_at = str(path), options.now()
    text = decode(source, raw)
    # A press release is one cell; the csv module's default cap (128 KiB) would refuse it.
    # The cap is process-wide, so it is only ever raised, to what no file here exceeds.
    csv.field_size_limit(max(csv.field_size_limit(), min(options.max_file_bytes, sys.maxsize)))
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(rows, None)
        if header is None:
            raise ReadError(source, "the file has no header row")
        fields = resolve(options.columns, header, source, strict=True)
        number = 0
        for cells in rows:
            if not cells:
                continue
            number += 1
            row_source = f"{source}#{number}"
            if len(cells) != len(header):
                problem = f"the row has {len(cells)} fields, the header has {len(header)}"
                yield ReadFailure(row_source, problem)
                continue
            row = dict(zip(header, cells, strict=True))
            try:
                yield _document(row, fields, row_source, canonical_json(row), ingested_at, options)
            except ReadError as error:
                yield ReadFailure(error.source, error.problem)
    except csv.Error as error:
        raise ReadError(source, f"malformed CSV at line {rows.line_num}: {error}") from None


def resolve(columns: Columns, names: Iterable[str], source: str, strict: bool = False) -> Fields:
    """Which of ``names`` holds each Document field: the one ``columns`` names, else the
    first guess present. A named field that is missing raises ReadError when ``strict``
    (a CSV header is the same for every row); a missing text field always does."""
    folded: dict[str, str] = {}
    for name in names:
        folded.setdefault(name.strip().lower(), name)
    fields: Fields = {}
    for field, guesses in GUESSES.items():
        wanted: str | None = getattr(columns, field)
        candidates = (wanted,) if wanted else guesses
        found = next((folded[c.lower()] for c in candidates if c.lower() in folded), None)
        if wanted and found is None and (strict or field == "text"):
            raise ReadError(source, f"no field named {wanted!r} ({_listing(folded.values())})")
        fields[field] = found
    if fields["text"] is None:
        looked = ", ".join(GUESSES["text"])
        raise ReadError(source, f"no text field (looked for {looked}; {_listing(folded.values())})")
    return fields


def _listing(names: Iterable[str]) -> str:
    shown = [repr(name) for name in names]
    return "the fields are " + ", ".join(shown) if shown else "there are no fields"


def _json_row(source: str, line: bytes, line_start: int) -> dict[str, object]:
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as error:
        offset = line_start + error.start
        raise ReadError(source, f"invalid UTF-8 at byte offset {offset}") from None
    row = parse_json(source, text)
    if not isinstance(row, dict):
        raise ReadError(source, f"the line is a JSON {_json_kind(row)}, not an object")
    return row


def _json_kind(value: object) -> str:
    kinds = {list: "array", str: "string", bool: "boolean", int: "number", float: "number"}
    return kinds.get(type(value), "null")


def _document(
    row: Mapping[str, object],
    fields: Fields,
    source: str,
    raw: bytes,
    ingested_at: datetime,
    options: ReadOptions,
) -> Document:
    text_field = fields["text"]
    text = row.get(text_field) if text_field else None
    if text is None or (isinstance(text, str) and not text.strip()):
        raise ReadError(source, f"the text field {text_field!r} is empty")
    if not isinstance(text, str):
        raise ReadError(source, f"the text field {text_field!r} is not a string")
    values = {field: row.get(key) for field, key in fields.items() if key and field != "text"}
    return make_document(
        text=normalize(text),
        source=source,
        raw=raw,
        metadata=Metadata.from_mapping(values),
        ingested_at=ingested_at,
        max_article_bytes=options.max_article_bytes,
    )

"""The CSV and JSON Lines reader on the Kremlin and Zelenskyy press releases."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from claimscope.ingest import Columns, ReadOptions, read_file
from claimscope.records import ReadFailure

from .helpers import KREMLIN_CSV, ZELENSKYY_CSV, documents, failures

DEFAULT_CSV_FIELD_LIMIT = 131_072


def write_csv(path: Path, rows: list[dict[str, str]], delimiter: str = ",") -> Path:
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=list(rows[0]), delimiter=delimiter)
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_the_kremlin_press_releases_are_one_document_per_row(kremlin_rows, options) -> None:
    items = list(read_file(KREMLIN_CSV, options))
    assert failures(items) == []
    read = documents(items)
    assert len(read) == len(kremlin_rows) == 816
    first, row = read[0], kremlin_rows[0]
    assert first.text == row["body"]  # "body", not "summary": the guesses' order
    assert first.title == row["headline"] == "BRICS+ meeting"
    assert first.url == row["link"]
    assert first.published_at == datetime(2022, 6, 24, 17, 30, tzinfo=UTC)
    assert first.source == f"{KREMLIN_CSV}#1"
    assert {d.outlet for d in read} == {"Kremlin"}  # from en.kremlin.ru via the registry
    assert first.raw == json.dumps(row, sort_keys=True, ensure_ascii=False).encode()
    assert first.sha256 == hashlib.sha256(first.raw).hexdigest()


def test_the_zelenskyy_press_releases_are_read(options) -> None:
    items = list(read_file(ZELENSKYY_CSV, options))
    assert failures(items) == []
    assert len(items) == 980
    assert {d.outlet for d in documents(items)} == {"Office of the President of Ukraine"}


def test_reading_the_same_bytes_twice_gives_the_same_ids(kremlin_rows, tmp_path, options) -> None:
    one = write_csv(tmp_path / "one.csv", kremlin_rows[:20])
    two = write_csv(tmp_path / "two.csv", kremlin_rows[10:20])
    first = [d.id for d in documents(list(read_file(one, options)))]
    second = [d.id for d in documents(list(read_file(two, options)))]
    assert second == first[10:]


def test_named_columns_override_the_guesses(kremlin_rows, tmp_path) -> None:
    rows = [row for row in kremlin_rows if row["summary"] and row["location"] != "NA"][:3]
    path = write_csv(tmp_path / "releases.csv", rows)
    columns = Columns(text="Summary", title="location", published_at="DATE", outlet="location")
    read = documents(list(read_file(path, ReadOptions(columns=columns))))
    assert [d.text for d in read] == [row["summary"] for row in rows]
    assert [d.title for d in read] == [row["location"] for row in rows]
    assert read[0].outlet == rows[0]["location"]  # not a registered outlet: kept as written


def test_a_named_column_missing_from_the_header_fails_the_file(kremlin_rows, tmp_path) -> None:
    path = write_csv(tmp_path / "releases.csv", kremlin_rows[:3])
    items = list(read_file(path, ReadOptions(columns=Columns(text="article_text"))))
    assert len(items) == 1
    assert items[0].source == str(path)
    assert items[0].problem.startswith("no field named 'article_text' (the fields are 'link',")


def test_a_file_without_a_text_column_fails(kremlin_rows, tmp_path, options) -> None:
    rows = [{"link": row["link"], "headline": row["headline"]} for row in kremlin_rows[:2]]
    path = write_csv(tmp_path / "links.csv", rows)
    assert list(read_file(path, options)) == [
        ReadFailure(
            str(path),
            "no text field (looked for text, body, content, article; "
            "the fields are 'link', 'headline')",
        )
    ]


def test_a_tsv_file_with_a_bom_and_crlf_is_read(kremlin_rows, tmp_path, options) -> None:
    rows = [{"Headline": r["headline"], "Body": r["body"] + "\r\nEnd."} for r in kremlin_rows[:2]]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=["Headline", "Body"], delimiter="\t")
    writer.writeheader()
    writer.writerows(rows)
    path = tmp_path / "releases.tsv"
    path.write_bytes(b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8"))
    read = documents(list(read_file(path, options)))
    assert [d.title for d in read] == [r["headline"] for r in kremlin_rows[:2]]
    assert read[0].text == kremlin_rows[0]["body"] + "\nEnd."


def test_bad_rows_fail_alone(kremlin_rows, tmp_path, options) -> None:
    rows = [dict(row) for row in kremlin_rows[:4]]
    rows[1]["body"] = "   "
    path = write_csv(tmp_path / "releases.csv", rows)
    with path.open("a", encoding="utf-8") as file:
        file.write("http://en.kremlin.ru/x,only three,fields\n")
    items = list(read_file(path, options))
    assert [d.source for d in documents(items)] == [f"{path}#{n}" for n in (1, 3, 4)]
    assert failures(items) == [
        ReadFailure(f"{path}#2", "the text field 'body' is empty"),
        ReadFailure(f"{path}#5", "the row has 3 fields, the header has 6"),
    ]


def test_a_field_far_bigger_than_the_csv_default_limit_is_read(
    kremlin_rows, tmp_path, options
) -> None:
    longest = max(kremlin_rows, key=lambda row: len(row["body"]))
    assert len(longest["body"]) > DEFAULT_CSV_FIELD_LIMIT
    path = write_csv(tmp_path / "long.csv", [longest])
    limit = csv.field_size_limit(DEFAULT_CSV_FIELD_LIMIT)  # as in a fresh process
    try:
        [document] = list(read_file(path, options))
    finally:
        csv.field_size_limit(max(limit, csv.field_size_limit()))
    assert document.text == longest["body"]


# -- JSON Lines ---------------------------------------------------------------


@pytest.fixture
def jsonl_path(tmp_path: Path, kremlin_rows) -> Path:
    """Three press releases as JSON Lines, with a blank line, a line that is not an
    object, a line that is not JSON and one that is not UTF-8 among them."""
    lines = [json.dumps(row, ensure_ascii=False).encode() for row in kremlin_rows[:3]]
    path = tmp_path / "releases.jsonl"
    path.write_bytes(
        b"\n".join(
            [lines[0], b"", b'["a", "list"]', lines[1], b'{"body": "cut', b'{"body": "\xff"}']
        )
        + b"\r\n"
        + lines[2]
        + b"\n"
    )
    return path


def test_each_jsonl_line_is_a_document(jsonl_path, kremlin_rows, options) -> None:
    read = documents(list(read_file(jsonl_path, options)))
    assert [d.source for d in read] == [f"{jsonl_path}#{n}" for n in (1, 4, 7)]
    assert [d.text for d in read] == [row["body"] for row in kremlin_rows[:3]]
    assert read[0].raw == json.dumps(kremlin_rows[0], ensure_ascii=False).encode()
    assert {d.outlet for d in read} == {"Kremlin"}
    assert read[2].published_at == datetime.fromisoformat(kremlin_rows[2]["date"])


def test_bad_jsonl_lines_fail_alone(jsonl_path, options) -> None:
    offset = jsonl_path.read_bytes().index(b"\xff")
    assert failures(list(read_file(jsonl_path, options))) == [
        ReadFailure(f"{jsonl_path}#3", "the line is a JSON array, not an object"),
        ReadFailure(
            f"{jsonl_path}#5",
            "malformed JSON at line 1, column 10: Unterminated string starting at",
        ),
        ReadFailure(f"{jsonl_path}#6", f"invalid UTF-8 at byte offset {offset}"),
    ]


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        ({"title": "No text here"}, "no text field (looked for text, body, content, article; "
         "the fields are 'title')"),
        ({"text": None}, "the text field 'text' is empty"),
        ({"Content": ["a", "list"]}, "the text field 'Content' is not a string"),
    ],
)
def test_a_jsonl_row_without_usable_text_fails(tmp_path, options, row, problem) -> None:
    path = tmp_path / "rows.ndjson"
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    assert list(read_file(path, options)) == [ReadFailure(f"{path}#1", problem)]

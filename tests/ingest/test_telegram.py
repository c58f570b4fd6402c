"""The Telegram reader on a Telegram Desktop channel export whose messages are sentences
of the seed reports, one of them a forward from RIA Novosti."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from claimscope.ingest import read_file
from claimscope.records import ReadFailure

from .helpers import documents, failures

POSTED = datetime(2025, 11, 21, 7, 15, tzinfo=UTC)


def export(sentences: list[str], **channel: object) -> dict:
    """A channel export as Telegram Desktop writes ``result.json`` (machine-readable JSON)."""
    stamp = int(POSTED.timestamp())
    common = {"from": "Mash", "from_id": "channel1117628569"}
    head, bold, tail = sentences[2].partition("HIMARS")
    assert bold, "the seed sentence for the formatted message names HIMARS"
    return {
        "name": "Mash",
        "type": "public_channel",
        "id": 1117628569,
        **channel,
        "messages": [
            {"id": 1, "type": "service", "date": "2025-11-20T09:00:00",
             "date_unixtime": str(stamp - 80_000), "actor": "Mash",
             "action": "create_channel", "title": "Mash", "text": "", "text_entities": []},
            {"id": 2, "type": "message", "date": "2025-11-21T10:15:00",
             "date_unixtime": str(stamp), **common, "text": sentences[0],
             "text_entities": [{"type": "plain", "text": sentences[0]}]},
            {"id": 3, "type": "message", "date": "2025-11-21T10:20:00",
             "date_unixtime": str(stamp + 300), **common, "forwarded_from": "Ria Novosti",
             "text": [head, {"type": "bold", "text": bold}, tail,
                      " ", {"type": "text_link", "text": "ria.ru", "href": "https://ria.ru/1"}]},
            {"id": 4, "type": "message", "date": "2025-11-21T10:25:00",
             "date_unixtime": str(stamp + 600), **common, "photo": "photos/photo_1.jpg",
             "width": 1280, "height": 720, "text": ""},
            {"id": 5, "type": "message", "date": "2025-11-21T10:30:00", **common,
             "text": sentences[1]},
        ],
    }


@pytest.fixture
def sentences(seed_paragraphs) -> list[str]:
    return [seed_paragraphs[1][1], seed_paragraphs[1][4], seed_paragraphs[1][6]]


@pytest.fixture
def export_path(tmp_path: Path, sentences) -> Path:
    path = tmp_path / "ChatExport_2025-11-22" / "result.json"
    path.parent.mkdir()
    path.write_text(json.dumps(export(sentences), ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def test_each_text_message_is_a_document(export_path, sentences, options) -> None:
    items = list(read_file(export_path, options))
    assert failures(items) == []
    plain, forward, undated = documents(items)
    assert [d.source for d in items] == [f"{export_path}#msg-{n}" for n in (2, 3, 5)]
    assert plain.text == sentences[0]
    assert forward.text == sentences[2] + " ria.ru"  # the pieces of a formatted text, joined
    assert undated.text == sentences[1]
    assert {d.outlet for d in items} == {"Mash"}
    assert plain.published_at == POSTED  # "date_unixtime"
    assert forward.published_at == datetime(2025, 11, 21, 7, 20, tzinfo=UTC)
    assert undated.published_at == datetime(2025, 11, 21, 10, 30, tzinfo=UTC)  # "date", as UTC
    assert plain.url is None  # this export names no username


def test_a_forward_keeps_its_origin(export_path, options) -> None:
    forward = documents(list(read_file(export_path, options)))[1]
    assert forward.relayed_from == ("RIA Novosti",)


def test_a_message_is_identified_by_its_own_fields(
    export_path, tmp_path, sentences, options
) -> None:
    plain = documents(list(read_file(export_path, options)))[0]
    message = json.loads(plain.raw)
    assert (message["id"], message["text"]) == (2, sentences[0])
    assert plain.raw == json.dumps(message, sort_keys=True, ensure_ascii=False).encode()
    other = export(sentences)
    other["messages"] = other["messages"][1:2]  # the same message, exported alone
    path = tmp_path / "other.json"
    path.write_text(json.dumps(other), encoding="utf-8")
    assert [d.id for d in documents(list(read_file(path, options)))] == [plain.id]


def test_a_username_gives_message_urls(tmp_path, sentences, options) -> None:
    path = tmp_path / "result.json"
    path.write_text(json.dumps(export(sentences, username="@breakingmash")), encoding="utf-8")
    assert [d.url for d in documents(list(read_file(path, options)))] == [
        f"https://t.me/breakingmash/{n}" for n in (2, 3, 5)
    ]


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ('{"name": "Mash", "messages": [', "malformed JSON at line 1, column 31: Expecting value"),
        ('[{"text": "a list of articles"}]', "unknown JSON layout (claimscope reads a Telegram "
         "Desktop export: an object with 'name' and a list of 'messages')"),
        ('{"name": "Mash", "messages": [{"id": 1, "type": "service", "text": ""}]}',
         "the export holds no messages with text"),
        ("[" * 100_000 + "]" * 100_000, "malformed JSON: nested too deeply"),
    ],
)
def test_bad_json_is_one_failure_naming_the_file(tmp_path, options, content, problem) -> None:
    path = tmp_path / "data.json"
    path.write_text(content, encoding="utf-8")
    assert list(read_file(path, options)) == [ReadFailure(str(path), problem)]

"""Revision 0005 on a database written before it: existing claims get their content fragments."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import create_engine, select

from claimscope.store import open_store, resolve_database_url
from claimscope.store.engine import alembic_config
from claimscope.store.schema import span_fragments
from claimscope.store.write import claim_row, document_row

from tests.store.conftest import insert_as_of_old_revision


def test_upgrading_derives_the_fragments_of_a_content_around_its_cue(
    tmp_path: Path, seed_extractions
) -> None:
    """The Kontora report's first claim, stored by 0004 as its row alone (no fragments), with
    its content stretched around the cue as an interrupted content is stored."""
    extraction = seed_extractions[0]
    document, record = extraction.document, extraction.claims[0]
    text = document.text
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = create_engine(url)
    config = alembic_config(url)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0004")
    cue = record.cue.span
    opening = text.rfind(".", 0, cue.start) + 1
    closing = text.find(".", cue.end)
    interrupted = claim_row(document.id, record) | {
        "content_start": opening, "content_end": closing, "content_text": text[opening:closing],
        "speaker_start": None, "speaker_end": None, "speaker_text": None,
    }
    with engine.begin() as connection:
        insert_as_of_old_revision(connection, "documents", [document_row(document)])
        insert_as_of_old_revision(connection, "claims", [interrupted])
    engine.dispose()

    with open_store(resolve_database_url(str(tmp_path / "old.db"))) as store:
        found = store.claim(record.id)
        rows = store.read(lambda c: list(c.execute(select(span_fragments))))
    fragments = found["content"]["fragments"]
    assert [(r.part, r.position) for r in rows] == [("content", 0), ("content", 1)]
    assert fragments[0]["start"] >= opening and fragments[0]["end"] <= cue.start
    assert fragments[1]["start"] >= cue.end and fragments[1]["end"] <= closing
    for fragment in fragments:
        assert text[fragment["start"]:fragment["end"]] == fragment["text"]
        assert fragment["text"] == fragment["text"].strip(" ,.")

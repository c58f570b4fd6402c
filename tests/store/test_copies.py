"""CopyLedger: signatures and copy links in the ledger's database (revision 0002)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone

import pytest
from sqlalchemy import delete, select

from claimscope.errors import StoreError
from claimscope.records import Extraction
from claimscope.store import (
    CopyLedger,
    CopyLink,
    DocumentSignature,
    PassageSignature,
    Store,
)
from claimscope.store.schema import copy_links, documents, minhash_passages, minhash_signatures

METHOD = "test-method"
WHEN = datetime(2025, 11, 24, 9, 0, tzinfo=timezone.utc)
VALUES = bytes(range(16))


@pytest.fixture
def two(store: Store, seed_extractions: list[Extraction]) -> tuple[str, str]:
    """The two seed reports stored with their claims: their document ids."""
    for extraction in seed_extractions:
        assert store.save(extraction)
    return tuple(e.document.id for e in seed_extractions)


def signature(document_id: str, passages: int = 2) -> DocumentSignature:
    return DocumentSignature(
        document_id,
        VALUES,
        tuple(PassageSignature(10 * i, 10 * i + 9, VALUES) for i in range(passages)),
    )


def link(source: str, copy: str, **changes) -> CopyLink:
    found = CopyLink(source, copy, "document", 0.9, "published",
                     {"passages": [{"source": {"start": 0, "end": 9}}], "note": "ünïcode"})
    return replace(found, **changes)


def test_unsigned_documents_come_with_their_text_until_signed(store: Store, two) -> None:
    ledger = CopyLedger(store)
    (batch,) = list(ledger.unsigned_documents(10))
    assert [d.id for d in batch] == sorted(two)
    assert all(d.text and d.ingested_at for d in batch)
    ledger.save_signatures(METHOD, [signature(two[0])])
    assert ledger.count_unsigned() == 1
    assert [d.id for batch in ledger.unsigned_documents(10) for d in batch] == [two[1]]


def test_signatures_are_read_back_with_their_passages(store: Store, two) -> None:
    ledger = CopyLedger(store)
    ledger.save_signatures(METHOD, [signature(two[0], 3), DocumentSignature(two[1], None)])
    heads = [row for rows in ledger.document_signatures(METHOD) for row in rows]
    assert [(d.id, values, linked) for d, values, linked in heads] == sorted(
        [(two[0], VALUES, False), (two[1], None, False)])
    passages = [row for rows in ledger.passage_signatures(METHOD) for row in rows]
    assert passages == [(two[0], 0, 9, VALUES), (two[0], 10, 19, VALUES), (two[0], 20, 29, VALUES)]
    assert ledger.other_methods(METHOD) == 0 and ledger.other_methods("another") == 2
    assert list(ledger.document_signatures("another")) == []


def test_links_and_linked_marks_are_stored_together(store: Store, two) -> None:
    ledger = CopyLedger(store)
    ledger.save_signatures(METHOD, [signature(two[0]), signature(two[1])])
    assert ledger.save_links(METHOD, [link(*two)], list(two), WHEN) == 1
    (row,) = ledger.link_rows(with_evidence=True)
    assert (row.source, row.copy, row.scope, row.direction) == (*two, "document", "published")
    assert row.evidence["note"] == "ünïcode"
    assert all(linked for rows in ledger.document_signatures(METHOD) for _, _, linked in rows)
    assert ledger.evidence([two]) == {two: row.evidence}
    counts = ledger.counts()
    assert counts["copy_links"] == 1 and counts["linked"] == 2 and counts["scope:document"] == 1


def test_a_refused_link_stores_no_mark_either(store: Store, two) -> None:
    ledger = CopyLedger(store)
    ledger.save_signatures(METHOD, [signature(two[0]), signature(two[1])])
    with pytest.raises(StoreError):
        ledger.save_links(METHOD, [link(*two, scope="sentence")], list(two), WHEN)
    assert ledger.link_rows() == []
    assert not any(linked for rows in ledger.document_signatures(METHOD) for _, _, linked in rows)


def test_a_pair_is_linked_once(store: Store, two) -> None:
    ledger = CopyLedger(store)
    ledger.save_links(METHOD, [link(*two)], [], WHEN)
    with pytest.raises(StoreError):
        ledger.save_links(METHOD, [link(*two)], [], WHEN)


def test_deleting_a_document_deletes_its_signatures_and_links(store: Store, two) -> None:
    ledger = CopyLedger(store)
    ledger.save_signatures(METHOD, [signature(two[0]), signature(two[1])])
    ledger.save_links(METHOD, [link(*two)], list(two), WHEN)
    store.write(lambda connection: connection.execute(delete(documents).where(documents.c.id == two[0])))
    with store._engine.connect() as connection:
        for table in (copy_links, minhash_passages, minhash_signatures):
            assert two[0] not in str(list(connection.execute(select(table))))


def test_reset_forgets_links_and_optionally_signatures(store: Store, two) -> None:
    ledger = CopyLedger(store)
    ledger.save_signatures(METHOD, [signature(two[0]), signature(two[1])])
    ledger.save_links(METHOD, [link(*two)], list(two), WHEN)
    ledger.reset(keep_signatures=True)
    assert ledger.link_rows() == [] and ledger.counts()["signed"] == 2
    assert ledger.counts()["linked"] == 0
    ledger.reset(keep_signatures=False)
    assert ledger.count_unsigned() == 2


def test_outlet_counts_split_origin_republisher_and_unknown(store: Store, two) -> None:
    ledger = CopyLedger(store)
    ledger.save_links(METHOD, [link(*two)], [], WHEN)
    counts = ledger.outlet_counts()
    assert counts["Seed Wire"] == {"documents": 1, "origin": 1, "republisher": 0,
                                   "order_unknown": 0}
    assert counts["Seed Post"]["republisher"] == 1
    ledger.reset(keep_signatures=True)
    ledger.save_links(METHOD, [link(*two, direction="unknown")], [], WHEN)
    counts = ledger.outlet_counts()
    assert counts["Seed Wire"]["order_unknown"] == counts["Seed Post"]["order_unknown"] == 1
    assert counts["Seed Wire"]["origin"] == 0


def test_documents_are_found_by_id_prefix_or_source(store: Store, two) -> None:
    ledger = CopyLedger(store)
    assert ledger.document_ids(two[0][:6]) == [two[0]]
    source = ledger.documents([two[1]])[two[1]].source
    assert ledger.document_ids(source) == [two[1]]
    assert ledger.document_ids("%") == []

"""Linking copies on real text: each kind of edit is found, unrelated articles are not, the
order comes from publication times only, and linking is incremental and idempotent."""

from __future__ import annotations

from dataclasses import replace

import pytest

from claimscope.corpus import LinkSettings, copy_groups, link_copies
from claimscope.store import CopyLedger, Store

from .helpers import EDITS, SEEN, Article, derive, document, later, save

ORIGINS = ("zelenskyy-1", "000_8a111a524688a94b")
EXPECTED_SCOPE = {edit: "document" for edit in EDITS} | {"lifted": "passage"}
UNRELATED = ("kremlin-0", "zelenskyy-0", "zelenskyy-2", "004_99418b01a1118d0d")
"""Articles that share no passage with each other nor with the origins (two of the Kremlin
releases share their list of Security Council members, verbatim: a real copied passage)."""


def links(store: Store) -> dict[frozenset, object]:
    return {frozenset((row.source, row.copy)): row for row in CopyLedger(store).link_rows(True)}


def others_for(articles: dict[str, Article], origin: str) -> list[Article]:
    return [articles[name] for name in ("kremlin-2", *UNRELATED) if name != origin]


@pytest.mark.parametrize("origin_name", ORIGINS)
@pytest.mark.parametrize("edit", EDITS)
def test_each_kind_of_copy_is_linked_to_its_origin(
    store: Store, articles: dict[str, Article], edit: str, origin_name: str
) -> None:
    others = others_for(articles, origin_name)
    origin, copy = derive(edit, articles[origin_name], others)
    when = origin.published_at or SEEN
    origin_id, copy_id = save(
        store, document(origin, when), document(copy, later(when, 3))
    )
    unrelated = save(store, *(document(articles[name]) for name in UNRELATED
                              if name != origin_name and name != others[0].name))
    report = link_copies(store)
    found = links(store)
    link = found[frozenset((origin_id, copy_id))]
    assert (link.source, link.copy, link.direction) == (origin_id, copy_id, "published")
    assert link.scope == EXPECTED_SCOPE[edit]
    assert link.evidence["passages"], "a link names the passages it rests on"
    assert 0.5 <= link.similarity <= 1.0
    assert report.links == len(found) == 1, "nothing links the unrelated articles"
    assert set().union(*found) & set(unrelated) == set()


def test_a_lifted_paragraph_is_located_in_both_documents(
    store: Store, articles: dict[str, Article]
) -> None:
    origin, copy = derive("lifted", articles["zelenskyy-1"], others_for(articles, "zelenskyy-1"))
    origin_doc, copy_doc = document(origin, SEEN), document(copy, later(SEEN, 1))
    save(store, origin_doc, copy_doc)
    link_copies(store)
    (link,) = links(store).values()
    best = link.evidence["passages"][0]
    lifted = max(origin.paragraphs, key=len)
    assert origin_doc.text[best["source"]["start"] : best["source"]["end"]] == lifted
    assert copy_doc.text[best["copy"]["start"] : best["copy"]["end"]] == lifted
    assert link.evidence["coverage"]["source"] < 0.5  # one paragraph of the origin


def test_real_articles_about_the_same_war_are_not_copies(
    store: Store, articles: dict[str, Article]
) -> None:
    save(store, *(document(articles[name]) for name in (*UNRELATED, *ORIGINS)))
    report = link_copies(store)
    assert report.documents_read == 6 and report.links == 0
    assert copy_groups(store) == []


def test_the_origin_is_the_earliest_published_even_when_seen_last(
    store: Store, articles: dict[str, Article]
) -> None:
    origin, copy = derive("boilerplate_added", articles["000_8a111a524688a94b"], [
        articles[name] for name in UNRELATED])
    published = SEEN.replace(day=1)
    origin_id, copy_id, second_id = save(
        store,
        document(origin, published, seen=later(SEEN, 5)),  # seen last
        document(copy, later(published, 2), seen=SEEN),
        document(replace(copy, name="second-copy"), later(published, 9), seen=later(SEEN, 1)),
    )
    link_copies(store)
    (group,) = copy_groups(store)
    assert (group.order, group.origin) == ("published", origin_id)
    assert group.first_seen == copy_id  # kept beside it, but not the origin
    assert [d.id for d in group.documents] == [origin_id, copy_id, second_id]
    assert group.as_dict()["documents"][0]["role"] == "origin"
    for link in group.links:
        assert link["direction"] == "published"
        assert link["source"] in (origin_id, copy_id)


@pytest.mark.parametrize("dates", ["missing", "one missing", "equal"])
def test_without_usable_dates_the_order_is_unknown(
    store: Store, articles: dict[str, Article], dates: str
) -> None:
    origin, copy = derive("reordered", articles["zelenskyy-1"], [])
    published = articles["zelenskyy-1"].published_at
    times = {"missing": (None, None), "one missing": (published, None),
             "equal": (published, published)}[dates]
    first_id, second_id = save(
        store,
        document(copy, times[1], seen=SEEN),
        document(origin, times[0], seen=later(SEEN, 1)),
    )
    link_copies(store)
    (group,) = copy_groups(store)
    assert group.order == "unknown" and group.origin is None
    assert group.first_seen == first_id  # weak evidence, named as such
    assert {d["role"] for d in group.as_dict()["documents"]} == {None}
    (link,) = group.links
    assert link["direction"] == "unknown"
    assert link["source"] == first_id  # only as the one seen first
    assert "weak evidence" in links(store)[frozenset((first_id, second_id))].evidence["order"][
        "reason"]


def test_a_new_document_is_linked_without_reading_the_corpus_again(
    store: Store, articles: dict[str, Article]
) -> None:
    origin, copy = derive("reworded", articles["000_8a111a524688a94b"], [])
    save(store, document(origin, SEEN), *(document(articles[n]) for n in UNRELATED))
    first = link_copies(store)
    assert (first.documents_read, first.links) == (5, 0)
    before = CopyLedger(store).counts()
    (copy_id,) = save(store, document(copy, later(SEEN, 1)))
    second = link_copies(store)
    assert second.documents_read == 1, "only the new document's text is read"
    assert (second.documents_linked, second.links) == (1, 1)
    after = CopyLedger(store).counts()
    assert after["signed"] == before["signed"] + 1
    assert any(copy_id in pair for pair in links(store))


def test_linking_again_changes_nothing(store: Store, articles: dict[str, Article]) -> None:
    origin, copy = derive("exact", articles["zelenskyy-1"], [])
    save(store, document(origin, SEEN), document(copy, later(SEEN, 1)))
    first = link_copies(store)
    rows = CopyLedger(store).link_rows(True)
    second = link_copies(store)
    assert first.links == 1
    assert (second.documents_read, second.documents_linked, second.links) == (0, 0, 0)
    assert CopyLedger(store).link_rows(True) == rows


def test_rebuild_and_a_new_method_recompute_the_same_links(
    store: Store, articles: dict[str, Article]
) -> None:
    origin, copy = derive("lifted", articles["zelenskyy-1"], others_for(articles, "zelenskyy-1"))
    save(store, document(origin, SEEN), document(copy, later(SEEN, 1)))
    link_copies(store)
    pairs = set(links(store))
    rebuilt = link_copies(store, rebuild=True)
    assert rebuilt.rebuilt and rebuilt.documents_read == 0 and set(links(store)) == pairs
    other_method = link_copies(store, replace(LinkSettings(), shingle_words=4))
    assert other_method.rebuilt and other_method.documents_read == 2
    assert set(links(store)) == pairs


def test_a_document_too_short_to_compare_is_marked_linked(store: Store) -> None:
    short = document(replace_text("Kupyansk."), SEEN)
    save(store, short)
    report = link_copies(store)
    assert (report.documents_read, report.documents_linked, report.links) == (1, 1, 0)
    assert link_copies(store).documents_read == 0


def replace_text(text: str) -> Article:
    return Article("short", "short", (text,))


class Stop(Exception):
    pass


@pytest.mark.parametrize("stage", ["read", "link"])
def test_an_interrupted_run_resumes_to_the_same_links(
    store: Store, articles: dict[str, Article], monkeypatch: pytest.MonkeyPatch, stage: str
) -> None:
    monkeypatch.setattr("claimscope.corpus.link.LINK_CHUNK", 1)  # one transaction per document
    origin = articles["zelenskyy-1"]
    copies = [derive(edit, origin, others_for(articles, origin.name))[1] for edit in EDITS[:4]]
    save(store, document(origin, SEEN), *(document(c, later(SEEN, i + 1))
                                          for i, c in enumerate(copies)))
    def stop_after_first(step: str, done: int, total: int) -> None:
        if step == stage and done >= 1:
            raise Stop

    with pytest.raises(Stop):
        link_copies(store, progress=stop_after_first, batch_size=1)
    before = CopyLedger(store).counts()
    assert 0 < before[{"read": "signed", "link": "linked"}[stage]] < 5
    resumed = link_copies(store, batch_size=1)
    assert resumed.documents_read == 5 - before["signed"]
    assert resumed.documents_linked == 5 - before["linked"]
    assert len(links(store)) == 10  # all five derive from one text: every pair, once

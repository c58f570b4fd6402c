"""The ledger out as brat and corrected files back in (issue 6), on the seed reports."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from lxml import html

from claimscope.analyze import analyze
from claimscope.errors import ReadError
from claimscope.exchange.annotations import import_annotations, training_documents
from claimscope.exchange.brat import (
    CONTENT,
    CUE,
    SOURCE,
    TRIGGER,
    TRIGGER_NO_SOURCE,
    read_ann,
    write_ledger,
)
from claimscope.ingest import ReadOptions
from claimscope.store import Store, open_store, resolve_database_url
from claimscope.web import create_app

ROLES = ("speaker", "cue", "content")


@pytest.fixture(scope="module")
def analyzed_db(tmp_path_factory, seed_paths, extractor) -> Path:
    """The seed reports analysed once; each test works on its own copy of the database."""
    path = tmp_path_factory.mktemp("ledger") / "seeds.db"
    with open_store(resolve_database_url(str(path))) as store:
        analyze(seed_paths, store, extractor, ReadOptions())
    return path


@pytest.fixture
def store(analyzed_db: Path, tmp_path: Path):
    copy = tmp_path / "ledger.db"
    shutil.copyfile(analyzed_db, copy)
    with open_store(resolve_database_url(str(copy))) as opened:
        yield opened


def spans(claim: dict) -> dict:
    """What a review can change of a claim: each role's offsets and fragments."""
    return {role: (claim[role]["start"], claim[role]["end"],
                   [(f["start"], f["end"]) for f in claim[role].get("fragments", [])])
            for role in ROLES}


def attributed(store: Store) -> list[dict]:
    return [c for c in store.claims() if c["speaker"]["kind"] != "author"]


def test_export_writes_the_stored_text_and_its_attributions(store: Store, tmp_path: Path) -> None:
    summary = write_ledger(store, tmp_path / "brat")
    pairs = sorted((tmp_path / "brat").glob("*.ann"))
    assert summary["documents"] == len(pairs) == 2
    assert summary["attributions"] == len(attributed(store)) > 0
    texts = {}
    for ann in pairs:
        text = ann.with_suffix(".txt").read_bytes().decode("utf-8")
        standoff = read_ann(ann, text)  # checks every offset against the text
        texts[ann.stem] = text
        for attribution in standoff.attributions:
            assert attribution.trigger.label in (TRIGGER, TRIGGER_NO_SOURCE)
            assert (attribution.source is not None) == (attribution.trigger.label == TRIGGER)
            assert attribution.contents
    claims = attributed(store)
    for claim in claims:
        (name,) = [n for n in texts if n.endswith(claim["document"]["id"])]
        assert texts[name][claim["content"]["start"]:claim["content"]["end"]] == claim["content"]["text"]
    discontinuous = [c for c in claims if "fragments" in c["content"]]
    assert discontinuous, "the seeds have a content interrupted by its cue"
    ann_text = "".join(p.read_text(encoding="utf-8") for p in pairs)
    for claim in discontinuous:
        offsets = ";".join(f"{f['start']} {f['end']}" for f in claim["content"]["fragments"])
        assert f"{CONTENT} {offsets}\t" in ann_text
    assert f"\t{SOURCE} " in ann_text


def test_export_then_import_round_trips_to_the_same_spans(store: Store, tmp_path: Path) -> None:
    before = {c["id"]: spans(c) for c in attributed(store)}
    write_ledger(store, tmp_path / "brat")
    report = import_annotations(store, tmp_path / "brat", by="ana")
    assert not report.failures and len(report.imported) == 2
    assert (report.revised, report.added, report.deleted) == (len(before), 0, 0)
    after = attributed(store)
    assert {c["id"]: spans(c) for c in after} == before
    assert all(c["reviewed"] and c["review"]["by"] == "ana" for c in after)
    again = import_annotations(store, tmp_path / "brat", by="ana")
    assert (len(again.imported), len(again.unchanged)) == (0, 2)


def _edit(ann: Path, change) -> None:
    lines = ann.read_text(encoding="utf-8").splitlines()
    ann.write_text("".join(line + "\n" for line in change(lines)), encoding="utf-8")


def test_a_corrected_file_changes_the_ledger(store: Store, tmp_path: Path) -> None:
    write_ledger(store, tmp_path / "brat")
    claims = attributed(store)
    target = next(c for c in claims if "fragments" not in c["content"]
                  and c["content"]["end"] - c["content"]["start"] > 20)
    doomed = next(c for c in claims if c["document"]["id"] == target["document"]["id"]
                  and c["id"] != target["id"] and c["cue"]["start"] != target["cue"]["start"])
    (ann,) = (tmp_path / "brat").glob(f"*{target['document']['id']}.ann")
    text = ann.with_suffix(".txt").read_text(encoding="utf-8")
    content = target["content"]
    shorter = content["end"] - 5
    doomed_cue = f"Cue {doomed['cue']['start']} {doomed['cue']['end']}\t"

    def change(lines: list[str]) -> list[str]:
        ids = {line.split("\t")[0]: line for line in lines if line.startswith("T")}
        doomed_id = next(i for i, line in ids.items() if doomed_cue in line)
        edited = []
        for line in lines:
            old = f"Content {content['start']} {content['end']}\t"
            if old in line:
                line = (line.split("\t")[0] + f"\tContent {content['start']} {shorter}\t"
                        + text[content["start"]:shorter])
            if line.startswith("E") and f"Cue:{doomed_id} " in line + " ":
                continue
            edited.append(line)
        # a claim the extractor missed: "It" (the first word) said… as a no-source attribution
        n = len(ids) + 10
        edited += [f"T{n}\tContent 0 12\t{text[0:12]}", f"T{n + 1}\tAttribution-no-source 0 12\t{text[0:12]}",
                   f"E{n}\tAttribution-no-source:T{n + 1} Content:T{n}"]
        return edited

    _edit(ann, change)
    report = import_annotations(store, tmp_path / "brat", by="ana")
    assert not report.failures, report.failures
    assert (report.added, report.deleted) == (1, 1)
    after = {c["id"]: c for c in store.claims()}
    assert doomed["id"] not in after
    moved = after[target["id"]]
    assert (moved["content"]["start"], moved["content"]["end"]) == (content["start"], shorter)
    assert moved["content"]["text"] == text[content["start"]:shorter]
    assert moved["review"]["extracted"]["content"]["end"] == content["end"]
    (added,) = [c for c in after.values() if c["review"] and c["review"]["added"]]
    assert added["content"]["text"] == text[0:12] and added["speaker"]["start"] is None
    assert store.claim(target["id"])["reviewed"] is True


def _add_attribution(ann: Path, text: str, source: str, cue: str, content: str) -> None:
    """Append a Source/Cue/Content attribution for the first occurrences of the three."""
    lines = ann.read_text(encoding="utf-8").splitlines()
    n = 1000
    added = []
    for offset, (label, words) in enumerate(((SOURCE, source), (CUE, cue), (CONTENT, content), (TRIGGER, cue))):
        start = text.index(words)
        added.append(f"T{n + offset}\t{label} {start} {start + len(words)}\t{words}")
    added.append(f"E{n}\t{TRIGGER}:T{n + 3} {SOURCE}:T{n} {CUE}:T{n + 1} {CONTENT}:T{n + 2}")
    ann.write_text("".join(line + "\n" for line in lines + added), encoding="utf-8")


@pytest.mark.parametrize("read", [True, False], ids=["read by the extractor", "spans only"])
def test_an_added_claim_is_read_in_its_document_like_an_extracted_one(
        store: Store, tmp_path: Path, extractor, read: bool) -> None:
    """The reviewer marks who spoke; the extractor says what that source is, how sure the
    claim is and how check-worthy, as it does for its own claims. Without it, brat's spans
    say only where the source is: a guessed vague source, check-worthiness 0."""
    write_ledger(store, tmp_path / "brat")
    (ann,) = (tmp_path / "brat").glob("000_*.ann")
    text = ann.with_suffix(".txt").read_text(encoding="utf-8")
    source, cue = "Russian President Vladimir Putin", "has weighed in"
    content = "a perspective that contrasts sharply with Ukrainian military assessments"
    assert source not in {c["speaker"]["text"] for c in store.claims()}
    _add_attribution(ann, text, source, cue, content)
    report = import_annotations(store, tmp_path / "brat", by="ana", reader=extractor if read else None)
    assert not report.failures and report.added == 1
    (added,) = [c for c in store.claims() if c["review"] and c["review"]["added"]]
    assert (added["speaker"]["text"], added["cue"]["text"], added["content"]["text"]) == (source, cue, content)
    if read:
        assert added["speaker"]["kind"] == "person" and "Putin" in added["speaker"]["name"]
        assert 0 < added["checkworthiness"] < 1
    else:
        assert (added["speaker"]["kind"], added["checkworthiness"]) == ("vague", 0)


@pytest.mark.parametrize("problem", ["unpaired", "text differs", "malformed"])
def test_a_bad_pair_is_one_line_naming_its_file_and_the_others_still_import(
    store: Store, tmp_path: Path, problem: str
) -> None:
    folder = tmp_path / "brat"
    write_ledger(store, folder)
    bad, good = sorted(folder.glob("*.ann"))
    if problem == "unpaired":
        bad.with_suffix(".txt").unlink()
        named = bad
    elif problem == "text differs":
        named = bad.with_suffix(".txt")
        named.write_text("Another text. " + named.read_text(encoding="utf-8"), encoding="utf-8")
    else:
        named = bad
        bad.write_text(bad.read_text(encoding="utf-8") + "T99\tContent 5 three\tx\n", encoding="utf-8")
    report = import_annotations(store, folder, by="ana")
    (failure,) = report.failures
    assert isinstance(failure, ReadError) and failure.source == str(named)
    assert "\n" not in str(failure)
    assert report.imported == [str(good)]


def test_reviewed_spans_read_back_as_training_documents(store: Store, tmp_path: Path) -> None:
    write_ledger(store, tmp_path / "brat")
    import_annotations(store, tmp_path / "brat", by="ana")
    found = list(training_documents(store))
    assert len(found) == 2
    for document in found:
        (ann,) = (tmp_path / "brat").glob(f"*{document.name}.ann")
        exported = read_ann(ann, document.text)
        assert [a.contents[0].fragments for a in document.standoff.attributions] == \
            [a.contents[0].fragments for a in exported.attributions]


def test_the_claim_page_shows_who_reviewed_it(store: Store, tmp_path: Path) -> None:
    write_ledger(store, tmp_path / "brat")
    import_annotations(store, tmp_path / "brat", by="<b>ana</b>")
    claim = attributed(store)[0]
    with TestClient(create_app(store)) as client:
        twin = client.get(f"/api/v1/claims/{claim['id']}").json()["claim"]
        page = html.fromstring(client.get(f"/claims/{claim['id']}").text)
    assert twin["reviewed"] is True and twin["review"]["by"] == "<b>ana</b>"
    reviewed = page.xpath("string(//dd[@class='reviewed'])")
    assert "by <b>ana</b>" in reviewed and not page.xpath("//dd[@class='reviewed']//b")

"""ClaimReview out and in, and the verdict commands, on the real analysed examples:
`claimscope verdict`, `verdicts`, `verdicts --history`, `import-claimreview`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimscope.cli import cli
from claimscope.corpus.verdicts import proposition_list, proposition_view
from claimscope.exchange.claimreview import RATINGS, export_claimreview, problems
from claimscope.store import open_store, resolve_database_url
from tests.verdict_ledger import build, copy


@pytest.fixture(scope="module")
def analysed(tmp_path_factory, extractor) -> Path:
    return build(tmp_path_factory.mktemp("claimreview"), extractor)


@pytest.fixture
def db(analysed, tmp_path) -> str:
    return copy(analysed, tmp_path)


def run(*args: str) -> object:
    return CliRunner().invoke(cli, list(args))


def propositions(db: str) -> list[dict]:
    with open_store(resolve_database_url(db)) as store:
        return proposition_list(store, limit=500)["propositions"]


def judge(db: str, pid: str, verdict: str, rationale: str, *extra: str) -> object:
    result = run("verdict", pid, verdict, "--rationale", rationale, "--by", "ana", "--db", db,
                 "--json", *extra)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_verdict_commands_keep_every_change_and_list_the_current_one(db) -> None:
    pid = propositions(db)[0]["id"]
    first = judge(db, pid, "unproven", "Only one side says so.")
    second = judge(db, pid, "false", "Denied with video.", "--evidence",
                   "https://example.org/video", "--evidence", "https://example.org/geo")
    assert judge(db, pid, "false", "Denied with video.", "--evidence",
                 "https://example.org/video", "--evidence", "https://example.org/geo") == second
    assert (first["previous"], second["previous"], second["verdict"]) == (None, "unproven",
                                                                          "false")
    history = json.loads(run("verdicts", "--history", pid, "--db", db, "--json").output)
    assert [(v["previous"], v["verdict"]) for v in history] == [(None, "unproven"),
                                                                ("unproven", "false")]
    current = json.loads(run("verdicts", "--db", db, "--json").output)
    assert [(v["proposition_id"], v["verdict"], v["changes"]) for v in current["verdicts"]] == [
        (pid, "false", 2)]
    listed = run("verdicts", "--db", db)
    assert listed.exit_code == 0 and pid in listed.output and "false" in listed.output
    text = run("verdicts", "--history", pid, "--db", db).output
    assert "unproven → false" in text and "https://example.org/geo" in text


@pytest.mark.parametrize(("args", "problem"), [
    (["0000000000000000", "false", "--by", "ana"], "no proposition with id"),
    (["{pid}", "false", "--by", "nobody"], "no user named 'nobody'"),
    (["{pid}", "false", "--by", "vic"], "needs the analyst role"),
    (["{pid}", "false", "--by", "ana", "--evidence", "file:///etc/passwd"], "http(s) URL"),
    (["{pid}", "false", "--by", "ana", "--rationale", " "], "needs a rationale"),
])
def test_a_verdict_that_cannot_be_recorded_is_one_line_and_nothing_stored(db, args,
                                                                          problem) -> None:
    pid = propositions(db)[0]["id"]
    args = [a.format(pid=pid) for a in args]
    if "--rationale" not in args:
        args += ["--rationale", "x"]
    result = run("verdict", *args, "--db", db)
    assert result.exit_code == 2, result.output
    assert problem in result.output and "Traceback" not in result.output
    assert json.loads(run("verdicts", "--db", db, "--json").output)["verdicts"] == []


def test_exported_claimreviews_have_the_required_fields_and_the_rating_scale(db) -> None:
    found = propositions(db)
    for p, verdict in zip(found, ["true", "false", "misleading"]):
        judge(db, p["id"], verdict, f"Because of {verdict}.", "--evidence",
              "https://example.org/e")
    with open_store(resolve_database_url(db)) as store:
        reviews = export_claimreview(store, organisation="Test Desk")
        views = {p["id"]: proposition_view(store, p["id"]) for p in found[:3]}
    assert len(reviews) == 3
    for review in reviews:
        assert problems(review) == []
        pid = review["identifier"].rsplit(":", 1)[1]
        view = views[pid]
        assert review["claimReviewed"] == view["proposition"]["statement"]
        rating = review["reviewRating"]
        assert rating["ratingValue"] == RATINGS[rating["alternateName"]]
        assert (rating["worstRating"], rating["bestRating"]) == (1, 5)
        assert review["author"] == {"@type": "Organization", "name": "Test Desk"}
        assert review["contributor"]["name"] == "ana"
        assert review["citation"] == ["https://example.org/e"]
        claim = review["itemReviewed"]
        authors = claim["author"] if isinstance(claim["author"], list) else [claim["author"]]
        origins = [o["speaker"] for o in view["proposition"]["origins"]]
        assert [a["name"] for a in authors] == (
            origins[:1] if view["proposition"]["origin_order"] == "published" else origins)
        assert len(claim["appearance"]) == len({m["document"] for m in view["proposition"][
            "members"] if m["stance"] == "asserts"})
        assert ("firstAppearance" in claim) == (view["proposition"]["origin_order"] ==
                                                "published")


def test_claimreviews_round_trip_through_import_to_their_propositions(db, tmp_path) -> None:
    found = propositions(db)[:4]
    for p in found:
        judge(db, p["id"], "false", "Round trip.")
    with open_store(resolve_database_url(db)) as store:
        exported = export_claimreview(store)
    path = tmp_path / "reviews.jsonld"
    path.write_text(json.dumps({"@context": "https://schema.org", "@graph": exported}))
    result = run("import-claimreview", str(path), "--db", db, "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert (report["read"], report["new"], report["matched"]) == (4, 4, 4)
    matched = {f["claim_reviewed"]: f["proposition_id"] for f in report["fact_checks"]}
    assert matched == {p["statement"]: p["id"] for p in found}
    again = json.loads(run("import-claimreview", str(path), "--db", db, "--json").output)
    assert again["new"] == 0
    with open_store(resolve_database_url(db)) as store:
        shown = proposition_view(store, found[0]["id"])["fact_checks"]
    assert [f["rating"] for f in shown] == ["false"] and shown[0]["score"] >= 0.967


def test_a_single_claimreview_from_elsewhere_is_matched_or_left_unmatched(db, tmp_path):
    statement = propositions(db)[0]["statement"]
    review = {"@context": "https://schema.org", "@type": "ClaimReview",
              "claimReviewed": statement, "url": "https://factcheck.example/1",
              "author": {"@type": "Organization", "name": "Other Desk"},
              "reviewRating": {"@type": "Rating", "ratingValue": 2, "bestRating": 5}}
    unrelated = dict(review, claimReviewed="A new vaccine cures baldness in a week.",
                     url="https://factcheck.example/2")
    path = tmp_path / "one.json"
    path.write_text(json.dumps([review, unrelated]))
    report = json.loads(run("import-claimreview", str(path), "--db", db, "--json").output)
    first, second = report["fact_checks"]
    assert first["proposition_id"] == propositions(db)[0]["id"] and first["rating"] == "2/5"
    assert first["author"] == "Other Desk"
    assert second["proposition_id"] is None and second["score"] < 0.967


@pytest.mark.parametrize(("content", "problem"), [
    (b"{not json", "not JSON"),
    (b"\xff\xfe\x00binary", "not UTF-8"),
    (b"[]", "no ClaimReview"),
    (b'{"@type": "ClaimReview", "reviewRating": {"alternateName": "False"}}',
     "claimReviewed is missing"),
    (b'[{"@type": "ClaimReview", "claimReviewed": "x", "reviewRating": {"alternateName": "a"}},'
     b' {"@type": "ClaimReview", "claimReviewed": "y"}]', "ClaimReview 2: reviewRating"),
])
def test_a_bad_claimreview_file_is_one_line_naming_it(db, tmp_path, content, problem) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    result = run("import-claimreview", str(path), "--db", db)
    assert result.exit_code == 2
    assert result.output.startswith(f"claimscope: {path}: ") and problem in result.output
    assert len(result.output.strip().splitlines()) == 1


@pytest.mark.parametrize("command", [["verdict"], ["verdicts"], ["import-claimreview"]])
def test_verdict_commands_have_help(command) -> None:
    result = run(*command, "--help")
    assert result.exit_code == 0 and "--db" in result.output


def test_export_command_writes_the_verdicts_as_claimreview(db, tmp_path: Path) -> None:
    pid = propositions(db)[0]["id"]
    judge(db, pid, "misleading", "The town was contested, not taken.")
    out = tmp_path / "reviews.json"
    result = run("export", "--format", "claimreview", "--out", str(out), "--db", db, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["reviews"] == 1
    (review,) = json.loads(out.read_text(encoding="utf-8"))
    assert not problems(review)
    assert review["reviewRating"]["alternateName"] == "misleading"
    assert review["reviewBody"] == "The town was contested, not taken."

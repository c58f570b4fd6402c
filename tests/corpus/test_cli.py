"""`claimscope link`, `copies` and `outlets`, and the linking `analyze` runs at its end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimscope.cli import cli
from claimscope.store import open_store, resolve_database_url

from .helpers import SEEN, Article, derive, document, later, save

USER_REGISTRY = """\
name: mine.v1
description: The outlets of the test corpus.
outlets:
  - name: Copy Site
    aliases: [copysite]
    type: other
    network: Copy Network
"""


def run(*args: str) -> object:
    result = CliRunner().invoke(cli, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


@pytest.fixture
def ledger(tmp_path: Path, articles: dict[str, Article]) -> tuple[str, dict[str, str]]:
    """A ledger with an origin, a copy of it, a lifted paragraph and an undated pair."""
    db = str(tmp_path / "ledger.db")
    origin, copy = derive("boilerplate_added", articles["zelenskyy-1"],
                          [articles["kremlin-0"], articles["zelenskyy-0"], articles["kremlin-2"]])
    _, lifted = derive("lifted", articles["zelenskyy-1"], [articles["zelenskyy-2"]])
    _, undated = derive("reordered", articles["000_8a111a524688a94b"], [])
    with open_store(resolve_database_url(db)) as store:
        ids = save(
            store,
            document(origin, SEEN, outlet="Office of the President of Ukraine"),
            document(copy, later(SEEN, 2), outlet="Copy Site"),
            document(lifted, later(SEEN, 5), outlet="copysite"),
            document(articles["000_8a111a524688a94b"], None, outlet="Seed Wire"),
            document(undated, None, seen=later(SEEN, 1), outlet="Copy Site"),
        )
    return db, dict(zip(("origin", "copy", "lifted", "seed", "undated"), ids))


def test_link_then_copies_shows_groups_with_their_origin(ledger) -> None:
    db, ids = ledger
    linked = run("link", "--db", db, "--json")
    assert linked.exit_code == 0, linked.output
    summary = json.loads(linked.stdout)
    assert summary["documents_read"] == 5 and summary["copy_links"] == 4
    assert summary["by_scope"] == {"document": 2, "passage": 2}
    groups = json.loads(run("copies", "--db", db, "--json").stdout)
    assert len(groups) == 2
    dated, undated = groups
    assert (dated["order"], dated["origin"]) == ("published", ids["origin"])
    assert {d["id"] for d in dated["documents"]} == {ids["origin"], ids["copy"], ids["lifted"]}
    assert all(link["evidence"]["passages"] for link in dated["links"])
    assert (undated["order"], undated["origin"]) == ("unknown", None)
    assert undated["first_seen"] == ids["seed"]
    again = json.loads(run("link", "--db", db, "--json").stdout)
    assert again["documents_read"] == 0 and again["copy_links"] == 0


def test_copies_of_one_document_and_the_text_listing(ledger) -> None:
    db, ids = ledger
    run("link", "--db", db)
    one = json.loads(run("copies", "--db", db, "--json", "--document", ids["lifted"][:8]).stdout)
    assert len(one) == 1 and one[0]["origin"] == ids["origin"]
    text = run("copies", "--db", db).stdout
    assert f"origin {ids['origin']}" in text
    assert "order unknown" in text and "weak evidence" in text
    missing = run("copies", "--db", db, "--document", "ffffffff")
    assert missing.exit_code == 1 and "no copy links" in missing.stderr


def test_outlets_lists_the_registry_with_documents_and_copy_roles(
    ledger, tmp_path: Path
) -> None:
    db, _ = ledger
    run("link", "--db", db)
    user = tmp_path / "outlets.yaml"
    user.write_text(USER_REGISTRY, encoding="utf-8")
    rows = {r["name"]: r for r in json.loads(
        run("outlets", "--db", db, "--json", "--outlets", str(user)).stdout)}
    site = rows["Copy Site"]  # "copysite" documents count for it, through its alias
    assert (site["registry"], site["documents"]) == ("user", 3)
    # republished the origin twice (copy, lifted) and its own copy once (lifted, 3 h later)
    assert (site["republisher"], site["origin"], site["order_unknown"]) == (3, 1, 1)
    assert site["independence_key"] == "copy network"
    president = rows["Office of the President of Ukraine"]
    assert (president["documents"], president["origin"]) == (1, 2)
    assert rows["Seed Wire"]["registered"] is False
    assert rows["Seed Wire"]["order_unknown"] == 1
    assert rows["TASS"]["documents"] == 0
    wide = CliRunner().invoke(cli, ["outlets", "--db", db, "--outlets", str(user)],
                              env={"COLUMNS": "160"})
    assert "Copy Site" in wide.stdout and "Copy Network" in wide.stdout


def test_a_bad_outlets_file_is_one_line_and_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\ndescription: y\noutlets: [{name: A, type: blog}]\n")
    result = run("outlets", "--db", str(tmp_path / "x.db"), "--outlets", str(bad))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"claimscope: {bad}") and len(result.stderr.splitlines()) == 1


def test_analyze_links_the_new_documents(
    extractor, tmp_path: Path, articles: dict[str, Article], monkeypatch
) -> None:
    monkeypatch.delenv("CLAIMSCOPE_DB", raising=False)
    folder = tmp_path / "articles"
    folder.mkdir()
    origin, copy = derive("reworded", articles["000_8a111a524688a94b"], [])
    (folder / "origin.txt").write_text(origin.text, encoding="utf-8")
    db = str(tmp_path / "ledger.db")
    invoke = lambda *a: CliRunner().invoke(cli, [*a, "--db", db], obj={"extractor": extractor})  # noqa: E731
    first = invoke("analyze", str(folder))
    assert first.exit_code == 0, first.output
    assert "copy links: 0" in first.stdout
    (folder / "copy.txt").write_text(copy.text, encoding="utf-8")
    second = invoke("analyze", str(folder), "--json")
    summary = json.loads(second.stdout)
    assert (summary["documents_new"], summary["copy_links"]) == (1, 1)
    (group,) = json.loads(invoke("copies", "--json").stdout)
    assert group["order"] == "unknown"  # plain text files carry no publication time

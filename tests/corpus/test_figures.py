"""Stored proposition figures (revision 0008) equal the figures counted live, on the analysed
examples; a database of revision 0007 is upgraded and its figures filled by the next link."""

from __future__ import annotations

from alembic import command
from sqlalchemy import create_engine

from claimscope.corpus.corroboration import figures, proposition_table
from claimscope.corpus.propositions import link_propositions
from claimscope.corpus.verdicts import proposition_list
from claimscope.store import open_store, resolve_database_url
from claimscope.store.engine import alembic_config
from claimscope.store.figures import FigureLedger
from claimscope.store.schema import claims
from tests.verdict_ledger import build

SORTS = ("independent-origins", "echo-ratio", "contradictions", "claims")


def _stored(store) -> dict:
    rows, _ = FigureLedger(store).page("independent-origins")
    return {r.id: r for r in rows}


def _assert_stored_equal_live(store) -> None:
    live = {p["id"]: figures(p) for p in proposition_table(store)}
    stored = _stored(store)
    assert live and set(stored) == set(live)
    for pid, counted in live.items():
        row = stored[pid]
        assert row.proposition_id == pid
        for name, value in counted.__dict__.items():
            assert getattr(row, name) == value, (pid, name)
    briefs = {p["id"]: p for p in proposition_list(store, limit=500)["propositions"]}
    for pid, counted in live.items():
        assert briefs[pid]["independent_origins"] == counted.independent_origins
        assert briefs[pid]["echo_ratio"] == counted.echo_ratio
        assert briefs[pid]["contradictions"] == counted.contradictions


def _highest(store) -> dict[str, tuple]:
    query = claims.select().with_only_columns(
        claims.c.id, claims.c.proposition_origins, claims.c.proposition_echo_ratio)
    return {r[0]: (r[1], r[2]) for r in store.read(lambda c: list(c.execute(query)))}


def test_stored_figures_equal_the_figures_counted_live(tmp_path, extractor) -> None:
    path = build(tmp_path, extractor)
    with open_store(resolve_database_url(str(path))) as store:
        _assert_stored_equal_live(store)
        table = proposition_table(store)
        for sort in SORTS:  # the SQL order is the order the Python sort gave
            key = {
                "independent-origins": lambda p: (p["independent_origins"], len(p["documents"])),
                "echo-ratio": lambda p: (p["echo_ratio"] or 0.0, len(p["documents"])),
                "contradictions": lambda p: (len(p["contradictions"]), p["independent_origins"]),
                "claims": lambda p: (len(p["claims"]), p["independent_origins"]),
            }[sort]
            expected = [p["id"] for p in sorted(table, key=key, reverse=True)]
            assert [p["id"] for p in proposition_table(store, sort)] == expected, sort
            listed = proposition_list(store, sort, limit=500)["propositions"]
            assert [p["id"] for p in listed] == expected, sort
        highest = _highest(store)
        for claim_id, (origins, echo) in highest.items():
            held = [p for p in table if claim_id in p["claims"]]
            if not held:
                assert (origins, echo) == (None, None)
                continue
            assert origins == max(p["independent_origins"] for p in held)
            ratios = [p["echo_ratio"] for p in held if p["echo_ratio"] is not None]
            assert echo == (max(ratios) if ratios else None)


def test_a_0007_database_is_upgraded_and_linking_fills_its_figures(tmp_path, extractor) -> None:
    path = build(tmp_path, extractor)
    url = resolve_database_url(str(path))
    config = alembic_config(url)
    # Foreign keys off (SQLite's default): the downgrade rebuilds ``claims`` without losing rows.
    with create_engine(url).begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0007")
    with open_store(url) as store:  # upgraded to 0008: no figures yet
        assert FigureLedger(store).missing()
        listed = proposition_list(store, limit=500)  # counted live meanwhile
        assert listed["count"] == len(proposition_table(store))
        report = link_propositions(store)
        assert report.claims_linked == 0 and report.figures == listed["count"]
        assert not FigureLedger(store).missing()
        _assert_stored_equal_live(store)
        assert link_propositions(store).figures == 0  # nothing stale: nothing counted again

"""The planner's statistics the web desk refreshes at start (issue 5: the ledger at 100k)."""

from __future__ import annotations

from sqlalchemy import text

from claimscope.store.views import refresh_statistics


def analysed_tables(store) -> set[str]:
    return set(store.read(lambda c: c.execute(text(
        "SELECT tbl FROM sqlite_stat1")).scalars().all()))


def test_refreshing_statistics_describes_the_ledgers_tables(store, seed_extractions) -> None:
    for extraction in seed_extractions:
        store.save(extraction)
    refresh_statistics(store)
    assert {"claims", "documents"} <= analysed_tables(store)
    refresh_statistics(store)  # again: no error, still there
    assert {"claims", "documents"} <= analysed_tables(store)


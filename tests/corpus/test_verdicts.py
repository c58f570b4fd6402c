"""Verdicts survive re-linking: the real linker rebuilds every proposition of the analysed
examples, and each verdict is still the current verdict of the same proposition."""

from __future__ import annotations

from datetime import datetime, timezone

from claimscope.corpus.propositions import link_propositions
from claimscope.corpus.verdicts import proposition_list, set_verdict, verdict_table
from claimscope.store import Accounts, open_store, resolve_database_url
from tests.verdict_ledger import build

WHEN = datetime(2025, 11, 24, 9, 0, tzinfo=timezone.utc)


def test_a_verdict_stays_on_its_proposition_when_every_proposition_is_rebuilt(
        tmp_path, extractor) -> None:
    path = build(tmp_path, extractor)
    with open_store(resolve_database_url(str(path))) as store:
        ana = Accounts(store).by_name("ana")
        before = proposition_list(store, limit=500)["propositions"]
        judged = {p["id"]: v for p, v in zip(before, ["false", "true", "misleading"])}
        for pid, verdict in judged.items():
            set_verdict(store, pid, verdict, "Checked.", [], ana, WHEN)
        assert link_propositions(store).claims_linked == 0  # a re-run links nothing new
        report = link_propositions(store, rebuild=True)
        assert report.rebuilt and report.propositions == len(before)
        after = {p["id"]: p for p in proposition_list(store, limit=500)["propositions"]}
        table = verdict_table(store)
    assert {v["proposition_id"]: v["verdict"] for v in table["verdicts"]} == judged
    assert table["unattached"] == []
    for pid, verdict in judged.items():
        assert after[pid]["verdict"] == verdict

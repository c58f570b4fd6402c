"""The outlet registry beside the ledger: each outlet's entry, documents and copy roles.

For every registry entry (shipped and the user's) and every outlet stored in the ledger but not
registered: how many documents it has, how often one of its documents is the source of a copy
link decided by publication times ("origin"), how often the copy ("republisher"), and in how
many links the order is unknown. Stored names are matched to entries through the registry's
aliases, so "Ria Novosti" counts for RIA Novosti.
"""

from __future__ import annotations

from pathlib import Path

from claimscope.registry import independence_key, normalize_name, registry
from claimscope.store import CopyLedger, Store

COUNTS = ("documents", "origin", "republisher", "order_unknown")


def outlet_table(store: Store | None, user_file: str | Path | None = None) -> list[dict]:
    """One JSON-ready dict per outlet (see the module docstring); without a store, the
    registry alone with zero counts."""
    merged = registry(user_file)
    stored = CopyLedger(store).outlet_counts() if store is not None else {}
    rows: dict[str, dict] = {}
    for entry in merged.entries:
        outlet = entry.outlet
        rows[outlet.name] = {
            **outlet.model_dump(),
            "registered": True,
            "registry": entry.origin,
            "independence_key": independence_key(outlet.name, merged.index),
            **dict.fromkeys(COUNTS, 0),
        }
    for name, counts in stored.items():
        if name is None:
            continue
        outlet = merged.index.by_name(name)
        key = outlet.name if outlet else name
        if key not in rows:
            rows[key] = {
                "name": name, "aliases": [], "domains": [], "type": None,
                "speaker_kind": None, "country": None, "owner": None,
                "state_affiliation": None, "network": None, "registered": False,
                "registry": None, "independence_key": normalize_name(name),
                **dict.fromkeys(COUNTS, 0),
            }
        for count in COUNTS:
            rows[key][count] += counts[count]
    return sorted(rows.values(), key=lambda r: (-r["documents"], r["name"].lower()))

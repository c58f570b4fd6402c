"""The store's public surface: what the CLI and the web UI may import, and nothing more."""

import claimscope.store


def test_store_exports_exactly_these() -> None:
    assert sorted(claimscope.store.__all__) == [
        "ClaimFilter", "RecordRejected", "Store", "open_store", "resolve_database_url",
    ]
    for name in claimscope.store.__all__:
        assert hasattr(claimscope.store, name)

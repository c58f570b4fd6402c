"""The store's public surface: what the CLI and the web UI may import, and nothing more."""

import claimscope.store


def test_store_exports_exactly_these() -> None:
    assert sorted(claimscope.store.__all__) == sorted([
        "ClaimFilter", "CopyLedger", "CopyLink", "DocumentSignature", "PassageSignature",
        "RecordRejected", "Store", "open_store", "resolve_database_url",
    ] + [  # the web desk's (issue 5)
        "Accounts", "DocumentFilter", "InvalidCursor", "LedgerFilter", "LedgerViews",
        "UnknownUser", "User", "UserExists",
    ] + [  # propositions (issue 4)
        "PropositionLedger",
    ])
    for name in claimscope.store.__all__:
        assert hasattr(claimscope.store, name)

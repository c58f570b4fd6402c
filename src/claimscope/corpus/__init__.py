"""Across documents: which documents copy which (republication), and the origin of each copy.

    report = link_copies(store)              # new documents against the stored corpus
    for group in copy_groups(store): ...     # documents joined by copy links, with origin
    outlet_table(store)                      # registry entries, documents, origin/republisher

Modules: ``text`` (passages, shingles), ``minhash`` (datasketch signatures, the LSH band
index), ``link`` (the two resumable steps: read, link), ``origins`` (which came first),
``groups`` and ``outlets`` (read back for the CLI and the web UI). Everything is read from and
written to the ledger through :mod:`claimscope.store`; nothing here touches a file.

``link`` is loaded when first asked for: datasketch imports scipy (about 0.7 s), which reading
copy groups or listing outlets, and every other command, need not pay.
"""

from typing import Any

from claimscope.corpus.groups import copy_groups
from claimscope.corpus.origins import CopyGroup
from claimscope.corpus.outlets import outlet_table

_LINK_NAMES = ("LinkReport", "LinkSettings", "link_copies")

__all__ = ["CopyGroup", *_LINK_NAMES, "copy_groups", "outlet_table"]


def __getattr__(name: str) -> Any:
    if name in _LINK_NAMES:
        from claimscope.corpus import link

        return getattr(link, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

"""Copy groups as read back: documents joined by copy links, each group with its origin.

Groups are the connected components of the stored links, computed when asked for (a
union-find over the link pairs), so they always reflect the links as they stand: a new copy
linked to two groups merges them, and the merged group's origin is recomputed.
"""

from __future__ import annotations

from claimscope.corpus.origins import CopyGroup, components, make_group
from claimscope.store import CopyLedger, Store


def copy_groups(
    store: Store, document: str | None = None, *, evidence: bool = False
) -> list[CopyGroup]:
    """Every copy group, largest first; with ``document`` (an id prefix or a source) only the
    group(s) holding it. ``evidence`` adds each link's evidence (similar passages, dates)."""
    ledger = CopyLedger(store)
    rows = ledger.link_rows(with_evidence=evidence)
    groups = components([(row.source, row.copy) for row in rows])
    if document is not None:
        wanted = set(ledger.document_ids(document))
        groups = [group for group in groups if group & wanted]
    members = set().union(*groups) if groups else set()
    info = ledger.documents(members)
    links_of: dict[str, list[dict]] = {}
    group_of = {doc: i for i, group in enumerate(groups) for doc in group}
    for row in rows:
        if row.source in members:
            link = {
                "source": row.source,
                "copy": row.copy,
                "scope": row.scope,
                "similarity": row.similarity,
                "direction": row.direction,
            }
            if evidence:
                link["evidence"] = row.evidence
            links_of.setdefault(group_of[row.source], []).append(link)
    found = [
        make_group([info[doc] for doc in group], links_of.get(i, []))
        for i, group in enumerate(groups)
    ]
    found.sort(key=lambda g: (-len(g.documents), g.first_seen))
    return found

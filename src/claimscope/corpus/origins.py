"""Which of two copies came first, and the origin of a group of copies.

Only publication times decide: the earlier-published document is the source, the group's
earliest-published document its origin. When a publication time is missing, when two are
equal, or when they cannot be compared (one with a time zone and one without), the order is
"unknown": claimscope then keeps the order in which it first saw the documents (``ingested_at``)
beside it, as weak evidence, and never presents it as the origin — seeing a copy first says
more about the order of one's inputs than about who published first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from claimscope.store.copies import LinkDocument

ORDER_PUBLISHED = "published"
ORDER_UNKNOWN = "unknown"


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _first_seen_key(document: LinkDocument) -> tuple:
    return (document.ingested_at.replace(tzinfo=None), document.id)


def unknown_reason(times: list[datetime | None]) -> str | None:
    """Why these publication times cannot order documents, or None if they can."""
    missing = sum(1 for t in times if t is None)
    if missing:
        return f"publication time missing ({missing} of {len(times)})"
    if len({t.tzinfo is None for t in times}) > 1:  # type: ignore[union-attr]
        return "publication times not comparable (time zone known for some only)"
    return None


def order_pair(a: LinkDocument, b: LinkDocument) -> tuple[LinkDocument, LinkDocument, str, dict]:
    """(source, copy, direction, evidence) for two linked documents."""
    reason = unknown_reason([a.published_at, b.published_at])
    if reason is None and a.published_at == b.published_at:
        reason = "same publication time"
    if reason is None:
        source, copy = sorted((a, b), key=lambda d: d.published_at)  # type: ignore[arg-type,return-value]
        direction, reason = ORDER_PUBLISHED, "source published first"
    else:
        source, copy = sorted((a, b), key=_first_seen_key)
        direction = ORDER_UNKNOWN
        reason += "; source is only the one seen first (weak evidence)"
    evidence = {
        "reason": reason,
        "source": {"published_at": _iso(source.published_at),
                   "first_seen": _iso(source.ingested_at)},
        "copy": {"published_at": _iso(copy.published_at), "first_seen": _iso(copy.ingested_at)},
    }
    return source, copy, direction, evidence


@dataclass
class CopyGroup:
    """Documents joined by copy links, with the group's origin when publication times tell it."""

    documents: list[LinkDocument]
    links: list[dict]
    order: str
    """``published`` (the origin is the earliest published) or ``unknown``."""
    origin: str | None
    reason: str
    first_seen: str
    """The document claimscope saw first: weak evidence, never the origin."""
    roles: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "order": self.order,
            "origin": self.origin,
            "reason": self.reason,
            "first_seen": self.first_seen,
            "documents": [
                {
                    "id": d.id,
                    "title": d.title,
                    "outlet": d.outlet,
                    "source": d.source,
                    "published_at": _iso(d.published_at),
                    "first_seen": _iso(d.ingested_at),
                    "role": self.roles.get(d.id),
                }
                for d in self.documents
            ],
            "links": self.links,
        }


def make_group(members: list[LinkDocument], links: list[dict]) -> CopyGroup:
    """A group's order and origin from its members' publication times (module docstring)."""
    reason = unknown_reason([d.published_at for d in members])
    earliest = None
    if reason is None:
        first = min(d.published_at for d in members)  # type: ignore[type-var]
        earliest = [d for d in members if d.published_at == first]
        if len(earliest) > 1:
            reason = f"same publication time for the earliest {len(earliest)} documents"
    seen_first = min(members, key=_first_seen_key)
    if reason is None and earliest:
        origin = earliest[0].id
        roles = {d.id: "origin" if d.id == origin else "copy" for d in members}
        ordered = sorted(members, key=lambda d: (d.published_at, d.id))
        return CopyGroup(ordered, links, ORDER_PUBLISHED, origin,
                         "earliest publication time", seen_first.id, roles)
    ordered = sorted(members, key=_first_seen_key)
    return CopyGroup(ordered, links, ORDER_UNKNOWN, None, reason or "", seen_first.id)


def components(pairs: list[tuple[str, str]]) -> list[set[str]]:
    """Connected components of the graph of links (union-find with path halving)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        root_a, root_b = find(a), find(b)
        if root_a != root_b:
            parent[max(root_a, root_b)] = min(root_a, root_b)
    groups: dict[str, set[str]] = {}
    for node in parent:
        groups.setdefault(find(node), set()).add(node)
    return list(groups.values())

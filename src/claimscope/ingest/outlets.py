"""Outlet names as the registry writes them: "Ria Novosti", "ria.ru" → "RIA Novosti".

Readers meet outlets as site names, feed titles, channel names, CSV fields and URLs; this
maps each through :mod:`claimscope.registry` so one outlet has one name in the ledger.
A name the registry does not know passes through unchanged (users extend the registry).
"""

from __future__ import annotations

from claimscope.registry import outlet_index


def canonical_outlet(name: str | None, url: str | None = None) -> str | None:
    """The registry's name for ``name``; failing a name, the outlet publishing at ``url``."""
    name = " ".join(name.split()) if name else None
    if name:
        outlet = outlet_index().by_name(name)
        if outlet is None and "." in name and " " not in name:  # a domain: "ria.ru"
            outlet = outlet_index().by_url(name)
        return outlet.name if outlet else name
    if url:
        outlet = outlet_index().by_url(url)
        return outlet.name if outlet else None
    return None

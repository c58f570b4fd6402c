"""The outlet registry as an index: names, aliases and domains → one Outlet entry.

The registry itself is data (``rules/outlets.v1.yaml``); this module only answers
"which registered outlet or body is this?" for a name written in an article, a site
name in an HTML page, or the host of a URL. Matching ignores case, a leading "the",
and the curly/straight apostrophe difference, since those vary between outlets.
"""

from __future__ import annotations

import re
from functools import cache
from urllib.parse import urlsplit

from claimscope import rules
from claimscope.rules import Outlet

_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "`": "'"})


def normalize_name(name: str) -> str:
    """The key under which a name is looked up: lowercase, single spaces, no leading "the"."""
    key = " ".join(name.translate(_APOSTROPHES).split()).lower()
    return re.sub(r"^the\s+", "", key)


class OutletIndex:
    def __init__(self, outlets: list[Outlet]) -> None:
        self._by_name: dict[str, Outlet] = {}
        self._by_domain: dict[str, Outlet] = {}
        for outlet in outlets:
            for name in (outlet.name, *outlet.aliases):
                self._by_name.setdefault(normalize_name(name), outlet)
            for domain in outlet.domains:
                self._by_domain.setdefault(domain.lower(), outlet)
        # Longest names first, so "Russian Ministry of Defense" wins over "RIA".
        self._names_longest_first = sorted(self._by_name, key=len, reverse=True)

    def by_name(self, name: str) -> Outlet | None:
        return self._by_name.get(normalize_name(name))

    def by_url(self, url: str) -> Outlet | None:
        """The outlet publishing under that URL's host (or a parent domain of it)."""
        parts = urlsplit(url if "//" in url else f"//{url}")
        host = (parts.hostname or "").lower()
        path = parts.path.strip("/").split("/")[0].lower()
        if path and f"{host}/{path}" in self._by_domain:  # e.g. t.me/breakingmash
            return self._by_domain[f"{host}/{path}"]
        labels = host.split(".")
        for i in range(len(labels) - 1):
            outlet = self._by_domain.get(".".join(labels[i:]))
            if outlet:
                return outlet
        return None

    def find_in(self, text: str) -> list[tuple[int, int, Outlet]]:
        """Every registered name written inside ``text`` (whole words), longest first."""
        found: list[tuple[int, int, Outlet]] = []
        folded = text.translate(_APOSTROPHES).lower()
        for key in self._names_longest_first:
            for match in re.finditer(rf"(?<!\w){re.escape(key)}(?!\w)", folded):
                if not any(s <= match.start() < e for s, e, _ in found):
                    found.append((match.start(), match.end(), self._by_name[key]))
        return sorted(found, key=lambda item: item[0])


@cache
def outlet_index() -> OutletIndex:
    """The index over the shipped registry, built once per process."""
    return OutletIndex(rules.outlets().outlets)

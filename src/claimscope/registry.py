"""The outlet registry: the shipped entries merged with a user's own, and an index over them.

The registry is data: ``rules/outlets.v1.yaml`` ships with claimscope, and users extend it with a
file of their own in the same format (``--outlets FILE`` or the ``CLAIMSCOPE_OUTLETS``
environment variable), validated against the same schema when it is loaded. A user entry whose
name or an alias is already registered updates that entry (scalar fields the user gives replace
the shipped ones, aliases and domains are added); any other user entry is added. The user's
names win where two entries claim one alias, since the user knows their corpus.

The index answers "which registered outlet or body is this?" for a name written in an article, a
site name in an HTML page, or the host of a URL. Matching ignores case, a leading "the", and the
curly/straight apostrophe difference, since those vary between outlets.

:func:`independence_key` says which outlets count as one voice when corroboration is counted:
outlets of one network, or else of one owner, share a key (DESIGN.md, "independent origins").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from claimscope import rules, settings
from claimscope.errors import RulesError
from claimscope.rules import Outlet, OutletRegistry

_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "`": "'"})
_MERGED_LISTS = ("aliases", "domains")


def normalize_name(name: str) -> str:
    """The key under which a name is looked up: lowercase, single spaces, no leading "the"."""
    key = " ".join(name.translate(_APOSTROPHES).split()).lower()
    return re.sub(r"^the\s+", "", key)


class OutletIndex:
    def __init__(self, outlets: list[Outlet]) -> None:
        """Index ``outlets``; where two entries claim one name or domain, the first wins."""
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


@dataclass(frozen=True)
class RegistryEntry:
    """One outlet of the merged registry and where its fields came from."""

    outlet: Outlet
    origin: str
    """"shipped", "user" (added by the user's file) or "shipped+user" (updated by it)."""


@dataclass(frozen=True)
class Registry:
    """The merged registry: entries in the shipped order, the user's additions after them."""

    entries: tuple[RegistryEntry, ...]
    user_file: Path | None
    index: OutletIndex

    @property
    def outlets(self) -> list[Outlet]:
        return [entry.outlet for entry in self.entries]


def user_outlets_file(path: str | Path | None = None) -> Path | None:
    """The user's registry file: ``path`` if given, else ``CLAIMSCOPE_OUTLETS``, else none."""
    value = path or settings.env_value("outlets")
    return Path(value).expanduser() if value else None


def load_user_outlets(path: Path) -> list[Outlet]:
    """A user's registry file, validated; RulesError names the file and the problem."""
    if not path.is_file():
        raise RulesError(f"{path}: no such outlet registry file")
    entries = rules.load_file(path, OutletRegistry).outlets
    seen: dict[str, str] = {}
    for outlet in entries:
        for name in (outlet.name, *outlet.aliases):
            key = normalize_name(name)
            if key in seen and seen[key] != outlet.name:
                raise RulesError(
                    f"{path}: invalid rule file: {name!r} names both {seen[key]!r} "
                    f"and {outlet.name!r}"
                )
            seen[key] = outlet.name
    return entries


def merge_outlets(shipped: list[Outlet], user: list[Outlet]) -> list[RegistryEntry]:
    """The shipped entries updated or extended by the user's (see the module docstring)."""
    entries = [RegistryEntry(outlet, "shipped") for outlet in shipped]
    position = {
        normalize_name(name): i
        for i, outlet in enumerate(shipped)
        for name in (outlet.name, *outlet.aliases)
    }
    for outlet in user:
        keys = [normalize_name(name) for name in (outlet.name, *outlet.aliases)]
        hit = next((position[key] for key in keys if key in position), None)
        if hit is None:
            entries.append(RegistryEntry(outlet, "user"))
            continue
        entries[hit] = RegistryEntry(_update(entries[hit].outlet, outlet), "shipped+user")
    return entries


def _update(base: Outlet, change: Outlet) -> Outlet:
    fields = base.model_dump()
    for name in change.model_fields_set - {"name"}:
        value = getattr(change, name)
        if name in _MERGED_LISTS:
            fields[name] = list(dict.fromkeys([*fields[name], *value]))
        else:
            fields[name] = value
    if change.name != base.name:
        # The registered name stays the outlet's name (stored documents use it); the user's
        # spelling becomes an alias.
        fields["aliases"] = list(dict.fromkeys([*fields["aliases"], change.name]))
    return Outlet.model_validate(fields)


def registry(user_file: str | Path | None = None) -> Registry:
    """The merged registry, with the user's file from ``user_file`` or CLAIMSCOPE_OUTLETS."""
    path = user_outlets_file(user_file)
    return _registry(str(path.resolve()) if path else None)


@cache
def _registry(path: str | None) -> Registry:
    user = load_user_outlets(Path(path)) if path else []
    entries = tuple(merge_outlets(rules.outlets().outlets, user))
    user_first = [e.outlet for e in entries if e.origin != "shipped"]
    user_first += [e.outlet for e in entries if e.origin == "shipped"]
    return Registry(entries, Path(path) if path else None, OutletIndex(user_first))


def outlet_index(user_file: str | Path | None = None) -> OutletIndex:
    """The index over the merged registry (shipped + the user's file), built once per file."""
    return registry(user_file).index


def independence_key(name: str | None, index: OutletIndex | None = None) -> str | None:
    """The key under which outlets count as one voice: the registered outlet's network, else
    its owner, else its own name (normalized, so "the Kremlin" and "Kremlin" agree).

    A name the registry does not know is its own key; None for no outlet. E.g. RIA Novosti
    and Sputnik share "rossiya segodnya" (one network), so two documents from them are not two
    independent origins.
    """
    if not name or not name.strip():
        return None
    index = index or outlet_index()
    is_domain = "." in name and " " not in name.strip()  # "ria.ru"
    outlet = index.by_name(name) or (index.by_url(name) if is_domain else None)
    if outlet is None:
        return normalize_name(name)
    return normalize_name(outlet.network or outlet.owner or outlet.name)

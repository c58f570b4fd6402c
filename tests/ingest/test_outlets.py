"""Outlet names through the registry: aliases, domains and URLs to one canonical name."""

from __future__ import annotations

import pytest

from claimscope.ingest.outlets import canonical_outlet


@pytest.mark.parametrize(
    ("name", "url", "outlet"),
    [
        ("Ria Novosti", None, "RIA Novosti"),
        ("РИА Новости", None, "RIA Novosti"),
        ("  the   Kremlin ", None, "Kremlin"),
        ("tass.com", None, "TASS"),
        ("Some Local Paper", "https://ria.ru/1", "Some Local Paper"),  # unknown: kept
        (None, "http://en.kremlin.ru/events/president/news/68700", "Kremlin"),
        (None, "https://www.president.gov.ua/en/news/75773", "Office of the President of Ukraine"),
        (None, "https://t.me/breakingmash/123", "Mash"),
        ("", "https://example.org/a", None),
        (None, None, None),
    ],
)
def test_outlets_are_named_as_the_registry_names_them(name, url, outlet) -> None:
    assert canonical_outlet(name, url) == outlet

"""The outlet registry as data users extend: a user file merged over the shipped one,
validated, found by option or environment, and the independence key of an outlet."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimscope.errors import RulesError
from claimscope.ingest.outlets import canonical_outlet
from claimscope.registry import independence_key, outlet_index, registry

USER_REGISTRY = """\
name: my-outlets.v1
description: Outlets of my corpus.
outlets:
  - name: Readovka
    aliases: [Readovka channel]
    domains: [t.me/readovkanews]
    type: Telegram channel
    country: RU
  - name: Ria Novosti
    aliases: [RIA-N]
    type: news agency
    network: Rossiya Segodnya media group
  - name: Mash
    type: Telegram channel
    owner: Mash Media
"""


@pytest.fixture
def user_file(tmp_path: Path) -> Path:
    path = tmp_path / "outlets.yaml"
    path.write_text(USER_REGISTRY, encoding="utf-8")
    return path


def test_a_user_entry_is_added_and_a_known_one_updated(user_file: Path) -> None:
    merged = registry(user_file)
    by_name = {entry.outlet.name: entry for entry in merged.entries}
    assert by_name["Readovka"].origin == "user"
    ria = by_name["RIA Novosti"]  # written by its alias: updates the shipped entry
    assert ria.origin == "shipped+user"
    assert ria.outlet.network == "Rossiya Segodnya media group"
    assert ria.outlet.domains == ["ria.ru"]  # kept from the shipped entry
    assert {"Ria Novosti", "RIA-N", "РИА Новости"} <= set(ria.outlet.aliases)
    assert by_name["TASS"].origin == "shipped"
    assert len(merged.entries) == len(registry().entries) + 1


def test_the_user_file_comes_from_the_option_or_the_environment(
    user_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert outlet_index().by_name("Readovka channel") is None
    monkeypatch.setenv("CLAIMSCOPE_OUTLETS", str(user_file))
    assert outlet_index().by_name("Readovka channel").name == "Readovka"
    assert outlet_index().by_url("https://t.me/readovkanews/1234").name == "Readovka"
    # the readers name outlets through the same index
    assert canonical_outlet("readovka channel") == "Readovka"


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("name: x\ndescription: y\noutlets:\n  - name: A\n    type: blog\n", "type"),
        ("name: x\ndescription: y\noutlets:\n  - name: A\n    type: TV\n    colour: red\n",
         "colour"),
        ("name: x\ndescription: y\noutlets:\n  - name: A\n    type: TV\n"
         "  - name: B\n    aliases: [A]\n    type: TV\n", "names both"),
        ("outlets: [", "invalid rule file"),
    ],
)
def test_a_bad_user_file_names_the_file_and_the_problem(
    tmp_path: Path, content: str, problem: str
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(RulesError) as error:
        registry(path)
    assert str(path) in str(error.value) and problem in str(error.value)


def test_a_missing_user_file_is_a_rules_error(tmp_path: Path) -> None:
    with pytest.raises(RulesError, match="no such outlet registry file"):
        registry(tmp_path / "absent.yaml")


@pytest.mark.parametrize(
    ("outlet", "key"),
    [
        ("RIA Novosti", "rossiya segodnya"),  # network
        ("Sputnik", "rossiya segodnya"),  # one network with RIA: one voice
        ("TASS", "government of russia"),  # owner
        ("the Kremlin", "kremlin"),  # neither: its own name
        ("ria.ru", "rossiya segodnya"),  # a domain
        ("Some Local Paper", "some local paper"),  # not registered: its own name
        (None, None),
    ],
)
def test_independence_key_is_network_else_owner_else_name(outlet, key) -> None:
    assert independence_key(outlet) == key


def test_a_user_can_put_two_outlets_in_one_network(user_file: Path) -> None:
    index = registry(user_file).index
    assert independence_key("Mash", index) == "mash media"
    assert independence_key("RIA Novosti", index) == "rossiya segodnya media group"
    assert independence_key("Sputnik", index) == "rossiya segodnya"

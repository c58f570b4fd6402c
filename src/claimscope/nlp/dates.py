"""Dates a sentence mentions, resolved against the article's own publication date.

Date expressions are found by regular expressions built from the ``dates`` rule set's
month, weekday and relative-expression words, tried from the most to the least specific
form; a match overlapping an earlier one is dropped. A month or a year standing alone is
taken only where spaCy marks a DATE entity or a preposition introduces it ("in March",
"since 2014"), so "May" the verb and "1848 meters" stay out. Durations and vague phrases
("for years", "recent", "on the eve") match no pattern and are never dates.

Values are ISO 8601, partial where the text is:

====================  ===================  =====================
written               published 2025-11-23  no publication date
====================  ===================  =====================
24 February 2022      2022-02-24           2022-02-24
November 21st         2025-11-21           --11-21
in March              2025-03              --03
2014                  2014                 2014
on Monday             2025-11-17           (skipped)
yesterday             2025-11-22           (skipped)
last week             2025-W46             (skipped)
====================  ===================  =====================

A day and month without a year is the most recent such date at most
:data:`LOOKAHEAD` after publication (an article announces a meeting "on June 25" the day
before); a month alone likewise by its first day.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from functools import cache

from spacy.tokens import Span as SpacySpan

from claimscope import rules
from claimscope.records import DateMention, Span

LOOKAHEAD = timedelta(days=7)
"""How far after publication a date without a year may lie."""
_INTRODUCERS = ("in", "since", "until", "till", "by", "from", "to", "of", "during", "before", "after",
                "through", "between", "early", "late", "mid", "spring", "summer", "autumn", "fall",
                "winter", "year", "last", "this", "next", "past")
"""Words that make a lone month or year a date ("in March", "since 2014", "mid-March")."""
_YEAR_INTRODUCERS = set(_INTRODUCERS) - {"last", "this", "next", "past"}  # "the last 1848 meters"
_INTRODUCED = re.compile(r"\b(?P<word>[A-Za-z]+)[\s-]+$")

Resolver = Callable[[re.Match[str], date | None], str | None]


def dates_in(sentence: SpacySpan, published_at: datetime | date | None) -> tuple[DateMention, ...]:
    """Every date expression in the sentence that resolves, in text order."""
    published = published_at.date() if isinstance(published_at, datetime) else published_at
    text = sentence.text
    offset = sentence.start_char
    date_ents = [(e.start_char - offset, e.end_char - offset) for e in sentence.ents if e.label_ == "DATE"]
    taken: list[tuple[int, int]] = []
    found: list[DateMention] = []
    for pattern, resolve, needs_licence in _grammar():
        for match in pattern.finditer(text):
            start, end = match.span("date")
            if any(start < e and s < end for s, e in taken) or not _capitalised(match):
                continue
            if needs_licence and not _licensed(match, text, date_ents):
                continue
            value = resolve(match, published)
            if value is not None:
                taken.append((start, end))
                found.append(DateMention(Span(offset + start, offset + end, text[start:end]), value))
    return tuple(sorted(found, key=lambda d: d.span.start))


# -- the grammar ---------------------------------------------------------------------------
@cache
def _grammar() -> tuple[tuple[re.Pattern[str], Resolver, bool], ...]:
    """(pattern, resolver, needs a licence) from the most to the least specific form."""
    lexicon = rules.dates()
    month = _alternation("mon", lexicon.months) + r"\.?"
    full_month = _alternation("mon", [m for m in lexicon.months if len(m) > 3 or m == "may"])
    day = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
    year = r"(?P<year>(?:1[89]|20)\d\d)(?!\d|s\b)"  # not "the 1990s"
    weekday = _alternation("wd", lexicon.weekdays)
    forms: list[tuple[str, Resolver, bool]] = [
        (rf"(?P<date>{year}-(?P<mon>[01]\d)-{day})\b", _full, False),
        (rf"(?P<date>\b{day}\.(?P<mon>[01]?\d)\.{year})", _full, False),
        (rf"(?P<date>\b{day}(?:\s+of)?\s+{month},?\s+{year})", _full, False),
        (rf"(?P<date>\b{month}\s+{day},?\s+{year})", _full, False),
        (rf"(?P<date>\b{day}(?:\s+of)?\s+{month})(?!\w)", _day_month, False),
        (rf"(?P<date>\b{month}\s+{day})(?![\d:]|\.\d)\b", _day_month, False),
        (rf"(?P<date>\b{month}(?:\s+of|,)?\s+{year})", _month_year, False),
        (_phrases(lexicon.relative_days), _relative(lexicon.relative_days, _days), False),
        (_phrases(lexicon.relative_weeks), _relative(lexicon.relative_weeks, _weeks), False),
        (_phrases(lexicon.relative_months), _relative(lexicon.relative_months, _months), False),
        (_phrases(lexicon.relative_years), _relative(lexicon.relative_years, _years), False),
        (rf"(?P<date>\b(?:(?P<mod>last|next|this|past)\s+)?{weekday})\b", _weekday, False),
        (rf"(?P<date>\b{full_month})\b", _month, True),
        (rf"(?P<date>\b{year})\b", _year, True),
    ]
    return tuple((re.compile(p, re.IGNORECASE), r, licence) for p, r, licence in forms)


def _alternation(group: str, words: Iterable[str]) -> str:
    names = sorted(words, key=len, reverse=True)  # "sept" before "sep"
    return rf"(?P<{group}>{'|'.join(map(re.escape, names))})"


def _phrases(words: dict[str, int]) -> str:
    names = sorted(words, key=len, reverse=True)  # "the day before yesterday" before "yesterday"
    alternatives = "|".join(r"\s+".join(map(re.escape, n.split())) for n in names)
    return rf"(?P<date>\b(?P<phrase>{alternatives}))\b"


def _capitalised(match: re.Match[str]) -> bool:
    """Month and weekday names count only as written with a capital ("may" is a verb)."""
    for group in ("mon", "wd"):
        if group in match.re.groupindex and match.group(group) and match.group(group)[0].isalpha():
            if not match.group(group)[0].isupper():
                return False
    return True


def _licensed(match: re.Match[str], text: str, date_ents: list[tuple[int, int]]) -> bool:
    start, end = match.span("date")
    if any(s <= start and end <= e for s, e in date_ents):
        return True
    before = _INTRODUCED.search(text, 0, start)
    if before is None:
        return False
    words = _YEAR_INTRODUCERS if "year" in match.re.groupindex and match.group("year") else _INTRODUCERS
    return before.group("word").lower() in words


# -- resolvers -----------------------------------------------------------------------------
def _month_number(match: re.Match[str]) -> int:
    written = match.group("mon")
    return int(written) if written.isdigit() else rules.dates().months[written.lower().rstrip(".")]


def _full(match: re.Match[str], published: date | None) -> str | None:
    try:
        return date(int(match.group("year")), _month_number(match), int(match.group("day"))).isoformat()
    except ValueError:
        return None


def _day_month(match: re.Match[str], published: date | None) -> str | None:
    month, day = _month_number(match), int(match.group("day"))
    if not 1 <= day <= 31:
        return None
    if published is None:
        try:
            date(2000, month, day)  # a leap year: is it a day of that month at all?
        except ValueError:
            return None
        return f"--{month:02d}-{day:02d}"
    for year in range(published.year + 1, published.year - 8, -1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate <= published + LOOKAHEAD:
            return candidate.isoformat()
    return None


def _month_year(match: re.Match[str], published: date | None) -> str:
    return f"{int(match.group('year')):04d}-{_month_number(match):02d}"


def _month(match: re.Match[str], published: date | None) -> str:
    month = _month_number(match)
    if published is None:
        return f"--{month:02d}"
    year = published.year if date(published.year, month, 1) <= published + LOOKAHEAD else published.year - 1
    return f"{year:04d}-{month:02d}"


def _year(match: re.Match[str], published: date | None) -> str:
    return match.group("year")


def _weekday(match: re.Match[str], published: date | None) -> str | None:
    if published is None:
        return None
    weekday = rules.dates().weekdays[match.group("wd").lower()]
    back = (published.weekday() - weekday) % 7
    modifier = (match.group("mod") or "").lower()
    if modifier in {"last", "past"} and back == 0:
        back = 7
    if modifier == "next":
        return (published + timedelta(days=(weekday - published.weekday()) % 7 or 7)).isoformat()
    return (published - timedelta(days=back)).isoformat()


def _relative(table: dict[str, int], shift: Callable[[date, int], str]) -> Resolver:
    def resolve(match: re.Match[str], published: date | None) -> str | None:
        if published is None:
            return None
        return shift(published, table[" ".join(match.group("phrase").lower().split())])
    return resolve


def _days(published: date, offset: int) -> str:
    return (published + timedelta(days=offset)).isoformat()


def _weeks(published: date, offset: int) -> str:
    year, week, _ = (published + timedelta(weeks=offset)).isocalendar()
    return f"{year:04d}-W{week:02d}"


def _months(published: date, offset: int) -> str:
    index = published.year * 12 + published.month - 1 + offset
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _years(published: date, offset: int) -> str:
    return f"{published.year + offset:04d}"

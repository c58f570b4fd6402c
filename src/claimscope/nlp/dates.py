"""Dates a sentence mentions, resolved against the article's own publication date.

Date expressions are found by regular expressions built from the ``dates`` rule set's
month, weekday and relative-expression words, tried from the most to the least specific
form; a match overlapping an earlier one is dropped. A month or a year standing alone is
taken only inside a spaCy DATE entity or after a word that introduces one ("in March",
"since 2014"), so "May" the verb and "1848 meters" stay out. Durations and vague phrases
("for years", "recent", "on the eve") match no pattern and are never dates.

Values are ISO 8601, partial where the text is:

====================  ====================  =====================
written               published 2025-11-23  no publication date
====================  ====================  =====================
24 February 2022      2022-02-24            2022-02-24
November 21st         2025-11-21            --11-21
in March              2025-03               --03
2014                  2014                  2014
on Monday             2025-11-17            (skipped)
yesterday             2025-11-22            (skipped)
last week             2025-W46              (skipped)
====================  ====================  =====================

A day and month without a year is the most recent such date at most :data:`LOOKAHEAD`
after publication; a month alone likewise by its first day, and a weekday is the most
recent on or before publication. When the verb the date belongs to is in the future
tense ("On June 25, Putin *will* meet …", "by July 1 we *will* …") the date is instead
the next one on or after publication.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from functools import cache

from spacy.tokens import Span as SpacySpan

from claimscope import rules
from claimscope.nlp.entities import entities_in
from claimscope.records import DateMention, Span

LOOKAHEAD = timedelta(days=7)
"""How far after publication a past-tense date without a year may lie."""
_INTRODUCERS = {"in", "since", "until", "till", "by", "from", "to", "of", "during", "before",
                "after", "through", "between", "early", "late", "mid", "spring", "summer",
                "autumn", "fall", "winter", "year"}
"""Words that make a lone month or year a date ("in March", "since 2014", "mid-March")."""
_MONTH_INTRODUCERS = _INTRODUCERS | {"last", "this", "next", "past"}  # not "the last 1848 meters"
_INTRODUCED = re.compile(r"\b(?P<word>[A-Za-z]+)[\s-]+$")
_FUTURE_AUXILIARIES = {"will", "shall", "'ll", "’ll", "wo"}
_NONFINITE_DEPS = {"advcl", "xcomp", "acl", "conj"}
_NAME_AROUND = re.compile(r"(?s:.*)\b[Tt]he\s+\w+\s[A-Z]")
"""A weekday between "the" and a capitalised word is part of a name ("the Sunday Times")."""

Resolver = Callable[[re.Match[str], date | None, bool], str | None]
"""(match, publication date, whether the date lies ahead) → ISO value, or None to skip."""


def dates_in(sentence: SpacySpan, published_at: datetime | date | None) -> tuple[DateMention, ...]:
    """Every date expression in the sentence that resolves, in text order."""
    published = published_at.date() if isinstance(published_at, datetime) else published_at
    text = sentence.text
    offset = sentence.start_char
    date_ents = [(e.start_char - offset, e.end_char - offset) for e in entities_in(sentence) if e.label_ == "DATE"]
    taken: list[tuple[int, int]] = []
    found: list[DateMention] = []
    for pattern, resolve, needs_licence in _grammar():
        for match in pattern.finditer(text):
            start, end = match.span("date")
            if any(start < e and s < end for s, e in taken) or not _capitalised(match):
                continue
            if needs_licence and not _licensed(match, text, date_ents):
                continue
            ahead = published is not None and _in_future_tense(sentence, offset + start, offset + end)
            value = resolve(match, published, ahead)
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
        (rf"(?P<date>\b{year}-(?P<mon>[01]\d)-{day})\b", _full, False),
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
        written = match.groupdict().get(group)
        if written and written[0].isalpha() and not written[0].isupper():
            return False
    return True


def _licensed(match: re.Match[str], text: str, date_ents: list[tuple[int, int]]) -> bool:
    start, end = match.span("date")
    if any(s <= start and end <= e for s, e in date_ents):
        return True
    before = _INTRODUCED.search(text, 0, start)
    words = _INTRODUCERS if match.groupdict().get("year") else _MONTH_INTRODUCERS
    return before is not None and before.group("word").lower() in words


def _in_future_tense(sentence: SpacySpan, start: int, end: int) -> bool:
    """Whether the verb the date hangs from is future ("On June 25, Putin will meet"),
    climbing from a non-finite verb to the one it depends on ("will be effective starting
    from July 1") but never out of a clause with its own tense ("will remember that on
    February 24 Russia attacked")."""
    tokens = sentence.doc.char_span(start, end, alignment_mode="expand")
    if tokens is None:
        return False
    token = tokens.root
    for _ in range(4):
        if token.pos_ in {"VERB", "AUX"} or token.head is token:
            break
        token = token.head
    for _ in range(3):
        if any(child.dep_ == "aux" and child.lower_ in _FUTURE_AUXILIARIES for child in token.children):
            return True
        if token.dep_ not in _NONFINITE_DEPS or token.tag_ not in {"VB", "VBG", "VBN"}:
            return False
        token = token.head
    return False


def _year_after(match: re.Match[str], published: date | None) -> int | None:
    """The year a following "this year" / "last year" names ("on June 23-24 this year")."""
    if published is None:
        return None
    lexicon = rules.dates()
    following = _year_phrase(tuple(lexicon.relative_years)).match(match.string, match.end("date"))
    if following is None:
        return None
    return published.year + lexicon.relative_years[" ".join(following.group("phrase").lower().split())]


@cache
def _year_phrase(phrases: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"(?:\s*[-–]\s*\d{1,2})?,?\s+" + _phrases(dict.fromkeys(phrases, 0)), re.IGNORECASE)


# -- resolvers -----------------------------------------------------------------------------
def _month_number(match: re.Match[str]) -> int:
    written = match.group("mon")
    return int(written) if written.isdigit() else rules.dates().months[written.lower().rstrip(".")]


def _full(match: re.Match[str], published: date | None, ahead: bool) -> str | None:
    return _full_date(int(match.group("year")), _month_number(match), int(match.group("day")))


def _full_date(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _day_month(match: re.Match[str], published: date | None, ahead: bool) -> str | None:
    month, day = _month_number(match), int(match.group("day"))
    year = _year_after(match, published)
    if year is not None:
        return _full_date(year, month, day)
    if published is None:
        try:
            date(2000, month, day)  # a leap year: is it a day of that month at all?
        except ValueError:
            return None
        return f"--{month:02d}-{day:02d}"
    years = range(published.year, published.year + 9) if ahead else range(published.year + 1, published.year - 8, -1)
    for year in years:
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue  # 29 February of a common year
        if candidate >= published if ahead else candidate <= published + LOOKAHEAD:
            return candidate.isoformat()
    return None


def _month_year(match: re.Match[str], published: date | None, ahead: bool) -> str:
    return f"{int(match.group('year')):04d}-{_month_number(match):02d}"


def _month(match: re.Match[str], published: date | None, ahead: bool) -> str:
    month = _month_number(match)
    if published is None:
        return f"--{month:02d}"
    year = _year_after(match, published)
    if year is None and ahead:
        year = published.year if month >= published.month else published.year + 1
    elif year is None:
        year = published.year if date(published.year, month, 1) <= published + LOOKAHEAD else published.year - 1
    return f"{year:04d}-{month:02d}"


def _year(match: re.Match[str], published: date | None, ahead: bool) -> str:
    return match.group("year")


def _weekday(match: re.Match[str], published: date | None, ahead: bool) -> str | None:
    if published is None or _NAME_AROUND.fullmatch(match.string, 0, match.end("date") + 2):
        return None  # "the Sunday Times"
    weekday = rules.dates().weekdays[match.group("wd").lower()]
    modifier = (match.group("mod") or "").lower()
    if modifier == "next" or ahead and modifier not in {"last", "past"}:
        forward = (weekday - published.weekday()) % 7
        return (published + timedelta(days=forward or (7 if modifier == "next" else 0))).isoformat()
    back = (published.weekday() - weekday) % 7
    if modifier in {"last", "past"} and back == 0:
        back = 7
    return (published - timedelta(days=back)).isoformat()


def _relative(table: dict[str, int], shift: Callable[[date, int], str]) -> Resolver:
    def resolve(match: re.Match[str], published: date | None, ahead: bool) -> str | None:
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

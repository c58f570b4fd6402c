"""Seeded derivation of a copy-detection corpus from the real press releases in ../shared.

Every text comes from the Kremlin and Ukrainian Presidency press releases
(``../shared/eval-data/kremlin-zelenskyy-press-releases``, CC BY 4.0 per the sites); the
copies are made from them with the edits republishers make, decided by a seeded random
generator, so the same seed gives the same corpus, byte for byte:

- ``exact``: the text as published, under another outlet and URL;
- ``boilerplate_added``: a republisher's header and "Read also" lines (other releases'
  headlines) around the text;
- ``boilerplate_removed``: the origin carries a dateline and a "Read also" footer, the copy
  only the body;
- ``reordered``: the paragraphs shuffled;
- ``reworded``: light rewording, common words swapped for synonyms and a few function words
  dropped (``REWORD_RATE`` of the words that can be changed);
- ``lifted``: one paragraph of the origin inserted into another, unrelated release.

Dates: the origin keeps its release time; copies are published 1-72 hours later, except in
groups drawn to have one copy without a date or one at the origin's exact time, where the
truth is that the order is unknown. ``ingested_at`` is shuffled, so a copy is often seen first.

    python benchmarks/derive_copies.py quality --seed 7 --out corpus.jsonl
    python benchmarks/derive_copies.py scale --documents 10000 --seed 7 --out corpus.jsonl

Never writes into the repository unless told to: the texts are third-party data.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import sys
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared"
RELEASES = SHARED / "eval-data" / "kremlin-zelenskyy-press-releases"
FILES = {
    "putin_kremlin_en.csv": ("Kremlin", "The Kremlin"),
    "zelenskyy_president_gov_ua_en.csv": ("Office of the President of Ukraine", "Kyiv"),
}
KINDS = ("exact", "boilerplate_added", "boilerplate_removed", "reordered", "reworded", "lifted")
REWORD_RATE = 0.5
"""Share of the words in SYNONYMS (and of droppable words) that a rewording changes."""
SENTENCE = re.compile(r"(?<=[.!?…])[\"'”’»)\]]*\s+(?=[A-Z\"“‘(\d])")
SYNONYMS = {
    "said": "stated", "stated": "said", "noted": "remarked", "also": "additionally",
    "however": "but", "important": "significant", "meeting": "talks", "talks": "meeting",
    "country": "nation", "countries": "nations", "people": "citizens", "citizens": "people",
    "president": "head of state", "President": "Head of State", "support": "backing",
    "help": "assistance", "assistance": "help", "war": "conflict", "attack": "strike",
    "attacks": "strikes", "discussed": "talked about", "situation": "state of affairs",
    "security": "safety", "continue": "go on", "together": "jointly", "began": "started",
    "started": "began", "today": "on this day", "big": "large", "large": "big",
    "very": "highly", "many": "numerous", "several": "a number of", "work": "efforts",
    "agreed": "concurred", "emphasized": "stressed", "stressed": "emphasized",
    "thanked": "expressed gratitude to", "Ukrainian": "Ukraine's", "Russian": "Russia's",
    "government": "authorities", "region": "area", "issues": "matters", "issue": "matter",
    "questions": "matters", "necessary": "needed", "need": "have to", "first": "initial",
    "new": "fresh", "now": "currently", "currently": "now", "major": "key", "key": "major",
    "military": "armed forces'", "weapons": "arms", "defense": "defence", "defence": "defense",
    "economic": "economy-related", "partners": "allies", "allies": "partners",
    "announced": "declared", "informed": "told", "told": "informed", "visit": "trip",
    "because": "as", "about": "regarding", "colleagues": "counterparts", "whole": "entire",
}
DROPPABLE = {"the", "that", "very", "also", "just", "really", "of course,"}


@dataclass(frozen=True)
class Article:
    """One document of the corpus, with the truth about it."""

    id: str
    text: str
    title: str | None
    outlet: str
    url: str
    published_at: str | None
    ingested_at: str
    kind: str
    """``origin``, one of KINDS (a copy), or ``standalone`` (an unrelated release)."""
    group: str
    """Documents of one group derive from one origin (its id); standalone: own id."""
    truth_order: str = "published"
    """``published`` if the group's dates make its origin known, else ``unknown``."""
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Release:
    outlet: str
    place: str
    url: str
    title: str
    date: datetime
    sentences: list[str]


def releases() -> list[Release]:
    """Every release with a body of at least six sentences, in file order."""
    csv.field_size_limit(sys.maxsize)
    found = []
    for name, (outlet, place) in FILES.items():
        with (RELEASES / name).open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                sentences = [s.strip() for s in SENTENCE.split(row["body"]) if s.strip()]
                if len(sentences) < 6:
                    continue
                date = datetime.fromisoformat(row["date"].replace("Z", "+00:00"))
                location = row.get("location") or ""
                found.append(Release(outlet, location if location not in ("", "NA") else place,
                                     row["link"], row["headline"], date, sentences))
    return found


def paragraphs(sentences: list[str], rng: random.Random) -> list[str]:
    """Sentences grouped into paragraphs of two to five, as a web page shows them."""
    found, i = [], 0
    while i < len(sentences):
        size = rng.randint(2, 5)
        found.append(" ".join(sentences[i : i + size]))
        i += size
    return found


def reword(paragraph: str, rng: random.Random) -> str:
    words = paragraph.split(" ")
    out = []
    for word in words:
        core = word.strip(".,;:!?\"“”'’()")
        if core in SYNONYMS and rng.random() < REWORD_RATE:
            out.append(word.replace(core, SYNONYMS[core], 1))
        elif core.lower() in DROPPABLE and word == core and rng.random() < REWORD_RATE:
            continue
        else:
            out.append(word)
    return " ".join(out)


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


class Deriver:
    """Makes the copies of one origin, drawing every choice from one seeded generator."""

    def __init__(self, rng: random.Random, headlines: list[str]) -> None:
        self.rng = rng
        self.headlines = headlines
        self.serial = 0

    def next_id(self, prefix: str) -> str:
        self.serial += 1
        return f"{prefix}{self.serial:06d}"

    def read_also(self) -> str:
        return f"Read also: {self.rng.choice(self.headlines)}"

    def origin_text(self, release: Release, body: list[str], boilerplate: bool) -> str:
        lines = list(body)
        if boilerplate:
            dateline = f"{release.place}, {release.date:%B} {release.date.day}, {release.date:%Y}"
            lines = [dateline, *lines, self.read_also()]
        return "\n\n".join(lines)

    def copy_text(self, kind: str, body: list[str], origin_text: str, host: list[str]) -> str:
        rng = self.rng
        if kind == "exact":
            return origin_text
        if kind == "boilerplate_added":
            header = f"Source: {rng.choice(self.headlines)}"
            return "\n\n".join([header, origin_text, self.read_also(), self.read_also()])
        if kind == "boilerplate_removed":
            return "\n\n".join(body)
        if kind == "reordered":
            shuffled = list(body)
            while len(shuffled) > 1 and shuffled == body:
                rng.shuffle(shuffled)
            return "\n\n".join(shuffled)
        if kind == "reworded":
            return "\n\n".join(reword(p, rng) for p in body)
        if kind == "lifted":
            lifted = max(body, key=len) if len(body) > 1 else body[0]
            at = rng.randint(1, max(1, len(host) - 1))
            return "\n\n".join([*host[:at], lifted, *host[at:]])
        raise ValueError(kind)


def _dates(rng: random.Random, origin: datetime, copies: int) -> tuple[list, str]:
    """Publication times of the copies, and whether the group's order is knowable."""
    later = [origin + timedelta(minutes=rng.randint(60, 72 * 60)) for _ in range(copies)]
    draw = rng.random()
    if draw < 0.6 or copies == 0:
        return later, "published"
    if draw < 0.8:
        later[rng.randrange(copies)] = None
    else:
        later[rng.randrange(copies)] = origin
    return later, "unknown"


def quality(seed: int, groups: int = 250, distractors: int = 250) -> list[Article]:
    """Origins each with one copy of every kind, plus unrelated releases (``standalone``)."""
    rng = random.Random(seed)
    pool = releases()
    rng.shuffle(pool)
    origins = pool[:groups]
    hosts = pool[groups : 2 * groups]
    others = pool[2 * groups : 2 * groups + distractors]
    deriver = Deriver(rng, [r.title for r in pool])
    articles: list[Article] = []
    for release, host in zip(origins, hosts):
        articles += _group(deriver, release, KINDS, paragraphs(host.sentences, rng))
    for release in others:
        body = paragraphs(release.sentences, rng)
        doc = deriver.next_id("s")
        articles.append(Article(doc, deriver.origin_text(release, body, True), release.title,
                                release.outlet, release.url, _iso(release.date), "", "standalone",
                                doc))
    return _seen_in_random_order(articles, rng)


def _group(deriver: Deriver, release: Release, kinds: tuple[str, ...] | list[str],
           host: list[str]) -> list[Article]:
    rng = deriver.rng
    body = paragraphs(release.sentences, rng)
    origin_id = deriver.next_id("o")
    origin_text = deriver.origin_text(release, body, boilerplate=True)
    dates, order = _dates(rng, release.date, len(kinds))
    found = [Article(origin_id, origin_text, release.title, release.outlet, release.url,
                     _iso(release.date), "", "origin", origin_id, order)]
    for kind, date in zip(kinds, dates):
        doc = deriver.next_id("c")
        text = deriver.copy_text(kind, body, origin_text, host)
        site = f"republisher-{rng.randint(1, 40)}.example"
        found.append(Article(doc, text, None if kind == "lifted" else release.title,
                             site, f"https://{site}/{doc}", _iso(date), "", kind, origin_id,
                             order))
    return found


def _seen_in_random_order(articles: list[Article], rng: random.Random) -> list[Article]:
    order = list(range(len(articles)))
    rng.shuffle(order)
    start = datetime(2022, 7, 1, tzinfo=timezone.utc)
    return [replace(a, ingested_at=(start + timedelta(seconds=order[i])).isoformat())
            for i, a in enumerate(articles)]


def units(seed: int, sentences: int = 5) -> list[tuple[Release, list[str]]]:
    """Consecutive runs of ``sentences`` sentences of every release, in seeded order: the
    short wire items the scale corpus copies (a release holds several)."""
    rng = random.Random(seed)
    found = []
    for release in releases():
        for i in range(0, len(release.sentences) - sentences + 1, sentences):
            found.append((release, release.sentences[i : i + sentences]))
    rng.shuffle(found)
    return found


def scale(documents: int, seed: int, mean_group: int = 9) -> Iterator[Article]:
    """About ``documents`` documents: groups of 1..2*mean_group-1 (a unit and its copies, of
    every kind in turn), the same group sizes whatever the corpus size."""
    rng = random.Random(seed)
    pool = units(seed)
    deriver = Deriver(rng, [release.title for release, _ in pool[:2000]])
    made = 0
    start = datetime(2022, 7, 1, tzinfo=timezone.utc)
    for n, (release, sentences) in enumerate(pool):
        if made >= documents:
            return
        size = min(rng.randint(1, 2 * mean_group - 1), documents - made)
        kinds = [KINDS[(n + i) % len(KINDS)] for i in range(size - 1)]
        host_release, host_sentences = pool[(n + 1) % len(pool)]
        cut = replace(release, sentences=sentences)
        for article in _group(deriver, cut, kinds, paragraphs(host_sentences, rng)):
            yield replace(article, ingested_at=(start + timedelta(seconds=made)).isoformat())
            made += 1
    raise SystemExit(f"only {made} documents: not enough release text for {documents}")


def write(articles: Iterator[Article] | list[Article], out: Path) -> int:
    count = 0
    with out.open("w", encoding="utf-8") as handle:
        for article in articles:
            handle.write(json.dumps(asdict(article), ensure_ascii=False) + "\n")
            count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", choices=("quality", "scale"))
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    articles = quality(args.seed) if args.corpus == "quality" else scale(args.documents, args.seed)
    print(f"{write(articles, args.out)} documents → {args.out}")


if __name__ == "__main__":
    main()

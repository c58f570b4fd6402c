"""Real articles and copies derived from them in the test, the way republishers edit.

The articles are the press releases shipped in ``examples/press-releases`` and the seed
reports in ``../shared/seeds``; every copy is made here from their text by a fixed edit (no
randomness), so a failing case names the edit that broke.
"""

from __future__ import annotations

import csv
import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from claimscope.records import Document, Extraction
from claimscope.store import Store

ROOT = Path(__file__).resolve().parents[2]
RELEASES = ROOT / "examples" / "press-releases"
SEEDS = ROOT.parent / "shared" / "seeds"
SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")
SEEN = datetime(2025, 11, 23, 18, 0, tzinfo=timezone.utc)
SYNONYMS = {
    "said": "stated", "also": "additionally", "meeting": "talks", "situation": "state of affairs",
    "Ukrainian": "Ukraine's", "Russian": "Russia's", "President": "Head of State",
    "security": "safety", "issues": "matters", "discussed": "talked about", "forces": "troops",
    "control": "command", "region": "area", "city": "town", "military": "armed",
}
EDITS = ("exact", "boilerplate_added", "boilerplate_removed", "reordered", "reworded", "lifted")


@dataclass(frozen=True)
class Article:
    name: str
    title: str
    paragraphs: tuple[str, ...]
    published_at: datetime | None = None

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


def releases() -> list[Article]:
    """The six shipped press releases, each body cut into paragraphs of three sentences."""
    found = []
    for name in ("kremlin", "zelenskyy"):
        with (RELEASES / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
            for i, row in enumerate(csv.DictReader(handle)):
                sentences = SENTENCE.split(row["body"])
                paragraphs = tuple(
                    " ".join(sentences[j : j + 3]) for j in range(0, len(sentences), 3)
                )
                when = datetime.fromisoformat(row["date"].replace("Z", "+00:00"))
                found.append(Article(f"{name}-{i}", row["headline"], paragraphs, when))
    return found


def seeds() -> list[Article]:
    """The two seed reports, one paragraph per line as written."""
    return [
        Article(path.stem, path.stem, tuple(
            line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
        ))
        for path in sorted(SEEDS.glob("*.txt"))
    ]


def derive(edit: str, origin: Article, others: list[Article]) -> tuple[Article, Article]:
    """(the origin as stored, its copy) for one edit; ``others`` lend headlines and a host."""
    body = list(origin.paragraphs)
    headlines = [other.title for other in others]
    copy_paragraphs: list[str]
    if edit == "exact":
        copy_paragraphs = body
    elif edit == "boilerplate_added":
        copy_paragraphs = [f"Source: {headlines[0]}", *body, f"Read also: {headlines[1]}",
                           f"Read also: {headlines[2]}"]
    elif edit == "boilerplate_removed":
        origin = Article(origin.name, origin.title,
                         ("Kyiv, 11 June 2022", *body, f"Read also: {headlines[0]}"),
                         origin.published_at)
        copy_paragraphs = body
    elif edit == "reordered":
        copy_paragraphs = body[::-1]
    elif edit == "reworded":
        copy_paragraphs = [reword(paragraph) for paragraph in body]
    elif edit == "lifted":
        host = list(others[0].paragraphs)
        middle = len(host) // 2
        copy_paragraphs = [*host[:middle], max(body, key=len), *host[middle:]]
    else:
        raise ValueError(edit)
    copy = Article(f"{origin.name}-{edit}", f"{origin.title} ({edit})", tuple(copy_paragraphs))
    return origin, copy


def reword(paragraph: str) -> str:
    """Light rewording: every other word of SYNONYMS swapped, every other "the" dropped."""
    out, swaps, thes = [], 0, 0
    for word in paragraph.split(" "):
        core = word.strip(".,;:!?\"“”'’()")
        if core in SYNONYMS:
            swaps += 1
            if swaps % 2:
                word = word.replace(core, SYNONYMS[core], 1)
        elif word == "the":
            thes += 1
            if thes % 2:
                continue
        out.append(word)
    return " ".join(out)


def document(
    article: Article,
    published_at: datetime | None = None,
    seen: datetime = SEEN,
    outlet: str | None = None,
) -> Document:
    raw = f"{article.name}\n{article.text}".encode("utf-8")
    return Document(
        text=article.text,
        source=f"{article.name}.txt",
        sha256=hashlib.sha256(raw).hexdigest(),
        raw=raw,
        ingested_at=seen,
        title=article.title,
        outlet=outlet,
        published_at=published_at,
        language="en",
    )


def save(store: Store, *documents: Document) -> list[str]:
    for doc in documents:
        assert store.save(Extraction(doc, ()))
    return [doc.id for doc in documents]


def later(when: datetime, hours: int) -> datetime:
    return when + timedelta(hours=hours)

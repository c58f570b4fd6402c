"""Typed records passed from one stage of the data's journey to the next.

Every stage (ingest → nlp → store → corpus → web/cli) speaks in these records and
nothing else, so a stage can be replaced without touching its neighbours. They are
plain frozen dataclasses: cheap to build in a loop over thousands of sentences,
hashable, and trivially turned into JSON by :func:`dataclasses.asdict`.

Offsets are character offsets into :attr:`Document.text` (Python string indices),
so ``document.text[span.start:span.end] == span.text`` always holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import PurePath
from typing import Literal

SpeakerKind = Literal[
    "person", "organization", "government", "outlet", "anonymous", "vague", "author"
]
CueClass = Literal["say", "confirm", "allege", "deny", "report", "argue", "warn", "other"]
QuoteKind = Literal["direct", "indirect", "mixed"]
Polarity = Literal["positive", "negative"]
Certainty = Literal["certain", "probable", "possible", "unknown"]
PlaceKind = Literal["settlement", "region", "river", "country"]

SPEAKER_KINDS: tuple[str, ...] = SpeakerKind.__args__  # type: ignore[attr-defined]
CUE_CLASSES: tuple[str, ...] = CueClass.__args__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Document:
    """One published text as read: a news article, a Telegram post, a press release."""

    text: str
    source: str
    """File path; for an entry of a container (feed, CSV, JSONL, Telegram export) the
    path followed by ``#`` and the entry's key, e.g. ``feed.xml#3`` or ``result.json#msg-12``."""
    sha256: str
    """SHA-256 of the raw bytes: identical bytes are one document."""
    raw: bytes
    """The bytes the document was read from, kept as evidence (for a container entry, the
    entry's own bytes as they stand in the file, or its canonical JSON)."""
    ingested_at: datetime
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published_at: datetime | None = None
    language: str | None = None
    relayed_from: tuple[str, ...] = ()
    """Outlets this document itself was forwarded from (e.g. a Telegram forward's origin)."""

    @property
    def id(self) -> str:
        return self.sha256[:16]


@dataclass(frozen=True)
class ReadFailure:
    """A file (or one entry of a container) that could not be read, and why."""

    source: str
    problem: str

    def __str__(self) -> str:
        return f"{self.source}: {self.problem}"


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str


UNNAMED_SOURCE = "unnamed source"
"""The name of a speaker no words name: "it is expected that …", an attribution without a source."""


@dataclass(frozen=True)
class Speaker:
    name: str
    """Canonical name, e.g. "Russian Ministry of Defense" for "the ministry"."""
    kind: SpeakerKind
    span: Span | None = None
    """Where the speaker is mentioned in this claim's sentence; None for the author."""


@dataclass(frozen=True)
class Cue:
    cue_class: CueClass
    span: Span | None = None
    """None for author-voice claims, which have no reporting cue."""


@dataclass(frozen=True)
class Content:
    span: Span
    """From the first character of the content to its last."""
    quote: QuoteKind
    fragments: tuple[Span, ...] = ()
    """The content's pieces, in order, when a cue interrupts it ("Control over the town,
    the ministry argues, allows …"); empty when the content is the one piece ``span``."""


@dataclass(frozen=True)
class Relay:
    """One link of the chain a claim passed through before reaching this document."""

    name: str
    kind: SpeakerKind
    span: Span | None = None


@dataclass(frozen=True)
class Factuality:
    polarity: Polarity = "positive"
    certainty: Certainty = "certain"
    conditional: bool = False
    hedges: tuple[Span, ...] = ()

    @property
    def hedged(self) -> bool:
        """What the ledger's "hedged" filter selects: a hedge, or any certainty below certain."""
        return bool(self.hedges) or self.certainty != "certain"


@dataclass(frozen=True)
class Place:
    """A named settlement, region, river or country: never a finer position."""

    name: str
    kind: PlaceKind
    lat: float
    lon: float
    country: str | None
    span: Span
    geonameid: int | None = None


@dataclass(frozen=True)
class DateMention:
    span: Span
    value: str
    """ISO 8601, possibly partial: "2025-11-21", "--11-21" (year unknown), "2025-11"."""


@dataclass(frozen=True)
class Entity:
    span: Span
    label: str
    """spaCy's entity label (PERSON, ORG, GPE, NORP…)."""


@dataclass(frozen=True)
class Claim:
    """One attributed statement in one document, or one the document asserts itself."""

    id: str
    document_sha256: str
    sentence: Span
    speaker: Speaker
    cue: Cue
    content: Content
    factuality: Factuality
    relayed_via: tuple[Relay, ...] = ()
    places: tuple[Place, ...] = ()
    dates: tuple[DateMention, ...] = ()
    entities: tuple[Entity, ...] = ()
    checkworthiness: float = 0.0
    extractor: str = ""
    """Version of the extractor and the names of the rule sets that produced the claim."""


@dataclass(frozen=True)
class Extraction:
    """What the nlp stage found in one document."""

    document: Document
    claims: tuple[Claim, ...] = field(default_factory=tuple)


def document_label(title: str | None, source: str) -> str:
    """What to call a document in a list: its title, else its file's name with the entry key
    (``press.csv#17``), never the full path of the machine that read it."""
    if title:
        return title
    path, hash_sign, entry = source.partition("#")
    return PurePath(path).name + hash_sign + entry

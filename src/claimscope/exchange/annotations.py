"""Corrected brat files back in: reviewed attributions that take precedence over the extractor.

A directory of ``<name>.txt``/``<name>.ann`` pairs, as ``claimscope export --format brat``
wrote them and a reviewer corrected them in brat or INCEpTION, becomes one review per
document (:mod:`claimscope.store.annotations`). The ``.txt`` must be the stored text exactly,
or the offsets would point elsewhere: such a pair is refused with a line naming it, and the
other pairs are still imported. Re-importing an unchanged ``.ann`` does nothing.

Each corrected attribution revises the extracted claim it corresponds to: the one with the
same cue and an overlapping content, else the same content, else the content it overlaps
most (at least half, as a Jaccard share of characters). An attribution matching none is a
claim the reviewer added; an extracted attribution matched by none was deleted.

:func:`training_documents` gives the reviewed documents back as ``read_ann`` gives PolNeAR's,
so they can be added to the attribution model's training data.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from claimscope.errors import ReadError
from claimscope.exchange.brat import (
    SpanSet,
    Standoff,
    document_id_of,
    format_ann,
    parse_ann,
)
from claimscope.records import UNNAMED_SOURCE, Claim, Content, Cue, Document, Factuality, Span, Speaker
from claimscope.registry import outlet_index
from claimscope.rules import cues
from claimscope.store import Store
from claimscope.store.annotations import Review, ReviewedAttribution, ReviewLedger
from claimscope.store.schema import REVIEWED_EXTRACTOR

MIN_OVERLAP = 0.5


class ClaimReader(Protocol):
    """What reads an added claim in its document (:meth:`claimscope.nlp.Extractor.complete`)."""

    def complete(self, document: Document, claim: Claim, *, resolve_speaker: bool = True) -> Claim: ...
_OPENING_QUOTES = "\"“‘«"


@dataclass
class ImportReport:
    """What an import did: documents reviewed, skipped as unchanged, and files refused."""

    imported: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    revised: int = 0
    added: int = 0
    deleted: int = 0
    failures: list[ReadError] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"imported": len(self.imported), "unchanged": len(self.unchanged),
                "revised": self.revised, "added": self.added, "deleted": self.deleted,
                "failures": [str(failure) for failure in self.failures]}


def import_annotations(store: Store, directory: Path, by: str,
                       progress: Callable[[int, int, str], None] | None = None,
                       reader: ClaimReader | None = None) -> ImportReport:
    """Import every ``.txt``/``.ann`` pair under ``directory`` as reviewed by ``by``.

    With a ``reader`` (the extractor), a claim the reviewer added is read in its document
    like an extracted one: who its source is (unless the extractor named the same words
    elsewhere in the document), its factuality, places, dates and check-worthiness.
    Without one, it has only what the spans say, a guessed speaker kind and
    check-worthiness 0."""
    if not directory.is_dir():
        raise ReadError(str(directory), "not a directory of brat .txt/.ann pairs")
    report = ImportReport()
    ledger = ReviewLedger(store)
    pairs, report.failures = _pairs(directory)
    for done, (txt, ann) in enumerate(pairs, start=1):
        try:
            _import_pair(ledger, txt, ann, by, report, reader)
        except ReadError as failure:
            report.failures.append(failure)
        if progress is not None:
            progress(done, len(pairs), str(ann))
    return report


def _pairs(directory: Path) -> tuple[list[tuple[Path, Path]], list[ReadError]]:
    files = sorted(p for p in directory.rglob("*") if p.suffix in (".txt", ".ann") and p.is_file())
    stems = {(p.parent, p.stem) for p in files}
    pairs, failures = [], []
    for parent, stem in sorted(stems):
        txt, ann = parent / f"{stem}.txt", parent / f"{stem}.ann"
        if txt.is_file() and ann.is_file():
            pairs.append((txt, ann))
        else:
            present, missing = (txt, ann.name) if txt.is_file() else (ann, txt.name)
            failures.append(ReadError(str(present), f"unpaired: no {missing} beside it"))
    return pairs, failures


def _import_pair(ledger: ReviewLedger, txt: Path, ann: Path, by: str,
                 report: ImportReport, reader: ClaimReader | None) -> None:
    try:
        text = txt.read_bytes().decode("utf-8")
        ann_bytes = ann.read_bytes()
    except (OSError, UnicodeDecodeError) as error:
        raise ReadError(str(txt), f"cannot read: {error}") from error
    document_id = _document_id(ledger, txt, text)
    standoff = parse_ann(ann_bytes.decode("utf-8-sig", errors="strict"), text, source=str(ann))
    sha = hashlib.sha256(ann_bytes).hexdigest()
    if ledger.latest_sha256(document_id) == sha:
        report.unchanged.append(str(ann))
        return
    extracted = ledger.extracted(document_id)
    attributions = _reviewed(ledger, document_id, text, standoff, extracted)
    if reader is not None and any(a.added for a in attributions):
        document = ledger.document(document_id)
        attributions = [a if a.added is None else replace(
            a, added=reader.complete(document, a.added,
                                     resolve_speaker=_named_by_extractor(a.added.speaker.span, extracted) is None))
            for a in attributions]
    ledger.save(Review(document_id, str(ann), sha, by, datetime.now(UTC),
                       tuple(attributions)))
    revised = sum(1 for a in attributions if a.added is None)
    report.imported.append(str(ann))
    report.revised += revised
    report.added += len(attributions) - revised
    report.deleted += len(extracted) - revised


def _document_id(ledger: ReviewLedger, txt: Path, text: str) -> str:
    """The document a ``.txt`` is the text of: by the id its name ends with, else by its text."""
    named = document_id_of(txt.stem)
    stored = ledger.document_text(named) if named else None
    if stored is not None:
        if stored != text:
            raise ReadError(str(txt), f"the text differs from stored document {named}'s: "
                                      "its offsets would not match")
        return named
    found = ledger.document_with_text(text)
    if found is None:
        raise ReadError(str(txt), "no stored document has this text (export it with "
                                  "`claimscope export --format brat` and correct that copy)")
    return found[0]


def _reviewed(ledger: ReviewLedger, document_id: str, text: str, standoff: Standoff,
              extracted: list[Any]) -> list[ReviewedAttribution]:
    used: set[str] = set()
    found: dict[str, ReviewedAttribution] = {}
    for attribution in standoff.attributions:
        speaker = _ordered(attribution.source.fragments) if attribution.has_source else ()
        cue = _ordered(attribution.cue.fragments) if attribution.cue else ()
        content = _ordered(tuple(f for c in attribution.contents for f in c.fragments))
        if not content:
            continue
        match = _match(cue, content, [row for row in extracted if row.id not in used])
        if match is not None:
            used.add(match.id)
            found[match.id] = ReviewedAttribution(match.id, speaker, cue, content)
        else:
            claim = _added_claim(ledger, document_id, text, speaker, cue, content, extracted)
            found.setdefault(claim.id, ReviewedAttribution(claim.id, speaker, cue, content, claim))
    return list(found.values())


def _ordered(fragments: tuple[Span, ...]) -> tuple[Span, ...]:
    return tuple(sorted(set(fragments), key=lambda f: (f.start, f.end)))


def _extent(fragments: tuple[Span, ...]) -> tuple[int, int] | None:
    return (fragments[0].start, max(f.end for f in fragments)) if fragments else None


def _match(cue: tuple[Span, ...], content: tuple[Span, ...], candidates: list[Any]) -> Any:
    """The extracted claim a corrected attribution revises, or None."""
    cue_at, (start, end) = _extent(cue), _extent(content)

    def overlap(row: Any) -> float:
        inter = min(end, row.content_end) - max(start, row.content_start)
        union = max(end, row.content_end) - min(start, row.content_start)
        return max(inter, 0) / union if union else 0.0

    same_cue = [r for r in candidates if cue_at and (r.cue_start, r.cue_end) == cue_at
                and overlap(r) > 0]
    if same_cue:
        return max(same_cue, key=overlap)
    same_content = [r for r in candidates if (r.content_start, r.content_end) == (start, end)]
    if same_content:
        return same_content[0]
    best = max(candidates, key=overlap, default=None)
    return best if best is not None and overlap(best) >= MIN_OVERLAP else None


def _added_claim(ledger: ReviewLedger, document_id: str, text: str, speaker: tuple[Span, ...],
                 cue: tuple[Span, ...], content: tuple[Span, ...], extracted: list[Any]) -> Claim:
    """A claim record for an attribution the reviewer added: its id, like an extracted
    claim's, comes from the document and the offsets (marked as reviewed, so never equal)."""
    sha = ledger.document_sha256(document_id)
    whole = {role: _whole(text, spans) for role, spans in
             (("speaker", speaker), ("cue", cue), ("content", content))}
    keys = [whole["content"].start, whole["content"].end,
            whole["cue"].start if whole["cue"] else -1,
            whole["speaker"].start if whole["speaker"] else -1]
    key = f"{sha}:{':'.join(map(str, keys))}:reviewed"
    quote = "direct" if text[whole["content"].start] in _OPENING_QUOTES else "indirect"
    return Claim(
        id=hashlib.sha256(key.encode()).hexdigest()[:16],
        document_sha256=sha,
        sentence=_sentence(ledger.sentences(document_id), text, whole["content"]),
        speaker=_speaker(whole["speaker"], extracted),
        cue=Cue(_cue_class(whole["cue"], extracted), whole["cue"]),
        content=Content(whole["content"], quote, content if len(content) > 1 else ()),
        factuality=Factuality(),
        extractor=REVIEWED_EXTRACTOR,
    )


def _whole(text: str, fragments: tuple[Span, ...]) -> Span | None:
    extent = _extent(fragments)
    return None if extent is None else Span(extent[0], extent[1], text[extent[0]:extent[1]])


def _sentence(sentences: list[Span], text: str, content: Span) -> Span:
    """The extracted sentence holding the content, else the line (paragraph) it starts in."""
    for sentence in sentences:
        if sentence.start <= content.start < sentence.end:
            return sentence
    start = text.rfind("\n", 0, content.start) + 1
    newline = text.find("\n", content.end)
    end = len(text) if newline < 0 else newline
    return Span(start, end, text[start:end])


def _named_by_extractor(span: Span | None, extracted: list[Any]) -> Any:
    """The extracted claim whose speaker is mentioned in the same words, if any."""
    words = span.text.casefold() if span is not None else None
    return next((row for row in extracted
                 if row.speaker_text and row.speaker_text.casefold() == words), None)


def _speaker(span: Span | None, extracted: list[Any]) -> Speaker:
    """Who an added attribution's source is: as the extractor named the same words elsewhere
    in the document, else an outlet of the registry, else a vague source (brat says only
    where the source is, not what it is)."""
    if span is None:
        return Speaker(UNNAMED_SOURCE, "anonymous", None)
    named = _named_by_extractor(span, extracted)
    if named is not None:
        return Speaker(named.speaker_name, named.speaker_kind, span)
    outlet = outlet_index().by_name(span.text)
    if outlet is not None:
        return Speaker(outlet.name, "outlet", span)
    return Speaker(span.text, "vague", span)


def _cue_class(span: Span | None, extracted: list[Any]) -> str:
    """The class the extractor gave the same cue, else the cue lexicon's class of its first
    word (a crude lemma: a verb's -s/-ed/-d cut), else ``other``."""
    if span is None:
        return "other"
    for row in extracted:
        if (row.cue_start, row.cue_end) == (span.start, span.end):
            return row.cue_class
    word = span.text.split()[0].casefold() if span.text.split() else ""
    forms = {word, word.removesuffix("s"), word.removesuffix("ed"), word.removesuffix("d")}
    lexicon = cues()
    for cue_class, lemmas in lexicon.verbs.items():
        if forms & set(lemmas):
            return cue_class
    for cue_class, phrases in lexicon.phrases.items():
        if span.text.casefold() in phrases:
            return cue_class
    return "other"


# -- as training data --------------------------------------------------------------------


@dataclass(frozen=True)
class TrainingDocument:
    """A reviewed document as PolNeAR's are read: its text and its standoff."""

    name: str
    text: str
    standoff: Standoff


def training_documents(store: Store) -> Iterator[TrainingDocument]:
    """Every reviewed document's text and current reviewed attributions, in the record form
    :func:`~claimscope.exchange.brat.read_ann` gives for PolNeAR (written as standoff and
    parsed back, so the two cannot drift apart)."""
    for document in ReviewLedger(store).reviewed_documents():
        spans = [SpanSet(a.speaker or None, a.cue or None, (a.content,))
                 for a in document.attributions if a.content]
        standoff = parse_ann(format_ann(spans), document.text, source=document.source)
        yield TrainingDocument(document.document_id, document.text, standoff)

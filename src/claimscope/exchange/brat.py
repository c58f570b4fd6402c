"""brat standoff as PolNeAR uses it: attributions written out and read back.

An attribution is three text-bound (``T``) annotations of type ``Source``, ``Cue`` and
``Content``, a trigger ``T`` of type ``Attribution`` on the cue's offsets, and an event
(``E``) line tying them::

    T1	Source 89 106	The New York Post
    T2	Cue 107 114	reports
    T3	Content 115 290	that Hillary Clinton’s team avoided …
    T4	Attribution 107 114	reports
    E1	Attribution:T4 Source:T1 Cue:T2 Content:T3

An attribution without a speaker ("The clip has faced ridicule online") has a trigger
of type ``Attribution-no-source`` and no ``Source`` role. A span may be discontinuous
(``start end;start end``); its text in the file is the fragments joined by one space. A
second content is the role ``Content2``. Other ``T`` types (PolNeAR's ``Discuss`` and
``Discard``) are kept as annotations but belong to no attribution; notes (``#``) and
attributes (``A``, ``M``) and relations (``R``) are ignored.

Span text may run over several lines (PolNeAR has such files): the reader takes as many
characters as the offsets say the text has, so a line break inside a span's text is not
mistaken for the end of the line. The writer replaces line breaks in span text with
spaces (one for one, so lengths still agree): brat, INCEpTION and line-based scorers
read every annotation as one line.

:func:`write_ledger` writes the whole ledger this way, one ``<name>.txt``/``<name>.ann`` pair
per document, ``<name>`` ending in the document's id so that corrected files find their
document again (:mod:`claimscope.exchange.annotations`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, select

from claimscope.errors import ReadError
from claimscope.records import Claim, Span
from claimscope.store import ClaimFilter, Store
from claimscope.store.schema import documents

SOURCE, CUE, CONTENT = "Source", "Cue", "Content"
TRIGGER, TRIGGER_NO_SOURCE = "Attribution", "Attribution-no-source"
_ID = re.compile(r"[TERAMN#*]\d*\t")
_OFFSETS = re.compile(r"\d+ \d+(?:;\d+ \d+)*")
_LINE_BREAKS = {ord(c): " " for c in "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"}
_ROLE = re.compile(r"([A-Za-z-]+?)(\d*)")
_NAME_UNSAFE = re.compile(r"[^A-Za-z0-9_]+")
_DOCUMENT_ID = re.compile(r"-([0-9a-f]{16})$")


@dataclass(frozen=True)
class Annotation:
    """One ``T`` line: a labelled span made of one or more fragments."""

    id: str
    label: str
    fragments: tuple[Span, ...]

    @property
    def start(self) -> int:
        return min(fragment.start for fragment in self.fragments)

    @property
    def end(self) -> int:
        """Fragments may be listed out of text order (PolNeAR has ``209 236;91 186``)."""
        return max(fragment.end for fragment in self.fragments)

    @property
    def text(self) -> str:
        """The fragments' text joined by one space, as brat writes it."""
        return " ".join(fragment.text for fragment in self.fragments)


@dataclass(frozen=True)
class Attribution:
    """One ``E`` line: who (``source``, None when there is no speaker), through which cue,
    said what (one or more ``contents``, each possibly discontinuous)."""

    id: str
    trigger: Annotation
    source: Annotation | None
    cue: Annotation | None
    contents: tuple[Annotation, ...]

    @property
    def has_source(self) -> bool:
        return self.trigger.label != TRIGGER_NO_SOURCE and self.source is not None


@dataclass(frozen=True)
class Standoff:
    """What one ``.ann`` file holds: every text-bound annotation, and the attributions."""

    annotations: tuple[Annotation, ...]
    attributions: tuple[Attribution, ...]


# -- reading -------------------------------------------------------------------------


def read_ann(path: Path, text: str | None = None) -> Standoff:
    """Read a ``.ann`` file; with ``text`` (the document it annotates), check that every
    span's offsets point at the text the file gives for it."""
    try:
        content = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise ReadError(str(path), f"cannot read the annotation file: {error}") from error
    return parse_ann(content, text, source=str(path))


def parse_ann(content: str, text: str | None = None, source: str = "<ann>") -> Standoff:
    """Parse brat standoff; a malformed line raises :class:`ReadError` naming its line."""
    annotations: dict[str, Annotation] = {}
    events: list[tuple[str, str, int]] = []
    for number, line_id, rest in _entries(content, source):
        if line_id.startswith("T"):
            annotations[line_id] = _annotation(line_id, rest, text, _Where(source, number))
        elif line_id.startswith("E"):
            events.append((line_id, rest, number))
    attributions = tuple(
        attribution
        for event_id, rest, number in events
        if (attribution := _attribution(event_id, rest, annotations, _Where(source, number)))
    )
    return Standoff(tuple(annotations.values()), attributions)


def _entries(content: str, source: str) -> Iterable[tuple[int, str, str]]:
    """(line number, id, rest) per annotation; the rest of a ``T`` line may span lines."""
    position, number = 0, 1
    while position < len(content):
        end = content.find("\n", position)
        end = len(content) if end < 0 else end
        line = content[position:end]
        if not line.strip():
            position, number = end + 1, number + 1
            continue
        if not _ID.match(line):
            raise ReadError(source, f"line {number}: not a brat annotation: {line[:60]!r}")
        line_id, rest = line.split("\t", 1)
        if line_id.startswith("T"):
            rest, end = _text_bound_rest(content, position + len(line_id) + 1, end)
        yield number, line_id, rest
        number += content.count("\n", position, end) + 1
        position = end + 1


def _text_bound_rest(content: str, start: int, line_end: int) -> tuple[str, int]:
    """The rest of a ``T`` line (``Label offsets<TAB>text``) and where it ends: as many
    characters of text as the offsets cover, even across line breaks."""
    header_end = content.find("\t", start, line_end)
    if header_end < 0:
        return content[start:line_end], line_end
    offsets = content[start:header_end].partition(" ")[2]
    if not _OFFSETS.fullmatch(offsets):
        return content[start:line_end], line_end
    pairs = [tuple(map(int, part.split())) for part in offsets.split(";")]
    length = sum(b - a for a, b in pairs) + len(pairs) - 1
    text_end = header_end + 1 + length
    if line_end < text_end <= len(content) and (text_end == len(content) or content[text_end] == "\n"):
        return content[start:text_end], text_end
    return content[start:line_end], line_end


@dataclass(frozen=True)
class _Where:
    source: str
    line: int

    def error(self, problem: str) -> ReadError:
        return ReadError(self.source, f"line {self.line}: {problem}")


def _annotation(line_id: str, rest: str, text: str | None, where: _Where) -> Annotation:
    header, tab, given = rest.partition("\t")
    label, _, offsets = header.partition(" ")
    if not label or not _OFFSETS.fullmatch(offsets):
        raise where.error(f"{line_id}: expected 'Label start end[;start end]', got {header[:60]!r}")
    fragments = []
    for part in offsets.split(";"):
        start, end = map(int, part.split())
        if end < start:
            raise where.error(f"{line_id}: span ends ({end}) before it starts ({start})")
        if text is not None and end > len(text):
            raise where.error(f"{line_id}: span {start}-{end} is past the end of the text ({len(text)})")
        fragments.append(Span(start, end, text[start:end] if text is not None else ""))
    annotation = Annotation(line_id, label, tuple(fragments))
    if text is None:
        return _with_given_text(annotation, given if tab else "")
    if tab and _normal(annotation.text) != _normal(given):
        raise where.error(f"{line_id}: the text {given[:40]!r} is not what offsets {offsets} "
                               f"cover ({annotation.text[:40]!r})")
    return annotation


def _with_given_text(annotation: Annotation, given: str) -> Annotation:
    """Without the document, fragments take their text from the file where it splits cleanly."""
    lengths = [f.end - f.start for f in annotation.fragments]
    if sum(lengths) + len(lengths) - 1 != len(given):
        return annotation
    fragments, position = [], 0
    for fragment, length in zip(annotation.fragments, lengths):
        fragments.append(Span(fragment.start, fragment.end, given[position : position + length]))
        position += length + 1
    return Annotation(annotation.id, annotation.label, tuple(fragments))


def _normal(text: str) -> str:
    return " ".join(text.split())


def _attribution(event_id: str, rest: str, annotations: dict[str, Annotation],
                 where: _Where) -> Attribution | None:
    """An ``E`` line whose trigger is an attribution; other events are not ours (None)."""
    roles: dict[str, list[Annotation]] = {}
    trigger = None
    for argument in rest.split():
        role, _, target = argument.partition(":")
        if target not in annotations:
            raise where.error(f"{event_id}: {argument!r} names no text-bound annotation")
        if trigger is None:
            trigger = annotations[target]
            if role not in (TRIGGER, TRIGGER_NO_SOURCE):
                return None
            continue
        base = _ROLE.fullmatch(role)
        roles.setdefault(base.group(1) if base else role, []).append(annotations[target])
    if trigger is None:
        raise where.error(f"{event_id}: an event with no trigger")
    for single in (SOURCE, CUE):
        if len(roles.get(single, ())) > 1:
            raise where.error(f"{event_id}: more than one {single}")
    return Attribution(
        id=event_id,
        trigger=trigger,
        source=roles.get(SOURCE, [None])[0],
        cue=roles.get(CUE, [None])[0],
        contents=tuple(roles.get(CONTENT, ())),
    )


# -- writing -------------------------------------------------------------------------


@dataclass(frozen=True)
class SpanSet:
    """What the writer needs of one attribution: each part as its fragments."""

    source: tuple[Span, ...] | None
    cue: tuple[Span, ...] | None
    contents: tuple[tuple[Span, ...], ...]


def attributions_of(claims: Iterable[Claim]) -> list[SpanSet]:
    """The attributions among ``claims``: author-voice claims (speaker kind ``author``)
    are the article's own statements, not attributions, and are left out. A content
    interrupted by its cue is written as its fragments."""
    found = []
    for claim in claims:
        if claim.speaker.kind == "author":
            continue
        source = (claim.speaker.span,) if claim.speaker.span is not None else None
        cue = (claim.cue.span,) if claim.cue.span is not None else None
        content = claim.content.fragments or (claim.content.span,)
        found.append(SpanSet(source, cue, (tuple(content),)))
    return found


def spans_of(attribution: Attribution) -> SpanSet:
    """A read attribution as the writer (and the scorer) takes it."""
    return SpanSet(
        source=attribution.source.fragments if attribution.has_source and attribution.source else None,
        cue=attribution.cue.fragments if attribution.cue else None,
        contents=tuple(content.fragments for content in attribution.contents),
    )


def format_ann(attributions: Iterable[SpanSet]) -> str:
    """brat standoff for ``attributions``, numbered from T1/E1 in the order given.

    A trigger sits on the cue (on the first content when a cue is missing); the event is
    ``Attribution-no-source`` when there is no source. Each event has a trigger of its
    own; other identical spans are written once and shared, as PolNeAR shares one
    ``Source`` between the claims of one speaker."""
    lines: list[str] = []
    ids: dict[tuple[str, tuple[tuple[int, int], ...]], str] = {}

    def text_bound(label: str, fragments: tuple[Span, ...], shared: bool = True) -> str:
        key = (label, tuple((f.start, f.end) for f in fragments))
        if shared and key in ids:
            return ids[key]
        name = f"T{len(ids) + 1}"
        offsets = ";".join(f"{f.start} {f.end}" for f in fragments)
        text = " ".join(f.text for f in fragments).translate(_LINE_BREAKS)
        lines.append(f"{name}\t{label} {offsets}\t{text}")
        ids[key if shared else (name, ())] = name
        return name

    events = 0
    for attribution in attributions:
        if not attribution.contents:
            continue
        arguments = []
        if attribution.source:
            arguments.append(f"{SOURCE}:{text_bound(SOURCE, attribution.source)}")
        if attribution.cue:
            arguments.append(f"{CUE}:{text_bound(CUE, attribution.cue)}")
        for number, content in enumerate(attribution.contents, start=1):
            role = CONTENT if number == 1 else f"{CONTENT}{number}"
            arguments.append(f"{role}:{text_bound(CONTENT, content)}")
        kind = TRIGGER if attribution.source else TRIGGER_NO_SOURCE
        trigger = text_bound(kind, attribution.cue or attribution.contents[0], shared=False)
        events += 1
        lines.append(f"E{events}\t{kind}:{trigger} " + " ".join(arguments))
    return "".join(line + "\n" for line in lines)


def write_pair(directory: Path, name: str, text: str, attributions: Iterable[SpanSet]) -> Path:
    """Write ``<name>.txt`` (the text the offsets refer to) and ``<name>.ann``; returns the
    ``.ann`` path. The text is written byte for byte (no newline translation)."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / f"{name}.txt").write_bytes(text.encode("utf-8"))
    ann = directory / f"{name}.ann"
    ann.write_bytes(format_ann(attributions).encode("utf-8"))
    return ann


# -- the whole ledger ----------------------------------------------------------------


def write_ledger(store: Store, out_dir: Path,
                 progress: Callable[[int, int, str], None] | None = None) -> dict:
    """Every document as ``<name>.txt`` + ``<name>.ann`` in ``out_dir``: the stored text the
    offsets refer to, and its listed attributions (reviewed versions where there are any).
    Returns a summary: the documents and attributions written."""
    listed = store.read(_documents)
    attributions = 0
    for done, (document_id, source, text) in enumerate(listed, start=1):
        spans = claim_span_sets(store.claims(ClaimFilter(document=document_id)))
        write_pair(out_dir, pair_name(source, document_id), text, spans)
        attributions += len(spans)
        if progress is not None:
            progress(done, len(listed), source)
    return {"format": "brat", "out": str(out_dir), "documents": len(listed),
            "attributions": attributions}


def _documents(connection: Connection) -> list[tuple[str, str, str]]:
    query = select(documents.c.id, documents.c.source, documents.c.text).order_by(
        documents.c.source, documents.c.id)
    return [tuple(row) for row in connection.execute(query)]


def pair_name(source: str, document_id: str) -> str:
    """``<file stem>-<document id>``: readable in brat, and the id finds the document."""
    path, _, entry = source.partition("#")
    stem = _NAME_UNSAFE.sub("_", "_".join(filter(None, (Path(path).stem, entry)))).strip("_")
    return f"{stem[:60]}-{document_id}" if stem else document_id


def document_id_of(name: str) -> str | None:
    """The document id a pair's name ends with (:func:`pair_name`), or None."""
    found = _DOCUMENT_ID.search(name)
    return found.group(1) if found else (name if re.fullmatch(r"[0-9a-f]{16}", name) else None)


def claim_span_sets(claims: Iterable[dict]) -> list[SpanSet]:
    """The attributions among listed claims (the dicts of ``claims --json``); author-voice
    claims are left out, as in :func:`attributions_of`."""
    found = []
    for claim in claims:
        if claim["speaker"]["kind"] == "author":
            continue
        found.append(SpanSet(_fragments_of(claim["speaker"]), _fragments_of(claim["cue"]),
                             (_fragments_of(claim["content"]) or (),)))
    return found


def _fragments_of(span: dict) -> tuple[Span, ...] | None:
    if span.get("start") is None:
        return None
    pieces = span.get("fragments") or [span]
    return tuple(Span(p["start"], p["end"], p["text"]) for p in pieces)

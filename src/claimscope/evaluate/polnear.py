"""A folder laid out like PolNeAR's ``dev/``: ``text/<article>.txt`` and
``attributions/<article>_<annotator>.ann``.

Several annotators may have annotated one article; each ``.ann`` names its annotator by
the suffix after the last underscore (PolNeAR's ids are four hex digits). A file named
exactly like its text (``<article>.ann``, as ``eval attribution --predictions-out`` writes
them) has no annotator. The text is decoded as UTF-8 and nothing else (no newline
translation, no BOM removal): brat offsets count the characters of the file as it is.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from claimscope.errors import ReadError
from claimscope.records import Document

TEXT_DIR, ANNOTATION_DIR = "text", "attributions"
PROTOCOLS = ("cofenet", "single")
"""``cofenet``: every annotator's file is a document of its own; ``single``: one file per
article, the smallest annotator id's."""


@dataclass(frozen=True)
class GoldFile:
    path: Path
    annotator: str
    """"" for a file without an annotator suffix."""


@dataclass(frozen=True)
class Article:
    name: str
    text_path: Path
    gold: tuple[GoldFile, ...]
    """Sorted by annotator id."""

    def files(self, protocol: str) -> tuple[GoldFile, ...]:
        """The gold files scored under ``protocol``."""
        if protocol not in PROTOCOLS:
            raise ValueError(f"unknown protocol {protocol!r}; expected one of {PROTOCOLS}")
        return self.gold if protocol == "cofenet" else self.gold[:1]

    def read_text(self) -> str:
        return _decode(self.text_path, self.text_path.read_bytes())

    def document(self) -> Document:
        """The article as the extractor reads it, offsets identical to the gold's."""
        raw = self.text_path.read_bytes()
        return Document(
            text=_decode(self.text_path, raw),
            source=str(self.text_path),
            sha256=hashlib.sha256(raw).hexdigest(),
            raw=raw,
            ingested_at=datetime.now(timezone.utc),
        )


def articles(data: Path) -> list[Article]:
    """The articles of ``data`` that have gold annotations, sorted by name.

    Raises :class:`ReadError` naming the folder or file when the layout is not PolNeAR's:
    a missing ``text/`` or ``attributions/`` folder, no ``.ann`` file, or an ``.ann`` file
    whose text is missing (a gold file that cannot be scored would change the figures)."""
    if not data.is_dir():
        raise ReadError(str(data), "not a folder (expected one laid out like PolNeAR's dev/: "
                                   "text/ and attributions/)")
    text_dir, ann_dir = data / TEXT_DIR, data / ANNOTATION_DIR
    for folder in (text_dir, ann_dir):
        if not folder.is_dir():
            raise ReadError(str(data), f"no {folder.name}/ folder (expected text/*.txt and "
                                       "attributions/*.ann, as in PolNeAR's dev/)")
    gold: dict[str, list[GoldFile]] = {}
    for path in sorted(ann_dir.glob("*.ann")):
        article, annotator = _split_name(path.stem, text_dir)
        if article is None:
            raise ReadError(str(path), f"no text for it in {text_dir} (looked for "
                                       f"{path.stem}.txt and <article>.txt before the last '_')")
        gold.setdefault(article, []).append(GoldFile(path, annotator))
    if not gold:
        raise ReadError(str(ann_dir), "no .ann files")
    return [
        Article(name, text_dir / f"{name}.txt", tuple(sorted(files, key=lambda f: f.annotator)))
        for name, files in sorted(gold.items())
    ]


def _split_name(stem: str, text_dir: Path) -> tuple[str | None, str]:
    if (text_dir / f"{stem}.txt").is_file():
        return stem, ""
    article, underscore, annotator = stem.rpartition("_")
    if underscore and (text_dir / f"{article}.txt").is_file():
        return article, annotator
    return None, ""


def _decode(path: Path, raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ReadError(str(path), f"not UTF-8: {error}") from error

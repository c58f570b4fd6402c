"""The ledger written out whole, one writer per format: ``claimscope export`` picks from
:data:`EXPORT_FORMATS`.

Every writer takes ``(store, out, progress)`` and returns a JSON-ready summary; ``progress``
is called as ``progress(done, total, name)``. Claims are the dicts of
:mod:`claimscope.store.read` (the reviewed version where a reviewer corrected one), so an
export shows what ``claims --json`` and the API show. CSV cells are guarded against
spreadsheet formula injection: article text is hostile, and a spreadsheet runs a cell that
starts with ``=``.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from claimscope.exchange.brat import write_ledger
from claimscope.store import Store

Progress = Callable[[int, int, str], None]
Writer = Callable[[Store, Path, "Progress | None"], dict]

CSV_FIELDS = (
    "id", "document_id", "document_source", "document_title", "outlet", "published_at",
    "speaker_name", "speaker_kind", "speaker_text", "cue_class", "cue_text", "quote",
    "content", "relayed_via", "polarity", "certainty", "conditional", "hedges", "places",
    "dates", "checkworthiness", "sentence", "extractor", "reviewed",
)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_row(claim: dict) -> dict:
    """One claim flattened for CSV: lists joined with "; ", the relay chain with " > "."""
    document = claim["document"]
    return {
        "id": claim["id"],
        "document_id": document["id"],
        "document_source": document["source"],
        "document_title": document["title"],
        "outlet": document["outlet"],
        "published_at": document["published_at"],
        "speaker_name": claim["speaker"]["name"],
        "speaker_kind": claim["speaker"]["kind"],
        "speaker_text": claim["speaker"]["text"],
        "cue_class": claim["cue"]["class"],
        "cue_text": claim["cue"]["text"],
        "quote": claim["content"]["quote"],
        "content": claim["content"]["text"],
        "relayed_via": " > ".join(relay["name"] for relay in claim["relayed_via"]),
        "polarity": claim["polarity"],
        "certainty": claim["certainty"],
        "conditional": claim["conditional"],
        "hedges": "; ".join(hedge["text"] for hedge in claim["hedges"]),
        "places": "; ".join(place["name"] for place in claim["places"]),
        "dates": "; ".join(date["value"] for date in claim["dates"]),
        "checkworthiness": claim["checkworthiness"],
        "sentence": claim["sentence"],
        "extractor": claim["extractor"],
        "reviewed": claim["reviewed"],
    }


def spreadsheet_safe(value: Any) -> Any:
    """A text cell that a spreadsheet would take for a formula, with a leading ``'``."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def write_csv_rows(stream: Any, claims: list[dict]) -> None:
    """``claims`` as CSV (header first) on a text stream, every cell formula-safe."""
    writer = csv.DictWriter(stream, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    for claim in claims:
        writer.writerow({k: spreadsheet_safe(v) for k, v in csv_row(claim).items()})


def write_csv(store: Store, out: Path, progress: Progress | None = None) -> dict:
    """Every listed claim, one CSV row each, to the file ``out``."""
    claims = store.claims()
    with _open(out) as stream:
        write_csv_rows(stream, claims)
    _done(progress, len(claims), out)
    return {"format": "csv", "out": str(out), "claims": len(claims)}


def write_jsonl(store: Store, out: Path, progress: Progress | None = None) -> dict:
    """Every listed claim, one JSON object a line (the objects of ``claims --json``)."""
    claims = store.claims()
    with _open(out) as stream:
        for done, claim in enumerate(claims, start=1):
            stream.write(json.dumps(claim, ensure_ascii=False) + "\n")
            if progress is not None and done % 500 == 0:
                progress(done, len(claims), claim["id"])
    _done(progress, len(claims), out)
    return {"format": "jsonl", "out": str(out), "claims": len(claims)}


def write_claimreview(store: Store, out: Path, progress: Progress | None = None) -> dict:
    """Every judged proposition's current verdict as a JSON array of schema.org ClaimReview
    objects (each with its own ``@context``), the form fact-check aggregators read."""
    from claimscope.exchange.claimreview import export_claimreview  # the corpus: only when asked

    reviews = export_claimreview(store)
    with _open(out) as stream:
        json.dump(reviews, stream, ensure_ascii=False, indent=2)
    _done(progress, len(reviews), out)
    return {"format": "claimreview", "out": str(out), "reviews": len(reviews)}


def _open(out: Path) -> Any:
    out.parent.mkdir(parents=True, exist_ok=True)
    return out.open("w", encoding="utf-8", newline="")


def _done(progress: Progress | None, total: int, out: Path) -> None:
    if progress is not None:
        progress(total, total, str(out))


EXPORT_FORMATS: dict[str, Writer] = {
    "brat": write_ledger,
    "jsonl": write_jsonl,
    "csv": write_csv,
    "claimreview": write_claimreview,
}
"""Format name → writer. ``brat`` writes a directory, the others one file."""

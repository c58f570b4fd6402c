"""What the attribution tagger costs the extractor, on the Kremlin / Zelenskyy press releases.

    .venv/bin/python benchmarks/tagger_cost.py [--limit 100] [--rounds 2]

Extracts the first ``--limit`` releases of each file with the extractor that ``claimscope
analyze`` uses, twice per round: as it is, and with its tagger swapped for one that finds
nothing (the rules alone, every other part unchanged). The runs alternate, so that other
jobs on the shared machine weigh on both alike. Reports seconds (wall and CPU of this
process) per 100 releases, the paragraphs the tagger's prefilter kept, and the claims.
Reading and storing are left out: :mod:`benchmarks.throughput` measures the whole of
``analyze`` against bare spaCy.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

from claimscope.nlp import Extractor
from claimscope.nlp.tagger import Tagging, may_hold_claim, paragraphs
from claimscope.records import Document

DATA = Path(__file__).resolve().parents[2] / "shared" / "eval-data" / "kremlin-zelenskyy-press-releases"
FILES = ("putin_kremlin_en.csv", "zelenskyy_president_gov_ua_en.csv")


class FindsNothing:
    """A tagger that tags nothing: the extractor then runs on its rules alone."""

    version = "no-tagger"

    def tag(self, text: str) -> Tagging:
        return Tagging({"source": (), "cue": (), "content": ()}, ())


def releases(limit: int) -> list[Document]:
    csv.field_size_limit(sys.maxsize)
    found = []
    for name in FILES:
        with (DATA / name).open(encoding="utf-8", newline="") as handle:
            for _, row in zip(range(limit), csv.DictReader(handle)):
                raw = row["body"].encode()
                found.append(Document(text=row["body"], source=name, sha256=hashlib.sha256(raw).hexdigest(),
                                      raw=raw, ingested_at=datetime.now(UTC)))
    return found


def timed(extractor: Extractor, documents: list[Document]) -> dict:
    started, cpu = time.perf_counter(), time.process_time()
    claims = sum(len(e.claims) for e in extractor.extract_many(documents))
    return {"seconds": time.perf_counter() - started, "cpu_seconds": time.process_time() - cpu, "claims": claims}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=100, help="releases from each file")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    documents = releases(args.limit)
    extractor = Extractor.load(tagger=True)
    tagger = extractor._tagger  # noqa: SLF001 -- the benchmark swaps the one part it measures
    runs: dict[str, list[dict]] = {"with tagger": [], "rules only": []}
    for _ in range(args.rounds):
        for label, part in (("with tagger", tagger), ("rules only", FindsNothing())):
            extractor._tagger = part  # noqa: SLF001
            runs[label].append(timed(extractor, documents))
    spans = [(d.text, p) for d in documents for p in paragraphs(d.text)]
    kept = sum(may_hold_claim(text[a:b]) for text, (a, b) in spans)
    per_100 = 100 / len(documents)
    result = {
        "date": date.today().isoformat(),
        "documents": len(documents),
        "paragraphs": len(spans),
        "paragraphs_tagged": kept,
        "extractor": extractor.version,
        **{label: {"seconds_per_100": round(min(r["seconds"] for r in found) * per_100, 2),
                   "cpu_seconds_per_100": round(min(r["cpu_seconds"] for r in found) * per_100, 2),
                   "claims": found[0]["claims"]}
           for label, found in runs.items()},
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()

"""Proposition linking at scale: time, peak memory and growth with the number of claims.

    python benchmarks/linking_scale.py --claims 2000 5000 10000 [--seed 7]

Claims come from the real press releases, replicated with the republishers' edits by the
seeded script ``derive_copies.scale`` (exact copies, boilerplate, reordering, rewording, lifted
paragraphs): every sentence of a derived document is stored as one author-voice claim. For each
size, a fresh ledger is filled (documents and claims in large transactions), then
``link_propositions`` runs in a fresh process, timed by stage ("read": pieces, place statuses and
sentence vectors, the encoder's cost; "link": vector search, scoring, assignment), with the
process's peak memory and the time of the main parts of linking (vector search, BM25
candidates, reading claims, storing the figures). Then ten new claims (one new document) are
linked alone: the cost of the incremental link ``analyze`` runs. The growth exponent is the
slope of log(time) against log(claims). The derived texts stay in a temporary folder.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import re
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import derive_copies  # noqa: E402

from claimscope.records import Claim, Content, Cue, Document, Extraction, Factuality, Span, Speaker  # noqa: E402
from claimscope.store import open_store, resolve_database_url  # noqa: E402
from claimscope.store.write import insert_extraction  # noqa: E402

SENTENCE = re.compile(r"[^.!?\n]+[.!?]")


def extraction(article, index: int) -> Extraction:
    raw = json.dumps({"id": article.id, "n": index, "text": article.text}).encode("utf-8")
    sha = hashlib.sha256(raw).hexdigest()
    doc = Document(text=article.text, source=f"derived.jsonl#{article.id}-{index}", sha256=sha,
                   raw=raw, ingested_at=datetime.fromisoformat(article.ingested_at),
                   title=article.title, outlet=article.outlet,
                   published_at=datetime.fromisoformat(article.published_at)
                   if article.published_at else None, language="en")
    claims = []
    for match in SENTENCE.finditer(article.text):
        start = match.start() + len(match.group()) - len(match.group().lstrip())
        end = match.end()
        if len(article.text[start:end].split()) < 5:
            continue
        span = Span(start, end, article.text[start:end])
        claims.append(Claim(
            id=f"{doc.id}:{start}-{end}", document_sha256=sha, sentence=span,
            speaker=Speaker(article.outlet or "author", "author"), cue=Cue("other"),
            content=Content(span, "indirect"), factuality=Factuality(), extractor="scale-bench",
        ))
    return Extraction(doc, tuple(claims))


def fill(db: str, claims: int, seed: int) -> int:
    stored = 0
    with open_store(resolve_database_url(db)) as store:
        pending: list[Extraction] = []

        def flush() -> None:
            def run(connection) -> None:
                for item in pending:
                    insert_extraction(connection, item)

            store.write(run)
            pending.clear()

        for i, article in enumerate(derive_copies.scale(claims, seed)):
            item = extraction(article, i)
            if not item.claims:
                continue
            keep = item.claims[: claims - stored]
            pending.append(Extraction(item.document, keep))
            stored += len(keep)
            if len(pending) >= 500:
                flush()
            if stored >= claims:
                break
        flush()
    return stored


def link(db: str) -> dict:
    """Run in a fresh process: link, timing each stage and the main parts of linking, and
    report peak memory."""
    from claimscope.corpus import propositions
    from claimscope.store import PropositionLedger

    parts: dict[str, float] = {}
    _time_calls(parts, "vector search", propositions, "top_k")
    _time_calls(parts, "BM25 candidates", propositions._Linker, "_lexical_candidates")
    _time_calls(parts, "claims read", PropositionLedger, "claims")
    _time_calls(parts, "figures", propositions, "refresh_figures")
    times: dict[str, float] = {}
    started = time.perf_counter()
    last = [started]

    def progress(stage: str, done: int, total: int) -> None:
        now = time.perf_counter()
        if done == total:
            times[stage] = round(now - last[0], 1)
            last[0] = now

    with open_store(resolve_database_url(db)) as store:
        report = propositions.link_propositions(store, progress=progress)
    times["total"] = round(time.perf_counter() - started, 1)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"report": report.as_dict(), "seconds": times, "peak_mb": round(peak),
            "parts": {name: round(seconds, 1) for name, seconds in parts.items()}}


def _time_calls(spent: dict[str, float], name: str, owner: object, attribute: str) -> None:
    """Add the time of every call of ``owner.attribute`` (a function or a method) to
    ``spent[name]``: where the link step's time goes, at no cost worth counting."""
    inner = getattr(owner, attribute)

    def timed(*args, **kwargs):
        started = time.perf_counter()
        try:
            return inner(*args, **kwargs)
        finally:
            spent[name] = spent.get(name, 0.0) + time.perf_counter() - started

    setattr(owner, attribute, timed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, nargs="+", default=[2000, 5000, 10000])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--link", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.link:
        print(json.dumps(link(args.link)))
        return
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for n in args.claims:
            db = str(Path(folder) / f"scale-{n}.db")
            stored = fill(db, n, args.seed)
            out = subprocess.run([sys.executable, __file__, "--link", db], check=True,
                                 capture_output=True, text=True).stdout
            result = json.loads(out.strip().splitlines()[-1])
            extra = fill_new(db, args.seed)
            again = json.loads(subprocess.run([sys.executable, __file__, "--link", db],
                                              check=True, capture_output=True,
                                              text=True).stdout.strip().splitlines()[-1])
            rows.append((stored, result, extra, again))
            print(json.dumps({"claims": stored, **result, "incremental": again}), flush=True)
    print("\n| claims | read (encode) s | link s | total s | peak MB | propositions | "
          "incremental: new claims | s | peak MB |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for stored, result, extra, again in rows:
        s = result["seconds"]
        print(f"| {stored:,} | {s.get('read', 0)} | {s.get('link', 0)} | {s['total']} | "
              f"{result['peak_mb']} | {result['report']['propositions']} | {extra} | "
              f"{again['seconds']['total']} | {again['peak_mb']} |")
    print("\nWhere the time of linking goes (s; \"claims read\" includes the figures' reads):")
    names = list(rows[0][1]["parts"]) if rows else []
    print("| claims | " + " | ".join(names) + " |\n|---:|" + "---:|" * len(names))
    for stored, result, _, _ in rows:
        print(f"| {stored:,} | " + " | ".join(str(result["parts"].get(n, 0)) for n in names) + " |")
    if len(rows) >= 2:
        xs = [math.log(r[0]) for r in rows]
        for stage in ("total", "link"):
            ys = [math.log(max(r[1]["seconds"].get(stage, 0.01), 0.01)) for r in rows]
            mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
            slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys)) / sum(
                (x - mean_x) ** 2 for x in xs)
            print(f"growth exponent ({stage}): {slope:.2f}")


def fill_new(db: str, seed: int) -> int:
    """One new document of about ten claims, from a release the corpus has not used."""
    article = next(a for i, a in enumerate(derive_copies.scale(40, seed + 1)) if i == 7)
    item = extraction(article, 10**9)
    with open_store(resolve_database_url(db)) as store:
        store.save(Extraction(item.document, item.claims[:10]))
    return min(len(item.claims), 10)


if __name__ == "__main__":
    main()

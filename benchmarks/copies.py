"""Copy detection measured: precision and recall of copy links, origin accuracy, and scale.

    python benchmarks/copies.py quality [--seed 7]
    python benchmarks/copies.py scale --documents 10000 30000 100000 [--seed 7]

``quality`` derives a corpus from the real press releases (``derive_copies.quality``: origins
with one copy of each edit kind, and unrelated releases), stores it in a fresh SQLite ledger,
runs ``claimscope.corpus.link_copies`` and scores the links against the derivation's truth:

- precision: links whose two documents derive from one origin (a copy of a copy counts);
- recall per edit kind: (origin, copy) pairs linked, and with the expected scope;
- direction: for linked (origin, copy) pairs, the origin as source by publication time when
  both are dated and differ, "unknown" otherwise;
- origin accuracy: per group, the origin found when its dates make it knowable, and the
  order "unknown" (no origin named) when they do not.

``scale`` derives corpora of growing size (``derive_copies.scale``), stores each, then links it
in a fresh process, timing the run and reading the process's peak memory; the growth exponent
is the slope of log(time) against log(documents). It then adds ten new documents and links
them alone: the cost of the incremental link that ``analyze`` runs.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import asdict
from datetime import datetime
from difflib import SequenceMatcher
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import derive_copies  # noqa: E402
from derive_copies import Article  # noqa: E402

from claimscope.corpus import copy_groups, link_copies  # noqa: E402
from claimscope.records import Document, Extraction  # noqa: E402
from claimscope.store import CopyLedger, Store, open_store, resolve_database_url  # noqa: E402
from claimscope.store.write import insert_extraction  # noqa: E402


def document(article: Article) -> Document:
    raw = json.dumps(asdict(article), ensure_ascii=False, sort_keys=True).encode("utf-8")
    return Document(
        text=article.text,
        source=f"derived.jsonl#{article.id}",
        sha256=hashlib.sha256(raw).hexdigest(),
        raw=raw,
        ingested_at=datetime.fromisoformat(article.ingested_at),
        title=article.title,
        outlet=article.outlet,
        url=article.url,
        published_at=datetime.fromisoformat(article.published_at) if article.published_at else None,
        language="en",
    )


def store_articles(store: Store, articles, batch: int = 2000) -> dict[str, Article]:
    """Insert the documents (no claims) in large transactions: a benchmark's setup, through
    the Store's own writer; ``Store.save`` would commit each document alone."""
    by_document: dict[str, Article] = {}
    pending: list[Document] = []

    def flush() -> None:
        def run(connection) -> None:
            for doc in pending:
                insert_extraction(connection, Extraction(doc, ()))

        store.write(run)
        pending.clear()

    for article in articles:
        doc = document(article)
        by_document[doc.id] = article
        pending.append(doc)
        if len(pending) >= batch:
            flush()
    if pending:
        flush()
    return by_document


# -- quality -------------------------------------------------------------------------


def quality(seed: int) -> dict:
    articles = derive_copies.quality(seed)
    with tempfile.TemporaryDirectory() as folder:
        with open_store(resolve_database_url(str(Path(folder) / "quality.db"))) as store:
            truth = store_articles(store, articles)
            started = time.perf_counter()
            report = link_copies(store)
            seconds = time.perf_counter() - started
            links = CopyLedger(store).link_rows(with_evidence=True)
            groups = copy_groups(store)
    scores = score(truth, links, groups)
    scores["documents"] = len(articles)
    scores["seconds"] = round(seconds, 1)
    scores["report"] = report.as_dict()
    return scores


def score(truth: dict[str, Article], links: list, groups: list) -> dict:
    pairs = {frozenset((row.source, row.copy)): row for row in links}
    correct = [row for row in links if truth[row.source].group == truth[row.copy].group]
    wrong = [row for row in links if truth[row.source].group != truth[row.copy].group]
    verbatim = [row for row in wrong if _verbatim_run(truth, row) >= VERBATIM_WORDS]
    origin_of = {a.group: doc for doc, a in truth.items() if a.kind == "origin"}
    by_kind: dict[str, Counter] = defaultdict(Counter)
    direction = Counter()
    for doc, article in truth.items():
        if article.kind in ("origin", "standalone"):
            continue
        origin = origin_of[article.group]
        counts = by_kind[article.kind]
        counts["pairs"] += 1
        row = pairs.get(frozenset((origin, doc)))
        if row is None:
            continue
        counts["linked"] += 1
        expected_scope = "passage" if article.kind == "lifted" else "document"
        counts["scope_ok"] += row.scope == expected_scope
        knowable = bool(article.published_at) and article.published_at != truth[origin].published_at
        if knowable:
            direction["knowable"] += 1
            direction["knowable_ok"] += row.direction == "published" and row.source == origin
        else:
            direction["unknowable"] += 1
            direction["unknowable_ok"] += row.direction == "unknown"
    in_group = Counter(a.group for a in truth.values())
    true_pairs = sum(n * (n - 1) // 2 for n in in_group.values())
    return {
        "links": len(links),
        "precision": round(len(correct) / len(links), 4) if links else None,
        "recall_all_pairs": round(len(correct) / true_pairs, 4) if true_pairs else None,
        "by_kind": {
            kind: {
                "pairs": c["pairs"],
                "recall": round(c["linked"] / c["pairs"], 4),
                "scope_accuracy": round(c["scope_ok"] / c["linked"], 4) if c["linked"] else None,
            }
            for kind, c in sorted(by_kind.items())
        },
        "direction": {
            "knowable": direction["knowable"],
            "accuracy_knowable": _ratio(direction["knowable_ok"], direction["knowable"]),
            "unknowable": direction["unknowable"],
            "marked_unknown": _ratio(direction["unknowable_ok"], direction["unknowable"]),
        },
        "origins": origin_accuracy(truth, origin_of, groups),
        "links_across_groups": len(wrong),
        "of_which_verbatim_in_the_releases": len(verbatim),
        "precision_counting_verbatim_reuse": (
            round((len(correct) + len(verbatim)) / len(links), 4) if links else None
        ),
        "examples_across_groups": [_example(truth, row) for row in wrong[:5]],
    }


VERBATIM_WORDS = 12
"""A link across derivation groups is a real copy in the source data (two releases sharing a
quote) when its best passages share a run of at least this many words, verbatim."""


def _verbatim_run(truth: dict[str, Article], row) -> int:
    best = 0
    for match in row.evidence["passages"][:5]:
        a = _passage(truth, row.source, match["source"]).split()
        b = _passage(truth, row.copy, match["copy"]).split()
        run = SequenceMatcher(a=a, b=b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
        best = max(best, run.size)
    return best


def _passage(truth: dict[str, Article], doc: str, span: dict) -> str:
    return truth[doc].text[span["start"] : span["end"]]


def _example(truth: dict[str, Article], row) -> dict:
    match = row.evidence["passages"][0] if row.evidence["passages"] else None
    return {
        "kinds": [truth[row.source].kind, truth[row.copy].kind],
        "scope": row.scope,
        "similarity": row.similarity,
        "verbatim_words": _verbatim_run(truth, row),
        "source_passage": _passage(truth, row.source, match["source"])[:200] if match else None,
        "copy_passage": _passage(truth, row.copy, match["copy"])[:200] if match else None,
    }


def origin_accuracy(truth: dict[str, Article], origin_of: dict[str, str], groups: list) -> dict:
    group_of = {d.id: g for g in groups for d in g.documents}
    counts = Counter()
    for group_id, origin in origin_of.items():
        found = group_of.get(origin)
        knowable = truth[origin].truth_order == "published"
        counts["knowable" if knowable else "unknowable"] += 1
        if found is None:
            continue
        if knowable:
            counts["knowable_ok"] += found.order == "published" and found.origin == origin
        else:
            counts["unknowable_ok"] += found.order == "unknown" and found.origin is None
    return {
        "groups_knowable": counts["knowable"],
        "origin_accuracy": _ratio(counts["knowable_ok"], counts["knowable"]),
        "groups_unknowable": counts["unknowable"],
        "marked_unknown": _ratio(counts["unknowable_ok"], counts["unknowable"]),
    }


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None


# -- scale ---------------------------------------------------------------------------


def build(documents: int, seed: int, db: Path) -> dict:
    started = time.perf_counter()
    with open_store(resolve_database_url(str(db))) as store:
        truth = store_articles(store, derive_copies.scale(documents, seed))
    words = sum(len(a.text.split()) for a in truth.values())
    return {"documents": len(truth), "words_per_document": round(words / len(truth), 1),
            "setup_seconds": round(time.perf_counter() - started, 1)}


def link_once(db: Path) -> dict:
    """Link the stored corpus in this process: time and this process's peak memory."""
    with open_store(resolve_database_url(str(db))) as store:
        started, cpu = time.perf_counter(), _cpu()
        report = link_copies(store)
        seconds, cpu = time.perf_counter() - started, _cpu() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": round(seconds, 2), "cpu_seconds": round(cpu, 2), "peak_mb": round(peak),
            **report.as_dict()}


def _cpu() -> float:
    """CPU time of this process: the machine's two cores are shared, so wall time varies with
    what else runs; CPU time is what the linking itself costs."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def add_and_link(db: Path, seed: int, count: int = 10) -> dict:
    """Ten new documents (copies of stored ones, re-derived) linked against the stored corpus."""
    with open_store(resolve_database_url(str(db))) as store:
        fresh = list(derive_copies.quality(seed + 1, groups=2, distractors=0))[:count]
        store_articles(store, fresh)
        started, cpu = time.perf_counter(), _cpu()
        report = link_copies(store)
        seconds, cpu = time.perf_counter() - started, _cpu() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": round(seconds, 2), "cpu_seconds": round(cpu, 2), "peak_mb": round(peak),
            "documents_linked": report.documents_linked, "copy_links": report.links}


def _child(step: str, *args: str) -> dict:
    command = [sys.executable, __file__, "_" + step, *args]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def scale(sizes: list[int], seed: int) -> dict:
    runs = []
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            db = Path(folder) / f"scale-{size}.db"
            built = _child("build", str(size), str(seed), str(db))
            linked = _child("link", str(db))
            incremental = _child("add", str(db), str(seed))
            runs.append({**built, "link": linked, "incremental_10": incremental})
            print(json.dumps(runs[-1]), file=sys.stderr, flush=True)
            db.unlink()
    return {
        "runs": runs,
        "growth_exponent_wall": _slope(runs, "seconds"),
        "growth_exponent_cpu": _slope(runs, "cpu_seconds"),
    }


def _slope(runs: list[dict], measure: str) -> float | None:
    """Least-squares slope of log(measure) against log(documents)."""
    if len(runs) < 2:
        return None
    xs = [math.log(r["documents"]) for r in runs]
    ys = [math.log(r["link"][measure]) for r in runs]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
    return round(slope, 3)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1].startswith("_"):
        step, args = sys.argv[1][1:], sys.argv[2:]
        if step == "build":
            result = build(int(args[0]), int(args[1]), Path(args[2]))
        elif step == "link":
            result = link_once(Path(args[0]))
        else:
            result = add_and_link(Path(args[0]), int(args[1]))
        print(json.dumps(result))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=("quality", "scale"))
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--documents", type=int, nargs="+", default=[10_000, 30_000])
    args = parser.parse_args()
    result = quality(args.seed) if args.what == "quality" else scale(args.documents, args.seed)
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()

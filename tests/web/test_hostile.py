"""An article made of markup, event handlers, ``javascript:`` links and template syntax is
analysed by the real extractor and shown on every page as text: nothing of it becomes markup.
(The browser test in test_browser.py checks that nothing runs.)"""

from __future__ import annotations

from datetime import datetime, timezone
from urllib.parse import quote

import pytest
from lxml import html

from claimscope.store import ClaimFilter, PropositionLedger
from claimscope.store.verdicts import VerdictLedger
from claimscope.web.app import CONTENT_SECURITY_POLICY

HOSTILE_OUTLET = "Evil <b onmouseover=alert('outlet')>Wire</b> / {{ 7*7 }}"
HOSTILE_RATIONALE = "<script>alert('rationale')</script> {{ 7*7 }} <b onclick=alert(1)>x</b>"
HOSTILE_EVIDENCE = "https://example.org/\"><img/src=x/onerror=alert('evidence')>"


def hostile_pages(store) -> list[str]:
    claims = store.claims(ClaimFilter(outlet=HOSTILE_OUTLET))
    assert len(claims) >= 3, "the extractor should find claims in the hostile article"
    document = claims[0]["document"]["id"]
    outlet = quote(HOSTILE_OUTLET, safe="")
    return [
        "/", f"/?outlet={outlet}", "/?q=onerror", "/documents", f"/documents/{document}",
        "/outlets", f"/outlets/{outlet}", *(f"/claims/{c['id']}" for c in claims),
        "/propositions", *(f"/propositions/{p}" for p in hostile_propositions(store)),
    ]


def hostile_propositions(store) -> list[str]:
    """The propositions holding a hostile claim, each judged with a hostile rationale and
    evidence link (recording it again adds nothing)."""
    claims = [c["id"] for c in store.claims(ClaimFilter(outlet=HOSTILE_OUTLET))]
    held = PropositionLedger(store).memberships(claims)
    found = sorted({m.proposition_id for ms in held.values() for m in ms})
    assert found, "a hostile claim should join a proposition (Kupyansk captured)"
    for pid in found:
        VerdictLedger(store).record(pid, "false", HOSTILE_RATIONALE, [HOSTILE_EVIDENCE],
                                    "ana<script>", datetime(2025, 11, 24, tzinfo=timezone.utc))
    return found


def test_the_hostile_article_yields_claims_that_carry_its_markup(store) -> None:
    claims = store.claims(ClaimFilter(outlet=HOSTILE_OUTLET))
    assert any("onerror=" in c["content"]["text"] for c in claims)
    assert any("javascript:" in c["content"]["text"] for c in claims)
    assert any("script" in c["speaker"]["name"] for c in claims)
    assert claims[0]["document"]["title"].startswith("<script>")


def test_hostile_text_is_escaped_on_every_page(client, store) -> None:
    for path in hostile_pages(store):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        page = html.fromstring(response.text)
        scripts = page.xpath("//script")
        assert [s.get("src") for s in scripts] == ["/static/desk.js"], path
        assert not page.xpath("//iframe | //img | //svg[@onload] | //b"), path
        handlers = [a for e in page.iter() if isinstance(e.tag, str)
                    for a in e.attrib if a.lower().startswith("on")]
        assert handlers == [], path
        links = page.xpath("//a/@href | //form/@action")
        assert not [h for h in links if h.strip().lower().startswith("javascript:")], path


@pytest.mark.parametrize("where", ["document", "claim", "outlet"])
def test_template_syntax_in_an_article_is_shown_not_evaluated(client, store, where) -> None:
    claim = next(c for c in store.claims(ClaimFilter(outlet=HOSTILE_OUTLET))
                 if "{{ 7*7 }}" in c["content"]["text"])
    path = {
        "document": f"/documents/{claim['document']['id']}",
        "claim": f"/claims/{claim['id']}",
        "outlet": f"/outlets/{quote(HOSTILE_OUTLET, safe='')}",
    }[where]
    text = html.fromstring(client.get(path).text).text_content()
    assert "Kupyansk {{ 7*7 }}" in text
    assert "Kupyansk 49" not in text


def test_a_javascript_url_is_shown_as_text_not_linked(client, store) -> None:
    claim = store.claims(ClaimFilter(outlet=HOSTILE_OUTLET))[0]
    for path in (f"/documents/{claim['document']['id']}", f"/claims/{claim['id']}"):
        page = html.fromstring(client.get(path).text)
        assert "javascript:alert('url')" in page.text_content()
        hrefs = page.xpath("//a/@href")
        assert not any(h.strip().lower().startswith("javascript") for h in hrefs)
        assert not any("url')" in h for h in hrefs)


def test_json_twins_return_hostile_text_as_json_strings(client, store) -> None:
    claim = store.claims(ClaimFilter(outlet=HOSTILE_OUTLET))[0]
    response = client.get(f"/api/v1/articles/{claim['document']['id']}")
    assert response.headers["content-type"] == "application/json"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.json()["document"]["title"].startswith("<script>alert('title')")


def test_a_hostile_verdict_is_shown_as_text_on_the_proposition_page(client, store) -> None:
    pid = hostile_propositions(store)[0]
    page = html.fromstring(client.get(f"/propositions/{pid}").text)
    history = page.xpath("string(//ol[@class='history'])")
    assert HOSTILE_RATIONALE in history and "ana<script>" in history
    # other tests judge propositions of this session-wide ledger too: look for this verdict's link
    assert HOSTILE_EVIDENCE in page.xpath("//ul[@class='evidence']//a/@href")
    assert not page.xpath("//ol[@class='history']//script | //ol[@class='history']//img")

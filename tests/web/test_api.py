"""``/api/v1``, the JSON twins, checked directly: filters, cursors, shapes, errors."""

from __future__ import annotations

import pytest
from lxml import html

from claimscope.store import ClaimFilter

CLAIM_KEYS = {
    "id", "document", "sentence", "speaker", "cue", "content", "relayed_via", "polarity",
    "certainty", "conditional", "hedges", "places", "dates", "entities",
    "checkworthiness", "independent_origins", "echo_ratio", "extractor",
}


def all_claims(client, **params) -> list[dict]:
    """Every page of /api/v1/claims, following next_cursor."""
    found, cursor = [], None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        response = client.get("/api/v1/claims", params=query)
        assert response.status_code == 200, response.text
        page = response.json()
        found += page["claims"]
        cursor = page["next_cursor"]
        if cursor is None:
            return found


def test_claims_have_the_ledgers_one_shape_and_count(client, store) -> None:
    page = client.get("/api/v1/claims").json()
    assert page["count"] == len(store.claims(ClaimFilter())) > 50
    for claim in page["claims"]:
        assert CLAIM_KEYS <= set(claim)


@pytest.mark.parametrize("sort", ["ledger", "checkworthiness"])
def test_cursor_pages_cover_every_claim_once_in_order(client, store, sort) -> None:
    walked = all_claims(client, limit=7, sort=sort)
    ids = [c["id"] for c in walked]
    assert len(ids) == len(set(ids)) == len(store.claims(ClaimFilter()))
    if sort == "ledger":
        assert ids == [c["id"] for c in store.claims(ClaimFilter())]
    else:
        scores = [c["checkworthiness"] for c in walked]
        assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize("sort, figure", [("independent-origins", "independent_origins"),
                                          ("echo-ratio", "echo_ratio")])
def test_the_ledger_sorts_by_its_propositions_figures_claims_in_none_last(
        client, store, sort, figure) -> None:
    walked = all_claims(client, limit=7, sort=sort)
    ids = [c["id"] for c in walked]
    assert len(ids) == len(set(ids)) == len(store.claims(ClaimFilter()))  # NULLs reached too
    values = [c[figure] for c in walked]
    known = [v for v in values if v is not None]
    assert known and known == sorted(known, reverse=True)
    assert values == known + [None] * (len(values) - len(known))
    page = client.get("/", params={"sort": sort})
    assert page.status_code == 200 and "▼" in page.text


@pytest.mark.parametrize("params, holds", [
    ({"speaker_kind": "vague"}, lambda c: c["speaker"]["kind"] == "vague"),
    ({"cue_class": "deny"}, lambda c: c["cue"]["class"] == "deny"),
    ({"hedged": "true"}, lambda c: c["hedges"] or c["certainty"] != "certain"),
    ({"hedged": "false"}, lambda c: not c["hedges"] and c["certainty"] == "certain"),
    ({"vague": "true"}, lambda c: c["speaker"]["kind"] in ("vague", "anonymous")),
    ({"vague": "false"}, lambda c: c["speaker"]["kind"] not in ("vague", "anonymous")),
    ({"place": "kupyansk"}, lambda c: any(p["name"] == "Kupyansk" for p in c["places"])),
    ({"place": "UA"}, lambda c: any(p["country"] == "UA" for p in c["places"])),
    ({"speaker": "putin"}, lambda c: "putin" in (c["speaker"]["name"] + " "
                                                 + (c["speaker"]["text"] or "")).lower()),
    ({"outlet": "kremlin"}, lambda c: c["document"]["outlet"].lower() == "kremlin"),
    ({"q": "Kupyansk"}, lambda c: "kupyansk" in (c["sentence"] + c["content"]["text"]).lower()),
    ({"q": "reinforc*"}, lambda c: "reinforc" in (c["sentence"] + c["content"]["text"]).lower()),
    ({"published_from": "2025-11-22", "published_to": "2025-11-22"},
     lambda c: c["document"]["published_at"].startswith("2025-11-22")),
])
def test_each_filter_keeps_only_matching_claims(client, params, holds) -> None:
    found = all_claims(client, **params, limit=500)
    assert found, params
    assert all(holds(c) for c in found), params
    everything = all_claims(client, limit=500)
    assert len(found) < len(everything)


@pytest.mark.parametrize("params", [
    {"speaker": "putin"}, {"place": "UA"}, {"q": "Kupyansk"}, {"place": "UA", "hedged": "false"},
    {"speaker": "zzz"}, {"hedged": "true"}, {},
])
def test_every_page_gives_the_count_of_every_match(client, params) -> None:
    """The first page of an id-list filter counts in the page's own pass; a cursor's page
    counts apart: both are the number of claims the pages hold together."""
    everything = all_claims(client, **params, limit=500)
    first = client.get("/api/v1/claims", params={**params, "limit": 2}).json()
    assert first["count"] == len(everything)
    if first["next_cursor"]:
        later = client.get("/api/v1/claims", params={
            **params, "limit": 2, "cursor": first["next_cursor"]}).json()
        assert later["count"] == len(everything)


@pytest.mark.parametrize("q", ['"', "NEAR(", "a OR", "*", "-", "x:y", "\x00", "ö" * 600])
def test_search_syntax_typed_by_a_user_is_never_an_error(client, q) -> None:
    response = client.get("/api/v1/claims", params={"q": q})
    assert response.status_code in (200, 422)


def test_blank_filters_are_not_set(client) -> None:
    blank = client.get("/api/v1/claims?speaker=&hedged=&published_from=&limit=5").json()
    assert blank["count"] == client.get("/api/v1/claims").json()["count"]
    assert blank["filters"] == {}


@pytest.mark.parametrize("cursor", ["nonsense", "WyJvdGhlciJd", "W10"])
def test_a_cursor_not_handed_out_is_a_400(client, cursor) -> None:
    response = client.get("/api/v1/claims", params={"cursor": cursor})
    assert response.status_code == 400
    assert "cursor" in response.json()["detail"]


def test_a_cursor_of_another_sort_order_is_a_400(client) -> None:
    cursor = client.get("/api/v1/claims?limit=2").json()["next_cursor"]
    response = client.get("/api/v1/claims", params={"cursor": cursor, "sort": "checkworthiness"})
    assert response.status_code == 400


def test_ledger_page_lists_the_claims_of_its_twin(client) -> None:
    query = {"speaker_kind": "government", "sort": "checkworthiness", "limit": 10}
    twin = client.get("/api/v1/claims", params=query).json()
    page = html.fromstring(client.get("/", params=query).text)
    assert page.xpath("//tr/@data-claim") == [c["id"] for c in twin["claims"]]
    assert f"{twin['count']} claims" in page.xpath("string(//p[@class='count'])")


def test_claim_twin_gives_the_passage_its_page_highlights(client, store) -> None:
    claim = next(c for c in store.claims(ClaimFilter(hedged=True)) if c["speaker"]["text"])
    view = client.get(f"/api/v1/claims/{claim['id']}").json()
    assert view["claim"] == claim
    document = client.get(f"/api/v1/articles/{claim['document']['id']}").json()["document"]
    context = view["context"]
    assert document["text"][context["start"]:context["end"]] == context["text"]
    page = html.fromstring(client.get(f"/claims/{claim['id']}").text)
    marked = lambda kind: "".join(  # noqa: E731
        page.xpath(f"//blockquote//mark[contains(concat(' ', @class, ' '), ' {kind} ')]/text()")
    )
    assert marked("speaker") == claim["speaker"]["text"]
    assert marked("content") == claim["content"]["text"]
    for hedge in claim["hedges"]:
        assert hedge["text"] in marked("hedge")


def test_document_twin_has_its_text_and_every_claim(client, store) -> None:
    claim = store.claims(ClaimFilter(limit=1))[0]
    view = client.get(f"/api/v1/articles/{claim['document']['id']}").json()
    ids = [c["id"] for c in view["claims"]]
    assert claim["id"] in ids
    page = html.fromstring(client.get(f"/documents/{claim['document']['id']}").text)
    marked = {i for ids in page.xpath("//article//a/@data-claims") for i in ids.split()}
    assert marked == set(ids)
    linked = {href.rsplit("/", 1)[1] for href in page.xpath("//article//a[@data-claims]/@href")}
    assert linked == set(ids)  # a piece links to its innermost claim: nested ones too
    assert page.xpath("string(//article)") == view["document"]["text"]


def test_articles_filter_by_search_and_outlet(client) -> None:
    found = client.get("/api/v1/articles", params={"q": "Kupyansk"}).json()
    assert found["articles"] and found["count"] < client.get("/api/v1/articles").json()["count"]
    kremlin = client.get("/api/v1/articles", params={"outlet": "Kremlin", "limit": 2}).json()
    assert {a["outlet"] for a in kremlin["articles"]} == {"Kremlin"}
    assert kremlin["next_cursor"] or kremlin["count"] <= 2


def test_outlet_twin_has_its_shares_and_its_claims(client) -> None:
    outlets = client.get("/api/v1/outlets").json()["outlets"]
    assert outlets and outlets == sorted(outlets, key=lambda o: -o["claims"])
    name = outlets[0]["name"]
    view = client.get(f"/api/v1/outlets/{name}").json()
    claims = all_claims(client, outlet=name, limit=500)
    assert view["outlet"]["claims"] == len(claims) == view["claims"]["count"]
    hedged = sum(1 for c in claims if c["hedges"] or c["certainty"] != "certain")
    assert view["outlet"]["hedged"] == hedged
    assert view["outlet"]["share_hedged"] == round(hedged / len(claims), 4)


@pytest.mark.parametrize("path", [
    "/api/v1/claims/0000000000000000", "/api/v1/articles/nope", "/api/v1/outlets/Nobody",
])
def test_unknown_items_are_404(client, path) -> None:
    response = client.get(path)
    assert response.status_code == 404 and response.json()["detail"].startswith("no such")


def test_openapi_document_describes_every_endpoint(client) -> None:
    document = client.get("/api/v1/openapi.json").json()
    assert set(document["paths"]) == {
        "/api/v1/claims", "/api/v1/claims/{claim_id}", "/api/v1/articles",
        "/api/v1/articles/{document_id}", "/api/v1/outlets", "/api/v1/outlets/{name}",
        "/api/v1/propositions", "/api/v1/propositions/{proposition_id}", "/api/v1/verdicts",
        "/api/v1/claimreview",
    }
    parameters = {p["name"] for p in document["paths"]["/api/v1/claims"]["get"]["parameters"]}
    assert {"speaker", "speaker_kind", "outlet", "cue_class", "hedged", "vague", "place",
            "published_from", "published_to", "q", "verdict", "sort", "cursor",
            "limit"} <= parameters


def test_no_page_loads_anything_from_elsewhere(client) -> None:
    page = html.fromstring(client.get("/").text)
    sources = page.xpath("//script/@src | //link/@href | //img/@src")
    assert sources and all(s.startswith("/static/") for s in sources)
    assert client.get("/docs").status_code == 404  # FastAPI's docs would load from a CDN


@pytest.mark.parametrize("query", ["published_from=not-a-day", "hedged=maybe", "limit=0",
                                   "speaker_kind=robot", "cursor=%00"])
def test_a_bad_filter_on_a_page_is_a_400_page_naming_it(client, query) -> None:
    response = client.get(f"/?{query}")
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/html")
    name = query.split("=")[0]
    assert name in html.fromstring(response.text).xpath("string(//p[@class='problem'])")

"""The verification desk over the real ledger: propositions, their page and JSON twin, the
timeline, setting verdicts (form with CSRF, API with a token; roles), the ledger's verdict
filter, and ClaimReview from the API.

The ledger is shared by the session, so each test judges its own proposition (picked by its
position in the list) and checks what it changed, never what another test left."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from lxml import html

from claimscope.corpus.verdicts import proposition_list
from claimscope.exchange.claimreview import problems
from claimscope.store.schema import VERDICTS
from claimscope.web import new_token
from tests.web.test_auth import form_token, log_in


def nth_proposition(store, n: int) -> dict:
    found = proposition_list(store, "claims", limit=500)["propositions"]
    assert len(found) > n, "the desk's ledger should hold enough propositions"
    return found[n]


@pytest.fixture(scope="module")
def analyst_token(store) -> str:
    return new_token(store, "ana", "verdict tests").secret


def page_of(client, path: str):
    response = client.get(path)
    assert response.status_code == 200, (path, response.text[:300])
    return html.fromstring(response.text)


@pytest.mark.parametrize("sort", ["independent-origins", "echo-ratio", "contradictions",
                                  "claims"])
def test_the_propositions_page_and_its_twin_list_the_same_in_the_same_order(client, sort):
    twin = client.get("/api/v1/propositions", params={"sort": sort}).json()
    page = page_of(client, f"/propositions?sort={sort}")
    assert page.xpath("//table[@class='propositions']//tr/@data-proposition") == [
        p["id"] for p in twin["propositions"]]
    key = {"independent-origins": "independent_origins", "echo-ratio": "echo_ratio",
           "contradictions": "contradictions", "claims": "claims"}[sort]
    values = [p[key] or 0 for p in twin["propositions"]]
    assert values == sorted(values, reverse=True) and twin["count"] > 3


def test_a_proposition_page_shows_its_claims_origins_and_timeline(client, store) -> None:
    chosen = nth_proposition(store, 0)
    twin = client.get(f"/api/v1/propositions/{chosen['id']}").json()
    page = page_of(client, f"/propositions/{chosen['id']}")
    members = twin["proposition"]["members"]
    assert page.xpath("//table[@class='claims']//tr/@data-claim") == [m["claim"] for m in members]
    assert len(page.xpath("//ol[@class='origins']/li")) == twin["proposition"][
        "independent_origins"]
    timeline = twin["timeline"]
    assert len(timeline["dated"]) + len(timeline["undated"]) == len(members)
    assert len(page.xpath("//svg[@class='timeline']//circle")) == len(timeline["dated"])
    undated = page.xpath("string(//p[@class='undated'])")
    assert ("Date unknown" in undated) == bool(timeline["undated"])
    dates = [e["published_at"] for e in timeline["dated"]]
    assert dates == sorted(dates)
    assert page.xpath("//a[@download]/@href") == [
        f"/api/v1/claimreview?proposition={chosen['id']}"]


def test_a_proposition_page_maps_the_places_its_claims_name(client, store) -> None:
    views = [client.get(f"/api/v1/propositions/{p['id']}").json()
             for p in proposition_list(store, limit=500)["propositions"]]
    mapped = [v for v in views if v["places"]]
    assert mapped and len(mapped) < len(views), "some propositions name places, some do not"
    view = max(mapped, key=lambda v: len(v["places"]))
    named: dict[str, set[str]] = {}
    for member in view["proposition"]["members"]:
        claim = client.get(f"/api/v1/claims/{member['claim']}").json()["claim"]
        content = claim["content"]
        for place in claim["places"]:
            if content["start"] <= place["start"] and place["end"] <= content["end"]:
                named.setdefault(place["name"], set()).add(member["claim"])
    assert {p["name"]: p["claims"] for p in view["places"]} == {n: len(c) for n, c in named.items()}
    page = page_of(client, f"/propositions/{view['proposition']['id']}")
    assert len(page.xpath("//svg[@class='map']//circle")) == len(
        {(p["name"], p["lat"], p["lon"]) for p in view["places"]})
    assert page.xpath("//p[@class='places']/a/text()") == [p["name"] for p in view["places"]]
    bare = next(v for v in views if not v["places"])
    page = page_of(client, f"/propositions/{bare['proposition']['id']}")
    assert not page.xpath("//svg[@class='map']")
    assert "No claim of this proposition names a place" in page.text_content()


def test_a_proposition_with_dated_claims_is_drawn_on_the_timeline(client, store) -> None:
    dated = [p for p in proposition_list(store, limit=500)["propositions"]
             if client.get(f"/api/v1/propositions/{p['id']}").json()["timeline"]["dated"]]
    assert dated, "the press releases are dated: some proposition has dated claims"
    page = page_of(client, f"/propositions/{dated[0]['id']}")
    labels = page.xpath("//svg[@class='timeline']//text[@class='ticklabel']/text()")
    assert labels and all(label[:2] == "20" for label in labels)


def test_an_analyst_sets_a_verdict_with_the_form_and_sees_it_in_the_history(client, store):
    chosen = nth_proposition(store, 1)
    path = f"/propositions/{quote(chosen['id'], safe='')}"
    assert log_in(client, "ana").status_code == 303
    before = len(client.get(f"/api/v1{path}").json()["history"])
    response = client.post(f"{path}/verdict", data={
        "verdict": "misleading", "rationale": "Old footage, relabelled.",
        "evidence": "https://example.org/archive\nhttps://example.org/geo",
        "csrf_token": form_token(client, path)}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].endswith("#history")
    page = page_of(client, path)
    first = page.xpath("//ol[@class='history']/li")[0]
    assert "misleading" in first.text_content() and "by ana" in first.text_content()
    assert first.xpath(".//ul[@class='evidence']//a/@href") == [
        "https://example.org/archive", "https://example.org/geo"]
    assert len(client.get(f"/api/v1{path}").json()["history"]) == before + 1


def test_the_form_refuses_a_missing_csrf_token_a_viewer_and_a_bad_link(client, store):
    chosen = nth_proposition(store, 2)
    path = f"/propositions/{quote(chosen['id'], safe='')}"
    data = {"verdict": "false", "rationale": "Denied."}
    assert log_in(client, "ana").status_code == 303
    assert client.post(f"{path}/verdict", data=data).status_code == 403
    bad = client.post(f"{path}/verdict", data={
        **data, "evidence": "javascript:alert(1)", "csrf_token": form_token(client, path)})
    assert bad.status_code == 400 and "http(s) URL" in bad.text
    assert log_in(client, "vic").status_code == 303
    assert not html.fromstring(client.get(path).text).xpath("//form[@class='verdict']")
    viewer = client.post(f"{path}/verdict",
                         data={**data, "csrf_token": form_token(client, path)})
    assert viewer.status_code == 403
    assert client.get(f"/api/v1{path}").json()["history"] == []


def test_the_api_sets_verdicts_with_an_analysts_token_only(client, store, token,
                                                           analyst_token) -> None:
    chosen = nth_proposition(store, 3)
    body = {"proposition_id": chosen["id"], "verdict": "unproven",
            "rationale": "One anonymous source.", "evidence": ["https://example.org/a"]}
    bearer = lambda t: {"Authorization": f"Bearer {t}"}
    assert client.post("/api/v1/verdicts", json=body).status_code == 401
    assert client.post("/api/v1/verdicts", json=body, headers=bearer(token)).status_code == 403
    assert log_in(client, "ana").status_code == 303  # a session does not write to the API
    assert client.post("/api/v1/verdicts", json=body).status_code == 401
    created = client.post("/api/v1/verdicts", json=body, headers=bearer(analyst_token))
    assert created.status_code == 201, created.text
    assert created.json()["judged_by"] == "ana" and created.json()["verdict"] == "unproven"
    bad = client.post("/api/v1/verdicts", headers=bearer(analyst_token),
                      json={**body, "evidence": ["ftp://example.org/x"]})
    assert bad.status_code == 422
    unknown = client.post("/api/v1/verdicts", headers=bearer(analyst_token),
                          json={**body, "proposition_id": "0000000000000000"})
    assert unknown.status_code == 404
    current = {v["proposition_id"]: v for v in client.get("/api/v1/verdicts").json()["verdicts"]}
    assert current[chosen["id"]]["verdict"] == "unproven"


def test_the_ledger_filters_claims_by_their_propositions_verdict(client, store,
                                                                 analyst_token) -> None:
    chosen = nth_proposition(store, 4)
    client.post("/api/v1/verdicts", headers={"Authorization": f"Bearer {analyst_token}"},
                json={"proposition_id": chosen["id"], "verdict": "unverifiable",
                      "rationale": "No access to the area."})
    judged = {v["proposition_id"] for v in client.get("/api/v1/verdicts").json()["verdicts"]
              if v["verdict"] == "unverifiable"}
    members = set()
    for pid in judged:
        members |= set(client.get(f"/api/v1/propositions/{pid}").json()["proposition"]["claims"])
    found = client.get("/api/v1/claims", params={"verdict": "unverifiable", "limit": 500}).json()
    assert {c["id"] for c in found["claims"]} == members and members
    page = page_of(client, "/?verdict=unverifiable")
    assert set(page.xpath("//table[@class='claims']//tr/@data-claim")) == members
    assert page.xpath("//select[@name='verdict']/option[@selected]/text()") == ["unverifiable"]


def test_a_claim_page_links_to_its_propositions(client, store) -> None:
    chosen = nth_proposition(store, 0)
    claim_id = client.get(f"/api/v1/propositions/{chosen['id']}").json()["proposition"][
        "claims"][0]
    twin = client.get(f"/api/v1/claims/{claim_id}").json()
    assert chosen["id"] in [p["id"] for p in twin["propositions"]]
    page = page_of(client, f"/claims/{claim_id}")
    assert f"/propositions/{chosen['id']}" in page.xpath("//ul[@class='propositions']//a/@href")


def test_an_outlet_page_shows_its_verdict_record(client, store, analyst_token) -> None:
    outlet = next(o["name"] for o in client.get("/api/v1/outlets").json()["outlets"]
                  if client.get(f"/api/v1/outlets/{quote(o['name'], safe='')}").json()[
                      "verdicts"]["propositions"])
    path = f"/outlets/{quote(outlet, safe='')}"
    record = client.get(f"/api/v1{path}").json()["verdicts"]
    claims = client.get("/api/v1/claims", params={"outlet": outlet, "limit": 500}).json()
    assert record["propositions"] > 0 and claims["count"] > 0
    text = page_of(client, path).xpath("string(//p[@class='verdict-record'])")
    assert "Verdict record" in text and str(record["propositions"]) in text
    assert sum(record["by_verdict"].values()) == record["judged"]


def test_claimreview_from_the_api_is_complete_for_every_verdict(client, store,
                                                                analyst_token) -> None:
    chosen = nth_proposition(store, 5)
    client.post("/api/v1/verdicts", headers={"Authorization": f"Bearer {analyst_token}"},
                json={"proposition_id": chosen["id"], "verdict": "true",
                      "rationale": "Confirmed by both sides."})
    reviews = client.get("/api/v1/claimreview").json()
    judged = client.get("/api/v1/verdicts").json()["verdicts"]
    assert len(reviews) == len(judged)
    for review in reviews:
        assert problems(review) == []
        assert review["reviewRating"]["alternateName"] in VERDICTS
    one = client.get("/api/v1/claimreview", params={"proposition": chosen["id"]}).json()
    assert [r["identifier"] for r in one] == [f"claimscope:proposition:{chosen['id']}"]
    assert one[0]["claimReviewed"] == chosen["statement"]


def test_an_unknown_proposition_is_404_on_page_twin_and_form(client) -> None:
    assert client.get("/propositions/nope").status_code == 404
    assert client.get("/api/v1/propositions/nope").status_code == 404
    assert log_in(client, "ana").status_code == 303
    response = client.post("/propositions/nope/verdict", data={
        "verdict": "false", "rationale": "x", "csrf_token": form_token(client, "/")})
    assert response.status_code == 404

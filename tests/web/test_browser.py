"""What a person does, in Debian's Chromium against the real server: open the ledger, filter,
open a claim, log in; and every page showing the hostile article runs nothing of it.
Screenshots of each page go to test-output/screenshots/."""

from __future__ import annotations

from urllib.parse import quote

from claimscope.store import ClaimFilter
from tests.web.conftest import PASSWORDS
from tests.web.test_hostile import HOSTILE_OUTLET, hostile_pages


def test_ledger_filter_claim_and_login(server, page, screenshots) -> None:
    response = page.goto(f"{server}/")
    assert response.status == 200 and "content-security-policy" in response.headers
    assert page.locator("table.claims tbody tr").count() > 10
    page.screenshot(path=screenshots / "ledger.png", full_page=False)

    # Filter: the speaker-kind choice applies at once (the package's own script).
    with page.expect_navigation():
        page.select_option("select[name=speaker_kind]", "vague")
    assert "speaker_kind=vague" in page.url
    kinds = page.locator("table.claims tbody tr td.speaker .kind").all_inner_texts()
    assert kinds and set(kinds) == {"vague"}
    page.fill("input[name=q]", "Kupyansk")
    with page.expect_navigation():
        page.click("form.filters button[type=submit]")
    assert "q=Kupyansk" in page.url and "speaker_kind=vague" in page.url
    page.screenshot(path=screenshots / "ledger-filtered.png")

    # Sort by check-worthiness, then open the top claim.
    page.goto(f"{server}/")
    page.click("th a:has-text('Check')")
    assert "sort=checkworthiness" in page.url
    page.locator("table.claims tbody tr td.content a").first.click()
    page.wait_for_url("**/claims/**")
    assert page.locator("blockquote.passage mark.content").count() >= 1
    page.screenshot(path=screenshots / "claim.png", full_page=True)

    # Its document, and its outlet.
    page.locator("p.source a").first.click()
    page.wait_for_url("**/documents/**")
    assert page.locator("article.text a.mark").count() >= 1
    page.screenshot(path=screenshots / "document.png", full_page=False)
    page.goto(f"{server}/outlets")
    page.screenshot(path=screenshots / "outlets.png")
    page.locator("table a").first.click()
    page.wait_for_url("**/outlets/**")
    page.screenshot(path=screenshots / "outlet.png")

    # Log in and out.
    page.click("header a:has-text('Log in')")
    page.screenshot(path=screenshots / "login.png")
    page.fill("input[name=name]", "ana")
    page.fill("input[name=password]", PASSWORDS["ana"])
    page.click("form.login button[type=submit]")
    page.wait_for_url("**/outlets/**")  # back where we were
    assert page.locator("header .user").inner_text().startswith("ana")
    with page.expect_navigation():  # the form posts, then the server redirects
        page.click("header button:has-text('Log out')")
    assert page.locator("header a:has-text('Log in')").count() == 1
    assert page.troubles == []


def test_claim_page_with_places_shows_the_map(server, page, store, screenshots) -> None:
    distinct = lambda c: {(p["name"], p["lat"], p["lon"]) for p in c["places"]}  # noqa: E731
    claim = max(store.claims(ClaimFilter()), key=lambda c: len(distinct(c)))
    assert distinct(claim)
    page.goto(f"{server}/claims/{claim['id']}")
    assert page.locator("svg.map circle.point").count() == len(distinct(claim))
    page.locator("svg.map").screenshot(path=screenshots / "claim-map.png")
    assert page.troubles == []


def test_no_hostile_script_runs_on_any_page(server, page, store, screenshots) -> None:
    paths = hostile_pages(store)
    for path in paths:
        response = page.goto(f"{server}{path}")
        assert response.status == 200, path
        assert response.headers.get("content-security-policy", "").startswith("default-src")
        page.mouse.move(300, 300)
        for mark in page.locator("a.mark").all()[:5]:  # hover what the article's markup wraps
            mark.hover()
        assert page.evaluate("() => typeof window.alert") == "function"
    page.goto(f"{server}/outlets/{quote(HOSTILE_OUTLET, safe='')}")
    page.screenshot(path=screenshots / "hostile-outlet.png")
    claims = store.claims(ClaimFilter(outlet=HOSTILE_OUTLET))
    page.goto(f"{server}/documents/{claims[0]['document']['id']}")
    page.screenshot(path=screenshots / "hostile-document.png")
    page.goto(f"{server}/claims/{claims[0]['id']}")
    page.screenshot(path=screenshots / "hostile-claim.png")
    assert page.troubles == [], page.troubles

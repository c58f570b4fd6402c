"""What an analyst does at the desk, in Debian's Chromium against the real server: log in,
open a proposition from the list, set its verdict, see it in the history, export ClaimReview.
Screenshots of each page go to test-output/screenshots/."""

from __future__ import annotations

import json

from claimscope.corpus.verdicts import proposition_list, proposition_view
from claimscope.exchange.claimreview import problems
from tests.web.conftest import PASSWORDS


def test_log_in_judge_a_proposition_see_the_history_export_claimreview(
        server, page, screenshots, tmp_path) -> None:
    page.goto(f"{server}/login?next=/propositions")
    page.fill("input[name=name]", "ana")
    page.fill("input[name=password]", PASSWORDS["ana"])
    page.click("form.login button[type=submit]")
    page.wait_for_url("**/propositions")
    rows = page.locator("table.propositions tbody tr")
    assert rows.count() > 3
    page.screenshot(path=screenshots / "propositions.png", full_page=True)

    # The proposition with the most claims, chosen from the list sorted by claims.
    page.click("th a:has-text('Claims')")
    page.wait_for_url("**sort=claims**")
    statement = rows.first.locator("td.content a").inner_text()
    rows.first.locator("td.content a").click()
    page.wait_for_url("**/propositions/**")
    assert page.locator("h1.statement").inner_text() == statement
    assert page.locator("table.claims tbody tr").count() >= 2
    page.screenshot(path=screenshots / "proposition.png", full_page=True)

    page.select_option("form.verdict select[name=verdict]", "misleading")
    page.fill("form.verdict textarea[name=rationale]", "The footage predates the claim.")
    page.fill("form.verdict textarea[name=evidence]", "https://example.org/archive")
    with page.expect_navigation():
        page.click("form.verdict button[type=submit]")
    assert page.url.endswith("#history")
    latest = page.locator("ol.history > li").first
    assert "misleading" in latest.inner_text() and "by ana" in latest.inner_text()
    assert latest.locator("ul.evidence a").get_attribute("href") == "https://example.org/archive"
    page.locator("#history").scroll_into_view_if_needed()
    page.screenshot(path=screenshots / "proposition-judged.png", full_page=True)

    with page.expect_download() as download:
        page.click("a.download")
    saved = tmp_path / "claimreview.json"
    download.value.save_as(saved)
    (review,) = json.loads(saved.read_text())
    assert problems(review) == [] and review["claimReviewed"] == statement
    assert review["reviewRating"]["alternateName"] == "misleading"
    assert page.troubles == [], page.troubles


def test_the_timeline_is_drawn_without_any_script(server, page, store, screenshots) -> None:
    dated = next(p["id"] for p in proposition_list(store, limit=500)["propositions"]
                 if len(proposition_view(store, p["id"])["timeline"]["dated"]) >= 2)
    page.goto(f"{server}/propositions/{dated}")
    assert page.locator("svg.timeline circle.point").count() >= 2
    page.locator("svg.timeline").screenshot(path=screenshots / "timeline.png")
    assert page.troubles == [], page.troubles

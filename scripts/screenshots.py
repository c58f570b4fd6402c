"""Regenerate the README's screenshots: docs/screenshots/ledger.png and proposition.png.

    .venv/bin/python scripts/screenshots.py

Analyses the shipped examples (the seed reports and the press releases) into a temporary
ledger exactly as `claimscope analyze examples/seeds examples/press-releases` does, records
one verdict on the proposition with the most contradictions (as a demo analyst, so the
page shows a verdict and its history), serves the desk on a free loopback port and takes the
screenshots in Debian's Chromium (scripts/install-test-browser.sh installs it).
"""

from __future__ import annotations

import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import uvicorn
from playwright.sync_api import sync_playwright

from claimscope.corpus.verdicts import proposition_list, set_verdict
from claimscope.store import open_store, resolve_database_url
from claimscope.web import add_user, create_app

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
VIEWPORT = {"width": 1280, "height": 900}
DEMO_RATIONALE = ("Demo verdict for the screenshot: asserted by one side's officials and "
                  "disputed by others; no independent confirmation in these documents.")


def analyse(db: Path) -> None:
    command = [str(Path(sys.executable).with_name("claimscope")), "analyze",
               str(ROOT / "examples" / "seeds"), str(ROOT / "examples" / "press-releases"),
               "--db", str(db)]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)


def judge(store) -> str:
    """The proposition shown: the one with the most contradictions, judged once."""
    analyst = add_user(store, "demo-analyst", "analyst", "demo-analyst-password")
    chosen = proposition_list(store, "contradictions", limit=1)["propositions"][0]
    set_verdict(store, chosen["id"], "unproven", DEMO_RATIONALE,
                ["https://example.org/evidence"], analyst)
    return chosen["id"]


def serve(app) -> tuple[uvicorn.Server, str]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return server, f"http://127.0.0.1:{sock.getsockname()[1]}"


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "examples.db"
        analyse(db)
        with open_store(resolve_database_url(str(db))) as store:
            proposition = judge(store)
            server, base = serve(create_app(store))
            try:
                with sync_playwright() as playwright:
                    browser = playwright.chromium.launch(
                        executable_path=CHROMIUM, headless=True,
                        args=["--no-sandbox", "--disable-gpu", "--no-first-run"])
                    page = browser.new_page(viewport=VIEWPORT)
                    page.goto(f"{base}/?sort=checkworthiness")
                    page.screenshot(path=OUT / "ledger.png")
                    page.goto(f"{base}/propositions/{proposition}")
                    page.screenshot(path=OUT / "proposition.png", full_page=True)
                    browser.close()
            finally:
                server.should_exit = True
    print(f"wrote {OUT / 'ledger.png'} and {OUT / 'proposition.png'}")


if __name__ == "__main__":
    main()

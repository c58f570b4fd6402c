"""The web desk under test: one SQLite ledger analysed by the real extractor from the seed
reports, the shipped press releases and a hostile article, linked into copies and
propositions by the real linker; the real app over it (TestClient),
the real server (uvicorn on a free loopback port) and Debian's Chromium driven by Playwright.

Chromium comes from Debian (``scripts/install-test-browser.sh``, run here when
/usr/bin/chromium is missing); Playwright never downloads a browser of its own.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest
import uvicorn
from fastapi.testclient import TestClient

from claimscope.analyze import analyze
from claimscope.corpus import LinkSettings, link_copies
from claimscope.corpus.propositions import link_propositions
from claimscope.ingest import ReadOptions
from claimscope.store import open_store, resolve_database_url
from claimscope.web import add_user, create_app, new_token

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = Path(__file__).parent / "data" / "hostile.txt"
PRESS_RELEASES = ROOT / "examples" / "press-releases"
SCREENSHOTS = ROOT / "test-output" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
PASSWORDS = {"ada": "admin-pass-1", "ana": "analyst-pass-1", "vic": "viewer-pass-1"}
ROLES = {"ada": "admin", "ana": "analyst", "vic": "viewer"}


@pytest.fixture(scope="session")
def desk_db(tmp_path_factory, extractor, seed_paths) -> str:
    """The ledger's URL: seeds, press releases and the hostile article, plus three users."""
    folder = tmp_path_factory.mktemp("desk")
    articles = folder / "articles"
    articles.mkdir()
    for path in [*seed_paths, HOSTILE, *PRESS_RELEASES.glob("*.csv")]:
        shutil.copyfile(path, articles / path.name)
    url = resolve_database_url(str(folder / "desk.db"))
    with open_store(url) as store:
        report = analyze([articles], store, extractor, ReadOptions())
        assert not report.failures, report.failures
        link_copies(store, LinkSettings())  # copy links and propositions, as `analyze` does
        assert link_propositions(store).propositions > 0
        for name, role in ROLES.items():
            add_user(store, name, role, PASSWORDS[name])
    return url


@pytest.fixture(scope="session")
def store(desk_db):
    opened = open_store(desk_db)
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def token(store) -> str:
    return new_token(store, "vic", "tests").secret


@pytest.fixture
def client(store) -> TestClient:
    """The desk as served on the loopback: no login needed to read."""
    with TestClient(create_app(store)) as test_client:
        yield test_client


@pytest.fixture
def locked_client(store) -> TestClient:
    """The desk as served beyond the loopback: login (or a token) for everything."""
    with TestClient(create_app(store, require_login=True)) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def server(store) -> str:
    """The real server (uvicorn) on a free loopback port; its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(create_app(store), log_level="warning", server_header=False)
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not running.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    running.should_exit = True
    thread.join(timeout=10)
    sock.close()


def _ensure_chromium() -> None:
    if CHROMIUM.exists():
        return
    if os.geteuid() != 0:
        pytest.skip("/usr/bin/chromium is missing; install it as root: apt-get install chromium")
    script = ROOT / "scripts" / "install-test-browser.sh"
    done = subprocess.run(["bash", str(script)], capture_output=True, text=True, timeout=900)
    assert done.returncode == 0 and CHROMIUM.exists(), (
        f"installing Chromium failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
    )


@pytest.fixture(scope="session")
def browser():
    _ensure_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    """A fresh browser context and page, recording dialogs, console errors and page errors."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    opened.troubles = []
    opened.on("dialog", lambda dialog: (opened.troubles.append(f"dialog: {dialog.message}"),
                                        dialog.dismiss()))
    opened.on("console", lambda message: message.type == "error"
              and opened.troubles.append(f"console: {message.text}"))
    opened.on("pageerror", lambda error: opened.troubles.append(f"page error: {error}"))
    opened.on("response", lambda response: response.status >= 400
              and opened.troubles.append(f"{response.status}: {response.url}"))
    yield opened
    context.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS

"""``claimscope serve`` itself: started as a user would, it answers on the loopback."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from claimscope.web.app import CONTENT_SECURITY_POLICY


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_answers_on_the_loopback_with_its_headers(desk_db: str) -> None:
    port = free_port()
    claimscope = Path(sys.executable).parent / "claimscope"  # the installed console script
    command = [str(claimscope), "serve", "--db", desk_db, "--port", str(port)]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/outlets", timeout=2) as r:
                    assert r.status == 200
                    assert r.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
                    assert "Server" not in r.headers
                    assert b"Kremlin" in r.read()
                    break
            except OSError:
                assert server.poll() is None, server.stdout.read()
                assert time.monotonic() < deadline, "claimscope serve did not answer"
                time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(timeout=15)

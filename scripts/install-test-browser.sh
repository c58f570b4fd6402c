#!/usr/bin/env bash
# Debian's Chromium for the web desk's browser tests (tests/web): Playwright drives it through
# executable_path=/usr/bin/chromium; no browser is ever downloaded by Playwright itself.
# Called by tests/web/conftest.py when /usr/bin/chromium is missing; needs root (as CI runs).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "install-test-browser: /usr/bin/chromium is missing; run as root: apt-get install -y chromium" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends chromium fonts-dejavu-core

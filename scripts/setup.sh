#!/usr/bin/env bash
# Create .venv in the repo root and install the project with its test extras.
# Re-running is cheap: it reinstalls only when pyproject.toml changed.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
stamp=.venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)
if [ ! -f "$stamp" ]; then
    # The stock pip (23.x) mis-resolves lxml extras (trafilatura + readability-lxml): upgrade first.
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -e '.[test]'
    rm -f .venv/.installed-*
    touch "$stamp"
fi
# The names stage's compiled gazetteer index (offline, about a minute once; then only when the
# data or the matcher's code changed), so that a first crawl or test does not build it.
.venv/bin/python -m normalise build-gazetteer --if-stale
# Headless browser for the review app's browser tests: Debian's chromium and its driver (the
# browser downloads of Selenium/Playwright need the network). Only as root and only when missing;
# without apt the set-up still succeeds and those tests skip, saying why.
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; } \
            >/dev/null 2>&1 || echo "setup: could not install chromium with apt-get; browser tests will skip" >&2
    else
        echo "setup: chromium/chromedriver not installed (needs root and apt-get); browser tests will skip" >&2
    fi
fi

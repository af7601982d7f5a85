#!/usr/bin/env bash
# README command 1: install, then crawl the bundled offline demo site into data/news.sqlite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/scrapy crawl news -a source=demo "$@"

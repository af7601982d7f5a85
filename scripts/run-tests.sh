#!/usr/bin/env bash
# README command 2 (and CI): install, lint (ruff), type-check (mypy), then run the whole test suite.
# Lint and type findings fail the run, but only after the tests ran, so one report shows everything.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || exit 1
status=0
echo "== ruff check" >&2
.venv/bin/ruff check . || status=1
echo "== mypy" >&2
.venv/bin/mypy || status=1
echo "== pytest" >&2
.venv/bin/python -m pytest -q -p no:cacheprovider "$@" || status=$?
exit "$status"

#!/usr/bin/env bash
# Set up (if needed) and run every check: the linter (ruff, zero findings), then every test — unit,
# property-based, doctests, the notebook, PostgreSQL and browser end-to-end. Arguments go to pytest:
#   bash scripts/test.sh -m "not browser and not postgres and not slow"    the fast unit tests
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
.venv/bin/ruff check --quiet .
exec .venv/bin/python -m pytest "$@"

#!/usr/bin/env bash
# Set up (if needed) and run every test: unit, property-based, doctests, notebook, browser end-to-end.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python -m pytest "$@"

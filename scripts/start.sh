#!/usr/bin/env bash
# Set up (if needed) and start the dashboard on the embedded default store.
# An empty store gets the bundled demo data first. Open http://127.0.0.1:8050/ (LAGESBILD_PORT).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh runtime
exec .venv/bin/python app.py "$@"

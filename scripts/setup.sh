#!/usr/bin/env bash
# Set up everything lagesbild needs on a fresh Debian machine with Python 3.11:
# system packages through apt (where missing), a virtual environment in .venv, the locked Python packages
# and lagesbild itself (editable). Idempotent: a second run only checks.
#
#   bash scripts/setup.sh            runtime only (requirements/runtime.lock): what scripts/start.sh needs
#   bash scripts/setup.sh test       runtime + tests + linter (requirements/test.lock): scripts/test.sh
#
# System packages: chromium + chromium-driver (chart export, browser tests), poppler-utils (pdftoppm in
# export tests), fonts-dejavu-core (DejaVu Sans: the one font pages, figures and text measurements use),
# postgresql (test-only: the PostgreSQL tests start a throwaway server).
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-runtime}
case "$mode" in
  runtime) lock=requirements/runtime.lock ;;
  test) lock=requirements/test.lock ;;
  *) echo "Okänt läge '$mode': använd 'runtime' eller 'test'." >&2; exit 2 ;;
esac

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need_apt+=(chromium-driver)
command -v fc-match >/dev/null 2>&1 || need_apt+=(fontconfig)
# DejaVu Sans: the one font of pages and charts; text widths are measured in it (figures/fit.py)
{ [ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] && [ -e /usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf ]; } || need_apt+=(fonts-dejavu-core)
if [ "$mode" = test ]; then
  command -v pdftoppm >/dev/null 2>&1 || need_apt+=(poppler-utils)
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_apt+=(postgresql)
fi
PY=${PYTHON:-python3}
# Debian's python3 cannot make a virtual environment without python3-venv (ensurepip), which a fresh
# machine lacks: "python3 -m venv" stops with "ensurepip is not available"
if [ ! -x .venv/bin/python ] && ! "$PY" -c "import ensurepip, venv" >/dev/null 2>&1; then
  need_apt+=(python3-venv)
fi
if [ "${LAGESBILD_SETUP_LIST:-}" = 1 ]; then  # only say which system packages would be installed
  echo "${need_apt[*]}"
  exit 0
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "Installerar systempaket: ${need_apt[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then  # a fresh Debian without sudo: say what to do as root
      echo "Fel: systempaketen ${need_apt[*]} saknas och bara root kan installera dem (sudo finns inte)." >&2
      echo "Kör som root: apt-get install --no-install-recommends ${need_apt[*]}" >&2
      echo "och kör sedan $0 igen." >&2
      exit 2
    fi
    SUDO="sudo"
  fi
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${need_apt[@]}"
fi

if [ ! -x .venv/bin/python ]; then
  echo "Skapar virtuell miljö i .venv"
  "$PY" -m venv .venv
fi
stamp=.venv/.lock.sha256
want="$(sha256sum "$lock" pyproject.toml | sha256sum | cut -d' ' -f1)"
have="$(cat "$stamp" 2>/dev/null || true)"
test_stamp="$(sha256sum requirements/test.lock pyproject.toml | sha256sum | cut -d' ' -f1)"
# The test environment includes the runtime one: after `setup.sh test`, `setup.sh` has nothing to do.
if [ "$have" != "$want" ] && { [ "$mode" = test ] || [ "$have" != "$test_stamp" ]; }; then
  echo "Installerar Python-paket ($lock)"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -r "$lock"
  .venv/bin/python -m pip install -q --no-deps -e .
  echo "$want" > "$stamp"
fi

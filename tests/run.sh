#!/usr/bin/env bash
# The full test suite from a fresh clone: install trustnet with its test and visualisation
# extras, the browser the browser tests drive, and the visualisation's offline assets.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash .ci/bootstrap viz,dev

if ! command -v chromium >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "Installing Chromium for the browser tests"
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "Chromium is not installed (apt-get install chromium): the browser tests will be skipped."
  fi
fi
.venv/bin/python -m trustnet.viz.assets || echo "The visualisation's browser assets could not be prepared (is npm installed?)."

.venv/bin/python -m pytest "$@"

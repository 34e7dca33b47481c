#!/usr/bin/env bash
# The main job: install if needed, run the showcase comparison of governance modes and
# coordinator styles, and draw its figures. Results land in results/showcase/.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash .ci/bootstrap
out="${1:-results/showcase}"
.venv/bin/trustnet sweep experiments/showcase.toml --out "$out" --resume
.venv/bin/trustnet plot "$out"
echo
echo "Results and figures are in $out/ (runs table, manifest.json, figures/)."

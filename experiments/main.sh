#!/usr/bin/env bash
# The main job: install if needed, show one run of the Swedish case, then run the showcase
# comparison of governance modes and coordinator styles and draw its figures.
# Results land in results/ (or the folder given as the first argument).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash .ci/bootstrap viz,notebooks,discover   # the browser view, notebooks, discovery too
base="${1:-results}"
mkdir -p "$base"
.venv/bin/trustnet run --scenario swedish_eldercare --steps 60 \
  --out "$base/swedish_eldercare.parquet" --plot "$base/swedish_eldercare.png"
echo
.venv/bin/trustnet sweep experiments/showcase.toml --out "$base/showcase" --resume
.venv/bin/trustnet plot "$base/showcase"
echo
.venv/bin/trustnet compare "$base/showcase" --baseline "NAO, adaptive" \
  --outcomes mean_trust,output,success_rate,active_members
.venv/bin/trustnet report "$base/showcase" --baseline "NAO, adaptive" \
  --outcomes mean_trust,output,success_rate,active_members,attendance_mean,inclusion_gap_mean
echo
# the browser view's files come from the npm registry once; without npm it says how to get them
.venv/bin/python -m trustnet.viz.assets >/dev/null 2>&1 ||
  echo "(the browser view needs Node.js/npm once for its page files: install it, then run" \
       ".venv/bin/python -m trustnet.viz.assets)"
echo
echo "One run of the Swedish case: $base/swedish_eldercare.parquet and .png"
echo "The showcase comparison: $base/showcase/ (runs table, manifest.json, figures/,"
echo "  compare/: every arm against the NAO in its adaptive style, flagged by size;"
echo "  report/report.html: all of it on one page)"
echo
echo "Explore next:"
echo "  .venv/bin/trustnet viz                 the browser view (http://127.0.0.1:8765/)"
echo "  .venv/bin/jupyter lab notebooks/       the notebooks"

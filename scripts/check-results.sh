#!/usr/bin/env bash
# Reruns committed experiments from their configs and compares the rows with the committed ones:
# for each EXPERIMENT, `unlearn reproduce <it> --config results/<it>/config.json`, then
# scripts/compare-runs.sh --relative 1e-6 (timing columns aside; other machines' BLAS kernels round
# differently in the last bits, so numbers are compared to 1e-6 relative, not bit for bit).
# Exit 0 when all match, 1 otherwise. Uses the debug binary unless UNLEARN is set.
#   scripts/check-results.sh linear-dimension mixture      # what CI runs (the two fastest)
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -gt 0 ] || { echo "usage: $0 EXPERIMENT..." >&2; exit 64; }
bin="${UNLEARN:-.build/debug/unlearn}"
[ -x "$bin" ] || { echo "error: $bin not built (swift build, or set UNLEARN)" >&2; exit 1; }
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
mkdir -p "$work/committed" "$work/rerun"
for e in "$@"; do
  [ -f "results/$e/config.json" ] || { echo "error: results/$e/config.json is not committed" >&2; exit 64; }
  name=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['experiment'])" "results/$e/config.json")
  start=$(date +%s)
  "$bin" reproduce "$name" --config "results/$e/config.json" --out "$work/rerun/$e" >/dev/null
  echo "$e: rerun from results/$e/config.json in $(( $(date +%s) - start )) s"
  ln -s "$PWD/results/$e" "$work/committed/$e"
done
scripts/compare-runs.sh --relative 1e-6 "$work/committed" "$work/rerun"

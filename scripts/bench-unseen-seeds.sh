#!/usr/bin/env bash
# The acceptance measurement of stored multipliers on data the code was not tuned on: for each seed, the
# demo's setting (isotropic m = 20, d = 1000; two-layer n = 100, tolerance 5e-3), `unlearn train`, then
# `unlearn forget --certify retrained --json` of one seeded example from the stored multipliers. Prints one
# TSV row per seed: seed, forgotten example, multipliers_source, seconds (the median of the step's warm runs), cold_seconds
# (its first run in the fresh process), fingerprint_seconds, retrain_seconds, speedup_over_retrain (retrain / seconds),
# cold_speedup (retrain / cold_seconds).
# Usage: scripts/bench-unseen-seeds.sh [FIRST_SEED] [LAST_SEED]   (default 1 20)
#        M=100 MAX_ITERATIONS=100000 scripts/bench-unseen-seeds.sh 1 10   (the same at another m; D, WIDTH too)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="$root/.build/release/unlearn"
[ -x "$bin" ] || { echo "error: build the release binary first (make build)" >&2; exit 1; }
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
m="${M:-20}"; d="${D:-1000}"; width="${WIDTH:-100}"; iterations="${MAX_ITERATIONS:-40000}"
printf 'seed\tforget\tmultipliers_source\tseconds\tcold_seconds\tfingerprint_seconds\tretrain_seconds\tspeedup_over_retrain\tcold_speedup\n'
for seed in $(seq "${1:-1}" "${2:-20}"); do
  "$bin" make-data --setting isotropic --m "$m" --d "$d" --seed "$seed" --out "$work/d" --force >/dev/null
  "$bin" train --x "$work/d.x.npy" --y "$work/d.y.npy" --model two-layer --width "$width" --tolerance 5e-3 \
    --audit-interval 200 --max-iterations "$iterations" --seed "$seed" --out "$work/m.safetensors" --force >/dev/null
  r=$(( seed * 7 % m ))
  "$bin" forget --model "$work/m.safetensors" --x "$work/d.x.npy" --y "$work/d.y.npy" --forget "$r" --certify retrained \
    --out "$work/u.safetensors" --force --json \
  | python3 -c "import json,sys; j=json.load(sys.stdin); print('\t'.join(str(v) for v in [$seed, $r, j['multipliers_source'], j['seconds'], j['cold_seconds'], j['fingerprint_seconds'], j['retrain_seconds'], j['speedup_over_retrain'], j['retrain_seconds'] / j['cold_seconds']]))"
done

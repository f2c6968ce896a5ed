#!/usr/bin/env bash
# Runs every reproduction with its default settings (release build), times it, and renders
# docs/RESULTS.md from the committed results (`unlearn report results --markdown …`; its figures are
# results/<experiment>/figure.svg).
#   scripts/make-results.sh                 # all experiments
#   scripts/make-results.sh step-size mixture
set -euo pipefail
cd "$(dirname "$0")/.."
make build >/dev/null
bin=.build/release/unlearn
# Each entry: output folder name, then the reproduce arguments.
runs=(
  "step-size|step-size"
  "step-size-tight|step-size --kappas 0.03 --tolerance 1e-4 --max-iterations 2000000"
  "linear-dimension|linear-dimension"
  "two-layer-dimension|two-layer-dimension"
  "correlation|correlation"
  "mixture|mixture"
  "mixture-hard|mixture --mean-norm 0.05"
  "mixture-bayes15|mixture --mean-norm 0.0328"
  "forget-set-size|forget-set-size"
  "depth|depth"
  "depth-hard|depth --mean-norm 0.12"
  "recovery|recovery"
  "privacy|privacy"
  "real-data|real-data"
  "sequential|sequential"
  "scaling|scaling"
)
if [ $# -gt 0 ]; then
  selected=()
  for r in "${runs[@]}"; do for e in "$@"; do [ "${r%%|*}" = "$e" ] && selected+=("$r"); done; done
  runs=("${selected[@]}")
fi
mkdir -p results
# ASSEMBLE_ONLY=1 rebuilds docs/RESULTS.md from the existing results/ without rerunning.
[ "${ASSEMBLE_ONLY:-0}" = 1 ] && runs=()
for r in "${runs[@]}"; do
  e=${r%%|*}
  read -r -a args <<< "${r#*|}"
  start=$(date +%s.%N)
  "$bin" reproduce "${args[@]}" --force --out "results/$e" >/dev/null
  echo "unlearn reproduce ${args[*]}" > "results/$e/command.txt"
  end=$(date +%s.%N)
  printf '%.0f\n' "$(echo "$end - $start" | bc)" > "results/$e/wall-seconds.txt"
done
"$bin" report results --markdown docs/RESULTS.md --notes docs/results-notes.md >/dev/null
echo "wrote results/<experiment>/ and docs/RESULTS.md"

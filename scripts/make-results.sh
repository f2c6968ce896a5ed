#!/usr/bin/env bash
# Runs every reproduction with its default settings (release build), times it,
# and assembles docs/RESULTS.md from the summaries, with the figures copied to
# docs/figures/ and the report at docs/report.html.
#   scripts/make-results.sh                 # all experiments
#   scripts/make-results.sh step-size mixture
set -euo pipefail
cd "$(dirname "$0")/.."
make build >/dev/null
bin=.build/release/unlearn
# Each entry: output folder name, then the reproduce arguments.
runs=(
  "step-size|step-size"
  "linear-dimension|linear-dimension"
  "two-layer-dimension|two-layer-dimension"
  "correlation|correlation"
  "mixture|mixture"
  "mixture-hard|mixture --mean-norm 0.05"
  "forget-set-size|forget-set-size"
  "depth|depth"
  "depth-hard|depth --mean-norm 0.12"
  "recovery|recovery"
  "privacy|privacy"
  "real-data|real-data"
  "sequential|sequential"
)
if [ $# -gt 0 ]; then
  selected=()
  for r in "${runs[@]}"; do for e in "$@"; do [ "${r%%|*}" = "$e" ] && selected+=("$r"); done; done
  runs=("${selected[@]}")
fi
mkdir -p docs/figures results
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
  cp "results/$e/figure.svg" "docs/figures/$e.svg"
done
{
  echo "# Results: the paper's claims, measured"
  echo
  echo "Every section below was produced by \`scripts/make-results.sh\` on a 2-core machine"
  echo "($(nproc) cores, unlearn $("$bin" --version 2>/dev/null || echo "?")), release build, default settings:"
  echo "the command, its wall time, the summary it wrote (tables: mean ± standard deviation over seeds;"
  echo "verdicts against the paper's claims) and its figure. \`unlearn report results/\` shows the same as one HTML page."
  echo "The raw data behind every number are committed in \`results/<experiment>/\` (\`runs.csv\`, one row per seed and"
  echo "setting; \`config.json\`, the resolved options; \`summary.md\`; \`figure.svg\`; the command and its wall time):"
  echo "\`unlearn reproduce <experiment> --config results/<experiment>/config.json --out DIR\` reruns one exactly."
  echo "The formulas behind every column are in [\`MATH.md\`](MATH.md); \"open question 1–4\" are the paper's open"
  echo "questions as numbered in MATH.md §14."
  echo
  [ -f docs/results-notes.md ] && { cat docs/results-notes.md; echo; }
  for e in step-size linear-dimension two-layer-dimension correlation mixture mixture-hard forget-set-size depth depth-hard recovery privacy real-data sequential; do
    [ -f "results/$e/summary.md" ] || continue
    echo "---"
    echo
    echo "Command: \`$(cat "results/$e/command.txt")\` — wall time $(cat "results/$e/wall-seconds.txt" 2>/dev/null || echo '?') s"
    echo
    sed -e 's/^## /### /' -e 's/^# /## /' "results/$e/summary.md"
    echo
    echo "![$e](figures/$e.svg)"
    echo
  done
} > docs/RESULTS.md.tmp
mv docs/RESULTS.md.tmp docs/RESULTS.md
"$bin" report results --out docs/report.html >/dev/null || true
echo "wrote docs/RESULTS.md, docs/figures/*.svg"

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
experiments=("$@")
[ ${#experiments[@]} -gt 0 ] || experiments=(step-size linear-dimension two-layer-dimension correlation mixture forget-set-size)
mkdir -p docs/figures results
for e in "${experiments[@]}"; do
  start=$(date +%s.%N)
  "$bin" reproduce "$e" --force --out "results/$e" >/dev/null
  end=$(date +%s.%N)
  printf '%.0f\n' "$(echo "$end - $start" | bc)" > "results/$e/wall-seconds.txt"
  cp "results/$e/figure.svg" "docs/figures/$e.svg"
done
{
  echo "# Results: the paper's claims, measured"
  echo
  echo "Every section below was produced by \`scripts/make-results.sh\` on a 2-core machine"
  echo "($(nproc) cores, $("$bin" --version 2>/dev/null || echo unlearn)), release build, default settings:"
  echo "the command, its wall time, the summary it wrote (tables: mean ± standard deviation over seeds;"
  echo "verdicts against the paper's claims) and its figure. \`unlearn report results/\` shows the same as one HTML page."
  echo
  for e in step-size linear-dimension two-layer-dimension correlation mixture forget-set-size; do
    [ -f "results/$e/summary.md" ] || continue
    echo "---"
    echo
    echo "Command: \`unlearn reproduce $e\` — wall time $(cat "results/$e/wall-seconds.txt" 2>/dev/null || echo '?') s"
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

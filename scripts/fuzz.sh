#!/usr/bin/env bash
# libFuzzer + AddressSanitizer on the file readers: .npy, safetensors (and the
# model decoder), CSV. Each target starts from the seed corpus in Fuzz/corpus/
# and runs for FUZZ_RUNS executions (default 1,000,000) or FUZZ_SECONDS seconds.
#   scripts/fuzz.sh                      # 1M executions each
#   FUZZ_SECONDS=20 scripts/fuzz.sh      # CI: a short bounded run
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-deps.sh
B=.build-fuzz/debug
swift build --sanitize=address -Xswiftc -sanitize=fuzzer --scratch-path .build-fuzz --target Unlearning >/dev/null
# Every object the Unlearning target was built from: its own, LinearAlgebra's, SwiftCSV's and swift-crypto's
# (C and assembly included), nothing of other targets (the scratch folder builds only this one).
objs=$(find "$B/" -name '*.o' -path '*.build/*' ! -path '*/unlearn.build/*' ! -path '*Tests.build/*' ! -name 'fuzz-*')
limit=(-runs="${FUZZ_RUNS:-1000000}")
[ -n "${FUZZ_SECONDS:-}" ] && limit=(-max_total_time="$FUZZ_SECONDS")
status=0
for target in npy safetensors csv; do
  source=Fuzz/Fuzz$(case $target in npy) echo Npy;; safetensors) echo Safetensors;; csv) echo CSV;; esac).swift
  swiftc -sanitize=fuzzer,address -parse-as-library -g -I $B/Modules \
    -Xcc -fmodule-map-file=Sources/CUnlearningBLAS/module.modulemap $(pkg-config --cflags openblas | sed 's/-I/-Xcc -I/') \
    "$source" $objs $(pkg-config --libs openblas) -o "$B/fuzz-$target" 2> "$B/fuzz-$target.link.log" \
    || { echo "fuzz-$target: the harness did not link:"; tail -20 "$B/fuzz-$target.link.log"; exit 1; }
  work=$(mktemp -d)  # new inputs go here; the committed corpus stays as it is
  echo "fuzzing $target (${limit[*]})…"
  if "$B/fuzz-$target" "${limit[@]}" -max_len=8192 -artifact_prefix="$B/crash-$target-" "$work" "Fuzz/corpus/$target" \
       > "$B/fuzz-$target.log" 2>&1; then
    grep -E "^Done|#[0-9]+.*DONE" "$B/fuzz-$target.log" | tail -1
  else
    echo "fuzz-$target FAILED: see $B/fuzz-$target.log and $B/crash-$target-*"; tail -20 "$B/fuzz-$target.log"; status=1
  fi
  rm -rf "$work"
done
exit $status

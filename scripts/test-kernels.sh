#!/usr/bin/env bash
# Runs the test suite once under each OpenBLAS kernel set this CPU can run (OPENBLAS_CORETYPE), to show
# that no test depends on the last bits of one kernel set: Prescott (generic, any x86-64), Haswell and Zen
# (AVX2 + FMA), SkylakeX and Cooperlake (AVX-512). Other machines with other kernels must pass the same suite.
# Usage: scripts/test-kernels.sh [CORE…]   (default: every kernel set the CPU supports)
set -euo pipefail
cd "$(dirname "$0")/.."
swift=${SWIFT:-swift}
if [ "$(uname -m)" != x86_64 ]; then
  echo "test-kernels: OpenBLAS's x86-64 kernel sets do not apply on $(uname -m); nothing to do" >&2
  exit 0
fi
flags=$(grep -m1 '^flags' /proc/cpuinfo || true)
has() { for f in "$@"; do [[ " $flags " == *" $f "* ]] || return 1; done; }
if [ $# -gt 0 ]; then
  cores=("$@")
else
  cores=(Prescott)
  if has avx2 fma; then cores+=(Haswell Zen); fi
  if has avx512f avx512dq avx512bw avx512vl avx512cd; then cores+=(SkylakeX); fi
fi
$swift build --build-tests >/dev/null
failed=()
for core in "${cores[@]}"; do
  echo "== OPENBLAS_CORETYPE=$core" >&2
  log=$(mktemp)
  if OPENBLAS_CORETYPE=$core $swift test --skip-build >"$log" 2>&1; then
    grep -E '^✔ Test run with' "$log" | sed "s/^/[$core] /"
  else
    grep -E '✘|error:' "$log" | head -40 | sed "s/^/[$core] /" >&2
    tail -1 "$log" | sed "s/^/[$core] /"
    failed+=("$core")
  fi
  rm -f "$log"
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "test-kernels: the suite failed under ${failed[*]}" >&2
  exit 1
fi
echo "test-kernels: the suite passed under ${cores[*]}"

#!/usr/bin/env bash
# Compares two builds of unlearn on the benchmark workloads, paired by round: the two binaries run
# alternately ROUNDS times (so both see the same machine noise), each round's median time per workload is
# kept, and the table gives the median over rounds of the per-round ratio B/A.
#   scripts/bench-compare.sh A_BINARY B_BINARY OUT_DIR [ROUNDS] [WORKLOADS]
# Raw JSON (one file per binary and round: a-1.json, b-1.json, …) goes to OUT_DIR; compare-only:
#   scripts/bench-compare.sh --table OUT_DIR
set -euo pipefail
table() {
  python3 - "$1" <<'PY'
import glob, json, os, statistics, sys
d = sys.argv[1]
def load(tag):
    runs = {}
    for f in sorted(glob.glob(os.path.join(d, f"{tag}-*.json"))):
        r = int(f.rsplit("-", 1)[1].split(".")[0])
        runs[r] = json.load(open(f))
    return runs
a, b = load("a"), load("b")
rounds = sorted(set(a) & set(b))
if not rounds: sys.exit(f"no paired rounds in {d} (a-N.json and b-N.json)")
def series(run):
    s = {"dgemm peak (GFLOP/s)": run["dgemm_peak_gflops"]}
    for w in run["workloads"]: s[w["id"]] = w["ours"]["median"]
    return s
print(f"| quantity | A (median of {len(rounds)} rounds) | B | B/A per round | median B/A |")
print("|---|---|---|---|---|")
for key in series(a[rounds[0]]):
    xa = [series(a[r])[key] for r in rounds]; xb = [series(b[r])[key] for r in rounds]
    ratios = [y / x for x, y in zip(xa, xb)]
    fmt = (lambda v: f"{v:.1f}") if key.startswith("dgemm") else (lambda v: f"{v:.4f} s")
    print(f"| {key} | {fmt(statistics.median(xa))} | {fmt(statistics.median(xb))} | "
          f"{', '.join(f'{x:.2f}' for x in ratios)} | {statistics.median(ratios):.2f} |")
PY
}
if [ "${1:-}" = --table ]; then table "$2"; exit 0; fi
[ $# -ge 3 ] || { echo "usage: $0 A_BINARY B_BINARY OUT_DIR [ROUNDS] [WORKLOADS]" >&2; exit 64; }
a=$1 b=$2 out=$3 rounds=${4:-3} only=${5:-W1,W2,W4,W5,W6}
for bin in "$a" "$b"; do [ -x "$bin" ] || { echo "error: $bin: not an executable" >&2; exit 74; }; done
mkdir -p "$out"
for r in $(seq 1 "$rounds"); do
  "$a" bench --only "$only" --no-peers --repeats 5 --json > "$out/a-$r.json"
  "$b" bench --only "$only" --no-peers --repeats 5 --json > "$out/b-$r.json"
done
table "$out"

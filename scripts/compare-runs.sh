#!/usr/bin/env bash
# Compares two result trees experiment by experiment: DIR_A/<exp>/runs.csv against DIR_B/<exp>/runs.csv,
# byte for byte once the timing columns (every column whose header starts with "seconds") are removed.
# Exit 0 when every experiment present in DIR_A matches; otherwise 1, naming the first differing line.
#   scripts/compare-runs.sh results-before results-after
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 DIR_A DIR_B" >&2; exit 64; }
python3 - "$1" "$2" <<'PY'
import csv, io, os, sys
a_dir, b_dir = sys.argv[1], sys.argv[2]
def table(path):
    rows = list(csv.reader(open(path, newline="")))
    keep = [i for i, name in enumerate(rows[0]) if not name.startswith("seconds")]
    return [[row[i] if i < len(row) else "" for i in keep] for row in rows]
experiments = sorted(e for e in os.listdir(a_dir) if os.path.isfile(os.path.join(a_dir, e, "runs.csv")))
if not experiments: sys.exit(f"error: no <experiment>/runs.csv under {a_dir}")
bad = 0
for e in experiments:
    pa, pb = os.path.join(a_dir, e, "runs.csv"), os.path.join(b_dir, e, "runs.csv")
    if not os.path.isfile(pb):
        print(f"{e}: missing in {b_dir}"); bad += 1; continue
    ta, tb = table(pa), table(pb)
    if ta == tb:
        print(f"{e}: identical ({len(ta) - 1} rows, timing columns aside)")
        continue
    bad += 1
    if ta[0] != tb[0]:
        print(f"{e}: different columns: {ta[0]} vs {tb[0]}"); continue
    for k, (ra, rb) in enumerate(zip(ta, tb)):
        if ra != rb:
            diff = [(ta[0][i], x, y) for i, (x, y) in enumerate(zip(ra, rb)) if x != y]
            print(f"{e}: row {k} differs: {diff[:4]}"); break
    else:
        print(f"{e}: {len(ta) - 1} rows vs {len(tb) - 1}")
sys.exit(1 if bad else 0)
PY

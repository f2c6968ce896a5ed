#!/usr/bin/env bash
# Compares two result trees experiment by experiment: DIR_A/<exp>/runs.csv against DIR_B/<exp>/runs.csv,
# once the timing columns (every column whose header starts with "seconds") are removed: byte for byte, or
# with --relative TOL every numeric cell to |a − b| ≤ TOL · max(|a|, |b|), or both below 1e-12 in magnitude
# (the rounding residue of O(1) quantities, such as 1 − cos of two equal vectors, which other BLAS kernels
# round to another multiple of 2⁻⁵²); other cells exactly; the same rows, in the same order, either way.
# Exit 0 when every experiment present in DIR_A matches; otherwise 1, naming the first differing cell.
#   scripts/compare-runs.sh results-before results-after
#   scripts/compare-runs.sh --relative 1e-6 results /tmp/rerun
set -euo pipefail
tol=""
if [ "${1:-}" = --relative ]; then tol="$2"; shift 2; fi
[ $# -eq 2 ] || { echo "usage: $0 [--relative TOL] DIR_A DIR_B" >&2; exit 64; }
python3 - "$1" "$2" "$tol" <<'PY'
import csv, math, os, sys
a_dir, b_dir, tol = sys.argv[1], sys.argv[2], sys.argv[3]
tol = float(tol) if tol else None
def table(path):
    rows = list(csv.reader(open(path, newline="")))
    keep = [i for i, name in enumerate(rows[0]) if not name.startswith("seconds")]
    return [[row[i] if i < len(row) else "" for i in keep] for row in rows]
def number(cell):
    try: return float(cell)
    except ValueError: return None
def same(x, y):
    if x == y: return True
    if tol is None: return False
    a, b = number(x), number(y)
    if a is None or b is None: return False
    if math.isnan(a) and math.isnan(b): return True
    if abs(a) < 1e-12 and abs(b) < 1e-12: return True
    return abs(a - b) <= tol * max(abs(a), abs(b))
experiments = sorted(e for e in os.listdir(a_dir) if os.path.isfile(os.path.join(a_dir, e, "runs.csv")))
if not experiments: sys.exit(f"error: no <experiment>/runs.csv under {a_dir}")
bad = 0
how = "timing columns aside" + (f", numbers to {tol:g} relative" if tol is not None else "")
for e in experiments:
    pa, pb = os.path.join(a_dir, e, "runs.csv"), os.path.join(b_dir, e, "runs.csv")
    if not os.path.isfile(pb):
        print(f"{e}: missing in {b_dir}"); bad += 1; continue
    ta, tb = table(pa), table(pb)
    if ta[0] != tb[0]:
        print(f"{e}: different columns: {ta[0]} vs {tb[0]}"); bad += 1; continue
    if len(ta) != len(tb):
        print(f"{e}: {len(ta) - 1} rows vs {len(tb) - 1}"); bad += 1; continue
    worst = 0.0
    diff = None
    for k, (ra, rb) in enumerate(zip(ta, tb)):
        for i, (x, y) in enumerate(zip(ra, rb)):
            if not same(x, y):
                diff = (k, ta[0][i], x, y); break
            a, b = number(x), number(y)
            if a is not None and b is not None and a != b and max(abs(a), abs(b)) >= 1e-12:
                worst = max(worst, abs(a - b) / max(abs(a), abs(b)))
        if diff: break
    if diff:
        bad += 1
        print(f"{e}: row {diff[0]} column {diff[1]} differs: {diff[2]} vs {diff[3]}")
    else:
        print(f"{e}: same ({len(ta) - 1} rows, {how}; largest relative difference {worst:.1e}, values below 1e-12 aside)")
sys.exit(1 if bad else 0)
PY

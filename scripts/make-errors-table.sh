#!/usr/bin/env bash
# Runs unlearn on a catalogue of bad inputs and prints a Markdown table of the
# one-line message and the exit code of each (docs/ERRORS.md is its output).
set -uo pipefail
bin=${UNLEARN:-$(cd "$(dirname "$0")/.." && pwd)/.build/release/unlearn}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
"$bin" make-data --m 8 --d 20 --seed 1 --out good >/dev/null
"$bin" train --x good.x.npy --y good.y.npy --model linear --out good.safetensors >/dev/null
python3 - <<'PY'
import numpy as np, struct, json
x = np.load("good.x.npy"); y = np.load("good.y.npy")
open("truncated.npy", "wb").write(open("good.x.npy", "rb").read()[:-40])
b = bytearray(open("good.x.npy", "rb").read()); b[:] = b.replace(b"(8, 20)", b"(9, 20)"); open("lying.npy", "wb").write(b)
np.save("object.npy", np.array([1, "a"], dtype=object), allow_pickle=True)
np.save("fortran.npy", np.asfortranarray(x))
np.save("structured.npy", np.zeros(3, dtype=[("a", "<f8"), ("b", "<i4")]))
np.save("nocols.npy", np.zeros((8, 0)))
np.save("empty.npy", np.zeros((0, 20)))
np.save("y01.npy", (y > 0).astype(np.int64))
np.save("y3.npy", np.where(y > 0, 3.0, -1.0))
np.save("y_short.npy", y[:5])
xn = x.copy(); xn[2, 3] = np.nan; np.save("nan.npy", xn)
def st(header, data=b""):
    h = json.dumps(header).encode(); h += b" " * (-len(h) % 8)
    return struct.pack("<Q", len(h)) + h + data
w = np.ones(20).tobytes()
open("overlap.safetensors", "wb").write(st({"w": {"dtype": "F64", "shape": [20], "data_offsets": [0, 160]}, "v": {"dtype": "F64", "shape": [20], "data_offsets": [80, 240]}}, w + w[:80]))
open("range.safetensors", "wb").write(st({"w": {"dtype": "F64", "shape": [20], "data_offsets": [0, 320]}}, w))
open("bigheader.safetensors", "wb").write(struct.pack("<Q", 10**6) + b"{}")
open("badjson.safetensors", "wb").write(struct.pack("<Q", 8) + b"{not js}")
open("dtype.safetensors", "wb").write(st({"w": {"dtype": "I8", "shape": [20], "data_offsets": [0, 20]}}, bytes(20)))
open("missing.safetensors", "wb").write(st({"__metadata__": {"architecture": "two-layer-relu"}, "W": {"dtype": "F64", "shape": [1, 20], "data_offsets": [0, 160]}}, w))
open("shape.safetensors", "wb").write(st({"__metadata__": {"architecture": "two-layer-relu"}, "W": {"dtype": "F64", "shape": [2, 10], "data_offsets": [0, 160]}, "u": {"dtype": "F64", "shape": [3], "data_offsets": [160, 184]}}, w + bytes(24)))
open("noinit.safetensors", "wb").write(st({"w": {"dtype": "F64", "shape": [20], "data_offsets": [0, 160]}}, w))
def torch(name, tensors):  # PyTorch's layout: state_dict names, no metadata
    header, data = {}, b""
    for k, a in tensors.items():
        a = np.ascontiguousarray(a, dtype="<f8"); header[k] = {"dtype": "F64", "shape": list(a.shape), "data_offsets": [len(data), len(data) + a.nbytes]}; data += a.tobytes()
    open(name, "wb").write(st(header, data))
torch("torchlin.safetensors", {"weight": np.ones((1, 20))})
torch("badinit.safetensors", {"weight": np.ones((1, 10))})
torch("ambiguous.safetensors", {"a.weight": np.eye(20), "b.weight": np.eye(20), "head.weight": np.ones((1, 20))})
torch("biased.safetensors", {"0.weight": np.ones((4, 20)), "0.bias": np.zeros(4), "2.weight": np.ones((1, 4))})
torch("hiddenbias.safetensors", {"0.weight": np.ones((4, 20)), "2.weight": np.eye(4), "2.bias": np.zeros(4), "4.weight": np.ones((1, 4))})
open("ragged.csv", "w").write("a,b,y\n1,2,1\n3,-1\n")
open("text.csv", "w").write("a,b,y\n1,2,1\n3,x,-1\n")
PY
"$bin" make-data --m 8 --d 20 --seed 2 --out other >/dev/null
run() {  # description, then the command
  local what=$1; shift
  "$@" >/dev/null 2>"$work/err"; local code=$?
  local msg; msg=$(grep -v '^Usage:\|^  See\|^$' "$work/err" | head -1 | sed -E "s|$work/||g; s/[0-9a-f]{64}/<sha256>/g; s/\\|/\\\\|/g")
  echo "| $what | \`$msg\` | $code |"
}
u=$bin
echo "| input | message (stderr) | exit |"
echo "|---|---|---|"
run "missing file" $u audit --model good.safetensors --x nothere.npy --y good.y.npy
run "truncated .npy" $u audit --model good.safetensors --x truncated.npy --y good.y.npy
run ".npy header lying about the shape" $u audit --model good.safetensors --x lying.npy --y good.y.npy
run "object dtype" $u audit --model good.safetensors --x object.npy --y good.y.npy
run "structured dtype" $u audit --model good.safetensors --x structured.npy --y good.y.npy
run "0-row array" $u audit --model good.safetensors --x empty.npy --y good.y.npy
run "0-column array" $u audit --model good.safetensors --x nocols.npy --y good.y.npy
run "labels 0/1 without the flag" $u audit --model good.safetensors --x good.x.npy --y y01.npy
run "labels not ±1" $u audit --model good.safetensors --x good.x.npy --y y3.npy
run "X and y row counts differ" $u audit --model good.safetensors --x good.x.npy --y y_short.npy
run "NaN in X" $u audit --model good.safetensors --x nan.npy --y good.y.npy
run "safetensors: overlapping offsets" $u audit --model overlap.safetensors --x good.x.npy --y good.y.npy
run "safetensors: offsets beyond the data" $u audit --model range.safetensors --x good.x.npy --y good.y.npy
run "safetensors: header length beyond the file" $u audit --model bigheader.safetensors --x good.x.npy --y good.y.npy
run "safetensors: invalid JSON" $u audit --model badjson.safetensors --x good.x.npy --y good.y.npy
run "safetensors: unknown dtype" $u audit --model dtype.safetensors --x good.x.npy --y good.y.npy
run "safetensors: a missing tensor" $u audit --model missing.safetensors --x good.x.npy --y good.y.npy
run "safetensors: shapes inconsistent with the architecture" $u audit --model shape.safetensors --x good.x.npy --y good.y.npy
run "PyTorch layout: an ambiguous layer order" $u audit --model ambiguous.safetensors --x good.x.npy --y good.y.npy
run "PyTorch layout: a bias (bias-free models)" $u audit --model biased.safetensors --x good.x.npy --y good.y.npy
run "fold-bias: a hidden layer's bias, which cannot fold" $u fold-bias --model hiddenbias.safetensors --x good.x.npy --out-model f.safetensors --out-x f.npy
run "forget --init whose shapes do not match the model" $u forget --model torchlin.safetensors --x good.x.npy --y good.y.npy --forget 1 --certify retrained --init badinit.safetensors --out f.safetensors
run "CSV with a ragged row" $u audit --model good.safetensors --x ragged.csv
run "CSV with a non-numeric cell" $u audit --model good.safetensors --x text.csv
run "forget index out of range" $u forget --model good.safetensors --x good.x.npy --y good.y.npy --forget 99 --out f.safetensors
run "an empty element in a list flag" $u forget --model good.safetensors --x good.x.npy --y good.y.npy --forget 1,,2 --out f.safetensors
run "forget index duplicated" $u forget --model good.safetensors --x good.x.npy --y good.y.npy --forget 1,1 --out f.safetensors
run "forget set covering the whole set" $u forget --model good.safetensors --x good.x.npy --y good.y.npy --forget 0,1,2,3,4,5,6,7 --out f.safetensors
run "a width of 0" $u train --x good.x.npy --y good.y.npy --model two-layer --width 0 --out n.safetensors
run "a negative tolerance" $u train --x good.x.npy --y good.y.npy --model linear --tolerance=-1 --out n.safetensors
run "a learning rate that diverges" $u train --x good.x.npy --y good.y.npy --model two-layer --width 4 --train-output-layer --plain-gradient-descent --learning-rate 1e6 --out n.safetensors
run "a model that does not interpolate the data" $u audit --model good.safetensors --x other.x.npy --y other.y.npy
run "output exists without --force" $u train --x good.x.npy --y good.y.npy --model linear --out good.safetensors
run "unknown experiment" $u reproduce figure-9
run "--x and --dataset together" $u train --x good.x.npy --y good.y.npy --dataset digits --model linear --out n.safetensors
run "an unknown bundled data set" $u train --dataset iris --model linear --out n.safetensors
run "newton with a non-positive --l2" $u forget --model good.safetensors --x good.x.npy --y good.y.npy --forget 1 --method newton --l2 0 --out f.safetensors
run "retrain of a model that records no initialisation" $u forget --model noinit.safetensors --x good.x.npy --y good.y.npy --forget 1 --method retrain --certify none --out f.safetensors
run "--witness-out without witness in --certify" $u forget --model good.safetensors --x good.x.npy --y good.y.npy --forget 1 --out f.safetensors --witness-out w.safetensors
run "--witness-out naming the --out file" $u forget --model good.safetensors --x good.x.npy --y good.y.npy --forget 1 --certify witness --out f.safetensors --witness-out f.safetensors
run "an unknown method in --methods" $u reproduce privacy --methods ga-kkt,scrub
run "a privacy population too small for the attack" $u reproduce privacy --population 2
run "--subset without --dataset" $u train --x good.x.npy --y good.y.npy --subset 5 --model linear --out n.safetensors
run "sweep: more shards than grid points" $u sweep step-size --seeds 3 --shards 4 --out sweep
run "sweep: a malformed --time" $u sweep step-size --shards 2 --time 90m --out sweep
run "sweep: no sbatch on PATH" /usr/bin/env PATH=/nonexistent $u sweep step-size --shards 2 --out sweep
mkdir -p not-a-sweep
run "sweep status of a folder that holds no sweep" $u sweep status not-a-sweep
run "reproduce --config of a missing file" $u reproduce depth --config nothere.json
echo '{"depth": [1, 2]}' >typo.json
run "reproduce --config with a misspelt option" $u reproduce depth --config typo.json
echo '{"depths": [1, 2]}' >depths.json
run "reproduce --config and an experiment flag" $u reproduce depth --config depths.json --seeds 3
# The deletion ledger: a ledger of the 8 examples, with example "2" forgotten by request r1.
"$bin" ledger init led --model good.safetensors --x good.x.npy --y good.y.npy >/dev/null
"$bin" ledger forget led --ids 2 --request-id r1 >/dev/null
run "ledger: an unknown example ID" $u ledger forget led --ids 99
run "ledger: an ID already forgotten" $u ledger forget led --ids 2
run "ledger: a request that would forget every retained example" $u ledger forget led --ids 0,1,3,4,5,6,7
run "ledger: a request ID reused with other IDs" $u ledger forget led --ids 3 --request-id r1
"$bin" make-data --m 8 --d 30 --seed 3 --out wide >/dev/null
"$bin" train --x wide.x.npy --y wide.y.npy --model linear --out wide.safetensors >/dev/null
run "ledger: a model that does not fit the data (foreign model)" $u ledger init foreign --model wide.safetensors --x good.x.npy --y good.y.npy
python3 -c 'import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None); c.execute("BEGIN IMMEDIATE"); open(sys.argv[2], "w").close(); time.sleep(30)' led/ledger.sqlite locked.flag &
holder=$!
while [ ! -e locked.flag ]; do sleep 0.05; done
run "ledger: the write lock held by another process beyond --busy-timeout" $u ledger forget led --ids 3 --busy-timeout 0.2
kill $holder; wait $holder 2>/dev/null
mkdir -p notledger && echo "not a database" >notledger/ledger.sqlite
run "ledger: a file that is not a ledger database" $u ledger verify notledger
run "ledger: a folder without a ledger" $u ledger log not-a-sweep
cp -r led corrupt
python3 -c 'import sys
b = bytearray(open(sys.argv[1], "rb").read())
for i in range(4096, len(b)): b[i] = (b[i] * 7 + 13) & 0xff
open(sys.argv[1], "wb").write(b)' corrupt/ledger.sqlite
run "ledger: a damaged database file" $u ledger verify corrupt
cp -r led flipped
python3 -c 'import sys, glob
for f in glob.glob(sys.argv[1] + "/models/*.safetensors"):
    b = bytearray(open(f, "rb").read()); b[-3] ^= 1; open(f, "wb").write(b)' flipped
run "ledger: a flipped byte in a model file" $u ledger verify flipped
cp -r led edited
python3 -c 'import sqlite3, sys, json
c = sqlite3.connect(sys.argv[1]); (text,) = c.execute("SELECT certificates FROM versions WHERE version = 1").fetchone()
certs = json.loads(text); certs[0]["epsilon"] /= 2
c.execute("UPDATE versions SET certificates = ? WHERE version = 1", (json.dumps(certs),)); c.commit()' edited/ledger.sqlite
run "ledger: a certificate edited in the database (ε halved)" $u ledger verify edited
run "ledger: --replay of a ledger without the forgotten features" $u ledger verify led --replay

#!/usr/bin/env bash
# Reruns the README's worked sessions ("Certify your own model" and "Deletion requests") in a fresh
# temporary folder with the release binary and prints them as the README shows them: each command after
# "$ ", then its real output. Usage: scripts/readme-session.sh [certify|ledger|all]  (default all)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="$root/.build/release/unlearn"
[ -x "$bin" ] || { echo "error: build the release binary first (make build)" >&2; exit 1; }
which="${1:-all}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
mkdir -p bin && ln -s "$bin" bin/unlearn && export PATH="$work/bin:$PATH"

run() { echo "\$ $*"; "$@"; echo; }
# A command whose failure is the point: print its message and exit code.
fails() { echo "\$ $*; echo \"exit \$?\""; set +e; "$@"; local s=$?; set -e; echo "exit $s"; echo; }

margins() {  # the unlearned network's margins on S, read with NumPy alone (the safetensors layout is simple)
  echo "\$ python3 -c \"…read $1 with NumPy, margins y·uᵀσ(Wx) on S…\""
  python3 - "$1" <<'EOF'
import json, struct, sys
import numpy as np
raw = open(sys.argv[1], "rb").read()
n = struct.unpack("<Q", raw[:8])[0]
header = json.loads(raw[8:8 + n]); data = raw[8 + n:]
def tensor(name):
    t = header[name]; b, e = t["data_offsets"]
    return np.frombuffer(data[b:e], dtype="<f8").reshape(t["shape"])
W, u = tensor("W"), tensor("u")
x, y = np.load("iso.x.npy"), np.load("iso.y.npy")
print("margins of the unlearned network on S:", np.array2string(y * (np.maximum(x @ W.T, 0) @ u), precision=3, threshold=6, edgeitems=3))
EOF
  echo
}

if [ "$which" = certify ] || [ "$which" = all ]; then
  echo '```'
  run unlearn make-data --setting isotropic --m 20 --d 1000 --seed 0 --out iso
  run unlearn train --x iso.x.npy --y iso.y.npy --model linear --out linear.safetensors
  run unlearn audit --model linear.safetensors --x iso.x.npy --y iso.y.npy --frontier 0,1e-2,0.1,1 --top 3
  run unlearn forget --model linear.safetensors --x iso.x.npy --y iso.y.npy --forget 0 --certify self,retrained,exact --out linear-forgot.safetensors
  run unlearn train --x iso.x.npy --y iso.y.npy --model two-layer --width 100 --tolerance 5e-3 --out net.safetensors
  run unlearn audit --model net.safetensors --x iso.x.npy --y iso.y.npy --top 3
  run unlearn forget --model net.safetensors --x iso.x.npy --y iso.y.npy --forget 0 --certify self,carried,retrained,exact --out net-forgot.safetensors
  run unlearn forget --model net.safetensors --x iso.x.npy --y iso.y.npy --forget 0 --step decomposition --certify self --out net-dec.safetensors
  run unlearn forget --model net.safetensors --x iso.x.npy --y iso.y.npy --forget 0 --method minnorm-og --steps 0 --certify self,retrained --out net-mn.safetensors
  margins net-forgot.safetensors
  echo '```'
fi

if [ "$which" = ledger ] || [ "$which" = all ]; then
  [ -f linear.safetensors ] || { unlearn make-data --setting isotropic --m 20 --d 1000 --seed 0 --out iso >/dev/null
                                 unlearn train --x iso.x.npy --y iso.y.npy --model linear --out linear.safetensors >/dev/null; }
  printf 'user-%02d\n' $(seq 0 19) > users.txt
  printf '%s\n' '{"request_id": "ticket-2", "forget": ["user-05"]}' '{"request_id": "ticket-3", "forget": ["user-11", "user-12"]}' \
    '{"request_id": "ticket-4", "forget": ["user-00"]}' > requests.jsonl
  echo '```'
  echo "\$ printf 'user-%02d\\n' \$(seq 0 19) > users.txt"; echo
  run unlearn ledger init deletions --model linear.safetensors --x iso.x.npy --y iso.y.npy --ids users.txt
  run unlearn ledger forget deletions --ids user-03,user-17 --request-id ticket-1 --certify self,carried
  run cat requests.jsonl
  run unlearn ledger apply deletions requests.jsonl
  run unlearn ledger apply deletions requests.jsonl
  fails unlearn ledger forget deletions --ids user-05
  run unlearn ledger forget deletions --ids user-08 --request-id ticket-5 --max-epsilon 4e-4 --fallback recover
  run unlearn ledger log deletions
  run unlearn ledger verify deletions
  run unlearn ledger export deletions --out head.safetensors
  cat > tamper.py <<'EOF'
import json, sqlite3
db = sqlite3.connect("deletions/ledger.sqlite")
(text,) = db.execute("SELECT certificates FROM versions WHERE version = 2").fetchone()
certificates = json.loads(text)
certificates[0]["epsilon"] /= 2   # a better-looking certificate
db.execute("UPDATE versions SET certificates = ? WHERE version = 2", (json.dumps(certificates),))
db.commit()
EOF
  echo "\$ python3 - <<'EOF'"; cat tamper.py; echo "EOF"; python3 tamper.py; echo
  fails unlearn ledger verify deletions
  echo '```'
  echo
  echo '```'
  echo "\$ unlearn ledger init audited --model linear.safetensors --x iso.x.npy --y iso.y.npy --ids users.txt --keep-forgotten-features | head -1"
  unlearn ledger init audited --model linear.safetensors --x iso.x.npy --y iso.y.npy --ids users.txt --keep-forgotten-features | head -1; echo
  echo "\$ unlearn ledger apply audited requests.jsonl | tail -1"
  unlearn ledger apply audited requests.jsonl | tail -1; echo
  run unlearn ledger verify audited --replay
  echo '```'
fi

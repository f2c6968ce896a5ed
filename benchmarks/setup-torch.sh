#!/usr/bin/env bash
# Makes a venv with NumPy, SciPy and PyTorch (used on the CPU) for the torch paths of benchmarks/peer.py,
# outside the repository: $PEER_VENV, default ~/.cache/peer-venv (where `unlearn bench` looks for it).
# Prints the venv's python at the end. Usage: benchmarks/setup-torch.sh
set -euo pipefail
venv=${PEER_VENV:-$HOME/.cache/peer-venv}
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install -q numpy scipy torch
"$venv/bin/python" -c "import torch; print('torch', torch.__version__)" >&2
echo "$venv/bin/python"

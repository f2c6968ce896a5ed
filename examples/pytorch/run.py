#!/usr/bin/env python3
"""Unlearning a PyTorch model as it is (README "PyTorch models", docs/MATH.md §8.5, §8.6).

Trains nn.Sequential(nn.Linear(d, n, bias=False), nn.ReLU(), nn.Linear(n, 1, bias=False)) in float64 on data
from `unlearn make-data`, saves it with safetensors.torch, audits it and forgets one example with
`unlearn forget --certify self,retrained --init …`, loads θ_U back with load_state_dict(strict=True), and checks
that torch's margins equal the ones unlearn reports (to 1e-10 relative). Then the same with a first-layer bias:
fold-bias → forget → unfold-bias → load_state_dict(strict=True).

Needs torch, safetensors and numpy; UNLEARN names the binary (default: `unlearn` on PATH).
Run from any folder: it works in ./pytorch-example-out.
"""
import json
import os
import subprocess
import sys

import numpy as np
import torch
from safetensors.torch import load_file, save_file

UNLEARN = os.environ.get("UNLEARN", "unlearn")
OUT = "pytorch-example-out"
M, D, N, FORGET = 40, 100, 50, 3
torch.manual_seed(0)
torch.set_default_dtype(torch.float64)
os.makedirs(OUT, exist_ok=True)


def unlearn(*args):
    """Runs unlearn with --json and returns its JSON output."""
    r = subprocess.run([UNLEARN, *args, "--json"], capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"unlearn {args[0]} failed ({r.returncode}): {r.stderr.strip()}")
    return json.loads(r.stdout)


def path(name):
    return os.path.join(OUT, name)


def net(bias=False):
    return torch.nn.Sequential(torch.nn.Linear(D, N, bias=bias), torch.nn.ReLU(), torch.nn.Linear(N, 1, bias=False))


def train(model, x, y, steps=4000, lr=0.5):
    """Normalised gradient descent on the exponential loss, as `unlearn train` does it (the margin-maximising
    regime): θ ← θ − η ∇log L / ‖θ‖ (a two-layer network is 2-homogeneous; log L by logsumexp, stably)."""
    params = list(model.parameters())
    for _ in range(steps):
        model.zero_grad()
        torch.logsumexp(-y * model(x).squeeze(1), 0).backward()
        with torch.no_grad():
            norm = torch.sqrt(sum((p * p).sum() for p in params))
            for p in params:
                p -= lr / norm * p.grad
    return model


def margins(model, x, y):
    with torch.no_grad():
        return (y * model(x).squeeze(1)).numpy()


def close(a, b, rel=1e-10):
    return abs(a - b) <= rel * max(abs(a), abs(b))


subprocess.run([UNLEARN, "make-data", "--m", str(M), "--d", str(D), "--seed", "0", "--out", path("iso"), "--force"],
               check=True, capture_output=True)
X, Y = np.load(path("iso.x.npy")), np.load(path("iso.y.npy"))
x, y = torch.from_numpy(X), torch.from_numpy(Y)
keep = [i for i in range(M) if i != FORGET]
np.save(path("retained.x.npy"), X[keep])
np.save(path("retained.y.npy"), Y[keep])

print("== bias-free nn.Sequential ==")
model = net()
save_file({k: v.clone() for k, v in model.state_dict().items()}, path("init.safetensors"))  # θ₀, for --init
train(model, x, y)
save_file(model.state_dict(), path("net.safetensors"))
print("state_dict:", {k: list(v.shape) for k, v in model.state_dict().items()})

data = ["--x", path("iso.x.npy"), "--y", path("iso.y.npy")]
audit = unlearn("audit", "--model", path("net.safetensors"), *data, "--train-output-layer")
before = margins(model, x, y)
print(f"audit: eps/|theta| = {audit['epsilon_relative']:.3e}, min margin {audit['min_margin']:.12g} (torch {before.min():.12g})")
assert close(audit["min_margin"], before.min())

forget = unlearn("forget", "--model", path("net.safetensors"), *data, "--train-output-layer", "--forget", str(FORGET),
                 "--certify", "self,retrained", "--init", path("init.safetensors"), "--out", path("net-forgot.safetensors"), "--force")
for c in forget["certificates"]:
    print(f"certificate {c['kind']}: eps/|theta~| = {c['epsilon_relative']:.3e}, tau = {c['tau']}")

forgot = net()
forgot.load_state_dict(load_file(path("net-forgot.safetensors")), strict=True)  # the strict round trip
after = margins(forgot, x, y)
print(f"example {FORGET}: margin before {before[FORGET]:.6g}, after {after[FORGET]:.3e}")
retained = unlearn("audit", "--model", path("net-forgot.safetensors"), "--x", path("retained.x.npy"), "--y",
                   path("retained.y.npy"), "--train-output-layer")
print(f"theta_U on S\\F: unlearn's min margin {retained['min_margin']:.12g}, torch's {after[keep].min():.12g}")
assert close(retained["min_margin"], after[keep].min()), "torch's outputs differ from unlearn's margins"
print("load_state_dict(strict=True): ok; margins agree to 1e-10 relative")

print("== with a first-layer bias: fold-bias -> forget -> unfold-bias ==")
biased = net(bias=True)
with torch.no_grad():
    biased[0].bias.mul_(0.1)
train(biased, x, y)
save_file(biased.state_dict(), path("biased.safetensors"))
fold = unlearn("fold-bias", "--model", path("biased.safetensors"), "--x", path("iso.x.npy"),
               "--out-model", path("folded.safetensors"), "--out-x", path("folded.x.npy"), "--force")
print(f"c = {fold['constant']}: psi {fold['psi_before']:.4f} -> {fold['psi_after']:.4f}, "
      f"phi {fold['phi_before']:.4f} -> {fold['phi_after']:.4f}")
forget = unlearn("forget", "--model", path("folded.safetensors"), "--x", path("folded.x.npy"), "--y", path("iso.y.npy"),
                 "--train-output-layer", "--forget", str(FORGET), "--out", path("folded-forgot.safetensors"), "--force")
print(f"certificate self: eps/|theta~| = {forget['certificates'][0]['epsilon_relative']:.3e}")
unlearn("unfold-bias", "--model", path("folded-forgot.safetensors"), "--out-model", path("biased-forgot.safetensors"), "--force")
back = net(bias=True)
back.load_state_dict(load_file(path("biased-forgot.safetensors")), strict=True)
b0, b1 = margins(biased, x, y), margins(back, x, y)
print(f"example {FORGET}: margin before {b0[FORGET]:.6g}, after {b1[FORGET]:.3e}")
print("biased load_state_dict(strict=True): ok")

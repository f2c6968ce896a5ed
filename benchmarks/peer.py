#!/usr/bin/env python3
"""Peer implementations to benchmark against, side by side, in the same run.

These are the ways a researcher would do the same work without this project:
NumPy/SciPy (explicit Jacobian + scipy.optimize.nnls, or the Gram method) and
PyTorch on the CPU. They follow docs/MATH.md of this repository (§4: the Gram
form of the audit; §2: loss-normalised GD). They print one JSON object.

  python3 benchmarks/peer.py audit --method explicit|gram-numpy|gram-torch --m 200 --n 200 --d 500
  python3 benchmarks/peer.py train --backend numpy|torch --m 500 --n 500 --d 2000 --iters 200

Workloads are seeded; labels are set to the sign of the random model's output
so that every margin is positive and the audit is defined without training.
PyTorch: run benchmarks/setup-torch.sh once; it makes a venv (default ~/.cache/peer-venv)
and prints its python. `unlearn bench` runs this script (see benchmarks/README.md).
"""
import argparse
import json
import time

import numpy as np


def workload(m, n, d, seed, trained_output=False):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((m, d)) / np.sqrt(d)
    W = rng.standard_normal((n, d)) / np.sqrt(d)
    u = np.where(np.arange(n) < n // 2, 1.0, -1.0) / np.sqrt(n)
    out = np.maximum(X @ W.T, 0.0) @ u
    y = np.where(out >= 0, 1.0, -1.0)
    keep = np.abs(out) > 1e-12
    return X[keep], y[keep], W, u


def audit_explicit(X, y, W, u):
    """The obvious way: form J (m x nd) and call scipy.optimize.nnls."""
    from scipy.optimize import nnls
    q = y * (np.maximum(X @ W.T, 0.0) @ u)
    gamma = q.min()
    Wn = W / gamma  # degree C = 1 (fixed output layer)
    Z = X @ Wn.T
    A = (Z > 0).astype(float)
    # row i of J: y_i * vec(u_j * A_ij * x_i) over j
    J = (y[:, None, None] * (A * u[None, :])[:, :, None] * X[:, None, :]).reshape(len(y), -1)
    lam, _ = nnls(J.T, Wn.ravel(), maxiter=50 * len(y))
    R = Wn.ravel() - J.T @ lam
    qn = q / gamma
    return float(np.linalg.norm(R)), float(np.max(lam * (qn - 1.0)))


def _nnls_gram(G, b):
    """min_{lam>=0} lam'G lam - 2 b'lam via Cholesky -> NNLS (SciPy)."""
    from scipy.linalg import cho_factor, solve_triangular
    from scipy.optimize import nnls
    m = len(b)
    L, _ = cho_factor(G + 1e-12 * np.trace(G) / m * np.eye(m), lower=True)
    L = np.tril(L)
    c = solve_triangular(L, b, lower=True)
    lam, _ = nnls(L.T, c, maxiter=50 * m)
    return lam


def audit_gram_numpy(X, y, W, u):
    q = y * (np.maximum(X @ W.T, 0.0) @ u)
    gamma = q.min()
    Wn = W / gamma
    Z = X @ Wn.T
    A = (Z > 0).astype(float)
    K = X @ X.T
    G = np.outer(y, y) * K * ((A * u**2) @ A.T)
    b = q / gamma  # C * q_hat with C = 1
    lam = _nnls_gram(G, b)
    R = Wn - (u[:, None]) * ((A * (lam * y)[:, None]).T @ X)
    return float(np.linalg.norm(R)), float(np.max(lam * (b - 1.0)))


def audit_gram_torch(X, y, W, u):
    import torch
    Xt, yt, Wt, ut = (torch.from_numpy(a) for a in (X, y, W, u))
    q = yt * (torch.relu(Xt @ Wt.T) @ ut)
    gamma = q.min()
    Wn = Wt / gamma
    A = (Xt @ Wn.T > 0).to(Xt.dtype)
    K = Xt @ Xt.T
    G = torch.outer(yt, yt) * K * ((A * ut**2) @ A.T)
    b = q / gamma
    lam = torch.from_numpy(_nnls_gram(G.numpy(), b.numpy()))
    R = Wn - ut[:, None] * ((A * (lam * yt)[:, None]).T @ Xt)
    return float(torch.linalg.norm(R)), float(torch.max(lam * (b - 1.0)))


def train(backend, X, y, n, iters, lr, seed):
    """Loss-normalised GD on the exponential loss, fixed output layer."""
    rng = np.random.default_rng(seed + 1)
    d = X.shape[1]
    W0 = 1e-3 * rng.standard_normal((n, d)) / np.sqrt(d)
    u = np.where(np.arange(n) < n // 2, 1.0, -1.0) / np.sqrt(n)
    if backend == "numpy":
        W = W0.copy()
        for _ in range(iters):
            Z = X @ W.T
            q = y * (np.maximum(Z, 0.0) @ u)
            e = np.exp(-(q - q.min()))  # scaled losses; the ratio grad/L is scale-free
            L = e.sum()
            coef = -(e * y) / L
            grad = (u[:, None]) * (((Z > 0) * coef[:, None]).T @ X)
            W -= lr * grad
        q = y * (np.maximum(X @ W.T, 0.0) @ u)
        return float(q.min() / np.linalg.norm(W))
    import torch
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
    W = torch.from_numpy(W0.copy()).requires_grad_(True)
    ut = torch.from_numpy(u)
    for _ in range(iters):
        q = yt * (torch.relu(Xt @ W.T) @ ut)
        loss = torch.logsumexp(-q, 0)  # log L: its gradient is grad L / L
        (g,) = torch.autograd.grad(loss, W)
        with torch.no_grad():
            W -= lr * g
    with torch.no_grad():
        q = yt * (torch.relu(Xt @ W.T) @ ut)
        return float(q.min() / torch.linalg.norm(W))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("audit")
    a.add_argument("--method", choices=["explicit", "gram-numpy", "gram-torch"], required=True)
    t = sub.add_parser("train")
    t.add_argument("--backend", choices=["numpy", "torch"], required=True)
    t.add_argument("--iters", type=int, default=200)
    t.add_argument("--lr", type=float, default=0.1)
    for s in (a, t):
        s.add_argument("--m", type=int, default=200)
        s.add_argument("--n", type=int, default=200)
        s.add_argument("--d", type=int, default=500)
        s.add_argument("--seed", type=int, default=0)
    args = p.parse_args()
    X, y, W, u = workload(args.m, args.n, args.d, args.seed)
    if "torch" in (getattr(args, "method", "") or "") or getattr(args, "backend", "") == "torch":
        import torch  # noqa: F401  (imported before the clock starts)
    t0 = time.perf_counter()
    if args.cmd == "audit":
        f = {"explicit": audit_explicit, "gram-numpy": audit_gram_numpy, "gram-torch": audit_gram_torch}[args.method]
        eps, delta = f(X, y, W, u)
        res = {"epsilon": eps, "delta": delta}
    else:
        res = {"normalized_margin": train(args.backend, X, y, args.n, args.iters, args.lr, args.seed)}
    res.update(seconds=time.perf_counter() - t0, m=len(y), n=args.n, d=args.d, cmd=args.cmd)
    print(json.dumps(res))


if __name__ == "__main__":
    main()

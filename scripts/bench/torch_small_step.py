#!/usr/bin/env python3
"""overparam's relu and wn GD steps (theory.md §1-2, MSE, float64) in PyTorch at small shapes, one trial and 64 batched.

Run by scripts/bench-cpu.sh (BENCH_ONLY=small) beside org.overparam.trainer.bench.SmallStepBenchmark, on the numbers it
exported (--export DIR: one folder per model and shape with X, y, W or V and g, c and the first losses). For each it
  * checks the math: one trial and the 64-trial batch (every trial a copy of the exported one) reproduce the exported
    losses of the first 5 steps to 1e-10 relative (prints MISMATCH otherwise);
  * times, with the harness of scripts/bench_cpu.py (warm-up until the median settles, then >= 1 s of runs), one trial
    with the explicit formulas and with autograd (what a PyTorch user writes), and 64 trials batched in one tensor
    (matmul over a batch of weights: torch's way to use the hardware at small sizes), per trial-step.
Prints `small torch model=… n=… d=… m=… one_explicit_us=… one_autograd_us=… one_best_us=… batched64_us_per_trial=…`.

The steps, with P = X Wᵀ, s_k = c_k/√m (relu) or c_k g_k/(√m‖v_k‖) (wn), e = σ(P)s − y, Q = (e∘1[P≥0])ᵀX, h = σ(P)ᵀe:
  relu: W −= η s∘Q;   wn: V −= η s∘(Q − (h/‖v‖²)∘V), g −= η c h/(√m‖v‖).
"""
import argparse
import math
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from bench_cpu import measure  # noqa: E402  the shared harness (same rules as RepeatTimer.java)


def load(folder):
    meta = dict(line.split("=", 1) for line in open(os.path.join(folder, "meta.txt")).read().split("\n") if "=" in line)
    n, d, m = int(meta["n"]), int(meta["d"]), int(meta["m"])

    def f64(name, shape):
        return torch.from_numpy(np.fromfile(os.path.join(folder, name), dtype="<f8").reshape(shape).copy())

    p = {"model": meta["model"], "n": n, "d": d, "m": m, "eta": float(meta["eta"]),
         "losses": [float(v) for v in meta["losses"].split(",")],
         "X": f64("X.f64", (n, d)), "y": f64("y.f64", (n,)), "V": f64("V.f64", (m, d)), "c": f64("c.f64", (m,))}
    if p["model"] == "wn":
        p["g"] = f64("g.f64", (m,))
    return p


def step(model, X, y, V, g, c, eta, inv_sqrt_m):
    """One GD step of one trial (V: m×d) or of a batch (V: B×m×d); returns the loss(es) before it."""
    P = X @ V.transpose(-1, -2)                       # (…, n, m)
    if model == "wn":
        norm = torch.linalg.vector_norm(V, dim=-1)     # (…, m)
        s = c * g * inv_sqrt_m / norm
    else:
        s = c * inv_sqrt_m
        if V.dim() == 3:
            s = s.expand(V.shape[0], -1)
    A = torch.relu(P)
    e = (A @ s.unsqueeze(-1)).squeeze(-1) - y         # (…, n)
    loss = 0.5 * (e * e).sum(-1)
    Q = ((P >= 0).to(X.dtype) * e.unsqueeze(-1)).transpose(-1, -2) @ X   # (…, m, d)
    if model == "wn":
        h = (e.unsqueeze(-2) @ A).squeeze(-2)          # (…, m)
        V.sub_(eta * s.unsqueeze(-1) * (Q - (h / (norm * norm)).unsqueeze(-1) * V))
        g.sub_(eta * c * h * inv_sqrt_m / norm)
    else:
        V.sub_(eta * s.unsqueeze(-1) * Q)
    return loss


def autograd_step(model, X, y, V, g, c, eta, inv_sqrt_m):
    """The same step as a PyTorch user writes it: the loss, backward(), the update under no_grad."""
    V.requires_grad_(True)
    if model == "wn":
        g.requires_grad_(True)
        s = c * g * inv_sqrt_m / torch.linalg.vector_norm(V, dim=1)
    else:
        s = c * inv_sqrt_m
    e = torch.relu(X @ V.T) @ s - y
    loss = 0.5 * torch.dot(e, e)
    loss.backward()
    with torch.no_grad():
        V.sub_(eta * V.grad)
        V.grad = None
        if model == "wn":
            g.sub_(eta * g.grad)
            g.grad = None
    V.requires_grad_(False)
    if model == "wn":
        g.requires_grad_(False)
    return loss.detach()


def fresh(p, batch=None):
    V = p["V"].clone() if batch is None else p["V"].expand(batch, -1, -1).clone()
    g = None
    if p["model"] == "wn":
        g = p["g"].clone() if batch is None else p["g"].expand(batch, -1).clone()
    return V, g


def check(p):
    """The largest relative gap between our exported losses and torch's (one trial, autograd, every trial of the batch)."""
    worst = 0.0
    inv = 1.0 / math.sqrt(p["m"])
    for kind in ("one", "autograd", "batched"):
        V, g = fresh(p, 64 if kind == "batched" else None)
        for k, want in enumerate(p["losses"]):
            fn = autograd_step if kind == "autograd" else step
            got = fn(p["model"], p["X"], p["y"], V, g, p["c"], p["eta"], inv)
            for value in (got.reshape(-1).tolist()):   # every trial of the batch
                worst = max(worst, abs(value - want) / abs(want))
    return worst


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--export", required=True)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--batch", type=int, default=64)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    for folder in sorted(os.listdir(a.export), key=lambda f: (int(f.split("_n")[1].split("_")[0]), f)):
        p = load(os.path.join(a.export, folder))
        label = f"model={p['model']} n={p['n']} d={p['d']} m={p['m']}"
        if a.check:
            gap = check(p)
            print(f"small torch check {label} first_losses_max_rel={gap:.2g}" + (" MISMATCH" if gap > 1e-10 else ""))
        inv = 1.0 / math.sqrt(p["m"])
        flops = 4.0 * p["n"] * p["d"] * p["m"]
        inner = max(1, math.ceil(4e5 / flops))
        times = {}
        for kind in ("one_explicit", "one_autograd", "batched"):
            V, g = fresh(p, a.batch if kind == "batched" else None)
            fn = autograd_step if kind == "one_autograd" else step

            def run():
                for _ in range(inner):
                    fn(p["model"], p["X"], p["y"], V, g, p["c"], p["eta"], inv)
            t = measure(run)
            per = 1e3 * t["median"] / inner
            times[kind] = per / a.batch if kind == "batched" else per
        one_best = min(times["one_explicit"], times["one_autograd"])
        print(f"small torch {label} one_explicit_us={times['one_explicit']:.3f} one_autograd_us={times['one_autograd']:.3f} "
              f"one_best_us={one_best:.3f} batched{a.batch}_us_per_trial={times['batched']:.3f} threads={a.threads}")


if __name__ == "__main__":
    main()

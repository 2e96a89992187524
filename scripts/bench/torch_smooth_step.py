#!/usr/bin/python3
"""The PyTorch side of the smooth-step benchmark in scripts/bench-cpu.sh (run it through that script).

One GD step of overparam's `smooth` model (theory.md section 5) in float64 on the CPU, the way a PyTorch
user writes it: the net F = gelu(X W^T) V^T (exact gelu, torch.nn.functional.gelu) and its linearization at
init F_lin = F0 + A0 (V - V0)^T + (D0 * (X (W - W0)^T)) V0^T, each with the loss ||F - Y||^2 (a sum, no 1/2),
loss.backward() and an in-place update of both layers. Same order as overparam's trial: both forwards, then
both updates.

`measure` reads the numbers SmoothStepBenchmark exported (X, Y, W0, V0 as raw little-endian float64, and
meta.txt with eta and the first losses of the net and of its linearization), checks (--check) that torch
reproduces those losses, then times the step with the rules of RepeatTimer.java (`measure` of
scripts/bench_cpu.py). `summarize` takes each side's median over the rounds of its per-round median and
prints the summary line, with today's trainer (the label `today`) beside ours.
"""
import argparse
import math
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from bench_cpu import describe, measure, parse_lines  # noqa: E402  (scripts/bench_cpu.py: the shared harness)

SQRT_2 = math.sqrt(2.0)
INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)


def load(folder):
    meta = dict(line.split("=", 1) for line in open(os.path.join(folder, "meta.txt")).read().split())
    n, d, m, dy = (int(meta[k]) for k in ("n", "d", "m", "dy"))

    def arr(name, *shape):
        return torch.from_numpy(np.fromfile(os.path.join(folder, name), dtype="<f8").reshape(shape))

    return dict(n=n, d=d, m=m, dy=dy, eta=float(meta["eta"]),
                net_losses=[float(v) for v in meta["net_losses"].split(",")],
                lin_losses=[float(v) for v in meta["lin_losses"].split(",")],
                X=arr("X.f64", n, d), Y=arr("Y.f64", n, dy), W=arr("W.f64", m, d), V=arr("V.f64", dy, m))


def smooth_pair(s):
    """The net and its linearization at (W0, V0), and a step function returning both losses before the update."""
    X, Y, eta = s["X"], s["Y"], s["eta"]
    W0, V0 = s["W"].clone(), s["V"].clone()
    with torch.no_grad():
        P0 = X @ W0.T
        A0 = torch.nn.functional.gelu(P0)
        D0 = 0.5 * (1.0 + torch.erf(P0 / SQRT_2)) + P0 * torch.exp(-0.5 * P0 * P0) * INV_SQRT_2PI   # gelu'(P0)
        F0 = A0 @ V0.T
    W, V = W0.clone().requires_grad_(), V0.clone().requires_grad_()
    Wl, Vl = W0.clone().requires_grad_(), V0.clone().requires_grad_()

    def step():
        F_lin = F0 + A0 @ (Vl - V0).T + (D0 * (X @ (Wl - W0).T)) @ V0.T
        loss_lin = ((F_lin - Y) ** 2).sum()
        F = torch.nn.functional.gelu(X @ W.T) @ V.T
        loss = ((F - Y) ** 2).sum()
        for p in (W, V, Wl, Vl):
            p.grad = None
        loss.backward()
        loss_lin.backward()
        with torch.no_grad():
            for p in (W, V, Wl, Vl):
                p.sub_(eta * p.grad)
        return loss.item(), loss_lin.item()

    return step


def cmd_measure(args):
    torch.set_num_threads(args.threads)
    print("py torch_smooth_env torch=%s torch_threads=%d OMP_WAIT_POLICY=%s" % (
        torch.__version__, torch.get_num_threads(), os.environ.get("OMP_WAIT_POLICY", "unset")), flush=True)
    for kind, f in parse_lines(args.java, "java"):
        if kind != "smooth_step" or f.get("label") != "ours":
            continue
        n, d, m = int(f["n"]), int(f["d"]), int(f["m"])
        s = load(os.path.join(args.export, "smooth_n%d_d%d_m%d" % (n, d, m)))
        step = smooth_pair(s)
        if args.check:
            # Same math: the first losses of both, from the same numbers, against Java's.
            net_rel, lin_rel = 0.0, 0.0
            for want_net, want_lin in zip(s["net_losses"], s["lin_losses"]):
                got_net, got_lin = step()
                net_rel = max(net_rel, abs(got_net - want_net) / abs(want_net))
                lin_rel = max(lin_rel, abs(got_lin - want_lin) / abs(want_lin))
            ok = max(net_rel, lin_rel) <= 1e-10
            print("py check smooth n=%d d=%d m=%d steps=%d net_max_rel=%.2e lin_max_rel=%.2e %s"
                  % (n, d, m, len(s["net_losses"]) - 1, net_rel, lin_rel, "ok" if ok else "MISMATCH"), flush=True)
        print("py torch_smooth threads=%d n=%d d=%d m=%d %s" % (args.threads, n, d, m, describe(measure(step))), flush=True)


def cmd_summarize(args):
    rounds = {}   # (side, threads, n, d, m) -> [per-round median ms]
    losses = {}   # (label, threads, n, d, m) -> net and lin losses
    for path in args.files:
        prefix = "java" if os.path.basename(path).startswith("java") else "py"
        for kind, f in parse_lines(path, prefix):
            if kind not in ("smooth_step", "torch_smooth", "smooth_losses"):
                continue
            key = (int(f["threads"]), int(f["n"]), int(f["d"]), int(f["m"]))
            if kind == "smooth_step":
                rounds.setdefault((f["label"],) + key, []).append(float(f["median_ms"]))
            elif kind == "torch_smooth":
                rounds.setdefault(("torch",) + key, []).append(float(f["median_ms"]))
            else:
                losses[(f["label"],) + key] = [float(v) for v in f["net"].split(",") + f["lin"].split(",")]
    med = {k: float(np.median(v)) for k, v in rounds.items()}
    for (side, threads, n, d, m) in sorted(k for k in med if k[0] == "ours"):
        key = (threads, n, d, m)
        ours, today, tor = med[("ours",) + key], med.get(("today",) + key), med.get(("torch",) + key)
        line = "smooth threads=%d n=%d d=%d m=%d ours_ms=%.3f" % (threads, n, d, m, ours)
        line += " today_ms=%.3f speedup_vs_today=%.2f" % (today, today / ours) if today else " today_ms=n/a"
        line += " torch_ms=%.3f ratio_torch=%.3f" % (tor, ours / tor) if tor else " torch_ms=n/a"
        if ("today",) + key in losses:
            rel = max(abs(x - y) / abs(y) for x, y in zip(losses[("ours",) + key], losses[("today",) + key]))
            line += " first_losses_vs_today_max_rel=%.1e" % rel
        print(line)


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    m = sub.add_parser("measure", help="one round of torch timings for the shapes in a SmoothStepBenchmark output")
    m.add_argument("--export", required=True, help="folder SmoothStepBenchmark --export wrote")
    m.add_argument("--java", required=True, help="file with SmoothStepBenchmark's output (label ours)")
    m.add_argument("--threads", type=int, required=True, help="threads for torch")
    m.add_argument("--check", action="store_true", help="also check the losses against Java's (round 1)")
    s = sub.add_parser("summarize", help="pool the rounds into the summary line")
    s.add_argument("files", nargs="+", help="java.smooth.*.txt, java.today.*.txt and py.smooth.*.txt outputs")
    args = ap.parse_args()
    (cmd_measure if args.cmd == "measure" else cmd_summarize)(args)


if __name__ == "__main__":
    main()

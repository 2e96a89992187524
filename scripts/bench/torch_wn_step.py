#!/usr/bin/env python3
"""The wn gradient-descent step of overparam (theory.md §2) in PyTorch, and the GPU's matrix-product peak.

Run by scripts/bench-gpu.sh beside overparam's CUDA backend. For each shape NAME:N:D:M:TRIALS[:STEPS] it
times STEPS steps of each of TRIALS trials, one trial after another (what a PyTorch user would do without
packing), and prints a RESULT line with the time per trial-step, trial-steps per second and achieved
FLOP/s counting the step's two products (4·n·d·m). `--peak` also times torch.matmul on 8192² matrices in
float64 and float32 (TF32 off) and prints their FLOP/s.

The step, with P = X Vᵀ, s_k = c_k g_k/(√m ‖v_k‖), e = σ(P)s − y, h = σ(P)ᵀe, Q = (e∘1[P≥0])ᵀX:
  ∇V = s ∘ (Q − (h/‖v‖²) ∘ V),  ∇g = c h/(√m ‖v‖)
"""
import argparse
import math
import sys

import torch


def wn_step(X, y, V, g, c, eta, inv_sqrt_m):
    P = X @ V.T
    norm = torch.linalg.vector_norm(V, dim=1)
    s = c * g * inv_sqrt_m / norm
    A = torch.relu(P)
    e = A @ s - y
    loss = 0.5 * torch.dot(e, e)
    h = e @ A
    Q = ((P >= 0).to(X.dtype) * e[:, None]).T @ X
    grad_v = s[:, None] * (Q - (h / (norm * norm))[:, None] * V)
    grad_g = c * h * inv_sqrt_m / norm
    V.sub_(eta * grad_v)
    g.sub_(eta * grad_g)
    return loss


def bench_shape(spec, dtype, device):
    parts = spec.split(":")
    name, n, d, m, trials = parts[0], int(parts[1]), int(parts[2]), int(parts[3]), int(parts[4])
    steps = int(parts[5]) if len(parts) > 5 else 20
    gen = torch.Generator(device="cpu").manual_seed(0)
    X = torch.randn(n, d, generator=gen, dtype=torch.float64)
    X = (X / X.norm(dim=1, keepdim=True)).to(device=device, dtype=dtype)
    y = torch.randn(n, generator=gen, dtype=torch.float64).to(device=device, dtype=dtype)
    inv_sqrt_m = 1.0 / math.sqrt(m)
    eta = 1e-9
    start = torch.cuda.Event(enable_timing=True)
    end = torch.cuda.Event(enable_timing=True)
    total_ms = 0.0
    for t in range(trials):
        V = torch.randn(m, d, generator=gen, dtype=torch.float64).to(device=device, dtype=dtype)
        g = torch.linalg.vector_norm(V, dim=1)
        c = (torch.randint(0, 2, (m,), generator=gen) * 2 - 1).to(device=device, dtype=dtype)
        if t == 0:
            for _ in range(3):
                wn_step(X, y, V, g, c, eta, inv_sqrt_m)
        torch.cuda.synchronize()
        start.record()
        for _ in range(steps):
            wn_step(X, y, V, g, c, eta, inv_sqrt_m)
        end.record()
        torch.cuda.synchronize()
        total_ms += start.elapsed_time(end)
    per_trial_step = total_ms / 1e3 / (steps * trials)
    flops = 4.0 * n * d * m / per_trial_step
    print(f"RESULT torch {name} n={n} d={d} m={m} trials={trials} trial_step_ms={per_trial_step * 1e3:.4f} "
          f"trial_steps_per_s={1.0 / per_trial_step:.1f} tflops={flops / 1e12:.3f}", flush=True)


def bench_peak(device):
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    size = 8192
    for dtype, label in ((torch.float64, "fp64"), (torch.float32, "fp32")):
        a = torch.randn(size, size, dtype=dtype, device=device)
        b = torch.randn(size, size, dtype=dtype, device=device)
        for _ in range(3):
            a @ b
        torch.cuda.synchronize()
        reps = 10
        start = torch.cuda.Event(enable_timing=True)
        end = torch.cuda.Event(enable_timing=True)
        start.record()
        for _ in range(reps):
            a @ b
        end.record()
        torch.cuda.synchronize()
        seconds = start.elapsed_time(end) / 1e3 / reps
        print(f"RESULT peak {label} n={size} tflops={2.0 * size ** 3 / seconds / 1e12:.3f}", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("shapes", nargs="*", help="NAME:N:D:M:TRIALS[:STEPS]")
    parser.add_argument("--precision", choices=["float64", "float32"], default="float64")
    parser.add_argument("--peak", action="store_true", help="also time torch.matmul in fp64 and fp32")
    args = parser.parse_args()
    if not torch.cuda.is_available():
        print("torch_wn_step.py: torch sees no CUDA device", file=sys.stderr)
        sys.exit(2)
    device = torch.device("cuda:0")
    print(f"device {torch.cuda.get_device_name(device)}, torch {torch.__version__}", flush=True)
    dtype = torch.float64 if args.precision == "float64" else torch.float32
    with torch.no_grad():
        if args.peak:
            bench_peak(device)
        for spec in args.shapes:
            bench_shape(spec, dtype, device)


if __name__ == "__main__":
    main()

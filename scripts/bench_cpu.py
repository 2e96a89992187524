#!/usr/bin/python3
"""The numpy and PyTorch side of scripts/bench-cpu.sh (run it through that script).

`measure` reads the shapes WnStepBenchmark exported (X, y, V(0), g(0), c as raw little-endian
float64, and meta.txt with alpha, eta and the losses of its first GD steps), checks (--check) that
numpy and PyTorch reproduce those losses from the same numbers, and times one wn GD step of each
with the rules of RepeatTimer.java (warm-up until the median of 5-run rounds settles within 3%, then
>= 10 runs and >= 1 s). The script alternates Java and Python rounds; `summarize` takes for each side the
median over the rounds of its per-round median and prints the summary lines.

The step is the math of theory.md section 2 in float64, written the way a researcher would:
numpy with the explicit gradient formulas; PyTorch with autograd (loss.backward()), and, for
reference, PyTorch with the same explicit formulas as numpy.
"""
import argparse
import math
import os
import re
import sys
import time

import numpy as np
import torch

ROUND = 5
SETTLED = 0.03


def measure(op, min_repeats=10, min_seconds=1.0, max_warmup=5.0):
    """RepeatTimer.measure: returns a dict of milliseconds (median, min, p25, p75, max) and counts."""
    warm_start = time.perf_counter()
    warmups, previous, settled = 0, float("nan"), False
    while True:
        rnd = [_time_once(op) for _ in range(ROUND)]
        warmups += ROUND
        med = float(np.median(rnd))
        if abs(med - previous) <= SETTLED * med:
            settled = True
            break
        previous = med
        if time.perf_counter() - warm_start > max_warmup:
            break
    runs, start = [], time.perf_counter()
    while len(runs) < min_repeats or time.perf_counter() - start < min_seconds:
        runs.append(_time_once(op))
    q = np.quantile(runs, [0.5, 0.0, 0.25, 0.75, 1.0])
    return dict(median=q[0], min=q[1], p25=q[2], p75=q[3], max=q[4], reps=len(runs), warmup=warmups, settled=settled,
                samples=runs)


def _time_once(op):
    t0 = time.perf_counter()
    op()
    return (time.perf_counter() - t0) * 1e3


def load_shape(folder):
    meta = dict(line.split("=", 1) for line in open(os.path.join(folder, "meta.txt")).read().split())
    n, d, m = int(meta["n"]), int(meta["d"]), int(meta["m"])

    def arr(name, *shape):
        return np.fromfile(os.path.join(folder, name), dtype="<f8").reshape(shape)

    return dict(n=n, d=d, m=m, alpha=float(meta["alpha"]), eta=float(meta["eta"]),
                losses=[float(v) for v in meta["losses"].split(",")],
                X=arr("X.f64", n, d), y=arr("y.f64", n), V=arr("V.f64", m, d), g=arr("g.f64", m), c=arr("c.f64", m))


# ---- the wn GD step (theory.md section 2) -------------------------------------------------------

def numpy_step(X, y, c, eta):
    """One step on (V, g) in place, returning the loss before it: explicit formulas, vectorized."""
    sqrt_m = math.sqrt(len(c))

    def step(V, g):
        P = X @ V.T                                  # pre-activations, n x m
        A = np.maximum(P, 0.0)                       # sigma(P)
        norm = np.linalg.norm(V, axis=1)             # ||v_k||
        s = c * g / (sqrt_m * norm)                  # output scales s_k
        e = A @ s - y                                # residual f - y
        h = e @ A                                    # h_k = sum_i e_i sigma(P_ik)
        Q = ((P >= 0) * e[:, None]).T @ X            # Q_k = sum_i e_i 1_ik x_i
        V -= eta * (s[:, None] * (Q - (h / norm**2)[:, None] * V))
        g -= eta * (c * h / (sqrt_m * norm))
        return 0.5 * (e @ e)

    return step


def torch_autograd_step(X, y, c, eta):
    """One step on (V, g) (leaf tensors with requires_grad) by autograd, returning the loss before it."""
    sqrt_m = math.sqrt(len(c))

    def step(V, g):
        f = torch.relu(X @ V.T) @ (c * g / (sqrt_m * V.norm(dim=1)))
        loss = 0.5 * ((f - y) ** 2).sum()
        V.grad, g.grad = None, None
        loss.backward()
        with torch.no_grad():
            V -= eta * V.grad
            g -= eta * g.grad
        return loss.item()

    return step


def torch_explicit_step(X, y, c, eta):
    """numpy_step's formulas with torch tensors (no autograd)."""
    sqrt_m = math.sqrt(len(c))

    def step(V, g):
        P = X @ V.T
        A = torch.relu(P)
        norm = V.norm(dim=1)
        s = c * g / (sqrt_m * norm)
        e = A @ s - y
        h = e @ A
        Q = ((P >= 0) * e[:, None]).T @ X
        V -= eta * (s[:, None] * (Q - (h / norm**2)[:, None] * V))
        g -= eta * (c * h / (sqrt_m * norm))
        return 0.5 * float(e @ e)

    return step


def check_losses(step, V, g, expected):
    """Max relative difference of the first len(expected) losses from Java's."""
    worst = 0.0
    for want in expected:
        got = float(step(V, g))
        worst = max(worst, abs(got - want) / abs(want))
    return worst


# ---- kernel instruments (theory.md section 2, eqs. 3.3-3.5): the reference for the instruments line ----

def instruments_numpy(X, V, g, c, alpha):
    """{lambda_min, lambda_max} of H, V, G and Lambda = V/alpha^2 + G at (V, g), as numpy would compute them."""
    m = len(c)
    P = X @ V.T
    one = (P >= 0).astype(np.float64)                 # 1_ik
    norm2 = np.einsum("kj,kj->k", V, V)              # ||v_k||^2
    K = X @ X.T
    H = K * (one @ one.T) / m
    S = np.maximum(P, 0.0)
    G = (S / norm2) @ S.T / m
    w = (alpha * c * g) ** 2 / norm2                  # (alpha c_k g_k / ||v_k||)^2
    OP = one * P
    Vk = (K * ((one * w) @ one.T) - (OP * (w / norm2)) @ OP.T) / m
    Lam = Vk / alpha**2 + G
    out = []
    for M in (H, Vk, G, Lam):
        ev = np.linalg.eigvalsh(M)
        out += [ev[0], ev[-1]]
    return np.array(out)


def instruments_torch(X, V, g, c, alpha):
    m = len(c)
    P = X @ V.T
    one = (P >= 0).to(torch.float64)
    norm2 = (V * V).sum(dim=1)
    K = X @ X.T
    H = K * (one @ one.T) / m
    S = torch.relu(P)
    G = (S / norm2) @ S.T / m
    w = (alpha * c * g) ** 2 / norm2
    OP = one * P
    Vk = (K * ((one * w) @ one.T) - (OP * (w / norm2)) @ OP.T) / m
    Lam = Vk / alpha**2 + G
    out = []
    for M in (H, Vk, G, Lam):
        ev = torch.linalg.eigvalsh(M)
        out += [float(ev[0]), float(ev[-1])]
    return np.array(out)


# ---- driver -------------------------------------------------------------------------------------

def describe(t):
    return "median_ms=%.3f min_ms=%.3f p25_ms=%.3f p75_ms=%.3f max_ms=%.3f reps=%d warmup=%d%s samples_ms=%s" % (
        t["median"], t["min"], t["p25"], t["p75"], t["max"], t["reps"], t["warmup"],
        "" if t["settled"] else " warmup_unsettled=1", ",".join("%.4f" % v for v in t["samples"]))


def parse_lines(path, prefix):
    """`PREFIX kind key=value …` lines as (kind, dict) pairs; a `skipped=` value runs to the end of the line."""
    out = []
    for line in open(path):
        if not line.startswith(prefix + " "):
            continue
        parts = line.split(None, 2)
        kind, rest = parts[1], (parts[2] if len(parts) > 2 else "")
        fields = {}
        if "skipped=" in rest:
            head, tail = rest.split("skipped=", 1)
            fields.update(re.findall(r"(\w+)=(\S+)", head))
            fields["skipped"] = tail.strip()
        else:
            fields.update(re.findall(r"(\w+)=(\S+)", rest))
        out.append((kind, fields))
    return out


def peak_numpy(size=3000):
    rng = np.random.default_rng(7)
    a, b = rng.random((size, size)) - 0.5, rng.random((size, size)) - 0.5
    t = measure(lambda: a @ b.T, min_repeats=5, min_seconds=0.0, max_warmup=5.0)
    flops = 2.0 * size**3
    return flops / (t["min"] * 1e6), flops / (t["median"] * 1e6), t


def loaded_blas():
    libs = set()
    for line in open("/proc/self/maps"):
        p = line.split()[-1]
        if p.startswith("/") and any(s in p for s in ("blas", "lapack", "mkl", "dnnl", "gomp")):
            libs.add(p)
    return ",".join(sorted(libs))


def shape_key(f):
    return int(f["n"]), int(f["d"]), int(f["m"])


def cmd_measure(args):
    """One round: (round 1: the same-math check) and the numpy/torch step timings of every shape Java timed."""
    torch.set_num_threads(args.threads)
    print("py blas numpy=%s torch=%s torch_threads=%d OPENBLAS_NUM_THREADS=%s OMP_WAIT_POLICY=%s libs=%s" % (
        np.__version__, torch.__version__, torch.get_num_threads(), os.environ.get("OPENBLAS_NUM_THREADS", "unset"),
        os.environ.get("OMP_WAIT_POLICY", "unset"), loaded_blas()), flush=True)
    if args.peak > 0:
        best, med, t = peak_numpy(args.peak)
        print("py peak size=%d best_gflops=%.2f median_gflops=%.2f %s" % (args.peak, best, med, describe(t)), flush=True)
    for kind, f in parse_lines(args.java, "java"):
        if kind != "step":
            continue
        n, d, m = shape_key(f)
        s = load_shape(os.path.join(args.export, "n%d_d%d_m%d" % (n, d, m)))
        tX, ty, tc = (torch.from_numpy(s[k]) for k in ("X", "y", "c"))
        npf = numpy_step(s["X"], s["y"], s["c"], s["eta"])
        ag = torch_autograd_step(tX, ty, tc, s["eta"])
        ex = torch_explicit_step(tX, ty, tc, s["eta"])
        V, g = s["V"].copy(), s["g"].copy()
        tV, tg = torch.from_numpy(s["V"].copy()).requires_grad_(), torch.from_numpy(s["g"].copy()).requires_grad_()
        tV2, tg2 = torch.from_numpy(s["V"].copy()), torch.from_numpy(s["g"].copy())
        if args.check:
            # Same math: the first GD losses from the same numbers, against Java's.
            np_rel = check_losses(npf, V, g, s["losses"])
            ag_rel = check_losses(ag, tV, tg, s["losses"])
            ex_rel = check_losses(ex, tV2, tg2, s["losses"])
            ok = max(np_rel, ag_rel, ex_rel) <= 1e-10
            print("py check n=%d d=%d m=%d steps=%d numpy_max_rel=%.2e torch_autograd_max_rel=%.2e torch_explicit_max_rel=%.2e %s"
                  % (n, d, m, len(s["losses"]) - 1, np_rel, ag_rel, ex_rel, "ok" if ok else "MISMATCH"), flush=True)
        # Timing keeps stepping from there (the step size keeps GD stable).
        for name, op in (("numpy", lambda: npf(V, g)), ("torch_autograd", lambda: ag(tV, tg)),
                         ("torch_explicit", lambda: ex(tV2, tg2))):
            print("py %s n=%d d=%d m=%d %s" % (name, n, d, m, describe(measure(op))), flush=True)
    for kind, f in parse_lines(args.java, "java"):
        if kind != "instruments" or "skipped" in f:
            continue
        n, d, m = shape_key(f)
        s = load_shape(os.path.join(args.export, "instruments_n%d_d%d_m%d" % (n, d, m)))
        if args.check:
            ours = np.array([float(v) for v in f["eig"].split(",")])
            ref = instruments_numpy(s["X"], s["V"], s["g"], s["c"], s["alpha"])
            rel = float(np.max(np.abs(ref - ours) / np.abs(ref)))
            print("py check instruments n=%d d=%d m=%d eig_max_rel=%.2e %s" % (n, d, m, rel, "ok" if rel <= 1e-8 else "MISMATCH"), flush=True)
        tt = [torch.from_numpy(s[k]) for k in ("X", "V", "g", "c")]
        for name, op in (("instruments_numpy", lambda: instruments_numpy(s["X"], s["V"], s["g"], s["c"], s["alpha"])),
                         ("instruments_torch", lambda: instruments_torch(*tt, s["alpha"]))):
            print("py %s n=%d d=%d m=%d %s" % (name, n, d, m, describe(measure(op, max_warmup=5.0))), flush=True)


def cmd_summarize(args):
    """The summary lines: each side's time is the median over the rounds of its per-round median."""
    samples = {}   # (side, n, d, m) -> [per-round median ms]
    peaks = []
    products = {}  # (n, d, m) -> [(products_gflops, products_share_of_step) per round]
    skipped = {}
    for path in args.files:
        prefix = "java" if os.path.basename(path).startswith("java") else "py"
        for kind, f in parse_lines(path, prefix):
            if kind == "peak":
                peaks.append(float(f["best_gflops"]))
                continue
            if kind == "products":
                products.setdefault(shape_key(f), []).append((float(f["products_gflops"]), float(f["products_share_of_step"])))
                continue
            if kind == "instruments" and "skipped" in f:
                skipped[shape_key(f)] = f["skipped"]
                continue
            if "median_ms" not in f:
                continue
            side = {"step": "ours", "instruments": "ours_instruments"}.get(kind, kind)
            samples.setdefault((side,) + shape_key(f), []).append(float(f["median_ms"]))
    # Each round weighs the same for every side (pooling the runs would favour whichever side ran
    # more of its runs in a quiet spell, since a fast side runs more runs in its >= 1 s).
    med = {k: float(np.median(v)) for k, v in samples.items()}
    peak = max(peaks, default=float("nan"))
    for (side, n, d, m) in sorted(k for k in med if k[0] == "ours"):
        ours, npy, tor = med[(side, n, d, m)], med.get(("numpy", n, d, m)), med.get(("torch_autograd", n, d, m))
        print("shape n=%d d=%d m=%d ours_ms=%.3f numpy_ms=%.3f torch_ms=%.3f ratio_numpy=%.3f ratio_torch=%.3f gflops=%.2f peak_gflops=%.2f"
              % (n, d, m, ours, npy, tor, ours / npy, ours / tor, 4.0 * n * d * m / (ours * 1e6), peak))
    for (n, d, m), rounds in sorted(products.items()):
        ours = med[("ours", n, d, m)]
        best = float(np.median([r[0] for r in rounds]))
        share = float(np.median([r[1] for r in rounds]))
        print("bound n=%d d=%d m=%d products_only_gflops=%.2f products_only_of_peak=%.2f ours_of_peak=%.2f products_share_of_step=%.2f"
              % (n, d, m, best, best / peak, 4.0 * n * d * m / (ours * 1e6) / peak, share))
    for (n, d, m), why in sorted(skipped.items()):
        print("instruments n=%d d=%d m=%d skipped: %s" % (n, d, m, why))
    for (side, n, d, m) in sorted(k for k in med if k[0] == "ours_instruments"):
        ours, npy, tor = med[(side, n, d, m)], med[("instruments_numpy", n, d, m)], med[("instruments_torch", n, d, m)]
        print("instruments n=%d d=%d m=%d ours_ms=%.3f numpy_ms=%.3f torch_ms=%.3f ratio_numpy=%.3f ratio_torch=%.3f"
              % (n, d, m, ours, npy, tor, ours / npy, ours / tor))
    extra = ["%s_n%d_ms=%.3f" % (side, n, v) for (side, n, d, m), v in sorted(med.items()) if side == "torch_explicit"]
    if extra:
        print("detail torch_explicit (same formulas as numpy, no autograd): " + " ".join(extra))


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    m = sub.add_parser("measure", help="one round of numpy/torch timings for the shapes in a WnStepBenchmark output")
    m.add_argument("--export", required=True, help="folder WnStepBenchmark --export wrote")
    m.add_argument("--java", required=True, help="file with WnStepBenchmark's output")
    m.add_argument("--threads", type=int, required=True, help="threads for torch (OpenBLAS reads OPENBLAS_NUM_THREADS)")
    m.add_argument("--peak", type=int, default=3000, help="square size for the float64 product rate (0 skips)")
    m.add_argument("--check", action="store_true", help="also check the losses against Java's (round 1)")
    s = sub.add_parser("summarize", help="pool the rounds into the summary lines")
    s.add_argument("files", nargs="+", help="java.*.txt and py.*.txt outputs of the rounds")
    args = ap.parse_args()
    (cmd_measure if args.cmd == "measure" else cmd_summarize)(args)


if __name__ == "__main__":
    main()

package org.overparam.trainer.margin;

/**
 * The max-margin linear predictor through the origin (hard-margin SVM without bias):
 * {@code γ = max_{‖w‖ = 1} min_i y_i ⟨w, z_i⟩}. Solved in the dual, {@code max_{α ≥ 0} Σα_i − ½‖Σ α_i y_i z_i‖²},
 * by exact coordinate ascent ({@code α_i ← max(0, α_i + (1 − y_i⟨w, z_i⟩)/‖z_i‖²)}, {@code w = Σ α_i y_i z_i})
 * until every KKT condition holds to {@link #TOLERANCE} (functional margin 1 on the support vectors, ≥ 1
 * elsewhere) or a work budget is spent. The margin reported is that of the final {@code w},
 * {@code min_i y_i⟨w, z_i⟩/‖w‖}: exact at convergence, a lower bound otherwise (any {@code w} gives one).
 *
 * <p>Used for paper 001's {@code γ_linear} (Prop. 1.1; on the dyadic set the tests compare it with the
 * closed form) and for the reference-network margins {@code γ_a, γ_c} ({@link BnMargins}).
 */
public final class MaxMarginLinear {
    /** KKT tolerance on the functional margins (1 at the solution). */
    public static final double TOLERANCE = 1e-10;
    /** Multiply-adds allowed per solve (about a second). */
    public static final long WORK_BUDGET = 2_000_000_000L;

    /** The result: the margin (NaN when the points are not separated by a hyperplane through 0), the direction, convergence. */
    public record Solution(double margin, double[] w, boolean converged, int sweeps) {
    }

    private MaxMarginLinear() {
    }

    /**
     * Solves for {@code n} points {@code z} ({@code n×p}, row-major) with labels ±1 (any sign counts:
     * {@code y_i > 0} is +1).
     */
    public static Solution solve(double[] z, double[] y, int n, int p) {
        Ascent a = Ascent.start(z, y, n, p);
        if (a.done != null) {
            return a.done;
        }
        while (a.active) {
            a.endSweep(a.sweep(0, n));
        }
        return a.finish();
    }

    /**
     * {@link #solve} of two problems on the same labels and shapes ({@code n} points of {@code p} features each), each
     * giving exactly the bits it would alone: their sweeps run side by side, so the two chains of additions in each
     * point's margin overlap in the CPU instead of waiting on each other (a solve is bound by that chain's latency).
     */
    public static Solution[] solveTwo(double[] z1, double[] z2, double[] y, int n, int p) {
        Ascent a = Ascent.start(z1, y, n, p);
        Ascent b = Ascent.start(z2, y, n, p);
        if (a.done != null || b.done != null) {
            return new Solution[] {solve(z1, y, n, p), solve(z2, y, n, p)};
        }
        while (a.active && b.active) {
            double[] worst = Ascent.sweepTwo(a, b, n);
            a.endSweep(worst[0]);
            b.endSweep(worst[1]);
        }
        for (Ascent rest : new Ascent[] {a, b}) {
            while (rest.active) {
                rest.endSweep(rest.sweep(0, n));
            }
        }
        return new Solution[] {a.finish(), b.finish()};
    }

    /** One problem's coordinate ascent: its state between sweeps. */
    private static final class Ascent {
        final double[] z;
        final int n;
        final int p;
        final double[] q;
        final double[] s;
        final double[] alpha;
        final double[] w;
        final long maxSweeps;
        int sweeps;
        boolean converged;
        boolean active = true;
        /** The answer where the problem is decided before any sweep (a zero point). */
        Solution done;

        private Ascent(double[] z, int n, int p) {
            this.z = z;
            this.n = n;
            this.p = p;
            this.q = new double[n];
            this.s = new double[n];
            this.alpha = new double[n];
            this.w = new double[p];
            this.maxSweeps = Math.max(10, WORK_BUDGET / Math.max(1L, 2L * n * p));
        }

        static Ascent start(double[] z, double[] y, int n, int p) {
            Ascent a = new Ascent(z, n, p);
            for (int i = 0; i < n; i++) {
                a.s[i] = y[i] > 0 ? 1.0 : -1.0;
                double t = 0;
                for (int k = 0; k < p; k++) {
                    t += z[i * p + k] * z[i * p + k];
                }
                a.q[i] = t;
                if (t == 0) {
                    a.done = new Solution(Double.NaN, new double[p], true, 0);
                    a.active = false;
                    return a;
                }
            }
            a.active = a.sweeps < a.maxSweeps;
            return a;
        }

        /** Point {@code i}'s step given its margin {@code ⟨w, z_i⟩}; returns the size of its projected gradient. */
        double update(int i, double margin) {
            double grad = s[i] * margin - 1.0;
            double projected = alpha[i] == 0 ? Math.min(grad, 0.0) : grad;
            if (projected != 0) {
                double next = Math.max(0.0, alpha[i] - grad / q[i]);
                double delta = (next - alpha[i]) * s[i];
                alpha[i] = next;
                for (int k = 0; k < p; k++) {
                    w[k] += delta * z[i * p + k];
                }
            }
            return Math.abs(projected);
        }

        /** One sweep over points {@code from…to−1}; returns the largest projected gradient. */
        double sweep(int from, int to) {
            sweeps++;
            double worst = 0;
            for (int i = from; i < to; i++) {
                double margin = 0;
                for (int k = 0; k < p; k++) {
                    margin += w[k] * z[i * p + k];
                }
                worst = Math.max(worst, update(i, margin));
            }
            return worst;
        }

        /** A sweep of each of two problems of the same shape, point by point; returns both largest projected gradients. */
        static double[] sweepTwo(Ascent a, Ascent b, int n) {
            a.sweeps++;
            b.sweeps++;
            int p = a.p;
            double worstA = 0;
            double worstB = 0;
            for (int i = 0; i < n; i++) {
                double ma = 0;
                double mb = 0;
                for (int k = 0; k < p; k++) {
                    ma += a.w[k] * a.z[i * p + k];
                    mb += b.w[k] * b.z[i * p + k];
                }
                worstA = Math.max(worstA, a.update(i, ma));
                worstB = Math.max(worstB, b.update(i, mb));
            }
            return new double[] {worstA, worstB};
        }

        /** After a sweep: stop on a non-finite gradient, on convergence, or with the work budget spent. */
        void endSweep(double worst) {
            if (!Double.isFinite(worst)) {
                active = false;
            } else if (worst <= TOLERANCE) {
                converged = true;
                active = false;
            } else if (sweeps >= maxSweeps) {
                active = false;
            }
        }

        Solution finish() {
            double norm = 0;
            for (double wk : w) {
                norm += wk * wk;
            }
            norm = Math.sqrt(norm);
            double min = Double.POSITIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                double margin = 0;
                for (int k = 0; k < p; k++) {
                    margin += w[k] * z[i * p + k];
                }
                min = Math.min(min, s[i] * margin / norm);
            }
            return new Solution(min > 0 && Double.isFinite(min) ? min : Double.NaN, w, converged, sweeps);
        }
    }
}

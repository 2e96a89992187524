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
        double[] q = new double[n];
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            s[i] = y[i] > 0 ? 1.0 : -1.0;
            double t = 0;
            for (int k = 0; k < p; k++) {
                t += z[i * p + k] * z[i * p + k];
            }
            q[i] = t;
            if (t == 0) {
                return new Solution(Double.NaN, new double[p], true, 0);
            }
        }
        double[] alpha = new double[n];
        double[] w = new double[p];
        long maxSweeps = Math.max(10, WORK_BUDGET / Math.max(1L, 2L * n * p));
        boolean converged = false;
        int sweeps = 0;
        while (sweeps < maxSweeps) {
            sweeps++;
            double worst = 0;
            for (int i = 0; i < n; i++) {
                double margin = 0;
                for (int k = 0; k < p; k++) {
                    margin += w[k] * z[i * p + k];
                }
                double grad = s[i] * margin - 1.0;
                double projected = alpha[i] == 0 ? Math.min(grad, 0.0) : grad;
                worst = Math.max(worst, Math.abs(projected));
                if (projected != 0) {
                    double next = Math.max(0.0, alpha[i] - grad / q[i]);
                    double delta = (next - alpha[i]) * s[i];
                    alpha[i] = next;
                    for (int k = 0; k < p; k++) {
                        w[k] += delta * z[i * p + k];
                    }
                }
            }
            if (!Double.isFinite(worst)) {
                break;
            }
            if (worst <= TOLERANCE) {
                converged = true;
                break;
            }
        }
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

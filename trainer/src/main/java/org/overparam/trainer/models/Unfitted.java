package org.overparam.trainer.models;

import org.overparam.trainer.nets.BatchNormNet;
import org.overparam.trainer.nets.Loss;

/**
 * {@code unfitted}: how many training points are not yet fitted, the sharp indicator of the jamming
 * transition ({@code N_Δ}, theory.md §8). A point is unfitted when its own loss {@code ℓ_i} exceeds its share of
 * the convergence target, so that {@code unfitted = 0} implies convergence:
 * <ul>
 *   <li>squared hinge: {@code ℓ_i = ½ max(0, 1 − y_i f_i)² > 0}, i.e. {@code y_i f_i < 1} (margin below 1);</li>
 *   <li>MSE ({@code L = ½ Σ‖f_i − y_i‖²}, relu, wn, grelu, deep-relu): {@code ½‖f_i − y_i‖² > τ L_0/n}, i.e.
 *       {@code ‖f_i − y_i‖ > sqrt(2τ L_0/n)}, also for labels ±1 (the margin count would call half the points of a
 *       converged MSE fit unfitted: {@code f} tends to {@code y} from both sides);</li>
 *   <li>smooth ({@code h = Σ‖Φ_i − y_i‖²}, no ½): {@code ‖Φ_i − y_i‖² > τ h_0/n};</li>
 *   <li>bn (mean logistic risk {@code R = (1/n) Σ ℓ(y_i f_i)}): {@code ℓ(y_i f_i) > τ R_0}.</li>
 * </ul>
 * Every count is −1 (a null in the tables) when the target is not finite (a non-finite initial loss).
 */
public final class Unfitted {
    private Unfitted() {
    }

    /**
     * For a net on {@code ½ Σ‖f − y‖²} or the squared hinge: outputs {@code f} and targets {@code y}
     * ({@code n×dy}), target loss {@code tolerance·loss0} (unused by the hinge).
     */
    public static int count(Loss loss, double[] f, double[] y, int n, int dy, double tolerance, double loss0) {
        if (loss == Loss.SQUARED_HINGE) {
            int out = 0;
            for (int i = 0; i < n; i++) {
                out += y[i] * f[i] >= 1.0 ? 0 : 1;     // NaN counts as unfitted
            }
            return out;
        }
        return squaredError(f, y, n, dy, 2.0 * tolerance * loss0 / n);
    }

    /** For {@code h = Σ‖Φ_i − y_i‖²} (smooth): points with {@code ‖Φ_i − y_i‖² > τ h_0/n}. */
    public static int sumOfSquares(double[] f, double[] y, int n, int dy, double tolerance, double loss0) {
        return squaredError(f, y, n, dy, tolerance * loss0 / n);
    }

    /** For the mean logistic risk (bn): points with {@code ℓ(y_i f_i) > τ R_0}. */
    public static int logistic(double[] f, double[] y, int n, double tolerance, double risk0) {
        double limit = tolerance * risk0;
        if (!Double.isFinite(limit)) {
            return -1;
        }
        int out = 0;
        for (int i = 0; i < n; i++) {
            out += BatchNormNet.logistic(y[i] * f[i]) <= limit ? 0 : 1;
        }
        return out;
    }

    /** Points whose {@code ‖f_i − y_i‖²} exceeds {@code limit}. */
    private static int squaredError(double[] f, double[] y, int n, int dy, double limit) {
        if (!Double.isFinite(limit)) {
            return -1;
        }
        int out = 0;
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int o = 0; o < dy; o++) {
                double e = f[i * dy + o] - y[i * dy + o];
                s += e * e;
            }
            out += s > limit || Double.isNaN(s) ? 1 : 0;
        }
        return out;
    }

    /** {@code ‖g‖²/(2L)}: the PL ratio of a loss {@code loss} with gradient {@code grad}; NaN unless {@code 0 < L < ∞}. */
    public static double plRatio(double[] grad, double loss) {
        if (!(loss > 0) || !Double.isFinite(loss)) {
            return Double.NaN;
        }
        double s = 0;
        for (double g : grad) {
            s += g * g;
        }
        return s / (2.0 * loss);
    }
}

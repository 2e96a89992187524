package org.overparam.trainer.nets;

import java.util.Locale;

/**
 * The training loss of the regression nets ({@code train.loss}; relu, wn, grelu, deep-relu), a sum over the
 * n examples:
 * <ul>
 *   <li>{@link #MSE}: {@code L = ½ Σ_i ‖f(x_i) − y_i‖²} (theory.md §1–2, §4), residual {@code e_i = f_i − y_i};</li>
 *   <li>{@link #SQUARED_HINGE}: {@code L = ½ Σ_i max(0, 1 − y_i f(x_i))²} for labels ±1 and one output
 *       (theory.md §8, the jamming papers' loss), residual {@code e_i = ∂L/∂f_i = −y_i max(0, 1 − y_i f_i)}.
 *       It is exactly 0 once every point has margin {@code y_i f_i ≥ 1}.</li>
 * </ul>
 * Every gradient of these nets is the MSE gradient with {@code e} in place of {@code f − y}, so a net changes
 * only the line that forms {@code e} and the loss.
 *
 * <p>Why a squared-hinge trial converges at {@code loss ≤ tolerance·loss0} like an MSE one, and not only at
 * exactly 0: under plain GD the points still short of margin 1 approach it from below, their deficits
 * {@code 1 − y_i f_i} decaying geometrically ({@code (1 − ηλ)^s} on the active set's kernel), so the loss falls
 * exponentially to the rounding floor (about {@code 1e−31} of {@code loss0}, deficits near the ulp of 1) and then
 * wanders there; it hits exactly 0 only when rounding happens to push the last margins over 1, after a
 * number of steps set by rounding, not by the dynamics (docs/tables.md, {@code train.loss}). The jamming papers
 * reach {@code N_Δ = 0} with Adam or FIRE, whose overshoot crosses the margins; the {@code unfitted} column
 * ({@code N_Δ}) is recorded for every trial.
 */
public enum Loss {
    MSE, SQUARED_HINGE;

    /** The config and table name: {@code mse}, {@code squared_hinge}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a config value; null when unknown. */
    public static Loss parse(String s) {
        for (Loss l : values()) {
            if (l.key().equals(s)) {
                return l;
            }
        }
        return null;
    }

    /** The config names, comma-separated. */
    public static String knownKeys() {
        return String.join(", ", java.util.Arrays.stream(values()).map(Loss::key).toList());
    }

    /**
     * Throws unless the targets suit this loss: for the squared hinge one output ({@code dy = 1}) and every
     * {@code y_i} exactly −1 or +1. The message names {@code train.loss}.
     */
    public void requireTargets(double[] y, int dy) {
        if (this != SQUARED_HINGE) {
            return;
        }
        if (dy != 1) {
            throw new IllegalArgumentException("train.loss squared_hinge needs one output, the data have d_y=" + dy);
        }
        for (int i = 0; i < y.length; i++) {
            if (y[i] != 1.0 && y[i] != -1.0) {
                throw new IllegalArgumentException("train.loss squared_hinge needs labels ±1, target " + i + " is " + y[i]);
            }
        }
    }
}

package org.overparam.trainer.nets;

import org.overparam.trainer.rng.RandomStream;

/**
 * The random draws of a two-layer network's initialization: {@code z_k ~ N(0, I_d)} and
 * {@code c_k ~ U{−1, +1}}, one neuron after another from the stream keyed by {@code (seed, d)}.
 *
 * <p>Shared by every model and α: {@code relu} uses {@code w_k = z_k}, {@code wn} uses
 * {@code v_k = α z_k}, {@code g_k = ‖z_k‖} (theory.md eq. 2.4). Hence Observation 1 holds by
 * construction (same draws for every α), {@code wn} at α = 1 starts as the same function as
 * {@code relu}, and the first {@code m} neurons of a wider net are the neurons of the narrower one.
 *
 * @param z row-major {@code m×d}
 * @param c length {@code m}, entries ±1
 */
public record InitialDraws(int m, int d, double[] z, double[] c) {

    /** Draws the initialization of trial seed {@code seed} for width {@code m} in dimension {@code d}. */
    public static InitialDraws draw(long seed, int m, int d) {
        RandomStream rng = RandomStream.of("init/two-layer", seed, d);
        double[] z = new double[m * d];
        double[] c = new double[m];
        for (int k = 0; k < m; k++) {
            rng.fillGaussian(z, k * d, d);
            c[k] = rng.nextSign();
        }
        return new InitialDraws(m, d, z, c);
    }
}

package org.overparam.trainer.data;

import org.overparam.trainer.rng.RandomStream;

/**
 * The Ackley-like regression target of paper 002 Sec. 6.1, in the reading of theory.md §4 (the printed
 * formula is ill-formed). Draw {@code u ~ U[−2, 2]^d}, input {@code x = u/‖u‖} (unit norm, as the theory
 * assumes), target, with 1-based indices taken cyclically ({@code x_0 := x_d}) and the cube on
 * {@code x_{d'}}:
 * <pre>
 *   y = Σ_{d'=1}^{d} x_{d−d'} ( ln|x_{d'}| (cos x_{d'} + x_{d'}³ sin x_{d'}) + sqrt|x_{d'}| )
 * </pre>
 * evaluated on the normalized {@code x}, so {@code y} is a function of the input the network sees. One
 * output ({@code d_y = 1}). Deterministic in {@code (seed, d)} and prefix-consistent like
 * {@link SphereData}.
 */
public record AckleyData(long seed) implements DataSource {
    private static final long serialVersionUID = 1L;

    @Override
    public Dataset load(int n, int d) {
        RandomStream rng = RandomStream.of("data/ackley", seed, d);
        double[] x = new double[n * d];
        double[] y = new double[n];
        double[] u = new double[d];
        for (int i = 0; i < n; i++) {
            double norm2;
            boolean hasZero;
            do {
                norm2 = 0;
                hasZero = false;
                for (int j = 0; j < d; j++) {
                    u[j] = 4.0 * rng.nextUniform() - 2.0;
                    norm2 += u[j] * u[j];
                    hasZero |= u[j] == 0.0;
                }
            } while (hasZero);
            double inv = 1.0 / Math.sqrt(norm2);
            for (int j = 0; j < d; j++) {
                x[i * d + j] = u[j] * inv;
            }
            y[i] = target(x, i * d, d);
        }
        return new Dataset(n, d, x, y);
    }

    /** The target of one input {@code x[off .. off+d)}. */
    static double target(double[] x, int off, int d) {
        double y = 0;
        for (int dp = 1; dp <= d; dp++) {
            double xd = x[off + dp - 1];
            int partner = d - dp == 0 ? d : d - dp;          // 1-based, cyclic
            double xp = x[off + partner - 1];
            double a = Math.abs(xd);
            y += xp * (StrictMath.log(a) * (StrictMath.cos(xd) + xd * xd * xd * StrictMath.sin(xd)) + StrictMath.sqrt(a));
        }
        return y;
    }

    @Override
    public String identity() {
        return "ackley(seed=" + seed + ")";
    }
}

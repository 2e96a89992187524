package org.overparam.trainer.nets;

import org.overparam.trainer.data.Dataset;
import org.overparam.trainer.linalg.RowMajorBlas;

/**
 * {@code grelu}: the gated network of paper 002 (Sec. 2, theory.md §4) whose gates come from a fixed
 * random path, {@code z_0 = [C x]⁺}, {@code z_k = [Ψ_k z_{k−1}]⁺}, {@code D_k = diag(1{z_k > 0})},
 * {@code Ψ_k ~ N(0, 2/m)} ({@code m×m}) drawn from the trial seed. The gates of the training set are
 * computed once at construction (one {@code Ψ_k} in memory at a time, then dropped) and never change.
 */
public final class GReluNet extends DeepGatedNet {

    private final long seed;

    public GReluNet(Dataset data, long seed, int m, int depth, RowMajorBlas blas) {
        this(data, seed, m, depth, blas, Loss.MSE);
    }

    /** A net trained on {@code loss}. */
    public GReluNet(Dataset data, long seed, int m, int depth, RowMajorBlas blas, Loss loss) {
        super(data, seed, m, depth, blas, loss);
        this.seed = seed;
        double[] z = h[0].clone();                       // z_0 = [C x]⁺
        double[] next = new double[n * m];
        for (int k = 1; k <= depth; k++) {
            double[] psi = gaussian("init/deep/Psi" + k, seed, m * m, Math.sqrt(2.0 / m), m, m);
            blas.timesTransposed(n, m, m, z, psi, next);
            boolean[] g = gates[k];
            for (int t = 0; t < next.length; t++) {
                g[t] = next[t] > 0;
                if (!g[t]) {
                    next[t] = 0.0;
                }
            }
            double[] swap = z;
            z = next;
            next = swap;
        }
    }

    /** The path's gates on other inputs: {@code Ψ_k} drawn again from the trial seed, one at a time. */
    @Override
    protected boolean[][] testGates(double[] xs, int rows) {
        boolean[][] out = new boolean[depth + 1][];
        double[] z = new double[rows * m];
        blas.timesTransposed(rows, m, dx, xs, c, z);
        for (int t = 0; t < z.length; t++) {
            z[t] = Math.max(0.0, z[t]);
        }
        double[] next = new double[rows * m];
        for (int k = 1; k <= depth; k++) {
            double[] psi = gaussian("init/deep/Psi" + k, seed, m * m, Math.sqrt(2.0 / m), m, m);
            blas.timesTransposed(rows, m, m, z, psi, next);
            out[k] = new boolean[rows * m];
            for (int t = 0; t < next.length; t++) {
                out[k][t] = next[t] > 0;
                if (!out[k][t]) {
                    next[t] = 0.0;
                }
            }
            double[] swap = z;
            z = next;
            next = swap;
        }
        return out;
    }

    @Override
    protected boolean gateOn(int k, double z) {
        throw new IllegalStateException("GReLU gates come from the path, not the weights");
    }

    @Override
    protected void gate(int k, double[] z) {
        // Fixed gates: nothing to do.
    }
}

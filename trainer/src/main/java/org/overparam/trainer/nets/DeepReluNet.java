package org.overparam.trainer.nets;

import org.overparam.trainer.data.Dataset;
import org.overparam.trainer.linalg.RowMajorBlas;

/**
 * {@code deep-relu}: the baseline of paper 002 with the same shape as {@link GReluNet} and ordinary ReLU
 * gates {@code D_k = diag(1{W_k h_{k−1} > 0})} from its own pre-activations. Every forward pass counts how
 * many gates changed since the previous one ({@link #patternChange()}, the Hamming distance of paper 002
 * Sec. 6.3).
 */
public final class DeepReluNet extends DeepGatedNet {
    private long changed;
    private boolean seen;
    private double patternChange = Double.NaN;

    private final boolean linearLast;

    public DeepReluNet(Dataset data, long seed, int m, int depth, RowMajorBlas blas) {
        this(data, seed, m, depth, blas, Loss.MSE);
    }

    /** A net trained on {@code loss}. */
    public DeepReluNet(Dataset data, long seed, int m, int depth, RowMajorBlas blas, Loss loss) {
        super(data, seed, m, depth, blas, loss);
        this.linearLast = false;
    }

    /**
     * The ReLU net {@code f̃(x) = B W_L σ(W_{L−1} ⋯ σ(W_1 σ(C x)))} with the given layers and a linear last layer
     * (no gate after {@code W_L}): the form of paper 002 Theorem 2's converted net ({@link GReluToRelu#toReluNet}).
     */
    DeepReluNet(Dataset data, double[] c, double[] b, double[][] w, RowMajorBlas blas, Loss loss) {
        super(data, c, b, w, blas, loss);
        this.linearLast = true;
    }

    @Override
    protected boolean gateOn(int k, double z) {
        return (linearLast && k == depth) || z > 0;
    }

    @Override
    protected boolean[][] testGates(double[] x, int rows) {
        return null;
    }

    @Override
    protected void gate(int k, double[] z) {
        boolean[] g = gates[k];
        long count = 0;
        for (int t = 0; t < z.length; t++) {
            boolean on = gateOn(k, z[t]);
            if (on != g[t]) {
                count++;
            }
            g[t] = on;
        }
        changed = k == 1 ? count : changed + count;
        if (k == depth) {
            patternChange = seen ? changed / ((double) n * m * depth) : Double.NaN;
            seen = true;
        }
    }

    /**
     * The fraction of the {@code n·m·L} gates of layers 1..L (on the training set) that differ between the
     * last two forward passes; NaN after the first. {@code D_0} is fixed (C is not trained).
     */
    public double patternChange() {
        return patternChange;
    }
}

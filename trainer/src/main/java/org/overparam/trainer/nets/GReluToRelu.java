package org.overparam.trainer.nets;

import org.overparam.trainer.linalg.Lapack;
import org.overparam.trainer.linalg.LinearAlgebra;
import org.overparam.trainer.linalg.RowMajorBlas;

/**
 * Theorem 2 of paper 002 (proof in Sec. 10.7): a trained GReLU net has a ReLU net of the same sizes,
 * {@code f̃(x) = B W̃_L σ(W̃_{L−1} σ(⋯ W̃_1 σ(C x)))}, whose hidden pre-activations equal the GReLU's gated
 * features on every training example: {@code W̃_k σ(H_{k−1}^i) = H_k^i} (eq. 48, with the ReLU net's
 * pre-activation {@code z^ReLU_k} matched to the GReLU output {@code z̃_k}, and {@code σ(C x) = H_0}).
 * Each {@code W̃_k} is the minimum-norm least-squares solution (eq. 49) of
 * {@code σ(H_{k−1}) W̃_kᵀ = H_k} over the n training rows, by LAPACK {@code dgelss} (SVD; this JVM's
 * {@link Lapack}, bit-reproducible). The system is exactly solvable when the n rows of {@code σ(H_{k−1})}
 * are independent (rank n), which needs {@code n ≤ m}; then the two nets' outputs agree to rounding.
 * Rank n is not implied by {@code n ≤ m}: the ReLU zeroes the negative gated features and a GReLU layer
 * leaves whole neurons off for every example (the fixed path's gates are strongly correlated across
 * inputs), so the usable width is about a third to a half of m; {@link Conversion#minRank()} reports it.
 */
public final class GReluToRelu {
    private GReluToRelu() {
    }

    /**
     * The converted layers and the smallest numerical rank of the systems' matrices {@code σ(H_{k−1})}
     * (exact conversion when it equals n).
     */
    public record Conversion(double[][] layers, int minRank) {
    }

    /** The converted layers {@code W̃_1 … W̃_L} ({@code m×m}, row-major) of {@code net} at its last forward. */
    public static Conversion convert(DeepGatedNet net) {
        int n = net.examples();
        int m = net.width();
        int depth = net.depth();
        Lapack lapack = LinearAlgebra.get().lapack();
        double[][] out = new double[depth][];
        int minRank = Integer.MAX_VALUE;
        int ldb = Math.max(n, m);
        for (int k = 1; k <= depth; k++) {
            double[] in = net.features(k - 1);
            double[] target = net.features(k);
            double[] a = new double[n * m];              // column-major n×m: σ(H_{k−1})
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < m; j++) {
                    a[i + j * n] = Math.max(0.0, in[i * m + j]);
                }
            }
            double[] bm = new double[ldb * m];           // column-major ldb×m, first n rows H_k
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < m; j++) {
                    bm[i + j * ldb] = target[i * m + j];
                }
            }
            int rank;
            try {
                rank = lapack.leastSquares(n, m, m, a, bm, ldb);
            } catch (ArithmeticException e) {
                throw new ArithmeticException("layer " + k + ": " + e.getMessage());
            }
            minRank = Math.min(minRank, rank);
            // X = W̃ᵀ sits in the first m rows, column-major: W̃[j][r] = X[r][j] = bm[r + j*ldb].
            double[] wk = new double[m * m];
            for (int j = 0; j < m; j++) {
                System.arraycopy(bm, j * ldb, wk, j * m, m);
            }
            out[k - 1] = wk;
        }
        return new Conversion(out, minRank);
    }

    /**
     * The converted ReLU net of {@code net} at its last forward, ready to train on, with a linear last layer
     * as {@link #reluOutputs}: {@code C}, {@code B} kept, {@code W̃_k} from {@link #convert}. Its loss on the
     * training set equals the GReLU's to rounding when the systems have rank n ({@link Conversion#minRank()}).
     */
    public static DeepReluNet toReluNet(DeepGatedNet net, RowMajorBlas blas) {
        Conversion conversion = convert(net);
        return new DeepReluNet(net.dataset(), net.inputLayer(), net.outputLayer(), conversion.layers(), blas, net.loss());
    }

    /** The ReLU net {@code f̃} on inputs {@code x} ({@code rows×d_x}): outputs {@code rows×d_y}. */
    public static double[] reluOutputs(double[] c, double[][] wTilde, double[] b, double[] x, int rows, int dx,
                                       int m, int dy, RowMajorBlas blas) {
        double[] p = new double[rows * m];
        double[] q = new double[rows * m];
        blas.timesTransposed(rows, m, dx, x, c, p);
        for (double[] wk : wTilde) {
            for (int t = 0; t < p.length; t++) {
                p[t] = Math.max(0.0, p[t]);
            }
            blas.timesTransposed(rows, m, m, p, wk, q);
            double[] swap = p;
            p = q;
            q = swap;
        }
        double[] out = new double[rows * dy];
        blas.timesTransposed(rows, dy, m, p, b, out);
        return out;
    }

    /**
     * {@code max_{i,o} |f_GReLU(x_i)_o − f̃(x_i)_o|} over the training set after converting {@code net} at
     * its last forward (paper 002 Theorem 2: rounding level when the systems have rank n, see the class
     * comment), and that rank: {@code {difference, minRank}}.
     */
    public static double[] maxAbsDifference(DeepGatedNet net, RowMajorBlas blas) {
        for (double f : net.outputs()) {
            if (!Double.isFinite(f)) {
                return new double[] {Double.NaN, Double.NaN};
            }
        }
        Conversion conversion = convert(net);
        double[][] wTilde = conversion.layers();
        double[] relu = reluOutputs(net.inputLayer(), wTilde, net.outputLayer(), net.inputs(), net.examples(),
                net.inputDimension(), net.width(), net.outputDimension(), blas);
        double[] grelu = net.outputs();
        double worst = 0;
        for (int t = 0; t < relu.length; t++) {
            double diff = Math.abs(relu[t] - grelu[t]);
            if (diff > worst || Double.isNaN(diff)) {
                worst = diff;
            }
        }
        return new double[] {worst, conversion.minRank()};
    }
}

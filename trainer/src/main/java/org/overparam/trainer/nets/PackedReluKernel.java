package org.overparam.trainer.nets;

/**
 * The forward pass and the gradient's products of several relu/wn nets on one data set at once ({@link ReluNetPack}),
 * each net a lane: neuron {@code k} of lane {@code t} is column {@code k·tp + t} of every {@code n×(m·tp)} quantity,
 * so one pass over the examples serves every net and the SIMD lanes run different nets doing the same operations.
 * Each lane performs exactly a lone net's operations in a lone net's order: {@code P_ik} a chain of fused
 * multiply-adds over the inputs from {@code +0}, the output {@code f_i} the four interleaved partial sums of
 * {@link ReluRows}, the residual and loss term of {@link Loss}, {@code h_k += e_i σ(u_ik)}, and {@code Q_kj} a chain
 * of fused multiply-adds over the examples in order from {@code +0} — the chains BLAS forms where
 * {@link ReluNetPack#packs} has found them equal. {@link #scalar()} is the reference; the SIMD one does the same four
 * lanes at a time.
 */
interface PackedReluKernel {
    /**
     * One forward pass of {@code tp} lanes ({@code tp} a multiple of 4; unused lanes hold zero weights).
     *
     * @param x    examples ({@code n×d}, row-major)
     * @param y    targets ({@code n})
     * @param wt   directions, {@code wt[j·c + k·tp + t]} = lane {@code t}'s {@code W_kj} ({@code c = m·tp})
     * @param sc   output scales, {@code sc[k·tp + t]} = lane {@code t}'s {@code s_k}
     * @param urow scratch of {@code 4c}: four examples' pre-activations
     * @param sums scratch of {@code 16·tp}: four examples' four partial sums per lane
     * @param f    out: {@code f[i·tp + t]}
     * @param e    out: residuals, like {@code f}
     * @param loss out: {@code Σ_i} loss term per lane ({@code tp})
     * @param h    out: {@code h[k·tp + t] = Σ_i e_i σ(u_ik)}
     * @param qt   out: {@code qt[j·c + k·tp + t] = Σ_i e_i 1_ik x_ij}
     */
    void forward(int n, int d, int m, int tp, double[] x, double[] y, boolean hinge, double[] wt, double[] sc,
                 double[] urow, double[] sums, double[] f, double[] e, double[] loss, double[] h, double[] qt);

    /** The SIMD implementation where the JVM has the vector module, else null (then nets are not packed). */
    static PackedReluKernel simd() {
        return Holder.SIMD;
    }

    /** The plain-Java lanes (the reference the SIMD one is tested against). */
    static PackedReluKernel scalar() {
        return ScalarPackedReluKernel.INSTANCE;
    }

    /** The residual {@code e} of output {@code f} for target {@code y}: {@code f − y} (MSE) or {@code −y max(0, 1 − y f)}. */
    static double residual(boolean hinge, double f, double y) {
        if (hinge) {
            double r = 1.0 - y * f;
            return r > 0 ? -y * r : 0.0;
        }
        return f - y;
    }

    /** The loss term of output {@code f} for target {@code y}: {@code (f − y)²} or {@code max(0, 1 − y f)²}. */
    static double term(boolean hinge, double f, double y) {
        if (hinge) {
            double r = 1.0 - y * f;
            return r > 0 ? r * r : 0.0;
        }
        double e = f - y;
        return e * e;
    }

    /** Chosen once: the vector module is either in the boot layer or not, for the JVM's life. */
    final class Holder {
        static final PackedReluKernel SIMD = choose();

        private Holder() {
        }

        private static PackedReluKernel choose() {
            PackedReluKernel best = VectorModule.orScalar("VectorPackedReluKernel", PackedReluKernel.class, ScalarPackedReluKernel.INSTANCE);
            return best == ScalarPackedReluKernel.INSTANCE ? null : best;
        }
    }
}

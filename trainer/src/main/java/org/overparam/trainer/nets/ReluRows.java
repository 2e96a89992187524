package org.overparam.trainer.nets;

/**
 * The elementwise work of a two-layer ReLU net's GD step, one row of pre-activations {@code u_i·}
 * (neurons {@code 0…m−1} of example {@code i}) at a time: the output {@code f_i = Σ_k s_k σ(u_ik)}, and the
 * backward half that turns the row into {@code e_i 1{u_ik ≥ 0}} in place while adding {@code e_i σ(u_ik)}
 * to {@code h_k}. Two implementations give the same bits: {@link #scalar()} and, where the JVM runs with
 * {@code --add-modules=jdk.incubator.vector} (our launcher and tests do), a SIMD one that does the same
 * operations four neurons at a time. The sum {@code f_i} is four interleaved partial sums (neurons
 * {@code k ≡ 0, 1, 2, 3 mod 4}; the last {@code m mod 4} neurons go to the first), added as
 * {@code (s0 + s1) + (s2 + s3)}: a fixed order on both paths, so a trial's row never depends on which ran.
 */
interface ReluRows {
    /** {@code Σ_k scale[k]·σ(pre[row + k])} over {@code k < m}, in the order stated above. */
    double output(double[] pre, int row, double[] scale, int m);

    /**
     * For {@code k < m}: {@code h[k] += e·σ(u)} and {@code pre[row + k] = e·1{u ≥ 0}} (as bits: {@code e} or
     * {@code +0}; {@code −0.0} counts as {@code ≥ 0}), where {@code u = pre[row + k]} before the call.
     */
    void backprop(double[] pre, int row, double e, double[] h, int m);

    /** The SIMD implementation where the JVM has the vector module, else {@link #scalar()}. */
    static ReluRows best() {
        return Holder.BEST;
    }

    /** The plain-Java implementation (the reference the SIMD one is tested against). */
    static ReluRows scalar() {
        return ScalarReluRows.INSTANCE;
    }

    /** Whether {@link #best()} is the SIMD implementation. */
    static boolean simd() {
        return Holder.BEST != ScalarReluRows.INSTANCE;
    }

    /** Chosen once: the vector module is either in the boot layer or not, for the JVM's life. */
    final class Holder {
        static final ReluRows BEST = choose();

        private Holder() {
        }

        private static ReluRows choose() {
            return VectorModule.orScalar("VectorReluRows", ReluRows.class, ScalarReluRows.INSTANCE);
        }
    }
}

package org.overparam.trainer.nets;

/**
 * The elementwise work of {@link BatchNormNet}'s GD step, one row of projections {@code p_i· = x̄_i V^T}
 * (units {@code 0…m−1} of example {@code i}) at a time: the normalized, scaled pre-activations
 * {@code s_ij = c_j p_ij / N_j} of the forward pass, and the backward half that adds example i's share to the
 * gradients of {@code a} and {@code c} and to the per-unit sums {@code t_j}, and writes the row {@code r_i·}
 * that the V-gradient's product reads. Two implementations give the same bits: {@link #scalar()}, the loops
 * bn always had, and, where the JVM runs with {@code --add-modules=jdk.incubator.vector} (our launcher and tests
 * do), a SIMD one doing the same IEEE operations in the same order per unit, four units at a time (each unit's
 * sums run over the examples in order on both paths; nothing is summed across units here).
 */
interface BatchNormRows {
    /** {@code out[j] = c[j] · p[row + j] / norm[j]} for {@code j < m}, as {@code (c·p)/N}. */
    void scaled(double[] p, int row, double[] c, double[] norm, double[] out, int m);

    /**
     * For {@code j < m}, with {@code u = p[row + j] / norm[j]}, {@code s = c[j]·u} and {@code g = gi}: where
     * {@code s > 0}, {@code grad[j] += g·s}, {@code grad[m + j] += (g·a[j])·u},
     * {@code r[row + j] = ((g·a[j])·c[j]) / norm[j]} and {@code t[j] += r[row + j]·p[row + j]}; elsewhere
     * {@code r[row + j] = +0.0} and nothing is added.
     */
    void backprop(double[] p, int row, double[] norm, double[] a, double[] c, double gi, double[] grad, double[] r, double[] t, int m);

    /** The SIMD implementation where the JVM has the vector module, else {@link #scalar()}. */
    static BatchNormRows best() {
        return Holder.BEST;
    }

    /** The plain-Java implementation (the reference the SIMD one is tested against). */
    static BatchNormRows scalar() {
        return ScalarBatchNormRows.INSTANCE;
    }

    /** Chosen once: the vector module is either in the boot layer or not, for the JVM's life. */
    final class Holder {
        static final BatchNormRows BEST = choose();

        private Holder() {
        }

        private static BatchNormRows choose() {
            return VectorModule.orScalar("VectorBatchNormRows", BatchNormRows.class, ScalarBatchNormRows.INSTANCE);
        }
    }
}

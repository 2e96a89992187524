package org.overparam.trainer.nets;

/**
 * The exact {@code gelu} of {@link Activation#GELU} and its slope over an array of pre-activations:
 * {@code φ(s) = s Φ(s)} and {@code φ'(s) = Φ(s) + s·pdf(s)}, Φ and pdf sharing one {@code exp(−s²/2)}
 * ({@link Erf#cdf}, {@link Erf#gaussian}). Two implementations give the same bits: {@link #scalar()} and,
 * where the JVM runs with {@code --add-modules=jdk.incubator.vector} (our launcher and tests do), a SIMD one
 * doing the same operations on every lane. Each element is computed alone (no sums across elements), so
 * the vector width cannot change a result.
 */
interface GeluKernel {
    /**
     * For {@code from ≤ t < to}: {@code values[t] = φ(pre[t])}, {@code slopes[t] = φ'(pre[t])}, bit for bit
     * {@link Activation#GELU}'s {@code value} and {@code derivative}. {@code values} may be {@code pre}.
     */
    void valuesAndSlopes(double[] pre, double[] values, double[] slopes, int from, int to);

    /** The SIMD implementation where the JVM has the vector module, else {@link #scalar()}. */
    static GeluKernel best() {
        return Holder.BEST;
    }

    /** The plain-Java implementation (the reference the SIMD one is tested against). */
    static GeluKernel scalar() {
        return ScalarGeluKernel.INSTANCE;
    }

    /** Whether {@link #best()} is the SIMD implementation. */
    static boolean simd() {
        return Holder.BEST != ScalarGeluKernel.INSTANCE;
    }

    /** Chosen once: the vector module is either in the boot layer or not, for the JVM's life. */
    final class Holder {
        static final GeluKernel BEST = choose();

        private Holder() {
        }

        private static GeluKernel choose() {
            return VectorModule.orScalar("VectorGeluKernel", GeluKernel.class, ScalarGeluKernel.INSTANCE);
        }
    }
}

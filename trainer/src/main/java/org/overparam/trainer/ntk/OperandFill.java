package org.overparam.trainer.ntk;

/**
 * Fills the {@code n×m} operand of a kernel product from pre-activations {@code u}: {@code B_ik = scale_k}
 * where {@code u_ik ≥ 0} (the indicators), or {@code B_ik = scale_k·u_ik/‖v_k‖} there (the normalized
 * activations), and {@code 0} elsewhere. Two implementations give the same bits (each entry is one
 * correctly rounded multiplication and division, or a copy): {@link #scalar()} and, where the JVM has the
 * vector module ({@code --add-modules=jdk.incubator.vector}: our launcher and tests), a SIMD one without
 * branches (the signs of {@code u} are a coin toss, and a mispredicted branch per entry cost more than the
 * product that follows).
 */
interface OperandFill {
    /** Row-major {@code n×m}: {@code buffer} from {@code u}; {@code vNorm} is read only when {@code relu}. */
    void fill(double[] u, int n, int m, double[] scale, boolean relu, double[] vNorm, double[] buffer);

    /** The SIMD implementation where the JVM has the vector module, else {@link #scalar()}. */
    static OperandFill best() {
        return Holder.BEST;
    }

    /** The plain-Java implementation (the reference the SIMD one is tested against). */
    static OperandFill scalar() {
        return ScalarOperandFill.INSTANCE;
    }

    /** Chosen once: the vector module is either in the boot layer or not, for the JVM's life. */
    final class Holder {
        static final OperandFill BEST = choose();

        private Holder() {
        }

        private static OperandFill choose() {
            if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
                return ScalarOperandFill.INSTANCE;
            }
            try {
                return (OperandFill) Class.forName("org.overparam.trainer.ntk.VectorOperandFill")
                        .getDeclaredField("INSTANCE").get(null);
            } catch (ReflectiveOperationException | LinkageError e) {
                return ScalarOperandFill.INSTANCE;
            }
        }
    }
}

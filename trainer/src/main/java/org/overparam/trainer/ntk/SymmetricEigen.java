package org.overparam.trainer.ntk;

import org.overparam.trainer.linalg.Lapack;
import org.overparam.trainer.linalg.LinearAlgebra;

/**
 * Eigenvalues of symmetric matrices by LAPACK {@code dsyevd} (divide and conquer, values only), through this
 * JVM's {@link Lapack}: the bundled OpenBLAS on aligned copies, or the serialized Java LAPACK. Either way the
 * same matrix gives the same bits on every call, from any number of threads at once.
 */
public final class SymmetricEigen {
    private final Lapack lapack;

    private SymmetricEigen(Lapack lapack) {
        this.lapack = lapack;
    }

    /** This JVM's LAPACK ({@link LinearAlgebra#get()}); what every trial uses. */
    public static SymmetricEigen reproducible() {
        return new SymmetricEigen(LinearAlgebra.get().lapack());
    }

    /** Eigenvalues by {@code lapack}, e.g. {@link LinearAlgebra#java()}'s. */
    public static SymmetricEigen of(Lapack lapack) {
        return new SymmetricEigen(lapack);
    }

    /** Implementation name, e.g. {@code OpenBLAS 0.3.31} (native) or {@code F2jLAPACK} (Java). */
    public String implementation() {
        return lapack.implementation();
    }

    /** All eigenvalues, ascending. The matrix is not modified. */
    public double[] eigenvalues(SymmetricMatrix a) {
        return lapack.symmetricEigenvalues(a.n(), a.values());
    }

    /** The smallest and largest eigenvalue. */
    public Spectrum extremes(SymmetricMatrix a) {
        double[] w = eigenvalues(a);
        return new Spectrum(w[0], w[w.length - 1]);
    }
}

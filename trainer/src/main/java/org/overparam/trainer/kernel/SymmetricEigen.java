package org.overparam.trainer.kernel;

import dev.ludovic.netlib.lapack.LAPACK;
import org.netlib.util.intW;

/**
 * Eigenvalues of symmetric matrices by LAPACK {@code dsyevd} (divide and conquer, values only) through
 * netlib.
 *
 * <p>{@link #reproducible()} uses netlib's Java translation of reference LAPACK, whose results are the
 * same bits on every run: native LAPACK (OpenBLAS's) peels its level-2 loops by memory alignment, and
 * Java arrays land at varying addresses, so the same matrix gave eigenvalues differing in the last bit
 * from one call to the next (measured: 2 distinct λmin over 300 calls; 1 with the Java LAPACK). n = 2000
 * takes about 4 s in Java against 0.8 s natively; trial rows must not depend on where an array landed.
 */
public final class SymmetricEigen {
    private final LAPACK lapack;

    private SymmetricEigen(LAPACK lapack) {
        this.lapack = lapack;
    }

    /** Bit-reproducible eigenvalues (Java LAPACK); what every trial uses. */
    public static SymmetricEigen reproducible() {
        return new SymmetricEigen(dev.ludovic.netlib.lapack.JavaLAPACK.getInstance());
    }

    /** The fastest LAPACK netlib finds (native when present); not bit-reproducible across calls. */
    public static SymmetricEigen fastest() {
        return new SymmetricEigen(LAPACK.getInstance());
    }

    /** Implementation name, e.g. {@code JNILAPACK} (native) or {@code F2jLAPACK} (Java). */
    public String implementation() {
        return lapack.getClass().getSimpleName();
    }

    /** All eigenvalues, ascending. The matrix is not modified. */
    public double[] eigenvalues(SymmetricMatrix a) {
        int n = a.n();
        double[] work = a.values().clone();
        double[] w = new double[n];
        double[] query = new double[1];
        int[] iquery = new int[1];
        intW info = new intW(0);
        lapack.dsyevd("N", "U", n, work, n, w, query, -1, iquery, -1, info);
        check(info, n);
        int lwork = (int) query[0];
        int liwork = iquery[0];
        lapack.dsyevd("N", "U", n, work, n, w, new double[Math.max(1, lwork)], lwork, new int[Math.max(1, liwork)], liwork, info);
        check(info, n);
        return w;
    }

    /** The smallest and largest eigenvalue. */
    public Spectrum extremes(SymmetricMatrix a) {
        double[] w = eigenvalues(a);
        return new Spectrum(w[0], w[w.length - 1]);
    }

    private static void check(intW info, int n) {
        if (info.val != 0) {
            throw new ArithmeticException("LAPACK dsyevd failed on an " + n + "x" + n + " matrix (info=" + info.val + ")");
        }
    }
}

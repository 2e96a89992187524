package org.overparam.trainer.linalg;

import dev.ludovic.netlib.lapack.LAPACK;
import org.netlib.util.intW;

/**
 * {@link Lapack} by netlib's Java translation of reference LAPACK (f2j), the fallback where the bundled native
 * library cannot load: every call holds one JVM-wide lock.
 *
 * <p>Why the lock: the f2j translation keeps Fortran {@code SAVE} variables in unsynchronized static fields.
 * {@code Dlamch}, {@code Dlamc1}, {@code Dlamc2} compute the machine constants on first use (threads that race
 * there left {@code eps = 6.3e-30} for the life of the JVM, and {@code dlascl} looping forever), and
 * {@code Dlasq3}/{@code Dlasq4} carry state from one call to the next inside the SVD's dqds iteration (used by
 * {@code dgelss}), so two SVDs at once corrupt each other even after the constants are set. The lock is the
 * {@code Class} object of {@code org.netlib.lapack.Dlamch}: it is exactly as shared as that state (one per
 * class loader that loads f2j), so callers from any of our classes or class loaders that share f2j's classes
 * are serialized. The monitor's release also publishes the constants to every later caller.
 */
final class JavaLapack implements Lapack {
    private static final Object F2J_STATE = org.netlib.lapack.Dlamch.class;

    private final LAPACK lapack = dev.ludovic.netlib.lapack.JavaLAPACK.getInstance();

    @Override
    public double[] symmetricEigenvalues(int n, double[] a) {
        if (a.length != (long) n * n) {
            throw new IllegalArgumentException("a has " + a.length + " values, expected " + ((long) n * n));
        }
        double[] work = a.clone();
        double[] w = new double[n];
        double[] query = new double[1];
        int[] iquery = new int[1];
        intW info = new intW(0);
        synchronized (F2J_STATE) {
            lapack.dsyevd("N", "U", n, work, Math.max(1, n), w, query, -1, iquery, -1, info);
            check(info, "dsyevd", n);
            int lwork = Math.max(1, (int) query[0]);
            int liwork = Math.max(1, iquery[0]);
            lapack.dsyevd("N", "U", n, work, Math.max(1, n), w, new double[lwork], lwork, new int[liwork], liwork, info);
        }
        check(info, "dsyevd", n);
        return w;
    }

    @Override
    public int leastSquares(int rows, int cols, int nrhs, double[] a, double[] b, int ldb) {
        double[] work = a.clone();
        double[] s = new double[Math.max(1, Math.min(rows, cols))];
        intW rank = new intW(0);
        intW info = new intW(0);
        double[] query = new double[1];
        synchronized (F2J_STATE) {
            lapack.dgelss(rows, cols, nrhs, work, Math.max(1, rows), b, ldb, s, -1.0, rank, query, -1, info);
            check(info, "dgelss", rows);
            int lwork = Math.max(1, (int) query[0]);
            lapack.dgelss(rows, cols, nrhs, work, Math.max(1, rows), b, ldb, s, -1.0, rank, new double[lwork], lwork, info);
        }
        check(info, "dgelss", rows);
        return rank.val;
    }

    @Override
    public String implementation() {
        return lapack.getClass().getSimpleName();
    }

    private static void check(intW info, String routine, int n) {
        if (info.val != 0) {
            throw new ArithmeticException("LAPACK " + routine + " failed on an " + n + "-row matrix (info=" + info.val + ")");
        }
    }
}

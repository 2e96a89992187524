package org.overparam.trainer.linalg;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.openblas.global.openblas;

/**
 * {@link Lapack} by the bundled OpenBLAS's LAPACK ({@link BundledOpenBlas}, one thread), on off-heap copies
 * of the arguments placed at a 64-byte boundary.
 *
 * <p>Why the copies: OpenBLAS's level-2 kernels inside {@code dsytrd} peel their loops by the operands'
 * memory alignment, so the same matrix at another address gives eigenvalues that differ in the last bits;
 * Java arrays land wherever the garbage collector puts them. At a fixed alignment every call sees the same
 * peeling. The copies cost {@code O(n²)} against the routines' {@code O(n³)}. The workspace comes from the
 * routines' own size query and is aligned the same way.
 */
final class NativeLapack implements Lapack {
    private static final int ALIGNMENT_BYTES = 64;
    private static final int DOUBLES_PER_ALIGNMENT = ALIGNMENT_BYTES / Double.BYTES;

    private final String name;

    NativeLapack(BundledOpenBlas library) {
        this.name = "OpenBLAS " + library.version();
    }

    @Override
    public double[] symmetricEigenvalues(int n, double[] a) {
        requireLength(a, (long) n * n, "a");
        if (n == 0) {
            return new double[0];
        }
        try (DoublePointer pa = aligned(a.length); DoublePointer pw = aligned(n);
             DoublePointer query = aligned(1); IntPointer iquery = new IntPointer(1L)) {
            pa.put(a);
            check(openblas.LAPACKE_dsyevd_work(openblas.LAPACK_COL_MAJOR, (byte) 'N', (byte) 'U', n, pa, n, pw,
                    query, -1, iquery, -1), "dsyevd", n);
            int lwork = Math.max(1, (int) query.get());
            int liwork = Math.max(1, iquery.get());
            try (DoublePointer work = aligned(lwork); IntPointer iwork = new IntPointer((long) liwork)) {
                check(openblas.LAPACKE_dsyevd_work(openblas.LAPACK_COL_MAJOR, (byte) 'N', (byte) 'U', n, pa, n, pw,
                        work, lwork, iwork, liwork), "dsyevd", n);
            }
            double[] w = new double[n];
            pw.get(w);
            return w;
        }
    }

    @Override
    public int leastSquares(int rows, int cols, int nrhs, double[] a, double[] b, int ldb) {
        requireLength(a, (long) rows * cols, "a");
        requireLength(b, (long) ldb * nrhs, "b");
        try (DoublePointer pa = aligned(a.length); DoublePointer pb = aligned(b.length);
             DoublePointer s = aligned(Math.max(1, Math.min(rows, cols))); DoublePointer query = aligned(1);
             IntPointer rank = new IntPointer(1L)) {
            pa.put(a);
            pb.put(b);
            check(openblas.LAPACKE_dgelss_work(openblas.LAPACK_COL_MAJOR, rows, cols, nrhs, pa, rows, pb, ldb, s,
                    -1.0, rank, query, -1), "dgelss", rows);
            int lwork = Math.max(1, (int) query.get());
            try (DoublePointer work = aligned(lwork)) {
                check(openblas.LAPACKE_dgelss_work(openblas.LAPACK_COL_MAJOR, rows, cols, nrhs, pa, rows, pb, ldb, s,
                        -1.0, rank, work, lwork), "dgelss", rows);
            }
            pb.get(b);
            return rank.get();
        }
    }

    @Override
    public String implementation() {
        return name;
    }

    /** {@code length} doubles off the heap, the first at a {@value #ALIGNMENT_BYTES}-byte boundary. */
    static DoublePointer aligned(long length) {
        DoublePointer p = new DoublePointer(length + DOUBLES_PER_ALIGNMENT);
        long misalignment = p.address() % ALIGNMENT_BYTES;
        if (misalignment % Double.BYTES != 0) {
            p.close();
            throw new IllegalStateException("malloc returned an address not aligned to a double: " + p.address());
        }
        long shift = misalignment == 0 ? 0 : (ALIGNMENT_BYTES - misalignment) / Double.BYTES;
        p.position(shift);
        return p;
    }

    private static void requireLength(double[] array, long expected, String name) {
        if (array.length != expected) {
            throw new IllegalArgumentException(name + " has " + array.length + " values, expected " + expected);
        }
    }

    private static void check(int info, String routine, int n) {
        if (info != 0) {
            throw new ArithmeticException("LAPACK " + routine + " failed on an " + n + "-row matrix (info=" + info + ")");
        }
    }
}

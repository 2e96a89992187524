package org.overparam.trainer.linalg;

/**
 * The LAPACK routines the trainer needs, on column-major arrays. Every implementation may be called from many
 * threads at once and gives the same bits for the same input on every call.
 */
public interface Lapack {
    /**
     * All eigenvalues, ascending, of the symmetric {@code n×n} matrix {@code a} (column-major, upper triangle
     * read) by {@code dsyevd} (values only). {@code a} is not modified.
     *
     * @throws ArithmeticException when LAPACK reports a failure (the eigenvalues did not converge)
     */
    double[] symmetricEigenvalues(int n, double[] a);

    /**
     * The minimum-norm least-squares solution of {@code A X = B} by {@code dgelss} (SVD; singular values below
     * machine precision times the largest count as zero). {@code a} is {@code rows×cols} (column-major, not
     * modified); {@code b} is {@code ldb×nrhs} column-major with {@code ldb ≥ max(rows, cols)}, holding B in
     * its first {@code rows} rows on entry and X in its first {@code cols} rows on return (modified).
     *
     * @return the numerical rank of {@code A}
     * @throws ArithmeticException when LAPACK reports a failure (the SVD did not converge)
     */
    int leastSquares(int rows, int cols, int nrhs, double[] a, double[] b, int ldb);

    /** The implementation's name, e.g. {@code OpenBLAS 0.3.31} or {@code F2jLAPACK}. */
    String implementation();
}

package org.overparam.trainer.linalg;

import dev.ludovic.netlib.blas.BLAS;

/**
 * The matrix products the trainers need, on row-major arrays, through a netlib {@link BLAS}: the bundled
 * OpenBLAS by JNI, or a pure-Java BLAS where it cannot load ({@link LinearAlgebra} chooses). BLAS is
 * column-major: a row-major {@code r×c} array is the column-major {@code c×r} transpose, which is how the
 * calls below are phrased.
 */
public final class RowMajorBlas {
    private final BLAS blas;
    private final String name;

    RowMajorBlas(BLAS blas, String name) {
        this.blas = blas;
        this.name = name;
    }

    /** This JVM's BLAS ({@link LinearAlgebra#get()}). */
    public static RowMajorBlas best() {
        return LinearAlgebra.get().blas();
    }

    /** What the {@code blas} column says, e.g. {@code OpenBLAS 0.3.31 (bundled)} or {@code VectorBLAS (java)}. */
    public String implementation() {
        return name;
    }

    /**
     * {@code out (n×m) = A (n×k) · Bᵀ} where {@code B} is {@code m×k}; all row-major.
     * Used for pre-activations {@code P = X Wᵀ}. {@code out} is modified, the inputs are not.
     */
    public void timesTransposed(int n, int m, int k, double[] a, double[] b, double[] out) {
        blas.dgemm("T", "N", m, n, k, 1.0, b, k, a, k, 0.0, out, m);
    }

    /**
     * {@code out (m×k) = Aᵀ · B} where {@code A} is {@code n×m} and {@code B} is {@code n×k}; all
     * row-major. Used for the weight gradient {@code Q = (e ∘ 1)ᵀ X}. {@code out} is modified.
     */
    public void transposedTimes(int n, int m, int k, double[] a, double[] b, double[] out) {
        blas.dgemm("N", "T", k, m, n, 1.0, b, k, a, m, 0.0, out, k);
    }

    /**
     * {@code out (n×m) = A (n×k) · B (k×m)}; all row-major. Used to back-propagate through a layer
     * ({@code E·V}, {@code G·W}). {@code out} is modified, the inputs are not.
     */
    public void times(int n, int k, int m, double[] a, double[] b, double[] out) {
        blas.dgemm("N", "N", m, n, k, 1.0, b, m, a, k, 0.0, out, m);
    }

    /**
     * {@code out (n×n) = A · Aᵀ} for row-major {@code A} ({@code n×k}), by {@code dsyrk} (half the work of
     * a general product), with both triangles filled. {@code out} is modified.
     */
    public void gram(int n, int k, double[] a, double[] out) {
        blas.dsyrk("U", "T", n, k, 1.0, a, k, 0.0, out, n);
        // Column-major upper triangle = row-major lower triangle: mirror it to the other half.
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                out[i * n + j] = out[j * n + i];
            }
        }
    }

    /**
     * The product of {@link #transposedTimes(int, int, int, double[], double[], double[])}, faster when
     * {@code m > k}: BLAS forms {@code outᵀ = Bᵀ A} ({@code k×m}) in {@code scratch}, which is then
     * transposed into {@code out}. For the weight gradient ({@code m} neurons ≫ {@code d} inputs)
     * OpenBLAS runs that orientation 1.3–2× faster (docs/benchmarks.md). Same math; the sums may
     * round differently in the last bits. {@code out} and {@code scratch} (length ≥ {@code k·m}) are
     * modified.
     */
    public void transposedTimes(int n, int m, int k, double[] a, double[] b, double[] out, double[] scratch) {
        if (m <= k) {
            transposedTimes(n, m, k, a, b, out);
            return;
        }
        blas.dgemm("N", "T", m, k, n, 1.0, a, m, b, k, 0.0, scratch, m);
        transpose(k, m, scratch, out);
    }

    /** {@code out (c×r) = inᵀ} for row-major {@code in (r×c)}, in cache-sized tiles. */
    static void transpose(int r, int c, double[] in, double[] out) {
        final int tile = 32;
        for (int i0 = 0; i0 < r; i0 += tile) {
            int i1 = Math.min(r, i0 + tile);
            for (int j0 = 0; j0 < c; j0 += tile) {
                int j1 = Math.min(c, j0 + tile);
                for (int i = i0; i < i1; i++) {
                    for (int j = j0; j < j1; j++) {
                        out[j * r + i] = in[i * c + j];
                    }
                }
            }
        }
    }
}

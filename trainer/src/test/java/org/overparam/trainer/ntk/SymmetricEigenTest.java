package org.overparam.trainer.ntk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link SymmetricEigen} on matrices of known spectrum {@code Q diag(λ) Qᵀ}, with {@code Q} a product of
 * random Householder reflections built here, and on 2×2 matrices against the closed form.
 *
 * <p>Tolerance: each entry of the constructed {@code A} is a sum of n terms {@code λ_k q_ik q_jk} with
 * {@code Σ_k |q_ik q_jk| ≤ 1}, so it errs by at most {@code ~n·ε·max|λ|}, and {@code ‖E‖₂ ≤ n² ε max|λ|}
 * (2e-11·max|λ| at n = 300); {@code Q}'s departure from orthogonality ({@code O(n ε)}, checked) and
 * dsyevd's backward error ({@code O(n ε ‖A‖)}) add less. By Weyl's inequality every computed eigenvalue is
 * then within {@code 1e-10·max|λ|} of the exact one.
 */
class SymmetricEigenTest {
    /** The eigen solver under test: this JVM's (the bundled OpenBLAS); {@link JavaSymmetricEigenTest} the fallback. */
    SymmetricEigen eigen() {
        return SymmetricEigen.reproducible();
    }

    /** A random orthogonal {@code n×n} matrix: the product of n Householder reflections of Gaussian vectors. */
    static double[] randomOrthogonal(int n, Random r) {
        double[] q = new double[n * n];
        for (int i = 0; i < n; i++) {
            q[i * n + i] = 1.0;
        }
        double[] u = new double[n];
        double[] t = new double[n];
        for (int reflection = 0; reflection < n; reflection++) {
            double uu = 0;
            for (int i = 0; i < n; i++) {
                u[i] = r.nextGaussian();
                uu += u[i] * u[i];
            }
            // Q ← Q (I − 2 u uᵀ/‖u‖²): t = Q u, then Q_ij −= 2 t_i u_j/‖u‖².
            for (int i = 0; i < n; i++) {
                t[i] = NaiveKernels.dot(q, i * n, u, 0, n);
            }
            for (int i = 0; i < n; i++) {
                double f = 2 * t[i] / uu;
                for (int j = 0; j < n; j++) {
                    q[i * n + j] -= f * u[j];
                }
            }
        }
        return q;
    }

    /** {@code Q diag(λ) Qᵀ}, filled symmetrically. */
    static SymmetricMatrix withSpectrum(double[] lambda, Random r) {
        int n = lambda.length;
        double[] q = randomOrthogonal(n, r);
        double orthErr = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) {
                    s += q[k * n + i] * q[k * n + j];
                }
                orthErr = Math.max(orthErr, Math.abs(s - (i == j ? 1 : 0)));
            }
        }
        assertTrue(orthErr < 100 * n * Math.ulp(1.0), "Q orthogonal to O(nε) (precondition): " + orthErr);
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) {
                    s += q[i * n + k] * lambda[k] * q[j * n + k];
                }
                a[i * n + j] = s;
                a[j * n + i] = s;
            }
        }
        return new SymmetricMatrix(n, a);
    }

    private void assertSpectrum(double[] lambda, long seed) {
        Random r = new Random(seed);
        SymmetricMatrix a = withSpectrum(lambda, r);
        double[] before = a.values().clone();
        double[] w = eigen().eigenvalues(a);
        double[] expected = lambda.clone();
        Arrays.sort(expected);
        double tol = 1e-10 * NaiveKernels.maxAbs(lambda);
        assertEquals(lambda.length, w.length);
        for (int i = 0; i + 1 < w.length; i++) {
            assertTrue(w[i] <= w[i + 1], "ascending at " + i);
        }
        for (int i = 0; i < w.length; i++) {
            assertEquals(expected[i], w[i], tol, "eigenvalue " + i + " of " + w.length);
        }
        Spectrum s = eigen().extremes(a);
        assertEquals(expected[0], s.min(), tol);
        assertEquals(expected[expected.length - 1], s.max(), tol);
        assertEquals(w[0], s.min(), 0.0);
        assertEquals(w[w.length - 1], s.max(), 0.0);
        assertArrayEquals(before, a.values(), 0.0, "the matrix is not modified");
    }

    @Test
    void knownSpectraAreRecoveredInAscendingOrder() {
        assertSpectrum(new double[] {3.5}, 1);
        assertSpectrum(new double[] {7, -2, 1e-3, 0, -2}, 2); // repeated, zero, negative
        double[] spread = new double[64];
        for (int i = 0; i < spread.length; i++) {
            spread[i] = i < 10 ? 0.25 : -1 + 2.0 * i / spread.length; // a 10-fold cluster plus a spread
        }
        assertSpectrum(spread, 3);
        double[] kernelLike = new double[300];
        for (int i = 0; i < kernelLike.length; i++) {
            // PSD, log-spaced over six decades, with a few exact zeros (a rank-deficient Gram matrix).
            kernelLike[i] = i % 50 == 0 ? 0.0 : Math.pow(10, -6 + 6.0 * i / kernelLike.length);
        }
        assertSpectrum(kernelLike, 4);
        double[] large = new double[200];
        for (int i = 0; i < large.length; i++) {
            large[i] = 1e6 * Math.sin(i * 1.3); // scale does not matter: the tolerance is relative
        }
        assertSpectrum(large, 5);
    }

    @Test
    void twoByTwoMatchesTheClosedForm() {
        double[][] cases = {{2, 1, 3}, {1, 0, 1}, {-4, 2.5, 0.5}, {1e-8, 1, -1e-8}, {5, 0, -3}, {1, 1, 1}};
        for (double[] abc : cases) {
            double a = abc[0];
            double b = abc[1];
            double c = abc[2];
            // λ± = (a + c)/2 ± sqrt(((a − c)/2)² + b²)
            double mean = (a + c) / 2;
            double radius = Math.hypot((a - c) / 2, b);
            double[] w = eigen().eigenvalues(new SymmetricMatrix(2, new double[] {a, b, b, c}));
            // Both the closed form and dsyevd are backward stable: a few ulps of the largest entry.
            double tol = 8 * Math.ulp(Math.max(Math.abs(a), Math.max(Math.abs(b), Math.abs(c))));
            assertEquals(mean - radius, w[0], tol, Arrays.toString(abc));
            assertEquals(mean + radius, w[1], tol, Arrays.toString(abc));
            Spectrum s = eigen().extremes(new SymmetricMatrix(2, new double[] {a, b, b, c}));
            assertEquals(mean - radius, s.min(), tol);
            assertEquals(mean + radius, s.max(), tol);
        }
    }

    @Test
    void readsTheMatrixAsGivenAndNamesItsImplementation() {
        // diag(1, 2, 3) in full storage: eigenvalues are the diagonal exactly.
        double[] w = eigen().eigenvalues(new SymmetricMatrix(3, new double[] {3, 0, 0, 0, 1, 0, 0, 0, 2}));
        assertArrayEquals(new double[] {1, 2, 3}, w, 1e-15);
        assertFalse(eigen().implementation().isBlank());
        assertThrows(IllegalArgumentException.class, () -> new SymmetricMatrix(3, new double[8]));
    }
}

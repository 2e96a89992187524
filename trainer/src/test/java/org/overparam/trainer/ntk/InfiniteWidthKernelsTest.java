package org.overparam.trainer.ntk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.overparam.trainer.data.Dataset;
import org.overparam.trainer.data.SphereData;
import org.overparam.trainer.data.SphereTarget;
import org.overparam.trainer.linalg.RowMajorBlas;
import org.overparam.trainer.nets.InitialDraws;
import org.overparam.trainer.nets.ReluNet;
import org.overparam.trainer.nets.WeightNormNet;

/**
 * {@link InfiniteWidthKernels} against the closed forms of theory.md §1–2 written independently in
 * {@link NaiveKernels} (Kahan's angle, V∞ by its own explicit formula), their special values, positive
 * semi-definiteness, and a Monte-Carlo check that the finite-width kernels at init converge to them.
 */
class InfiniteWidthKernelsTest {
    private static final RowMajorBlas BLAS = RowMajorBlas.best();
    private static final SymmetricEigen EIGEN = SymmetricEigen.reproducible();

    @Test
    void diagonalOfUnitVectors() {
        for (int d : new int[] {2, 3, 8, 50, 257}) {
            Dataset data = new SphereData(SphereTarget.GAUSSIAN, 3).load(6, d);
            InfiniteWidthKernels k = InfiniteWidthKernels.of(data, BLAS);
            for (int i = 0; i < data.n(); i++) {
                // ‖x_i‖ = 1 to a few ulps; the closed forms at θ = 0 are ½, 1/(2d), (d − 1)/(2d).
                assertEquals(0.5, k.h().get(i, i), 1e-15, "H∞_ii, d=" + d);
                assertEquals(1.0 / (2 * d), k.g().get(i, i), 1e-15, "G∞_ii, d=" + d);
                assertEquals((d - 1.0) / (2 * d), k.v().get(i, i), 1e-15, "V∞_ii, d=" + d);
            }
        }
    }

    @Test
    void entriesMatchTheClosedFormsForNonUnitInputs() {
        for (int[] nd : new int[][] {{9, 5}, {20, 3}, {15, 40}}) {
            Dataset data = NaiveKernels.randomData(nd[0], nd[1], 17 + nd[0], 0.2, 3.0);
            InfiniteWidthKernels k = InfiniteWidthKernels.of(data, BLAS);
            NaiveKernels.Infinite naive = NaiveKernels.infinite(data);
            // Generic angles (no near-parallel pairs among a few Gaussian directions): acos of the cosine
            // is accurate to ~ε/sin θ, the products to a few ulps: 1e-12 of ‖x‖² is ample.
            double tol = 1e-12 * NaiveKernels.maxSquaredNorm(data);
            assertTrue(NaiveKernels.maxAbsDiff(naive.h(), k.h().values()) <= tol, "H∞ " + nd[0] + "/" + nd[1]);
            assertTrue(NaiveKernels.maxAbsDiff(naive.g(), k.g().values()) <= tol, "G∞ " + nd[0] + "/" + nd[1]);
            assertTrue(NaiveKernels.maxAbsDiff(naive.v(), k.v().values()) <= tol, "V∞ " + nd[0] + "/" + nd[1]);
            for (int i = 0; i < data.n(); i++) {
                // Non-unit diagonal: ‖x‖² times the unit values.
                double r2 = data.rowNorm(i) * data.rowNorm(i);
                assertEquals(r2 / 2, k.h().get(i, i), 1e-14 * r2);
                assertEquals(r2 / (2 * data.d()), k.g().get(i, i), 1e-14 * r2);
                for (int j = 0; j < data.n(); j++) {
                    assertEquals(k.h().get(i, j), k.h().get(j, i), 0.0, "exactly symmetric");
                    assertEquals(k.g().get(i, j), k.g().get(j, i), 0.0, "exactly symmetric");
                    assertEquals(k.v().get(i, j), k.v().get(j, i), 0.0, "exactly symmetric");
                }
            }
        }
    }

    @Test
    void parallelAntiparallelOrthogonalAndZeroInputs() {
        int d = 4;
        double[] x = {
            0.3, -0.4, 0.5, 0.1, //  x0
            0.6, -0.8, 1.0, 0.2, //  x1 = 2 x0 (parallel)
            -0.15, 0.2, -0.25, -0.05, // x2 = −x0/2 (antiparallel)
            0.4, 0.3, 0.0, 0.0, //  x3 ⟂ x0 (0.12 − 0.12 + 0 + 0 = 0)
            0, 0, 0, 0 //  x4 = 0
        };
        Dataset data = new Dataset(5, d, x, new double[5]);
        InfiniteWidthKernels k = InfiniteWidthKernels.of(data, BLAS);
        double r0 = data.rowNorm(0);
        double r3 = data.rowNorm(3);
        // θ = 0 (x1 = 2 x0): H∞ = ‖x0‖‖x1‖/2, G∞ = ‖x0‖‖x1‖/(2d). acos of a cosine rounded to 1 − ε gives
        // θ ≈ 1.5e-8, which moves H∞ by ≈ θ/2·‖x0‖‖x1‖ at first order (G∞ only at second): allow 1e-7.
        double nn = r0 * 2 * r0;
        assertEquals(nn / 2, k.h().get(0, 1), 1e-7 * nn);
        assertEquals(nn / (2 * d), k.g().get(0, 1), 1e-14 * nn);
        // θ = π (x2 = −x0/2): every kernel vanishes (cos θ (π − θ) = 0, sin θ = 0); first-order error again.
        assertEquals(0.0, k.h().get(0, 2), 1e-7 * r0 * r0);
        assertEquals(0.0, k.g().get(0, 2), 1e-7 * r0 * r0);
        assertEquals(0.0, k.v().get(0, 2), 1e-7 * r0 * r0);
        // θ = π/2: H∞ = 0 (x·y = 0), G∞ = ‖x‖‖y‖/(2πd), V∞ = −‖x‖‖y‖/(2πd).
        assertEquals(0.0, k.h().get(0, 3), 1e-15);
        assertEquals(r0 * r3 / (2 * Math.PI * d), k.g().get(0, 3), 1e-15);
        assertEquals(-r0 * r3 / (2 * Math.PI * d), k.v().get(0, 3), 1e-15);
        // A zero input has zero rows and columns, not NaN.
        for (int j = 0; j < 5; j++) {
            assertEquals(0.0, k.h().get(4, j), 0.0);
            assertEquals(0.0, k.g().get(j, 4), 0.0);
            assertEquals(0.0, k.v().get(4, j), 0.0);
        }
    }

    @Test
    void infiniteWidthKernelsArePositiveSemiDefinite() {
        for (int[] nd : new int[][] {{40, 10}, {60, 3}, {25, 50}}) {
            Dataset data = NaiveKernels.randomData(nd[0], nd[1], 5 + nd[1], 0.2, 1.0);
            InfiniteWidthKernels k = InfiniteWidthKernels.of(data, BLAS);
            int n = data.n();
            // Exact kernels are PSD (expectations of PSD rank-one terms; V∞ of ⟨x_i^⊥, x_j^⊥⟩ 1 1); entries err
            // by a few ulps of ‖x‖², so ‖E‖₂ ≤ n·10ε·‖x‖²; dsyevd adds O(nε‖A‖) with ‖A‖ ≤ n‖x‖².
            double bound = 100.0 * n * Math.ulp(1.0) * NaiveKernels.maxSquaredNorm(data) * n;
            for (SymmetricMatrix a : new SymmetricMatrix[] {k.h(), k.g(), k.v()}) {
                Spectrum s = EIGEN.extremes(a);
                assertTrue(s.min() >= -bound, nd[0] + "/" + nd[1] + ": λmin = " + s.min());
                assertTrue(s.max() > 0);
            }
            // V∞ ⪯ H∞ (their difference is G∞): λmin(V∞) ≤ λmin(H∞) + rounding, and G∞'s 1/d makes μ0 small.
            assertTrue(EIGEN.extremes(k.v()).min() <= EIGEN.extremes(k.h()).min() + bound);
            assertTrue(EIGEN.extremes(k.g()).max() <= EIGEN.extremes(k.h()).max() + bound);
        }
    }

    /**
     * At init the finite-width kernels are averages of m i.i.d. per-neuron terms whose expectations are the
     * infinite-width kernels (for any α: the direction of {@code v_k = α z_k} is that of {@code z_k}). We
     * compute each entry's per-neuron sample standard deviation here and allow {@code 6·sd/√m} (a 6σ
     * CLT band: over the 100 entries checked the chance of a false failure is below 1e-6); at m = 50 the first 50
     * neurons of the same draws must miss by more than that band, so the check can fail.
     */
    @Test
    void finiteWidthKernelsAtInitConvergeToTheInfiniteWidthOnes() {
        int n = 5;
        int d = 8;
        int bigM = 200_000;
        int smallM = 50;
        Dataset data = NaiveKernels.randomData(n, d, 99, 0.3, 1.0);
        InitialDraws big = InitialDraws.draw(2024, bigM, d);
        InitialDraws small = InitialDraws.draw(2024, smallM, d);
        NaiveKernels.Infinite inf = NaiveKernels.infinite(data);
        double alpha = 0.4; // any α: Observation 1

        // Per-neuron terms and their sample mean and standard deviation, from the definitions.
        double[] x = data.x();
        double[] z = big.z();
        double[][] sum = new double[3][n * n];
        double[][] sumSq = new double[3][n * n];
        double[] u = new double[n];
        double[][] perp = new double[n][];
        for (int k = 0; k < bigM; k++) {
            double zz = NaiveKernels.dot(z, k * d, z, k * d, d);
            for (int i = 0; i < n; i++) {
                u[i] = NaiveKernels.dot(z, k * d, x, i * d, d);
                perp[i] = NaiveKernels.perp(x, i * d, z, k * d, d);
            }
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    boolean both = u[i] >= 0 && u[j] >= 0;
                    double h = both ? NaiveKernels.dot(x, i * d, x, j * d, d) : 0;
                    double v = both ? NaiveKernels.dot(perp[i], 0, perp[j], 0, d) : 0;
                    double g = Math.max(u[i], 0) * Math.max(u[j], 0) / zz;
                    double[] t = {h, v, g};
                    for (int q = 0; q < 3; q++) {
                        sum[q][i * n + j] += t[q];
                        sumSq[q][i * n + j] += t[q] * t[q];
                    }
                }
            }
        }
        double[][] band = new double[3][n * n];
        for (int q = 0; q < 3; q++) {
            for (int e = 0; e < n * n; e++) {
                double mean = sum[q][e] / bigM;
                double var = Math.max(0, sumSq[q][e] / bigM - mean * mean) * bigM / (bigM - 1.0);
                band[q][e] = 6 * Math.sqrt(var / bigM);
            }
        }

        WeightNormNet wn = new WeightNormNet(data, big, alpha, BLAS);
        GramMatrices grams = new GramMatrices(data, BLAS);
        GramMatrices.WeightNormKernels k = grams.weightNorm(wn.preActivations(), wn.directionNorms(), wn.gains(), alpha);
        SymmetricMatrix reluH = grams.relu(new ReluNet(data, big, BLAS).preActivations(), bigM);
        double[][] finite = {k.h().values(), k.v().values(), k.g().values()};
        double[][] limit = {inf.h(), inf.v(), inf.g()};
        String[] names = {"H", "V", "G"};
        for (int q = 0; q < 3; q++) {
            for (int e = 0; e < n * n; e++) {
                // The code's kernel is the sample mean of the same terms (to summation rounding ~√m·ε).
                assertEquals(sum[q][e] / bigM, finite[q][e], 1e-10, names[q] + " is the per-neuron average");
                assertEquals(limit[q][e], finite[q][e], band[q][e] + 1e-12,
                        names[q] + "(0) at m=" + bigM + " vs " + names[q] + "∞, entry " + e);
                assertTrue(band[q][e] > 0 || e % (n + 1) != 0, "diagonal terms vary across neurons");
            }
        }
        for (int e = 0; e < n * n; e++) {
            assertEquals(inf.h()[e], reluH.values()[e], band[0][e] + 1e-12, "relu H(0) vs H∞, entry " + e);
        }

        // The small-m kernels of the same draws are clearly further off than the large-m band.
        WeightNormNet narrow = new WeightNormNet(data, small, alpha, BLAS);
        GramMatrices.WeightNormKernels ks =
                grams.weightNorm(narrow.preActivations(), narrow.directionNorms(), narrow.gains(), alpha);
        double[][] smallFinite = {ks.h().values(), ks.v().values(), ks.g().values()};
        for (int q = 0; q < 3; q++) {
            double worstMiss = NaiveKernels.maxAbsDiff(smallFinite[q], limit[q]);
            double widestBand = NaiveKernels.maxAbs(band[q]);
            assertTrue(worstMiss > 2 * widestBand,
                    names[q] + " at m=" + smallM + " misses by " + worstMiss + ", band " + widestBand);
        }
    }
}

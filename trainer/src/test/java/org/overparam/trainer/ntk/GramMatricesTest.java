package org.overparam.trainer.ntk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.overparam.trainer.data.Dataset;
import org.overparam.trainer.linalg.RowMajorBlas;
import org.overparam.trainer.nets.InitialDraws;
import org.overparam.trainer.nets.ReluNet;
import org.overparam.trainer.nets.TrainableNet;
import org.overparam.trainer.nets.WeightNormNet;

/**
 * {@link GramMatrices} (the kernels by matrix products) against {@link NaiveKernels} (double loops over
 * i, j, k with explicit projections), at init and after GD steps, for odd shapes and several α; the
 * {@code dsyrk} Gram product; Proposition 1 and Observation 1 (theory.md §2); positive semi-definiteness.
 *
 * <p>Tolerances: every kernel entry is an average of m terms each bounded by {@code ‖x_i‖‖x_j‖·ω_k}
 * ({@code ω_k ≤ max ω}), so {@code scale = max‖x‖² · max(1, max ω)} bounds every term; a sum of m such
 * terms in either order has rounding error below {@code m·ε·scale} ≈ 7e-14·scale for m = 300. We allow
 * {@code 1e-12·scale}, while any error in the formulas (a missing ω, a wrong projection, a transposed
 * index) changes entries by a fraction of the scale.
 */
class GramMatricesTest {
    private static final RowMajorBlas BLAS = RowMajorBlas.best();
    private static final SymmetricEigen EIGEN = SymmetricEigen.reproducible();
    private static final double REL = 1e-12;
    /** Shapes (n, d, m): odd sizes, n > m (rank-deficient kernels), m = 1, n = 1, a wider one. */
    private static final int[][] SHAPES = {{7, 5, 13}, {1, 3, 4}, {12, 9, 1}, {30, 5, 4}, {20, 30, 300}};
    private static final double[] ALPHAS = {0.1, 0.7, 1.0, 4.0};

    private static WeightNormNet trainedWn(Dataset data, InitialDraws init, double alpha, int steps) {
        WeightNormNet net = new WeightNormNet(data, init, alpha, BLAS);
        // η ∝ α² for α < 1 (Thm 4.1's step-size scale), so the trajectory stays finite but moves.
        double eta = 0.5 * Math.min(1.0, alpha * alpha);
        for (int s = 0; s < steps; s++) {
            net.forward();
            net.step(eta);
        }
        return net;
    }

    private static double[] omega(WeightNormNet net) {
        double[] norm = net.directionNorms();
        double[] g = net.gains();
        double[] out = new double[g.length];
        for (int k = 0; k < g.length; k++) {
            double r = net.alpha() * g[k] / norm[k];
            out[k] = r * r;
        }
        return out;
    }

    private static double max(double[] a) {
        double best = Double.NEGATIVE_INFINITY;
        for (double v : a) {
            best = Math.max(best, v);
        }
        return best;
    }

    @Test
    void blasGramIsXXtWithBothTrianglesFilled() {
        Random r = new Random(5);
        for (int[] shape : new int[][] {{1, 1}, {2, 7}, {7, 5}, {13, 1}, {40, 33}}) {
            int n = shape[0];
            int k = shape[1];
            double[] a = new double[n * k];
            for (int i = 0; i < a.length; i++) {
                a[i] = r.nextGaussian();
            }
            double[] out = new double[n * n];
            for (int i = 0; i < out.length; i++) {
                out[i] = 1e3 * r.nextGaussian(); // stale contents must be overwritten (β = 0)
            }
            BLAS.gram(n, k, a, out);
            double scale = 0;
            for (int i = 0; i < n; i++) {
                scale = Math.max(scale, NaiveKernels.dot(a, i * k, a, i * k, k));
            }
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    // |a_i·a_j| ≤ scale; a k-term dot product errs by ≤ k·ε·scale ≪ 1e-13·scale here.
                    assertEquals(NaiveKernels.dot(a, i * k, a, j * k, k), out[i * n + j], 1e-13 * scale,
                            "n=" + n + " k=" + k + " (" + i + "," + j + ")");
                    assertEquals(out[j * n + i], out[i * n + j], 0.0, "mirrored exactly");
                }
            }
        }
    }

    @Test
    void reluKernelMatchesTheDefinitionAtInitAndAfterSteps() {
        for (int[] shape : SHAPES) {
            int n = shape[0];
            int d = shape[1];
            int m = shape[2];
            Dataset data = NaiveKernels.randomData(n, d, 100 + n, 0.5, 2.0);
            InitialDraws init = InitialDraws.draw(11, m, d);
            ReluNet net = new ReluNet(data, init, BLAS);
            GramMatrices grams = new GramMatrices(data, BLAS);
            double scale = NaiveKernels.maxSquaredNorm(data);
            for (int round = 0; round < 2; round++) {
                SymmetricMatrix h = grams.relu(net.preActivations(), m);
                assertEquals(n, h.n());
                double[] naive = NaiveKernels.h(data, net.weights(), m);
                assertTrue(NaiveKernels.maxAbsDiff(naive, h.values()) <= REL * scale,
                        "relu H, shape " + n + "/" + d + "/" + m + " round " + round);
                // Train a few steps and compare again at the moved weights.
                for (int s = 0; s < 4; s++) {
                    net.forward();
                    net.step(0.3);
                }
            }
        }
    }

    @Test
    void weightNormKernelsMatchTheDefinitionsAtInitAndAfterSteps() {
        for (int[] shape : SHAPES) {
            int n = shape[0];
            int d = shape[1];
            int m = shape[2];
            Dataset data = NaiveKernels.randomData(n, d, 200 + n, 0.5, 2.0);
            InitialDraws init = InitialDraws.draw(12, m, d);
            GramMatrices grams = new GramMatrices(data, BLAS);
            for (double alpha : ALPHAS) {
                for (int steps : new int[] {0, 6}) {
                    WeightNormNet net = trainedWn(data, init, alpha, steps);
                    double[] om = omega(net);
                    double drift = 0;
                    for (double w : om) {
                        drift = Math.max(drift, Math.abs(w - 1));
                    }
                    String where = "shape " + n + "/" + d + "/" + m + " α=" + alpha + " steps=" + steps;
                    if (steps == 0) {
                        assertTrue(drift < 1e-14, "ω = 1 at init to rounding: " + where);
                    } else {
                        // The point of training first: ω_k = (α g_k/‖v_k‖)² must have left 1 (precondition).
                        assertTrue(drift > 1e-3, "ω drifted by " + drift + ": " + where);
                    }
                    // The definitions are in v's pre-activations and (αg/‖v‖)², so they hold whatever the sign
                    // of g (at 30/5/4, α = 4 some gains do go negative: that case is covered too).
                    double[] g = net.gains();
                    GramMatrices.WeightNormKernels k =
                            grams.weightNorm(net.preActivations(), net.directionNorms(), g, alpha);
                    NaiveKernels.Wn naive = NaiveKernels.wn(data, net.directionsCopy(), g, m, alpha);
                    double scale = NaiveKernels.maxSquaredNorm(data) * Math.max(1, max(om));
                    assertTrue(NaiveKernels.maxAbsDiff(naive.h(), k.h().values()) <= REL * scale, "H " + where);
                    assertTrue(NaiveKernels.maxAbsDiff(naive.v(), k.v().values()) <= REL * scale, "V " + where);
                    assertTrue(NaiveKernels.maxAbsDiff(naive.g(), k.g().values()) <= REL * scale, "G " + where);
                    // Λ = V/α² + G: its terms are bounded by scale·(1/α² + 1).
                    assertTrue(NaiveKernels.maxAbsDiff(naive.lambda(), k.lambda().values())
                            <= REL * scale * (1 / (alpha * alpha) + 1), "Λ " + where);
                }
            }
        }
    }

    @Test
    void kernelsAreTheGramMatrixOfTheOutputJacobian() {
        // An independent characterization (theory.md eq. 3.5 / Du's H): the training kernel is J Jᵀ with
        // J_i = ∂f_i/∂θ. Row i of J is the net's own gradient ∇L when the residual is the unit vector e_i,
        // i.e. on a copy of the data with targets y = f − e_i. Gradients are checked elsewhere against
        // finite differences; here they are only a second route to the kernel.
        int n = 9;
        int d = 6;
        int m = 17;
        Dataset data = NaiveKernels.randomData(n, d, 7, 0.5, 2.0);
        InitialDraws init = InitialDraws.draw(3, m, d);
        for (double alpha : new double[] {0.3, 1.0, 3.0}) {
            WeightNormNet trained = trainedWn(data, init, alpha, 5);
            double[][] jac = jacobianRows(data, (Dataset dd) -> {
                WeightNormNet net = new WeightNormNet(dd, init, alpha, BLAS);
                net.setParameters(trained.parameters());
                return net;
            });
            SymmetricMatrix lambda = new GramMatrices(data, BLAS)
                    .weightNorm(trained.preActivations(), trained.directionNorms(), trained.gains(), alpha).lambda();
            double scale = NaiveKernels.maxSquaredNorm(data) * Math.max(1, max(omega(trained))) * (1 / (alpha * alpha) + 1);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    assertEquals(NaiveKernels.dot(jac[i], 0, jac[j], 0, jac[i].length), lambda.get(i, j), REL * scale,
                            "Λ = J Jᵀ at α=" + alpha + " (" + i + "," + j + ")");
                }
            }
        }
        ReluNet relu = new ReluNet(data, init, BLAS);
        for (int s = 0; s < 3; s++) {
            relu.forward();
            relu.step(0.3);
        }
        double[][] jac = jacobianRows(data, (Dataset dd) -> {
            ReluNet net = new ReluNet(dd, init, BLAS);
            net.setParameters(relu.parameters());
            return net;
        });
        SymmetricMatrix h = new GramMatrices(data, BLAS).relu(relu.preActivations(), m);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                assertEquals(NaiveKernels.dot(jac[i], 0, jac[j], 0, jac[i].length), h.get(i, j),
                        REL * NaiveKernels.maxSquaredNorm(data), "relu H = J Jᵀ (" + i + "," + j + ")");
            }
        }
    }

    private static double[][] jacobianRows(Dataset data, Function<Dataset, TrainableNet> make) {
        int n = data.n();
        double[] f = outputsAt(make.apply(data));
        double[][] rows = new double[n][];
        for (int i = 0; i < n; i++) {
            double[] y = f.clone();
            y[i] -= 1.0; // residual f − y = e_i
            var net = make.apply(new Dataset(n, data.d(), data.x(), y));
            net.forward();
            rows[i] = net.gradient();
        }
        return rows;
    }

    private static double[] outputsAt(TrainableNet net) {
        net.forward();
        return net.outputs();
    }

    @Test
    void propositionOneHoldsAtInitForEveryAlpha() {
        Dataset data = NaiveKernels.randomData(11, 7, 31, 0.5, 2.0);
        InitialDraws init = InitialDraws.draw(4, 23, 7);
        GramMatrices grams = new GramMatrices(data, BLAS);
        double scale = NaiveKernels.maxSquaredNorm(data);
        for (double alpha : new double[] {0.05, 0.3, 1.0, 2.5, 20.0}) {
            WeightNormNet net = new WeightNormNet(data, init, alpha, BLAS);
            GramMatrices.WeightNormKernels k =
                    grams.weightNorm(net.preActivations(), net.directionNorms(), net.gains(), alpha);
            // V(0) + G(0) = H(0): ⟨x_i^⊥, x_j^⊥⟩ + û_i û_j = x_i·x_j neuron by neuron, ω_k = 1 to rounding.
            assertTrue(k.v().combine(1.0, k.g(), 1.0).maxAbsDifference(k.h()) <= REL * scale, "α=" + alpha);
            assertTrue(NaiveKernels.maxAbs(k.h().values()) > 0.05 * scale, "non-trivial kernels (precondition)");
        }
    }

    @Test
    void propositionOneFailsAfterTrainingByExactlyTheOmegaDrift() {
        int n = 10;
        int d = 6;
        int m = 15;
        Dataset data = NaiveKernels.randomData(n, d, 41, 0.5, 2.0);
        InitialDraws init = InitialDraws.draw(5, m, d);
        GramMatrices grams = new GramMatrices(data, BLAS);
        for (double alpha : new double[] {0.5, 1.0, 3.0}) {
            WeightNormNet net = trainedWn(data, init, alpha, 10);
            double[] om = omega(net);
            GramMatrices.WeightNormKernels k =
                    grams.weightNorm(net.preActivations(), net.directionNorms(), net.gains(), alpha);
            double[] gap = k.v().combine(1.0, k.g(), 1.0).combine(1.0, k.h(), -1.0).values();
            // Expected: V + G − H = (1/m) Σ_k (ω_k − 1) ⟨x_i^⊥, x_j^⊥⟩ 1_ik 1_jk, from the definitions.
            double[] v = net.directionsCopy();
            double[] x = data.x();
            double[] expected = new double[n * n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int kk = 0; kk < m; kk++) {
                        if (NaiveKernels.dot(v, kk * d, x, i * d, d) >= 0 && NaiveKernels.dot(v, kk * d, x, j * d, d) >= 0) {
                            s += (om[kk] - 1) * NaiveKernels.dot(NaiveKernels.perp(x, i * d, v, kk * d, d), 0,
                                    NaiveKernels.perp(x, j * d, v, kk * d, d), 0, d);
                        }
                    }
                    expected[i * n + j] = s / m;
                }
            }
            double scale = NaiveKernels.maxSquaredNorm(data) * Math.max(1, max(om));
            assertTrue(NaiveKernels.maxAbsDiff(expected, gap) <= REL * scale, "α=" + alpha);
            // And the failure is measurable: a million times the tolerance that held at init.
            assertTrue(NaiveKernels.maxAbs(gap) > 1e6 * REL * scale,
                    "V(s) + G(s) ≠ H(s) after training at α=" + alpha + ": " + NaiveKernels.maxAbs(gap));
        }
    }

    @Test
    void observationOneTheInitialKernelsDoNotDependOnAlpha() {
        Dataset data = NaiveKernels.randomData(13, 8, 51, 0.5, 2.0);
        int m = 29;
        InitialDraws init = InitialDraws.draw(6, m, 8);
        GramMatrices grams = new GramMatrices(data, BLAS);
        WeightNormNet ref = new WeightNormNet(data, init, 1.0, BLAS);
        GramMatrices.WeightNormKernels k1 = grams.weightNorm(ref.preActivations(), ref.directionNorms(), ref.gains(), 1.0);
        double scale = NaiveKernels.maxSquaredNorm(data);
        // wn at α = 1 starts as relu with the same draws: the same H.
        SymmetricMatrix relu = grams.relu(new ReluNet(data, init, BLAS).preActivations(), m);
        assertTrue(relu.maxAbsDifference(k1.h()) <= REL * scale);
        for (double alpha : new double[] {0.01, 0.2, 3.0, 50.0}) {
            WeightNormNet net = new WeightNormNet(data, init, alpha, BLAS);
            GramMatrices.WeightNormKernels k = grams.weightNorm(net.preActivations(), net.directionNorms(), net.gains(), alpha);
            assertTrue(k.v().maxAbsDifference(k1.v()) <= REL * scale, "V(0) at α=" + alpha);
            assertTrue(k.g().maxAbsDifference(k1.g()) <= REL * scale, "G(0) at α=" + alpha);
            assertTrue(k.h().maxAbsDifference(k1.h()) <= REL * scale, "H(0) at α=" + alpha);
            // Λ(0) does depend on α, exactly through V/α².
            SymmetricMatrix expected = k1.v().combine(1 / (alpha * alpha), k1.g(), 1.0);
            assertTrue(k.lambda().maxAbsDifference(expected) <= REL * scale / (alpha * alpha) + REL * scale, "Λ(0) at α=" + alpha);
            assertTrue(k.lambda().maxAbsDifference(k1.lambda()) > 0.01 * scale, "Λ(0) moves with α (the check can fail)");
        }
    }

    @Test
    void allKernelsArePositiveSemiDefiniteAtInitAndAfterSteps() {
        for (int[] shape : SHAPES) {
            int n = shape[0];
            int d = shape[1];
            int m = shape[2];
            Dataset data = NaiveKernels.randomData(n, d, 300 + n, 0.5, 2.0);
            InitialDraws init = InitialDraws.draw(13, m, d);
            GramMatrices grams = new GramMatrices(data, BLAS);
            for (double alpha : ALPHAS) {
                for (int steps : new int[] {0, 6}) {
                    WeightNormNet net = trainedWn(data, init, alpha, steps);
                    GramMatrices.WeightNormKernels k =
                            grams.weightNorm(net.preActivations(), net.directionNorms(), net.gains(), alpha);
                    String where = "shape " + n + "/" + d + "/" + m + " α=" + alpha + " steps=" + steps;
                    double t = NaiveKernels.maxSquaredNorm(data) * Math.max(1, max(omega(net)));
                    assertPsd(k.h(), m, t, "H " + where);
                    assertPsd(k.v(), m, t, "V " + where);
                    assertPsd(k.g(), m, t, "G " + where);
                    assertPsd(k.lambda(), m, t * (1 / (alpha * alpha) + 1), "Λ " + where);
                }
            }
            ReluNet relu = new ReluNet(data, init, BLAS);
            double t = NaiveKernels.maxSquaredNorm(data);
            assertPsd(grams.relu(relu.preActivations(), m), m, t, "relu H(0)");
            for (int s = 0; s < 5; s++) {
                relu.forward();
                relu.step(0.3);
            }
            assertPsd(grams.relu(relu.preActivations(), m), m, t, "relu H(5)");
        }
    }

    /**
     * {@code λmin ≥ −bound}. The exact kernel is PSD (an average of PSD rank-one or Hadamard terms); the
     * computed one differs by {@code E} with {@code |E_ij| ≤ (m+4)·ε·t}, where {@code t} bounds every
     * term, so {@code ‖E‖₂ ≤ n(m+4)·ε·t}; dsyevd adds {@code O(n·ε·‖A‖₂)} with {@code ‖A‖₂ ≤ n·t}. We
     * allow {@code 10·n·(m + n + 4)·ε·t}: about 2e-11·t at the largest shape, far below the eigenvalues a
     * wrongly signed or wrongly weighted term would produce (a fraction of t).
     */
    static void assertPsd(SymmetricMatrix a, int m, double termBound, String what) {
        Spectrum s = EIGEN.extremes(a);
        int n = a.n();
        double bound = 10.0 * n * (m + n + 4.0) * Math.ulp(1.0) * termBound;
        assertTrue(s.min() >= -bound, what + ": λmin = " + s.min() + " < −" + bound);
        assertTrue(s.max() >= 0 && Double.isFinite(s.max()), what);
    }
}

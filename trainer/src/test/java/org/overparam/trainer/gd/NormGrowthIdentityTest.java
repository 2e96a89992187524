package org.overparam.trainer.gd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.overparam.trainer.data.Dataset;
import org.overparam.trainer.data.SphereData;
import org.overparam.trainer.data.SphereTarget;
import org.overparam.trainer.linalg.RowMajorBlas;
import org.overparam.trainer.nets.InitialDraws;
import org.overparam.trainer.nets.WeightNormNet;

/**
 * The GD norm-growth identity of weight normalization (theory.md eq. 2.3): the direction gradient is
 * orthogonal to {@code v_k}, so {@code ‖v_k(s+1)‖² = ‖v_k(s)‖² + η²‖∇_{v_k}L‖²} exactly. Checked through
 * {@link WeightNormNet#normGrowthError()} after real GD steps and independently from
 * {@code parameters()} and {@code gradient()} before and after each step.
 *
 * <p>Tolerance: both sides are sums of d squares of numbers of size {@code ‖v‖}, so each carries
 * {@code ≤ d·ε·‖v‖²} rounding (≈ 4e-15·‖v(s+1)‖² at d = 20); the identity is checked to 1e-12 relative,
 * while the η² term itself is made ≥ 1e-4 of ‖v‖² at some step (so dropping it, or using η instead of
 * η², fails by eight orders of magnitude).
 */
class NormGrowthIdentityTest {
    private static final RowMajorBlas BLAS = RowMajorBlas.best();
    private static final int STEPS = 50;

    private static double sq(double[] a, int off, int len) {
        double s = 0;
        for (int j = 0; j < len; j++) {
            s += a[off + j] * a[off + j];
        }
        return s;
    }

    @Test
    void identityHoldsAtEveryStepOfARealRun() {
        Dataset data = new SphereData(SphereTarget.GAUSSIAN, 4).load(12, 20);
        int m = 40;
        int d = 20;
        InitialDraws init = InitialDraws.draw(8, m, d);
        for (double alpha : new double[] {0.5, 1.0, 2.0}) {
            // A sizable step (η·λmax(Λ(0)) of order one): the norms grow visibly.
            double eta = 1.0 * Math.min(1.0, alpha * alpha);
            WeightNormNet tracked = new WeightNormNet(data, init, alpha, BLAS);
            tracked.trackNormGrowth();
            WeightNormNet plain = new WeightNormNet(data, init, alpha, BLAS);
            double[] norms0 = tracked.directionNorms();
            double largestGrowth = 0;
            double loss0 = tracked.forward();
            for (int s = 0; s < STEPS; s++) {
                if (s > 0) {
                    tracked.forward();
                }
                plain.forward();
                double[] theta = tracked.parameters();
                double[] grad = tracked.gradient();
                tracked.step(eta);
                plain.step(eta);
                double[] after = tracked.parameters();
                for (int i = 0; i < theta.length; i++) {
                    // θ(s+1) = θ(s) − η∇L: the update and gradient() associate one product differently.
                    assertEquals(theta[i] - eta * grad[i], after[i], 4 * Math.ulp(Math.abs(theta[i]) + Math.abs(eta * grad[i])));
                }
                for (int k = 0; k < m; k++) {
                    double before = sq(theta, k * d, d);
                    double gradSq = sq(grad, k * d, d);
                    double now = sq(after, k * d, d);
                    double dotGv = 0;
                    for (int j = 0; j < d; j++) {
                        dotGv += grad[k * d + j] * theta[k * d + j];
                    }
                    assertTrue(Math.abs(dotGv) <= 1e-13 * Math.sqrt(gradSq * before) + Double.MIN_NORMAL,
                            "∇_v L ⟂ v at α=" + alpha + " step " + s + " neuron " + k);
                    assertEquals(before + eta * eta * gradSq, now, 1e-12 * now,
                            "‖v(s+1)‖² = ‖v(s)‖² + η²‖∇‖², α=" + alpha + " step " + s + " neuron " + k);
                    largestGrowth = Math.max(largestGrowth, eta * eta * gradSq / before);
                }
            }
            double lossEnd = tracked.forward();
            assertTrue(Double.isFinite(lossEnd) && lossEnd < loss0, "a real, finite, descending run (precondition)");
            assertTrue(largestGrowth > 1e-4, "the η² term is visible: " + largestGrowth);
            double[] norms = tracked.directionNorms();
            for (int k = 0; k < m; k++) {
                assertTrue(norms[k] >= norms0[k], "direction norms never shrink under GD");
            }
            assertTrue(tracked.normGrowthError() >= 0 && tracked.normGrowthError() <= 1e-12,
                    "normGrowthError = " + tracked.normGrowthError() + " at α=" + alpha);
            assertEquals(0.0, plain.normGrowthError(), 0.0, "untracked nets report nothing");
            assertArrayEquals(plain.parameters(), tracked.parameters(), 0.0, "tracking does not change the trajectory");
        }
    }
}

package org.overparam.trainer.trial;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.overparam.trainer.data.AckleyData;
import org.overparam.trainer.data.DataSource;
import org.overparam.trainer.data.DyadicData;
import org.overparam.trainer.data.SphereData;
import org.overparam.trainer.data.SphereTarget;
import org.overparam.trainer.data.TeacherData;
import org.overparam.trainer.data.WithHeldOut;
import org.overparam.trainer.gd.Optimizer;
import org.overparam.trainer.gd.Outcome;
import org.overparam.trainer.instrument.CurveMetric;
import org.overparam.trainer.instrument.TrialMetric;
import org.overparam.trainer.models.TrialModels;
import org.overparam.trainer.nets.Activation;
import org.overparam.trainer.run.TrialResult;
import org.overparam.trainer.run.TrialRunner;

/** bn, grelu, deep-relu and smooth trials end to end through {@link TrialRunner}: statuses, metrics, refusals. */
class ModelTrialsTest {
    private final TrialRunner runner = new TrialRunner();

    private TrialResult run(ModelKind model, ModelParams params, DataSource data, int m, int n, int d, double eta,
                            long seed, int steps, double tolerance) {
        TrialSpec spec = new TrialSpec(model, null, m, n, d, eta, seed, data.identity(), steps, tolerance,
                InstrumentSettings.OFF, params);
        TrialResult r = runner.run(spec, data);
        assertTrue(TrialModels.of(model).trialMetrics().containsAll(r.metrics().keySet()), "metrics of another model: " + r.metrics().keySet());
        assertTrue(TrialModels.of(model).curveMetrics().containsAll(r.curveMetrics().keySet()), r.curveMetrics().keySet().toString());
        return r;
    }

    @Test
    void bnFitsTheDyadicDataAndMeasuresItsMargins() {
        int d = 6;
        TrialResult r = run(ModelKind.BN, ModelParams.bn(Optimizer.GD, 1e-5), new DyadicData(), 64, 2 * d, d, 0.5, 1, 2000, 0.05);
        assertEquals(Outcome.CONVERGED, r.status(), r.message());
        assertEquals(0.0, r.metric(TrialMetric.TRAIN_ERROR));
        assertTrue(r.lossFinal() <= 0.05 * r.loss0());
        assertEquals(DyadicData.closedFormMargin(d), r.metric(TrialMetric.GAMMA_LINEAR), 1e-9 * DyadicData.closedFormMargin(d));
        assertTrue(Double.isNaN(r.metric(TrialMetric.TEST_ERROR)), "the dyadic set has no held-out part");
        double ga = r.metric(TrialMetric.GAMMA_A);
        double gc = r.metric(TrialMetric.GAMMA_C);
        assertTrue(ga > 0 && gc > 0, ga + " " + gc);
        assertEquals(ga + gc, r.metric(TrialMetric.GAMMA), 1e-15);
        // Paper 001 Prop. 1.1: the BN margin beats the linear one by about sqrt(d) on this set.
        assertTrue(r.metric(TrialMetric.GAMMA) > r.metric(TrialMetric.GAMMA_LINEAR), "γ = " + r.metric(TrialMetric.GAMMA));
        assertTrue(r.metric(TrialMetric.U_MOVE) > 0 && r.metric(TrialMetric.V_MOVE) > 0);
        assertTrue(r.metric(TrialMetric.EPS_N) > 0 && r.metric(TrialMetric.EPS_N) <= 1 / Math.sqrt(1e-5));
        double[] err = r.curveMetrics().get(CurveMetric.TRAIN_ERROR);
        assertEquals(0.0, err[err.length - 1]);
        assertEquals(r.steps(), r.curveSteps()[r.curveSteps().length - 1]);
    }

    @Test
    void bnSgdIsDeterministicInTheSeedAndHasATestError() {
        DataSource data = new WithHeldOut(new SphereData(SphereTarget.SIGN, 2), 0.2);
        ModelParams sgd = ModelParams.bn(Optimizer.SGD, 1e-5);
        TrialResult a = run(ModelKind.BN, sgd, data, 32, 40, 5, 0.2, 3, 400, 0.01);
        TrialResult b = run(ModelKind.BN, sgd, data, 32, 40, 5, 0.2, 3, 400, 0.01);
        TrialResult c = run(ModelKind.BN, sgd, data, 32, 40, 5, 0.2, 4, 400, 0.01);
        assertNotEquals(Outcome.FAILED, a.status(), a.message());
        assertEquals(a.lossFinal(), b.lossFinal(), 0.0);
        assertArrayEquals(a.curveLosses(), b.curveLosses(), 0.0);
        assertNotEquals(a.lossFinal(), c.lossFinal());
        double test = a.metric(TrialMetric.TEST_ERROR);
        assertTrue(test >= 0 && test <= 1, "test error " + test);
        assertTrue(a.lossFinal() < a.loss0(), "SGD lowers the risk");
        assertTrue(Double.isNaN(a.rate()), "no per-step rate for SGD");
    }

    @Test
    void bnRefusesRegressionTargets() {
        TrialResult r = run(ModelKind.BN, ModelParams.bn(Optimizer.GD, 1e-5), new AckleyData(0), 8, 10, 4, 0.1, 0, 10, 0.1);
        assertEquals(Outcome.FAILED, r.status());
        assertTrue(r.message().contains("labels -1 or +1"), r.message());
    }

    @Test
    void greluTrainsAndConvertsToReluAtRoundingLevel() {
        TrialResult r = run(ModelKind.GRELU, ModelParams.deep(2, 1), new AckleyData(1), 60, 12, 10, 2e-4, 0, 300, 1e-8);
        assertNotEquals(Outcome.FAILED, r.status(), r.message());
        assertNotEquals(Outcome.DIVERGED, r.status(), r.message());
        assertTrue(r.lossFinal() < 0.5 * r.loss0(), r.loss0() + " -> " + r.lossFinal());
        assertEquals(12.0, r.metric(TrialMetric.GRELU_RELU_RANK), "σ(H) has rank n at n = 12, m = 60");
        assertTrue(r.metric(TrialMetric.GRELU_RELU_MAX_ABS_DIFF) < 1e-9, "" + r.metric(TrialMetric.GRELU_RELU_MAX_ABS_DIFF));
        assertEquals(0.0, r.metric(TrialMetric.PATTERN_HAMMING), "GReLU gates are fixed");
        assertTrue(r.metric(TrialMetric.GRAD_CHANGE) > 0);
        assertEquals(2 * r.lossFinal() / 12, r.metric(TrialMetric.MSE), 1e-12 * r.metric(TrialMetric.MSE));
        assertEquals(r.curveSteps().length, r.curveMetrics().get(CurveMetric.GRAD_CHANGE).length);
    }

    @Test
    void deepReluRecordsPatternChanges() {
        TrialResult r = run(ModelKind.DEEP_RELU, ModelParams.deep(2, 3), new TeacherData(4, false, 0), 40, 10, 8, 1e-3, 0, 50, 1e-8);
        assertNotEquals(Outcome.FAILED, r.status(), r.message());
        double h = r.metric(TrialMetric.PATTERN_HAMMING);
        assertTrue(h >= 0 && h < 0.5, "hamming " + h);
        assertTrue(Double.isNaN(r.metric(TrialMetric.GRELU_RELU_MAX_ABS_DIFF)), "conversion is for grelu");
    }

    @Test
    void deepNetsThatCannotFitAreRefusedBeforeAllocating() {
        long t0 = System.nanoTime();
        TrialResult r = run(ModelKind.GRELU, ModelParams.deep(4, 1), new AckleyData(1), 40_000, 100, 200, 1e-6, 0, 10, 1e-8);
        assertEquals(Outcome.FAILED, r.status());
        assertTrue(r.message().contains("InsufficientMemoryException") && r.message().contains("needs about")
                && r.message().contains("m=40000"), r.message());
        assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "refused at once");
    }

    @Test
    void smoothMeasuresItsSpectrumAndLaziness() {
        DataSource data = new TeacherData(6, false, 1);
        ModelParams p = ModelParams.smooth(Activation.GELU, 1.0, 0.3, 2);
        TrialResult r = run(ModelKind.SMOOTH, p, data, 40, 20, 8, 0.01, 0, 300, 1e-6);
        assertNotEquals(Outcome.FAILED, r.status(), r.message());
        assertNotEquals(Outcome.DIVERGED, r.status(), r.message());
        double smin = r.metric(TrialMetric.SIGMA_MIN_PHI0);
        double smax = r.metric(TrialMetric.SIGMA_MAX_PHI0);
        assertTrue(smin > 0 && smax >= smin, smin + " " + smax);
        assertEquals(Math.pow(20, 1.5) / 8, r.metric(TrialMetric.WIDTH_PRED_SMOOTH), 1e-12);
        assertEquals(2 * 0.01 * smin * smin, r.metric(TrialMetric.RATE_PRED_SMOOTH), 1e-15);
        assertTrue(r.metric(TrialMetric.NU_PHI) > smax);
        assertTrue(r.metric(TrialMetric.LAZY_DISTANCE) > 0);
        assertTrue(r.metric(TrialMetric.LAZY_DISTANCE_REL) > 0);
        double[] lazy = r.curveMetrics().get(CurveMetric.LAZY_DISTANCE);
        assertEquals(0.0, lazy[0], 0.0, "identical at step 0");
        assertEquals(r.metric(TrialMetric.LAZY_DISTANCE), lazy[lazy.length - 1], 0.0);
        assertEquals(r.lossFinal() / (20 * 2), r.metric(TrialMetric.MSE), 1e-15);
        assertFalse(Double.isNaN(r.rate()));
    }

    @Test
    void smoothWithMiniBatchSgdStoresTheFullLossAtEveryCurveStep() {
        DataSource data = new TeacherData(6, false, 1);
        ModelParams sgd = ModelParams.smoothSgd(Activation.GELU, 1.0, 0.3, 2, 8);
        TrialResult r = run(ModelKind.SMOOTH, sgd, data, 40, 20, 8, 0.01, 0, 300, 1e-6);
        assertNotEquals(Outcome.FAILED, r.status(), r.message());
        assertNotEquals(Outcome.DIVERGED, r.status(), r.message());
        assertEquals(300, r.steps(), "100 epochs of 3 batches (8 + 8 + 4)");
        assertTrue(r.lossFinal() < 0.5 * r.loss0(), r.loss0() + " -> " + r.lossFinal());
        for (double loss : r.curveLosses()) {
            assertTrue(Double.isFinite(loss), "the full loss is evaluated at every stored step");
        }
        for (double lazy : r.curveMetrics().get(CurveMetric.LAZY_DISTANCE)) {
            assertTrue(Double.isFinite(lazy), "the linearization trained on the same batches");
        }
        assertEquals(r.lossFinal() / (20 * 2), r.metric(TrialMetric.MSE), 1e-15);
        assertTrue(Double.isNaN(r.rate()), "no rate fitted to an SGD record");
        TrialResult gd = run(ModelKind.SMOOTH, ModelParams.smooth(Activation.GELU, 1.0, 0.3, 2), data, 40, 20, 8, 0.01, 0, 300, 1e-6);
        assertNotEquals(gd.trialId(), r.trialId());
        assertEquals(gd.loss0(), r.loss0(), 0.0, "the same net at init");
        assertFalse(Double.isNaN(gd.rate()));
    }

    @Test
    void relativeLazinessGrowsWithOmegaRatio() {
        // Paper 004 Sec. 6: at fixed ω1ω2, a larger ω2/ω1 moves the net away from its linearization.
        DataSource data = new TeacherData(6, false, 1);
        double product = 0.2;
        double[] rel = new double[2];
        double[] ratios = {0.25, 16};
        for (int k = 0; k < 2; k++) {
            double w1 = Math.sqrt(product / ratios[k]);
            double w2 = Math.sqrt(product * ratios[k]);
            TrialResult r = run(ModelKind.SMOOTH, ModelParams.smooth(Activation.TANH, w1, w2, 1), data, 30, 15, 6, 0.02, 0,
                    400, 1e-6);
            rel[k] = r.metric(TrialMetric.LAZY_DISTANCE_REL);
        }
        assertTrue(rel[1] > rel[0], "relative lazy distance " + rel[0] + " (ω2/ω1 = 1/4) vs " + rel[1] + " (16)");
    }

    @Test
    void multiOutputDataForAScalarModelFails() {
        TrialResult r = run(ModelKind.SMOOTH, ModelParams.smooth(Activation.TANH, 1, 1, 2), new AckleyData(0), 8, 5, 4, 0.1, 0, 5, 1e-6);
        assertEquals(Outcome.FAILED, r.status());
        assertTrue(r.message().contains("d_y=2"), r.message());
    }
}

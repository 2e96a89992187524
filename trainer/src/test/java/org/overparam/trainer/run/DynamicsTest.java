package org.overparam.trainer.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.overparam.trainer.data.AckleyData;
import org.overparam.trainer.data.DataSource;
import org.overparam.trainer.data.Dataset;
import org.overparam.trainer.data.DyadicData;
import org.overparam.trainer.data.SphereData;
import org.overparam.trainer.data.SphereTarget;
import org.overparam.trainer.fit.HittingTimes;
import org.overparam.trainer.gd.GradientDescent;
import org.overparam.trainer.gd.Optimizer;
import org.overparam.trainer.gd.Outcome;
import org.overparam.trainer.gd.StopRule;
import org.overparam.trainer.gd.StuckRule;
import org.overparam.trainer.gd.TrainingRun;
import org.overparam.trainer.nets.Activation;
import org.overparam.trainer.nets.Loss;
import org.overparam.trainer.nets.TwoLayerReluNet;
import org.overparam.trainer.trial.InstrumentSettings;
import org.overparam.trainer.trial.ModelKind;
import org.overparam.trainer.trial.ModelParams;
import org.overparam.trainer.trial.TrialSpec;

/**
 * The dynamics of real trials ({@link Dynamics}): hitting times against a brute-force scan of an independent
 * rerun's loss array, the PL ratio and {@code unfitted} against a direct computation on the rerun's net, the stuck
 * rule on a plateauing trial (it stops it without changing its trajectory, and the trial indeed does not converge),
 * the diverged message, and every model's columns.
 */
class DynamicsTest {
    private static final SphereData SIGNS = new SphereData(SphereTarget.SIGN, 1);
    private static final SphereData GAUSS = new SphereData(SphereTarget.GAUSSIAN, 0);
    private final TrialRunner runner = new TrialRunner();

    /** The same trial by hand: its net and GD without the runner, the whole loss array kept. */
    private record Rerun(TwoLayerReluNet net, TrainingRun run, Dataset data) {
        static Rerun of(TrialRunner runner, TrialSpec spec, DataSource source) {
            Dataset data = source.load(spec.n(), spec.d());
            TwoLayerReluNet net = runner.build(spec, data);
            TrainingRun run = new GradientDescent(spec.stepSize(),
                    new StopRule(spec.steps(), spec.tolerance(), StopRule.DEFAULT_DIVERGENCE_FACTOR, spec.stuckRule())).run(net);
            return new Rerun(net, run, data);
        }
    }

    private static void assertMatchesDirectComputation(TrialResult r, Rerun direct, boolean hinge) {
        TrialSpec spec = r.spec();
        double[] losses = direct.run().losses();
        assertEquals(direct.run().steps(), r.steps());
        // hitting steps: brute force per level
        double[] levels = HittingTimes.ladder(spec.tolerance());
        assertArrayEquals(levels, r.dynamics().hitTolerances(), 0.0);
        for (int k = 0; k < levels.length; k++) {
            int first = -1;
            for (int s = 0; s < losses.length; s++) {
                if (losses[s] <= levels[k] * losses[0]) {
                    first = s;
                    break;
                }
            }
            assertEquals(first, r.dynamics().hitSteps()[k], "level " + levels[k]);
        }
        // PL ratio and unfitted on the rerun's final net
        double loss = direct.net().forward();
        double g2 = 0;
        for (double g : direct.net().gradient()) {
            g2 += g * g;
        }
        assertEquals(g2 / (2 * loss), r.dynamics().plRatio(), 1e-12 * g2 / (2 * loss), "pl_ratio");
        double[] f = direct.net().outputs();
        double[] y = direct.data().y();
        int unfitted = 0;
        for (int i = 0; i < spec.n(); i++) {
            boolean fitted = hinge ? y[i] * f[i] >= 1 : Math.abs(f[i] - y[i]) <= Math.sqrt(2 * spec.tolerance() * losses[0] / spec.n());
            unfitted += fitted ? 0 : 1;
        }
        assertEquals(unfitted, r.dynamics().unfitted(), "unfitted, counted directly");
        int[] curve = r.dynamics().curveUnfitted();
        assertEquals(r.curveSteps().length, curve.length);
        assertEquals(unfitted, curve[curve.length - 1], "the curve's last step");
        assertTrue(curve[0] >= 0 && curve[0] <= spec.n());
        // the log-slope over the last half, least squares with Math.log
        int s = r.steps();
        double sx = 0, sy = 0, c = 0;
        for (int j = s / 2; j <= s; j++) {
            if (losses[j] > 0) {
                sx += j;
                sy += Math.log(losses[j]);
                c++;
            }
        }
        double mx = sx / c, my = sy / c, sxx = 0, sxy = 0;
        for (int j = s / 2; j <= s; j++) {
            if (losses[j] > 0) {
                sxx += (j - mx) * (j - mx);
                sxy += (j - mx) * (Math.log(losses[j]) - my);
            }
        }
        assertEquals(sxy / sxx, r.dynamics().logSlope(), 1e-9 * Math.abs(sxy / sxx));
    }

    @Test
    void aConvergedTrialsDynamicsMatchADirectComputation() {
        TrialSpec spec = new TrialSpec(ModelKind.RELU, null, 200, 20, 10, 0.5, 3L, GAUSS.identity(), 4000, 1e-6);
        TrialResult r = runner.run(spec, GAUSS);
        assertEquals(Outcome.CONVERGED, r.status(), r.message());
        assertMatchesDirectComputation(r, Rerun.of(runner, spec, GAUSS), false);
        int[] hits = r.dynamics().hitSteps();
        assertEquals(r.steps(), hits[hits.length - 1], "converged at its hitting step of the tolerance");
        assertTrue(Double.isNaN(r.dynamics().projectedSteps()), "no projection for a converged trial");
        assertTrue(r.dynamics().logSlope() < 0);
    }

    @Test
    void aCensoredTrialProjectsItsSteps() {
        TrialSpec spec = new TrialSpec(ModelKind.WN, 1.0, 64, 20, 10, 0.3, 3L, GAUSS.identity(), 300, 1e-12);
        TrialResult r = runner.run(spec, GAUSS);
        assertEquals(Outcome.CENSORED, r.status(), r.message());
        assertMatchesDirectComputation(r, Rerun.of(runner, spec, GAUSS), false);
        double slope = r.dynamics().logSlope();
        assertTrue(slope < 0, "still falling");
        assertEquals(Math.log(1e-12 * r.loss0() / r.lossFinal()) / slope, r.dynamics().projectedSteps(),
                1e-9 * r.dynamics().projectedSteps());
        assertEquals(-1, r.dynamics().hitSteps()[r.dynamics().hitSteps().length - 1], "the tolerance was never reached");
    }

    @Test
    void aSquaredHingeTrialCountsMarginsAndConverges() {
        TrialSpec spec = new TrialSpec(ModelKind.RELU, null, 200, 20, 5, 0.1, 3L, SIGNS.identity(), 20000, 1e-8)
                .withLoss(Loss.SQUARED_HINGE);
        TrialResult r = runner.run(spec, SIGNS);
        assertEquals(Outcome.CONVERGED, r.status(), r.message());
        assertMatchesDirectComputation(r, Rerun.of(runner, spec, SIGNS), true);
        assertTrue(r.dynamics().curveUnfitted()[0] > 0, "some margins below 1 at init");
        assertNotEquals(spec.withLoss(Loss.MSE).id(), spec.id(), "the loss is part of the trial");
    }

    @Test
    void aPlateauIsStoppedStuckWithoutChangingItsTrajectoryAndDoesNotConvergeLater() {
        TrialSpec stuck = new TrialSpec(ModelKind.RELU, null, 2, 64, 32, 0.5, 1L, SIGNS.identity(), 20_000, 1e-6);
        TrialResult r = runner.run(stuck, SIGNS);
        assertEquals(Outcome.STUCK, r.status(), r.message());
        assertEquals(1024, r.steps());
        assertTrue(r.message().startsWith("stuck at step 1024: loss at "), r.message());
        assertTrue(r.message().contains("beyond 32 × 1024; PL ratio "), r.message());
        assertMatchesDirectComputation(r, Rerun.of(runner, stuck, SIGNS), false);

        TrialSpec off = stuck.withStuckHorizon(0);
        assertNotEquals(stuck.id(), off.id());
        TrialResult full = runner.run(off, SIGNS);
        assertEquals(Outcome.CENSORED, full.status(), "without the rule it runs 20000 steps and does not converge");
        assertEquals(20_000, full.steps());
        for (int j = 0; j < r.curveSteps().length - 1; j++) {
            int k = java.util.Arrays.binarySearch(full.curveSteps(), r.curveSteps()[j]);
            assertEquals(full.curveLosses()[k], r.curveLosses()[j], 0.0, "the same trajectory, bit for bit, at step " + r.curveSteps()[j]);
        }
        assertEquals(new StuckRule(StuckRule.DEFAULT_HORIZON), stuck.stuckRule());
    }

    @Test
    void aDivergedTrialNamesItsStepAndRule() {
        TrialSpec spec = new TrialSpec(ModelKind.RELU, null, 50, 20, 10, 40.0, 3L, GAUSS.identity(), 400, 1e-8);
        TrialResult r = runner.run(spec, GAUSS);
        assertEquals(Outcome.DIVERGED, r.status());
        assertTrue(r.message().matches("loss (grew to .* × loss0|became .*) at step \\d+ with step 40 \\(eta 40, eta_per none\\):"
                + " the step is unstable here, not the width"), r.message());
        TrialSpec perN = new TrialSpec(ModelKind.RELU, null, 50, 20, 10, 800.0, 3L, GAUSS.identity(), 400, 1e-8,
                InstrumentSettings.OFF, ModelParams.NONE, org.overparam.trainer.trial.StepRule.parse("n"));
        TrialResult rn = runner.run(perN, GAUSS);
        assertEquals(Outcome.DIVERGED, rn.status());
        assertTrue(rn.message().endsWith("with step 40 (eta 800, eta_per n): the step is unstable here, not the width"), rn.message());
    }

    @Test
    void everyModelRecordsItsDynamics() {
        DataSource ackley = new AckleyData(1);
        List<TrialSpec> specs = List.of(
                new TrialSpec(ModelKind.BN, null, 32, 12, 6, 0.5, 1L, new DyadicData().identity(), 300, 0.05,
                        InstrumentSettings.OFF, ModelParams.bn(Optimizer.GD, 1e-5)),
                new TrialSpec(ModelKind.BN, null, 16, 20, 4, 0.1, 1L, SIGNS.identity(), 300, 1e-3,
                        InstrumentSettings.OFF, ModelParams.bn(Optimizer.SGD, 1e-5)),
                new TrialSpec(ModelKind.GRELU, null, 16, 12, 6, 1e-3, 0L, ackley.identity(), 200, 1e-6,
                        InstrumentSettings.OFF, ModelParams.deep(2, 1)),
                new TrialSpec(ModelKind.DEEP_RELU, null, 16, 12, 6, 1e-3, 0L, ackley.identity(), 200, 1e-6,
                        InstrumentSettings.OFF, ModelParams.deep(2, 1)),
                new TrialSpec(ModelKind.SMOOTH, null, 16, 12, 6, 0.01, 0L, GAUSS.identity(), 200, 1e-6,
                        InstrumentSettings.OFF, ModelParams.smooth(Activation.TANH, 0.5, 0.5, 1)),
                new TrialSpec(ModelKind.SMOOTH, null, 16, 12, 6, 0.01, 0L, GAUSS.identity(), 200, 1e-6,
                        InstrumentSettings.OFF, ModelParams.smoothSgd(Activation.TANH, 0.5, 0.5, 1, 4)),
                new TrialSpec(ModelKind.GRELU, null, 16, 12, 5, 1e-3, 0L, SIGNS.identity(), 200, 1e-6,
                        InstrumentSettings.OFF, ModelParams.deep(2, 1)).withLoss(Loss.SQUARED_HINGE),
                new TrialSpec(ModelKind.WN, 0.5, 16, 12, 5, 0.2, 0L, SIGNS.identity(), 200, 1e-6).withLoss(Loss.SQUARED_HINGE));
        List<DataSource> sources = List.of(new DyadicData(), SIGNS, ackley, ackley, GAUSS, GAUSS, SIGNS, SIGNS);
        for (int i = 0; i < specs.size(); i++) {
            TrialSpec spec = specs.get(i);
            TrialResult r = runner.run(spec, sources.get(i));
            String what = spec.canonical() + ": " + r.message();
            assertTrue(r.status() != Outcome.FAILED && r.status() != Outcome.DIVERGED, what);
            Dynamics dyn = r.dynamics();
            assertArrayEquals(HittingTimes.ladder(spec.tolerance()), dyn.hitTolerances(), 0.0, what);
            assertTrue(dyn.plRatio() >= 0, what + ": pl_ratio " + dyn.plRatio());
            assertTrue(dyn.unfitted() >= 0 && dyn.unfitted() <= spec.n(), what + ": unfitted " + dyn.unfitted());
            assertEquals(r.curveSteps().length, dyn.curveUnfitted().length, what);
            assertTrue(dyn.curveUnfitted()[0] >= 0, what + ": unfitted at step 0");
            assertEquals(dyn.unfitted(), dyn.curveUnfitted()[dyn.curveUnfitted().length - 1], what + ": at the last step");
            assertTrue(!Double.isNaN(dyn.logSlope()) || r.steps() < 2, what);
        }
    }

    @Test
    void modelsWithoutTheSquaredHingeRefuseIt() {
        TrialSpec bn = new TrialSpec(ModelKind.BN, null, 8, 12, 6, 0.5, 1L, new DyadicData().identity(), 30, 0.05,
                InstrumentSettings.OFF, ModelParams.bn(Optimizer.GD, 1e-5)).withLoss(Loss.SQUARED_HINGE);
        TrialResult r = runner.run(bn, new DyadicData());
        assertEquals(Outcome.FAILED, r.status());
        assertTrue(r.message().contains("train.loss squared_hinge: model bn trains on mse only"), r.message());
        TrialResult real = runner.run(new TrialSpec(ModelKind.RELU, null, 8, 12, 6, 0.5, 1L, GAUSS.identity(), 30, 0.05)
                .withLoss(Loss.SQUARED_HINGE), GAUSS);
        assertEquals(Outcome.FAILED, real.status());
        assertTrue(real.message().contains("train.loss squared_hinge needs labels ±1"), real.message());
    }
}

package org.overparam.trainer.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.overparam.trainer.data.DataSource;
import org.overparam.trainer.data.Dataset;
import org.overparam.trainer.data.SphereData;
import org.overparam.trainer.data.SphereTarget;
import org.overparam.trainer.data.TabularData;
import org.overparam.trainer.fit.LogSpacedSteps;
import org.overparam.trainer.fit.RateFit;
import org.overparam.trainer.gd.GradientDescent;
import org.overparam.trainer.gd.Outcome;
import org.overparam.trainer.gd.StopRule;
import org.overparam.trainer.gd.TrainingRun;
import org.overparam.trainer.linalg.RowMajorBlas;
import org.overparam.trainer.nets.WeightNormNet;
import org.overparam.trainer.trial.MemoryEstimate;
import org.overparam.trainer.trial.ModelKind;
import org.overparam.trainer.trial.TrialSpec;

/** {@link TrialRunner} end to end on a small wn trial, and its handling of failures. */
class TrialRunnerTest {
    private static final RowMajorBlas BLAS = RowMajorBlas.best();
    private static final SphereData SOURCE = new SphereData(SphereTarget.SIGN, 1);
    private static final TrialSpec SPEC =
            new TrialSpec(ModelKind.WN, 1.0, 1024, 20, 50, 0.5, 3L, SOURCE.identity(), 2000, 1e-8);

    @Test
    void smallWnTrialConvergesAndRecordsItsCurve() {
        TrialRunner runner = new TrialRunner(BLAS);
        TrialResult r = runner.run(SPEC, SOURCE);

        // Independent rerun of the same trial through the public pieces.
        Dataset data = SOURCE.load(SPEC.n(), SPEC.d());
        var net = runner.build(SPEC, data);
        assertTrue(net instanceof WeightNormNet wn && wn.alpha() == 1.0 && wn.width() == 1024);
        TrainingRun run = new GradientDescent(SPEC.eta(), new StopRule(SPEC.steps(), SPEC.tolerance())).run(net);

        assertEquals(Outcome.CONVERGED, r.status());
        assertNull(r.message());
        assertEquals(SPEC, r.spec());
        assertEquals(SPEC.id(), r.trialId());
        assertEquals(TrialRunner.BACKEND, r.backend());
        assertEquals(BLAS.implementation(), r.blas());
        assertTrue(r.wallMs() >= 0);
        assertEquals(run.outcome(), r.status());
        assertEquals(run.steps(), r.steps());
        assertTrue(r.steps() > 0 && r.steps() < SPEC.steps());
        assertEquals(run.initialLoss(), r.loss0(), 0.0);
        assertEquals(run.finalLoss(), r.lossFinal(), 0.0);
        assertTrue(r.lossFinal() <= SPEC.tolerance() * r.loss0(), "converged means loss ≤ tol·loss0");

        int[] cs = r.curveSteps();
        double[] cl = r.curveLosses();
        assertEquals(cs.length, cl.length);
        assertEquals(0, cs[0]);
        assertEquals(r.steps(), cs[cs.length - 1]);
        assertArrayEquals(LogSpacedSteps.upTo(r.steps()), cs);
        for (int j = 0; j < cs.length; j++) {
            assertEquals(run.losses()[cs[j]], cl[j], 0.0, "curve loss at step " + cs[j]);
        }
        RateFit fit = RateFit.of(run.losses());
        assertEquals(fit.rate(), r.rate(), 0.0);
        assertEquals(fit.r2(), r.rateR2(), 0.0);
        assertTrue(r.rate() > 0 && r.rate() < 1, "a converging run has a rate in (0, 1): " + r.rate());
    }

    @Test
    void runningTwiceGivesIdenticalResults() {
        TrialSpec spec = new TrialSpec(ModelKind.WN, 2.0, 256, 12, 30, 0.5, 9L, SOURCE.identity(), 20, 1e-8);
        TrialResult a = new TrialRunner(BLAS).run(spec, SOURCE);
        TrialResult b = new TrialRunner(BLAS).run(spec, SOURCE);
        assertEquals(Outcome.CENSORED, a.status(), "budget 20 is too short for 1e-8 (precondition)");
        assertNotNull(a.message());
        assertTrue(a.message().contains("20 steps"), a.message());
        assertEquals(a.trialId(), b.trialId());
        assertEquals(a.status(), b.status());
        assertEquals(a.message(), b.message());
        assertEquals(a.steps(), b.steps());
        assertEquals(Double.doubleToRawLongBits(a.loss0()), Double.doubleToRawLongBits(b.loss0()));
        assertEquals(Double.doubleToRawLongBits(a.lossFinal()), Double.doubleToRawLongBits(b.lossFinal()));
        assertEquals(Double.doubleToRawLongBits(a.rate()), Double.doubleToRawLongBits(b.rate()));
        assertEquals(Double.doubleToRawLongBits(a.rateR2()), Double.doubleToRawLongBits(b.rateR2()));
        assertArrayEquals(a.curveSteps(), b.curveSteps());
        assertArrayEquals(a.curveLosses(), b.curveLosses());
        // And the converged trial too.
        TrialResult c = new TrialRunner(BLAS).run(SPEC, SOURCE);
        TrialResult d = new TrialRunner(BLAS).run(SPEC, SOURCE);
        assertArrayEquals(c.curveLosses(), d.curveLosses());
        assertEquals(c.steps(), d.steps());
        assertEquals(Double.doubleToRawLongBits(c.rate()), Double.doubleToRawLongBits(d.rate()));
    }

    @Test
    void divergingTrialIsReportedNotThrown() {
        TrialSpec spec = new TrialSpec(ModelKind.RELU, null, 64, 10, 20, 1e4, 1L, SOURCE.identity(), 100, 1e-6);
        TrialResult r = new TrialRunner(BLAS).run(spec, SOURCE);
        assertEquals(Outcome.DIVERGED, r.status());
        assertNotNull(r.message());
        assertEquals(r.steps(), r.curveSteps()[r.curveSteps().length - 1]);
        assertTrue(!Double.isFinite(r.lossFinal()) || r.lossFinal() > StopRule.DEFAULT_DIVERGENCE_FACTOR * r.loss0());
    }

    @Test
    void failingDataSourceBecomesAFailedResult() {
        DataSource broken = new DataSource() {
            private static final long serialVersionUID = 1L;

            @Override
            public Dataset load(int n, int d) {
                throw new IllegalStateException("disk on fire");
            }

            @Override
            public String identity() {
                return "broken";
            }
        };
        TrialSpec spec = new TrialSpec(ModelKind.WN, 1.0, 8, 4, 3, 0.5, 1L, broken.identity(), 10, 1e-6);
        TrialResult r = new TrialRunner(BLAS).run(spec, broken);
        assertEquals(Outcome.FAILED, r.status());
        assertTrue(r.message().contains("disk on fire"), r.message());
        assertTrue(r.message().contains("IllegalStateException"), r.message());
        assertEquals(spec.id(), r.trialId());
        assertEquals(0, r.steps());
        assertTrue(Double.isNaN(r.loss0()) && Double.isNaN(r.lossFinal()) && Double.isNaN(r.rate()) && Double.isNaN(r.rateR2()));
        assertEquals(0, r.curveSteps().length);
        assertEquals(0, r.curveLosses().length);

        // A table too small for the trial fails the same way, with the table's own message.
        TabularData tiny = new TabularData(2, 3, new double[6], new double[2], "tiny");
        TrialResult t = new TrialRunner(BLAS).run(new TrialSpec(ModelKind.WN, 1.0, 8, 4, 3, 0.5, 1L, "tiny", 10, 1e-6), tiny);
        assertEquals(Outcome.FAILED, t.status());
        assertTrue(t.message().contains("IllegalArgumentException") && t.message().contains("n=4"), t.message());
        assertTrue(Arrays.stream(t.curveLosses()).count() == 0);
    }

    @Test
    void trialTooLargeForTheHeapFailsBeforeAllocatingWithWhatItNeeds() {
        // n·m = 1e6 · 1e6 pre-activations: 7.3 TiB, far beyond any test heap; running it would throw
        // OutOfMemoryError (or overflow an array index) only after allocating the data.
        DataSource watched = new DataSource() {
            private static final long serialVersionUID = 1L;

            @Override
            public Dataset load(int n, int d) {
                throw new AssertionError("the data must not be loaded for a trial that cannot fit");
            }

            @Override
            public String identity() {
                return SOURCE.identity();
            }
        };
        TrialSpec huge = new TrialSpec(ModelKind.RELU, null, 1_000_000, 1_000_000, 50, 0.5, 1L, SOURCE.identity(), 100, 1e-6);
        TrialResult r = new TrialRunner(BLAS).run(huge, watched);
        assertEquals(Outcome.FAILED, r.status());
        double needGiB = MemoryEstimate.of(huge).bytes() / (1024.0 * 1024 * 1024);
        double maxGiB = Runtime.getRuntime().maxMemory() / (1024.0 * 1024 * 1024);
        assertEquals(String.format(java.util.Locale.ROOT,
                "needs %.3g GiB of heap, the executor has %.3g GiB max (raise spark.executor.memory, or -Xmx)", needGiB, maxGiB),
                r.message());
        assertTrue(needGiB > 7000, "8 bytes per pre-activation alone: " + needGiB);
        assertEquals(0, r.steps());
        assertEquals(0, r.curveSteps().length);
    }
}

package org.overparam.trainer.trial;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.overparam.trainer.data.AckleyData;
import org.overparam.trainer.data.DataSource;
import org.overparam.trainer.data.SphereData;
import org.overparam.trainer.data.SphereTarget;
import org.overparam.trainer.gd.Optimizer;
import org.overparam.trainer.gd.Outcome;
import org.overparam.trainer.linalg.RowMajorBlas;
import org.overparam.trainer.ntk.SymmetricEigen;
import org.overparam.trainer.run.TrialResult;
import org.overparam.trainer.run.TrialRunner;

/**
 * {@code train.time_limit} in every training loop: trials that would train for minutes (10⁸ steps, a
 * tolerance they cannot reach) end {@link Outcome#TIMEOUT} soon after a 300 ms limit, with their steps,
 * curve so far and a message; a trial that finishes within its limit has exactly the result it has without one.
 */
class TimeLimitTest {
    private static final Duration LIMIT = Duration.ofMillis(300);
    private static final TrialRunner LIMITED = new TrialRunner(RowMajorBlas.best(), SymmetricEigen.reproducible(), LIMIT);

    private static void endsTimeout(TrialSpec stuckable, DataSource data) {
        // The stuck rule off: these trials plateau, and would stop stuck at a checkpoint before their limit.
        TrialSpec spec = stuckable.withStuckHorizon(0);
        TrialResult r = LIMITED.run(spec, data);
        assertEquals(Outcome.TIMEOUT, r.status(), spec.model().key() + ": " + r.message());
        assertTrue(r.steps() > 0 && r.steps() < spec.steps(), "steps so far: " + r.steps());
        assertTrue(r.wallMs() >= LIMIT.toMillis() && r.wallMs() < LIMIT.toMillis() + 5000, "stopped soon after its limit: " + r.wallMs());
        assertTrue(r.message().contains("time limit 300ms reached after " + r.steps() + " steps"), r.message());
        assertEquals(r.steps(), r.curveSteps()[r.curveSteps().length - 1], "the curve reaches the last step taken");
        assertTrue(Double.isFinite(r.lossFinal()), "its loss so far");
    }

    @Test
    void reluGradientDescentStopsAtItsLimit() {
        endsTimeout(new TrialSpec(ModelKind.RELU, null, 2, 64, 32, 0.5, 1L, "sphere", 100_000_000, 1e-6),
                new SphereData(SphereTarget.SIGN, 0));
    }

    @Test
    void bnSgdStopsAtItsLimit() {
        endsTimeout(new TrialSpec(ModelKind.BN, null, 8, 20, 4, 0.1, 1L, "sphere", 100_000_000, 1e-12,
                InstrumentSettings.OFF, ModelParams.bn(Optimizer.SGD, 1e-5)), new SphereData(SphereTarget.SIGN, 2));
    }

    @Test
    void greluGradientDescentStopsAtItsLimit() {
        DataSource data = new AckleyData(1);
        endsTimeout(new TrialSpec(ModelKind.GRELU, null, 4, 64, 8, 1e-4, 0L, data.identity(), 100_000_000, 1e-12,
                InstrumentSettings.OFF, ModelParams.deep(2, 1)), data);
    }

    @Test
    void aTrialWithinItsLimitHasTheResultItHasWithoutOne() {
        TrialSpec spec = new TrialSpec(ModelKind.WN, 1.0, 64, 8, 10, 0.5, 3L, "sphere", 2000, 1e-6);
        DataSource data = new SphereData(SphereTarget.SIGN, 0);
        TrialResult free = new TrialRunner(RowMajorBlas.best(), SymmetricEigen.reproducible()).run(spec, data);
        TrialResult limited = new TrialRunner(RowMajorBlas.best(), SymmetricEigen.reproducible(), Duration.ofMinutes(10)).run(spec, data);
        assertEquals(Outcome.CONVERGED, free.status());
        assertEquals(free.status(), limited.status());
        assertEquals(free.steps(), limited.steps());
        assertEquals(free.lossFinal(), limited.lossFinal());
        assertArrayEquals(free.curveLosses(), limited.curveLosses());
    }
}

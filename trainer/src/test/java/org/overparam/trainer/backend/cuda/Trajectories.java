package org.overparam.trainer.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.overparam.trainer.data.DataSource;
import org.overparam.trainer.instrument.TrialMetric;
import org.overparam.trainer.models.TrialModels;
import org.overparam.trainer.run.TrialResult;
import org.overparam.trainer.run.TrialRunner;
import org.overparam.trainer.trial.InstrumentSettings;
import org.overparam.trainer.trial.ModelKind;
import org.overparam.trainer.trial.TrialSpec;

/** What the CUDA tests share: trial sets and the comparison of a backend's rows with the CPU trainer's. */
final class Trajectories {
    private Trajectories() {
    }

    /** A pack of {@code count} trials of one shape with different seeds, α, η and budgets. */
    static List<TrialSpec> pack(ModelKind model, int n, int d, int m, int count, int steps, double tolerance,
                                InstrumentSettings instruments, DataSource source) {
        List<TrialSpec> out = new ArrayList<>();
        for (int b = 0; b < count; b++) {
            Double alpha = TrialModels.of(model).usesAlpha() ? new double[] {1.0, 0.5, 2.0}[b % 3] : null;
            double eta = model == ModelKind.WN ? 0.3 - 0.05 * (b % 3) : 0.2 - 0.04 * (b % 3);
            out.add(new TrialSpec(model, alpha, m, n, d, eta, 11L + b, source.identity(), steps - 7 * (b % 2), tolerance, instruments));
        }
        return out;
    }

    /**
     * Asserts {@code got} trained the trial as the CPU trainer does: same status and steps, losses along
     * the curve (log-spaced steps and the last) within {@code rel} relative, the same logged steps, and
     * instrument values within {@code metricRel}.
     */
    static void assertMatchesCpu(TrialResult got, TrialResult cpu, double rel, double metricRel) {
        assertMatchesCpu(got, cpu, rel, metricRel, 1e-12);
    }

    /** As above, with the norm-growth identity held to {@code growthTolerance} (rounding of the precision). */
    static void assertMatchesCpu(TrialResult got, TrialResult cpu, double rel, double metricRel, double growthTolerance) {
        String what = got.spec().canonical();
        assertEquals(cpu.status(), got.status(), what + ": " + got.message());
        assertEquals(cpu.steps(), got.steps(), what);
        assertArrayEquals(cpu.curveSteps(), got.curveSteps(), what);
        for (int j = 0; j < cpu.curveSteps().length; j++) {
            double want = cpu.curveLosses()[j];
            double have = got.curveLosses()[j];
            assertTrue(Math.abs(have - want) <= rel * Math.abs(want),
                    what + ": loss at step " + cpu.curveSteps()[j] + " is " + have + ", the CPU's " + want
                            + " (relative " + Math.abs(have - want) / Math.abs(want) + ")");
        }
        assertEquals(cpu.loss0(), got.loss0(), rel * cpu.loss0(), what);
        assertEquals(cpu.message() == null, got.message() == null, what);
        assertArrayEquals(cpu.dynamics().hitTolerances(), got.dynamics().hitTolerances(), 0.0, what);
        if (rel <= 1e-9) {
            // float64: the same hitting steps and unfitted count, the PL ratio and log-slope to rounding
            assertArrayEquals(cpu.dynamics().hitSteps(), got.dynamics().hitSteps(), what + ": hitting steps");
            assertEquals(cpu.dynamics().unfitted(), got.dynamics().unfitted(), what + ": unfitted");
            // at a stationary point (dead neurons) the ratio is rounding noise, about 1e-32
            double pl = cpu.dynamics().plRatio();
            assertTrue(Math.abs(got.dynamics().plRatio() - pl) <= 1e-6 * Math.abs(pl) + 1e-24, what + ": pl_ratio " + got.dynamics().plRatio() + " vs " + pl);
            assertClose(cpu.dynamics().logSlope(), got.dynamics().logSlope(), 1e-6, what + ": log_slope");
            assertClose(cpu.dynamics().projectedSteps(), got.dynamics().projectedSteps(), 1e-6, what + ": projected_steps");
        }
        assertEquals(cpu.metrics().keySet(), got.metrics().keySet(), what);
        for (TrialMetric metric : cpu.metrics().keySet()) {
            double want = cpu.metric(metric);
            double have = got.metric(metric);
            if (metric == TrialMetric.NORM_GROWTH_ERR) {
                assertTrue(have < growthTolerance, what + ": norm growth error " + have);
                continue;
            }
            double tol = metricRel * Math.max(Math.abs(want), 1e-12);
            assertTrue(Double.compare(want, have) == 0 || Math.abs(have - want) <= tol,
                    what + ": " + metric.column() + " is " + have + ", the CPU's " + want);
        }
    }

    private static void assertClose(double want, double have, double rel, String what) {
        assertTrue(Double.compare(want, have) == 0 || Math.abs(have - want) <= rel * Math.abs(want), what + ": " + have + ", the CPU's " + want);
    }

    static List<TrialResult> cpu(List<TrialSpec> specs, DataSource source) {
        TrialRunner runner = new TrialRunner();
        return specs.stream().map(s -> runner.run(s, source)).toList();
    }
}

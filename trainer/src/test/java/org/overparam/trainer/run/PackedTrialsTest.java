package org.overparam.trainer.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.overparam.trainer.data.SphereData;
import org.overparam.trainer.data.SphereTarget;
import org.overparam.trainer.gd.Outcome;
import org.overparam.trainer.nets.Loss;
import org.overparam.trainer.trial.InstrumentSettings;
import org.overparam.trainer.trial.ModelKind;
import org.overparam.trainer.trial.ModelParams;
import org.overparam.trainer.trial.StepRule;
import org.overparam.trainer.trial.TrialSpec;

/**
 * {@link TrialRunner#runAll} trains small relu and wn trials of one shape side by side and gives every trial the row
 * {@link TrialRunner#run} gives it alone — every column but {@code wall_ms}, bit for bit: converged, censored,
 * stuck and diverged trials, MSE and squared hinge, relu and wn in one pack, with instruments, next to trials that
 * run alone (too wide to pack, another model) in the order given.
 */
class PackedTrialsTest {
    private static final SphereData SOURCE = new SphereData(SphereTarget.RANDOM, 0);

    @Test
    void packedTrialsGetTheRowsTheyGetAloneBitForBit() {
        List<TrialSpec> trials = trials();
        TrialRunner packed = new TrialRunner();
        List<TrialResult> together = packed.runAll(trials, SOURCE);
        assertEquals(trials.size(), together.size());
        TrialRunner single = new TrialRunner();
        Set<Outcome> seen = new java.util.TreeSet<>();
        for (int i = 0; i < trials.size(); i++) {
            TrialResult alone = single.run(trials.get(i), SOURCE);
            assertEquals(trials.get(i).id(), together.get(i).trialId(), "results in the order of the trials");
            assertEquals(bits(alone), bits(together.get(i)), "trial " + i + " " + trials.get(i));
            seen.add(alone.status());
        }
        assertEquals(Set.of(Outcome.CONVERGED, Outcome.CENSORED, Outcome.STUCK, Outcome.DIVERGED), seen,
                "the trials end every way GD ends");
        // 16 small trials in two packs; the three of width 6, the wide relu and the deep-relu alone.
        assertEquals(16, packed.packedTrials(), "the small trials were packed");
    }

    @Test
    void withPackingOffNothingIsPacked() {
        String before = System.getProperty("overparam.cpu_pack");
        System.setProperty("overparam.cpu_pack", "false");
        try {
            TrialRunner runner = new TrialRunner();
            List<TrialSpec> trials = trials().subList(0, 4);
            List<TrialResult> rows = runner.runAll(trials, SOURCE);
            assertEquals(0, runner.packedTrials());
            assertEquals(bits(new TrialRunner().run(trials.get(2), SOURCE)), bits(rows.get(2)));
        } finally {
            if (before == null) {
                System.clearProperty("overparam.cpu_pack");
            } else {
                System.setProperty("overparam.cpu_pack", before);
            }
        }
    }

    @Test
    void aPackedTrialsTimeLimitRunsOnItsOwnShareOfThePacksTime() {
        // 16 trials of 40,000 steps at (64, 8, 4), no early stop, packed: the pack's wall time W is about 16 times
        // each trial's share. A limit of W/2 on the pack's clock would stop them all; on each trial's share (~W/16)
        // it stops none.
        List<TrialSpec> trials = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            trials.add(new TrialSpec(i % 2 == 0 ? ModelKind.RELU : ModelKind.WN, i % 2 == 0 ? null : 1.0, 4, 64, 8, 0.05,
                    200 + i, SOURCE.identity(), 40_000, 1e-12, InstrumentSettings.OFF, ModelParams.NONE, StepRule.NONE,
                    Loss.MSE, 0));
        }
        new TrialRunner().runAll(trials, SOURCE); // compiles the packed kernel
        long free = System.nanoTime();
        for (TrialResult r : new TrialRunner().runAll(trials, SOURCE)) {
            assertEquals(40_000, r.steps(), "every trial runs its budget: " + r.status() + " " + r.message());
        }
        long packMs = (System.nanoTime() - free) / 1_000_000L;
        TrialRunner limited = new TrialRunner(org.overparam.trainer.linalg.RowMajorBlas.best(),
                org.overparam.trainer.ntk.SymmetricEigen.reproducible(), java.time.Duration.ofMillis(Math.max(1, packMs / 2)));
        long start = System.nanoTime();
        List<TrialResult> rows = limited.runAll(trials, SOURCE);
        long wallMs = (System.nanoTime() - start) / 1_000_000L;
        assertEquals(16, limited.packedTrials());
        long sharedMs = 0;
        for (TrialResult r : rows) {
            assertEquals(40_000, r.steps(), r.status() + " after " + r.steps() + " steps: " + r.message() + " (limit "
                    + packMs / 2 + " ms, the pack " + packMs + " ms)");
            sharedMs += r.wallMs();
        }
        // Each row's wall_ms is its share: together about the pack's time, not 16 times it.
        assertTrue(sharedMs <= wallMs + 16, "shares " + sharedMs + " ms against the pack's " + wallMs + " ms");
    }

    /**
     * Sixteen packable trials (n = 40, d = 8: eight of width 4 on the MSE, eight of width 8 on the squared hinge; relu
     * and wn; step sizes that converge, stall, and diverge; two with kernel instruments), three of width 6 (too few to
     * pack), a relu too wide to pack and a deep-relu, interleaved.
     */
    private static List<TrialSpec> trials() {
        List<TrialSpec> out = new ArrayList<>();
        InstrumentSettings kernels = new InstrumentSettings(true, 50, InstrumentSettings.DEFAULT_DELTA);
        double[] etas = {0.8, 0.05, 40.0, 1.6};
        int k = 0;
        for (int m : new int[] {4, 8}) {
            Loss loss = m == 4 ? Loss.MSE : Loss.SQUARED_HINGE;
            for (int j = 0; j < 8; j++, k++) {
                ModelKind model = j % 2 == 0 ? ModelKind.RELU : ModelKind.WN;
                Double alpha = model == ModelKind.WN ? 2.0 : null;
                InstrumentSettings inst = k == 1 || k == 10 ? kernels : InstrumentSettings.OFF;
                out.add(new TrialSpec(model, alpha, m, 40, 8, etas[j % 4] * (1 + 0.05 * j), 10 + k, SOURCE.identity(), 1500,
                        1e-3, inst, ModelParams.NONE, StepRule.NONE, loss, j % 4 == 3 ? 64 : 0));
                if (k == 4) {
                    out.add(new TrialSpec(ModelKind.RELU, null, 40, 40, 8, 0.8, 99, SOURCE.identity(), 300, 1e-3));
                }
            }
        }
        for (int j = 0; j < 3; j++) {
            out.add(2 + 5 * j, new TrialSpec(ModelKind.WN, 1.0, 6, 40, 8, 0.5, 50 + j, SOURCE.identity(), 400, 1e-3));
        }
        out.add(7, new TrialSpec(ModelKind.DEEP_RELU, null, 12, 40, 8, 0.01, 5, SOURCE.identity(), 200, 1e-3,
                InstrumentSettings.OFF, ModelParams.deep(2, 1)));
        return out;
    }

    /** Every component of a row but {@code wallMs}, doubles as their bits. */
    static String bits(Object value) {
        StringBuilder sb = new StringBuilder();
        append(sb, value);
        return sb.toString();
    }

    private static void append(StringBuilder sb, Object v) {
        if (v instanceof Double x) {
            sb.append(Long.toHexString(Double.doubleToRawLongBits(x)));
        } else if (v instanceof double[] a) {
            sb.append('[');
            for (double x : a) {
                sb.append(Long.toHexString(Double.doubleToRawLongBits(x))).append(',');
            }
            sb.append(']');
        } else if (v instanceof int[] a) {
            sb.append(java.util.Arrays.toString(a));
        } else if (v instanceof Map<?, ?> map) {
            sb.append('{');
            for (Map.Entry<String, Object> e : new TreeMap<String, Object>(stringKeys(map)).entrySet()) {
                sb.append(e.getKey()).append('=');
                append(sb, e.getValue());
                sb.append(';');
            }
            sb.append('}');
        } else if (v != null && v.getClass().isRecord() && !(v instanceof TrialSpec)) {
            sb.append(v.getClass().getSimpleName()).append('(');
            for (RecordComponent c : v.getClass().getRecordComponents()) {
                if (c.getName().equals("wallMs")) {
                    continue;
                }
                sb.append(c.getName()).append('=');
                try {
                    append(sb, c.getAccessor().invoke(v));
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
                sb.append(' ');
            }
            sb.append(')');
        } else {
            sb.append(v);
        }
    }

    private static Map<String, Object> stringKeys(Map<?, ?> map) {
        Map<String, Object> out = new TreeMap<>();
        map.forEach((key, value) -> out.put(String.valueOf(key), value));
        return out;
    }

    @Test
    void theComparisonSeesALastBit() {
        double x = 0.1;
        assertTrue(!bits(new double[] {x}).equals(bits(new double[] {Math.nextUp(x)})));
    }
}

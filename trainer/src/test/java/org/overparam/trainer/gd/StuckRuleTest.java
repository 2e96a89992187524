package org.overparam.trainer.gd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The stuck rule on constructed loss curves: plateaus, slow and fast decays, the margin, checkpoints, SGD records. */
class StuckRuleTest {
    private static final StuckRule RULE = new StuckRule(64);

    /** {@code L_s = exp(b s)}, {@code L_0 = 1}. */
    private static double[] geometric(int len, double b) {
        double[] l = new double[len];
        for (int s = 0; s < len; s++) {
            l[s] = Math.exp(b * s);
        }
        return l;
    }

    @Test
    void aPlateauFarAboveTheToleranceIsStuck() {
        double[] l = new double[3000];
        Arrays.fill(l, 0.3);
        l[0] = 1.0;
        String why = RULE.verdict(l, 1024, 1e-8, 1024);
        assertNotNull(why);
        assertTrue(why.startsWith("stuck at step 1024: loss at 0.300 of loss0, tolerance 1.00e-08; ln loss did not fall"), why);
    }

    @Test
    void theProjectionDecides() {
        // At s = 1024 with slope b the tolerance 1e-8 is ln(1e-8/L_s)/b = (ln 1e-8 − 1024 b)/b = ln(1e-8)/b − 1024 steps away.
        double[] slow = geometric(2000, -1e-5);     // 1.84e6 more steps > 64 × 1024
        String why = RULE.verdict(slow, 1024, 1e-8, 1024);
        assertNotNull(why);
        assertTrue(why.contains("ln loss fell 1.00e-05 per step over steps 512..1024, which reaches the tolerance in about 1.84e+06 more steps, beyond 64 × 1024"), why);
        assertNull(RULE.verdict(geometric(2000, -1e-3), 1024, 1e-8, 1024), "1.7e4 more steps: within the horizon");
        // Right at the boundary: projected = horizon·s exactly for b* = ln(1e-8)/(65·1024).
        double bStar = Math.log(1e-8) / (65.0 * 1024);
        assertNull(RULE.verdict(geometric(2000, bStar * 1.001), 1024, 1e-8, 1024));
        assertNotNull(RULE.verdict(geometric(2000, bStar * 0.999), 1024, 1e-8, 1024));
        assertNull(new StuckRule(2000).verdict(slow, 1024, 1e-8, 1024), "a longer horizon (2.05e6 steps) waits");
    }

    @Test
    void aTrialWhoseTrendReachesTheTargetWithinItsBudgetIsNotStopped() {
        // At s = 1024 the target 1e-3 is ln(1e-3)/b − 1024 = 35,000 steps away: beyond 32 × 1024 = 32,768, but
        // within what is left of a 64,000-step budget (the hinge trials of docs/validation.md §7).
        StuckRule rule = new StuckRule(32);
        double b = Math.log(1e-3) / 36_024.0;
        double[] l = geometric(2000, b);
        assertNotNull(rule.verdict(l, 1024, 1e-3, 1024), "at the run's last step the horizon alone decides");
        assertNotNull(rule.verdict(l, 1024, 1e-3, 30_000), "28,976 left: the horizon's 32,768 is the longer");
        assertNull(rule.verdict(l, 1024, 1e-3, 64_000), "62,976 left of the budget > 35,000 projected");
        assertNull(rule.verdict(l, 1024, 1e-3, 37_000), "35,976 left: the projection is not beyond it");
        String why = rule.verdict(l, 1024, 1e-3, 34_000);
        assertNotNull(why, "32,976 left < 35,000 projected");
        assertTrue(why.endsWith("beyond 32 × 1024 and the 32976 left of the budget"), why);
        assertFalse(rule.verdict(l, 1024, 1e-3, 30_000).contains("left of the budget"), "only where the budget is the limit");
        // The watch carries the budget of its run.
        assertNull(rule.watch(64_000).at(l, 1024, 1e-3));
        assertNotNull(rule.watch(30_000).at(l, 1024, 1e-3));
    }

    @Test
    void aTrialNearItsToleranceIsNeverStuck() {
        double[] l = new double[2000];
        Arrays.fill(l, 9.9e-8);
        l[0] = 1.0;
        assertNull(RULE.verdict(l, 1024, 1e-8, 1024), "flat at 9.9 × the target: within the margin of 10");
        Arrays.fill(l, 1, l.length, 1.0e-7);
        assertNotNull(RULE.verdict(l, 1024, 1e-8, 1024), "flat at 10 × the target");
    }

    @Test
    void offBeforeTheFirstCheckpointAndAtHorizonZero() {
        double[] l = new double[2000];
        Arrays.fill(l, 0.5);
        assertNull(RULE.verdict(l, 1023, 1e-8, 1023));
        assertNull(StuckRule.OFF.verdict(l, 1024, 1e-8, 1024));
        assertThrows(IllegalArgumentException.class, () -> new StuckRule(-1));
        assertTrue(StuckRule.checkpoint(1024) && StuckRule.checkpoint(1 << 20));
        assertTrue(!StuckRule.checkpoint(512) && !StuckRule.checkpoint(1025) && !StuckRule.checkpoint(3072));
    }

    @Test
    void theWatchChecksTheFirstEvaluatedStepAtOrAfterEachCheckpoint() {
        double[] l = new double[5000];
        Arrays.fill(l, Double.NaN);
        l[0] = 1.0;
        for (int s = 10; s < 5000; s += 10) {
            l[s] = 0.5;                 // an SGD-like record: a plateau, evaluated every 10 steps
        }
        StuckRule.Watch watch = RULE.watch(l.length - 1);
        int firstFired = -1;
        for (int s = 0; s < 5000 && firstFired < 0; s++) {
            if (!Double.isNaN(l[s]) && watch.at(l, s, 1e-8) != null) {
                firstFired = s;
            }
        }
        assertEquals(1030, firstFired, "the first evaluated step at or after 1024");

        // A decay fast enough at 1024 and 2048, a plateau from 2100 on: checked at 1024, 2048, 4096 only.
        double[] turn = geometric(5000, -2e-3);
        Arrays.fill(turn, 2100, 5000, turn[2100]);
        assertNull(RULE.verdict(turn, 2048, 1e-4, 2048), "precondition");
        assertNotNull(RULE.verdict(turn, 4000, 1e-4, 4000), "precondition: stuck between the checkpoints already");
        StuckRule.Watch w = RULE.watch(turn.length - 1);
        int fired = -1;
        for (int s = 0; s < 5000 && fired < 0; s++) {
            if (w.at(turn, s, 1e-4) != null) {
                fired = s;
            }
        }
        assertEquals(4096, fired);
    }

    @Test
    void theVerdictAgreesWithADirectComputationOnRandomCurves() {
        Random r = new Random(8);
        for (int trial = 0; trial < 400; trial++) {
            int s = 1024 << r.nextInt(3);
            double[] l = new double[s + 1];
            double b = -Math.pow(10, -1 - 5 * r.nextDouble());
            double noise = 0.05 * r.nextDouble();
            for (int j = 0; j <= s; j++) {
                l[j] = Math.exp(b * j + noise * r.nextGaussian());
            }
            l[0] = 1.0;
            double tol = Math.pow(10, -2 - 8 * r.nextDouble());
            int horizon = 1 + r.nextInt(128);
            // direct: least squares with Math.log, the projection and the margin
            double sx = 0, sy = 0, n = 0;
            for (int j = s / 2; j <= s; j++) {
                sx += j;
                sy += Math.log(l[j]);
                n++;
            }
            double mx = sx / n, my = sy / n, sxx = 0, sxy = 0;
            for (int j = s / 2; j <= s; j++) {
                sxx += (j - mx) * (j - mx);
                sxy += (j - mx) * (Math.log(l[j]) - my);
            }
            double slope = sxy / sxx;
            double projected = slope < 0 ? Math.log(tol / l[s]) / slope : Double.POSITIVE_INFINITY;
            boolean stuck = l[s] >= 10 * tol && projected > (double) horizon * s;
            if (Math.abs(projected / ((double) horizon * s) - 1) < 1e-9) {
                continue;   // on the boundary, where Math.log and StrictMath.log may round apart
            }
            assertEquals(stuck, new StuckRule(horizon).verdict(l, s, tol, s) != null, "trial " + trial);
        }
    }
}

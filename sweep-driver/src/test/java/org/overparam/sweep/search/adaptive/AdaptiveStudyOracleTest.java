package org.overparam.sweep.search.adaptive;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.overparam.sweep.threshold.Outcome;
import org.overparam.sweep.threshold.ThresholdModel;

/**
 * A simulated oracle (outcomes drawn from a known P(m, n), no networks trained) drives the real adaptive
 * search loop; over 200 studies per setting the 95 % interval of p must cover the true p in 90–98 %.
 */
class AdaptiveStudyOracleTest {

    private static final int[] NS = {8, 16, 32, 64, 128};
    private static final int STUDIES = 200;

    private static AdaptiveStudy.TrialRunner oracle(ThresholdModel truth, long seed) {
        Random rng = new Random(seed);
        return planned -> {
            List<Outcome> out = new ArrayList<>();
            for (Outcome o : planned) {
                out.add(new Outcome(o.n(), o.m(), rng.nextDouble() < truth.probability(o.m(), o.n())));
            }
            return out;
        };
    }

    private static double coverage(ThresholdModel truth, long baseSeed) {
        int covered = 0;
        for (int k = 0; k < STUDIES; k++) {
            AdaptiveStudy study = new AdaptiveStudy(NS, 2, 4000, 0.0, 600, 60);
            AdaptiveStudy.Result r = study.run(oracle(truth, baseSeed * 1_000_003L + k));
            if (r.fit().pLow() <= truth.p() && truth.p() <= r.fit().pHigh()) {
                covered++;
            }
        }
        return covered / (double) STUDIES;
    }

    private static void assertCalibrated(ThresholdModel truth, long seed) {
        double c = coverage(truth, seed);
        System.out.printf("coverage %.3f for %s%n", c, truth);
        assertTrue(c >= 0.90 && c <= 0.98, "coverage " + c + " for " + truth);
    }

    @Test
    void calibratedSteepNoLapse() {
        assertCalibrated(new ThresholdModel(Math.log(2), 1.5, Math.log(0.2), Math.log(0.002 / 0.998)), 1);
    }

    @Test
    void calibratedLinearWithLapse() {
        assertCalibrated(new ThresholdModel(Math.log(3), 1.0, Math.log(0.3), Math.log(0.05 / 0.95)), 2);
    }

    @Test
    void calibratedSqrtShallow() {
        assertCalibrated(new ThresholdModel(Math.log(4), 0.5, Math.log(0.4), Math.log(0.02 / 0.98)), 3);
    }
}

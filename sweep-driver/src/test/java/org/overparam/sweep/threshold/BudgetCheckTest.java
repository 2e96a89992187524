package org.overparam.sweep.threshold;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.overparam.sweep.search.adaptive.AdaptiveStudy;

/**
 * The budget check on a simulated oracle: a main search under one threshold model, then the check's sample
 * drawn from the same model with its thresholds moved by a known factor (what a larger step budget does when
 * the threshold is the budget's). The ratio must find the factor, its interval cover it, and the flag say
 * whether it is outside [0.8, 1.25].
 */
class BudgetCheckTest {
    private static final int[] NS = {8, 16, 32, 64, 128};
    private static final ThresholdModel TRUTH = new ThresholdModel(Math.log(2), 0.8, Math.log(0.25), Math.log(0.01 / 0.99));

    private static List<Outcome> draw(List<Outcome> planned, ThresholdModel model, Random rng) {
        List<Outcome> out = new ArrayList<>();
        for (Outcome o : planned) {
            out.add(new Outcome(o.n(), o.m(), rng.nextDouble() < model.probability(o.m(), o.n())));
        }
        return out;
    }

    /** Over 60 simulated checks per factor: the median ratio near the factor, the interval covering it, the flag right. */
    @Test
    void findsTheFactorByWhichTheThresholdsMoved() {
        for (double factor : new double[] {1.0, 0.5}) {
            ThresholdModel moved = new ThresholdModel(TRUTH.a() + Math.log(factor), TRUTH.p(), TRUTH.logS(), TRUTH.logitLambda());
            int covered = 0;
            int flagged = 0;
            double[] ratios = new double[60];
            for (int k = 0; k < ratios.length; k++) {
                Random rng = new Random(1000L * k + (long) (factor * 10));
                AdaptiveStudy.Result main = new AdaptiveStudy(NS, 2, 2048, 0.0, 160, 40).run(planned -> draw(planned, TRUTH, rng));
                List<Outcome> sample = BudgetCheck.sample(main.fit(), NS, 2, 2048, 24);
                assertEquals(24, sample.size());
                BudgetCheck.Ratio r = BudgetCheck.ratio(main.fit(), draw(sample, moved, rng));
                ratios[k] = r.ratio();
                assertTrue(r.low() <= r.ratio() && r.ratio() <= r.high(), r.toString());
                covered += r.low() <= factor && factor <= r.high() ? 1 : 0;
                flagged += r.flagged() ? 1 : 0;
            }
            Arrays.sort(ratios);
            double median = ratios[ratios.length / 2];
            System.out.printf("budget check, factor %s: median ratio %.3f, covered %d/60, flagged %d/60%n", factor, median, covered, flagged);
            assertEquals(factor, median, 0.15 * factor, "median ratio");
            assertTrue(covered >= 51, "the 95 % interval covers the factor in at least 85 % of checks: " + covered);
            if (factor == 1.0) {
                assertTrue(flagged <= 20, "a threshold that does not move is seldom flagged: " + flagged);
            } else {
                assertTrue(flagged >= 50, "halved thresholds are flagged: " + flagged);
            }
        }
    }

    @Test
    void aSampleWhereEveryTrialConvergesHasNoLowerBound() {
        Random rng = new Random(5);
        AdaptiveStudy.Result main = new AdaptiveStudy(NS, 2, 2048, 0.0, 160, 40).run(planned -> draw(planned, TRUTH, rng));
        List<Outcome> all = BudgetCheck.sample(main.fit(), NS, 2, 2048, 24).stream().map(o -> new Outcome(o.n(), o.m(), true)).toList();
        BudgetCheck.Ratio r = BudgetCheck.ratio(main.fit(), all);
        assertEquals(0.0, r.low(), "nothing bounds how far the thresholds fell");
        assertTrue(r.ratio() < 0.8 && r.flagged(), r.toString());
        assertFalse(Double.isInfinite(r.high()));
    }

    @Test
    void theSampleSitsAtTheFittedQuartilesOfEveryN() {
        ThresholdFit fit = new ThresholdFit(TRUTH, new double[4][4], 0, 0);
        List<Outcome> sample = BudgetCheck.sample(fit, NS, 2, 2048, 15);
        for (int i = 0; i < NS.length; i++) {
            int n = NS[i];
            double mid = Math.exp(TRUTH.a() + TRUTH.p() * Math.log(n));
            assertEquals(Math.round(mid * Math.exp(TRUTH.s() * Math.log(1.0 / 3))), sample.get(i).m(), 1.0, "25 % point at n=" + n);
            assertEquals(Math.round(mid), sample.get(NS.length + i).m(), 1.0, "50 % point at n=" + n);
            assertEquals(Math.round(mid * Math.exp(TRUTH.s() * Math.log(3))), sample.get(2 * NS.length + i).m(), 1.0, "75 % point at n=" + n);
        }
    }
}

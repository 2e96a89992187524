package org.overparam.sweep.threshold;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.overparam.sweep.config.BisectSettings;

/**
 * The threshold estimator on hand-made success patterns with a known answer: the bracket, m_star
 * interpolated in log m, the edge cases, the Wilson interval against its closed form, the bootstrap;
 * and the search's next width and coarse grid.
 */
class ThresholdEstimatorTest {
    private static final ThresholdEstimator ESTIMATOR = new ThresholdEstimator(0.1, 200);

    /** Trials of 10 seeds per width: {@code converged[i]} of them (the first seeds) converged at {@code widths[i]}. */
    private static List<ThresholdEstimator.Observation> pattern(int[] widths, int[] converged) {
        List<ThresholdEstimator.Observation> out = new ArrayList<>();
        for (int i = 0; i < widths.length; i++) {
            for (long seed = 0; seed < 10; seed++) {
                out.add(new ThresholdEstimator.Observation(widths[i], seed, seed < converged[i], 0));
            }
        }
        return out;
    }

    @Test
    void mStarInterpolatesInLogMBetweenTheLastFailingAndFirstSucceedingWidth() {
        ThresholdEstimator.Estimate e = ESTIMATOR.estimate(pattern(new int[] {8, 16, 32, 64}, new int[] {0, 3, 8, 10}), "g");
        assertEquals(new WidthBracket(32, 64, 64), e.bracket());
        assertEquals(ThresholdEstimator.Status.BRACKETED, e.status());
        // p(32) = 0.8, p(64) = 1: the level 0.9 is halfway, so m* = 32·2^(1/2).
        assertEquals(32 * Math.sqrt(2), e.mStar(), 1e-9);
        assertEquals(List.of(8, 16, 32, 64), e.widths().stream().map(ThresholdEstimator.WidthSuccess::m).toList());
        assertEquals(List.of(0, 3, 8, 10), e.widths().stream().map(ThresholdEstimator.WidthSuccess::converged).toList());
        assertEquals(0.3, e.widths().get(1).success(), 0);
    }

    @Test
    void aWidthExactlyAtTheLevelIsTheThreshold() {
        ThresholdEstimator.Estimate e = ESTIMATOR.estimate(pattern(new int[] {10, 20, 40}, new int[] {2, 9, 10}), "g");
        assertEquals(20.0, e.mStar(), 1e-12, "p(20) = 0.9 = 1 − δ");
        assertEquals(new WidthBracket(10, 20, 40), e.bracket());
    }

    @Test
    void failuresAboveTheFirstSucceedingWidthDoNotMoveIt() {
        ThresholdEstimator.Estimate e = ESTIMATOR.estimate(pattern(new int[] {8, 16, 32, 64}, new int[] {0, 10, 5, 10}), "g");
        assertEquals(new WidthBracket(8, 16, 64), e.bracket());
        assertEquals(8 * Math.pow(2, 0.9), e.mStar(), 1e-9, "p(8) = 0, p(16) = 1: 90 % of the way in log m");
    }

    @Test
    void smallestWidthSucceedingGivesThatWidthAndNoWidthSucceedingGivesNone() {
        ThresholdEstimator.Estimate atLo = ESTIMATOR.estimate(pattern(new int[] {8, 16}, new int[] {10, 10}), "g");
        assertEquals(ThresholdEstimator.Status.AT_LO, atLo.status());
        assertEquals(8.0, atLo.mStar());
        assertEquals(8.0, atLo.mStarLo(), 1e-12, "every replicate succeeds at 8");
        assertEquals(8.0, atLo.mStarHi(), 1e-12);
        assertNull(atLo.bracket().failing());

        ThresholdEstimator.Estimate none = ESTIMATOR.estimate(pattern(new int[] {8, 16}, new int[] {0, 8}), "g");
        assertEquals(ThresholdEstimator.Status.NOT_REACHED, none.status());
        assertTrue(Double.isNaN(none.mStar()));
        assertTrue(Double.isNaN(none.mStarHi()), "most replicates never succeed: no upper end");
        assertEquals(16, none.bracket().largest());
    }

    @Test
    void wilsonIntervalMatchesItsClosedForm() {
        double z = 1.959963984540054;
        for (int n : new int[] {1, 4, 10, 37}) {
            for (int k = 0; k <= n; k++) {
                double p = (double) k / n;
                // (k + z²/2 ± z √(k(n−k)/n + z²/4)) / (n + z²): the same interval, written in counts.
                double center = (k + z * z / 2) / (n + z * z);
                double half = z * Math.sqrt(k * (n - k) / (double) n + z * z / 4) / (n + z * z);
                double[] w = ThresholdEstimator.wilson(k, n, z);
                assertEquals(Math.max(0, center - half), w[0], 1e-12, k + "/" + n);
                assertEquals(Math.min(1, center + half), w[1], 1e-12, k + "/" + n);
                assertEquals(k == 0, w[0] == 0, "the interval starts at 0 exactly when nothing converged");
                assertEquals(k == n, w[1] == 1, "and ends at 1 exactly when everything did");
                assertTrue(w[0] <= p && p <= w[1]);
            }
        }
        // A published value: 3 of 10 → [0.1078, 0.6032] (Wilson 1927; e.g. Agresti & Coull 1998).
        double[] w = ThresholdEstimator.wilson(3, 10, z);
        assertEquals(0.1078, w[0], 5e-5);
        assertEquals(0.6032, w[1], 5e-5);
        ThresholdEstimator.Estimate e = ESTIMATOR.estimate(pattern(new int[] {8, 16}, new int[] {3, 10}), "g");
        assertEquals(w[0], e.widths().get(0).successLo(), 0);
        assertEquals(w[1], e.widths().get(0).successHi(), 0);
    }

    @Test
    void bootstrapIsReproducibleAndBracketsTheEstimate() {
        List<ThresholdEstimator.Observation> obs = pattern(new int[] {8, 11, 16, 23, 32}, new int[] {0, 4, 8, 9, 10});
        ThresholdEstimator.Estimate a = ESTIMATOR.estimate(obs, "group-a");
        ThresholdEstimator.Estimate again = ESTIMATOR.estimate(obs, "group-a");
        ThresholdEstimator.Estimate other = ESTIMATOR.estimate(obs, "group-b");
        assertArrayEquals(a.bootstrapMStar(), again.bootstrapMStar(), "same group, same replicates");
        assertTrue(!java.util.Arrays.equals(a.bootstrapMStar(), other.bootstrapMStar()), "another group draws other replicates");
        assertEquals(200, a.bootstrapMStar().length);
        assertTrue(a.mStarLo() < a.mStar() && a.mStar() <= a.mStarHi(), a.mStarLo() + " " + a.mStar() + " " + a.mStarHi());
        assertTrue(a.mStarLo() >= 8 && a.mStarHi() <= 32, "replicates stay within the tested widths");
        assertEquals(0, new ThresholdEstimator(0.1, 0).estimate(obs, "g").bootstrapMStar().length);
    }

    @Test
    void percentilesInterpolateInLogAndStopAtInfinity() {
        double[] sorted = {10, 20, 40, 80, Double.POSITIVE_INFINITY};
        assertEquals(10, ThresholdEstimator.percentileLog(sorted, 0), 1e-12);
        assertEquals(Math.sqrt(20 * 40), ThresholdEstimator.percentileLog(sorted, 0.375), 1e-9);
        assertTrue(Double.isNaN(ThresholdEstimator.percentileLog(sorted, 0.9)));
    }

    @Test
    void searchBisectsInLogMUntilTheResolution() {
        TreeMap<Integer, Double> tested = new TreeMap<>();
        tested.put(8, 0.0);
        tested.put(16, 0.5);
        tested.put(32, 1.0);
        assertEquals(OptionalInt.of(23), WidthBracket.of(tested, 0.9).next(1.19), "round(√(16·32)) = 23");
        tested.put(23, 1.0);
        assertEquals(OptionalInt.of(19), WidthBracket.of(tested, 0.9).next(1.19), "round(√(16·23)) = 19");
        tested.put(19, 0.8);
        assertEquals(new WidthBracket(19, 23, 32), WidthBracket.of(tested, 0.9));
        assertEquals(OptionalInt.empty(), WidthBracket.of(tested, 0.9).next(1.25), "23/19 = 1.21 is within 1.25");
        assertEquals(OptionalInt.of(21), WidthBracket.of(tested, 0.9).next(1.19));
        TreeMap<Integer, Double> adjacent = new TreeMap<>(java.util.Map.of(2, 0.0, 3, 1.0));
        assertEquals(OptionalInt.empty(), WidthBracket.of(adjacent, 0.9).next(1.01), "no integer between 2 and 3");
        TreeMap<Integer, Double> none = new TreeMap<>(java.util.Map.of(2, 0.0, 4, 0.5));
        assertEquals(OptionalInt.empty(), WidthBracket.of(none, 0.9).next(1.19), "no width succeeds: nothing to bisect");
    }

    @Test
    void coarseGridIsPowersOfTwoTimesLoEndingAtHi() {
        assertEquals(List.of(4, 8, 16, 32, 64, 128, 256, 512), new BisectSettings(4, 512, 1.19).coarseWidths());
        assertEquals(List.of(10, 20, 40, 80, 100), new BisectSettings(10, 100, 1.19).coarseWidths());
        assertEquals(2, new BisectSettings(4, 512, 1.19).maxRefinements(), "2 → √2 → 2^(1/4) = 1.189");
        assertEquals(3, new BisectSettings(4, 512, 1.1).maxRefinements());
    }
}

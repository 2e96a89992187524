package org.overparam.trainer.fit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The tolerance ladder and its hitting steps, against a brute-force scan of the loss array per level. */
class HittingTimesTest {
    @Test
    void theLadderIsEveryDecadeAboveTheToleranceThenTheTolerance() {
        assertArrayEquals(new double[] {1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8}, HittingTimes.ladder(1e-8), 0.0);
        assertArrayEquals(new double[] {1e-1, 1e-2, 1e-3, 1e-4, 3e-5}, HittingTimes.ladder(3e-5), 0.0);
        assertArrayEquals(new double[] {1e-1, 1e-2, 1e-3, 1e-4}, HittingTimes.ladder(1.0e-4), 0.0, "a decade appears once");
        assertArrayEquals(new double[] {0.5}, HittingTimes.ladder(0.5), 0.0);
        assertArrayEquals(new double[] {0.1}, HittingTimes.ladder(0.1), 0.0);
        assertEquals(300, HittingTimes.ladder(1e-300).length);
    }

    @Test
    void hittingStepsAreTheFirstStepsAtOrBelowEachLevel() {
        Random r = new Random(26);
        for (int trial = 0; trial < 300; trial++) {
            int len = 1 + r.nextInt(400);
            double tolerance = new double[] {1e-8, 3e-5, 0.05, 1e-3}[trial % 4];
            double[] losses = new double[len];
            double level = 1 + r.nextDouble();
            for (int s = 0; s < len; s++) {
                level *= Math.exp(-0.2 * r.nextDouble() + 0.08 * r.nextGaussian());   // falls, not monotonically
                losses[s] = s > 0 && r.nextInt(5) == 0 ? Double.NaN : level;       // some steps not evaluated
            }
            if (trial % 7 == 0 && len > 3) {
                losses[len - 1] = 0.0;                                              // a squared hinge at exactly 0
            }
            HittingTimes hits = HittingTimes.of(losses, tolerance);
            double[] levels = HittingTimes.ladder(tolerance);
            assertArrayEquals(levels, hits.tolerances(), 0.0);
            for (int k = 0; k < levels.length; k++) {
                int first = -1;
                for (int s = 0; s < len; s++) {
                    if (losses[s] <= levels[k] * losses[0]) {
                        first = s;
                        break;
                    }
                }
                assertEquals(first, hits.steps()[k], "trial " + trial + ", level " + levels[k]);
            }
        }
    }

    @Test
    void aZeroInitialLossHitsEveryLevelAtStepZeroAndANonFiniteOneNone() {
        assertArrayEquals(new int[] {0, 0}, HittingTimes.of(new double[] {0.0, 0.0}, 0.05).steps());
        assertArrayEquals(new int[] {-1, -1}, HittingTimes.of(new double[] {Double.NaN, 0.0}, 0.05).steps());
    }
}

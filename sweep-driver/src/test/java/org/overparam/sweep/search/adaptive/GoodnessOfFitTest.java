package org.overparam.sweep.search.adaptive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;

class GoodnessOfFitTest {

    @Test
    void chiSquareSurvivalMatchesClosedForms() {
        for (double x : new double[] {0.1, 1.0, 3.0, 7.5, 20.0}) {
            assertEquals(Math.exp(-x / 2), GoodnessOfFit.chiSquareSurvival(x, 2), 1e-12);
            assertEquals(Math.exp(-x / 2) * (1 + x / 2), GoodnessOfFit.chiSquareSurvival(x, 4), 1e-12);
        }
        assertEquals(Math.log(24), GoodnessOfFit.logGamma(5), 1e-12);
        assertEquals(0.5 * Math.log(Math.PI), GoodnessOfFit.logGamma(0.5), 1e-12);
        assertEquals(0.05, GoodnessOfFit.chiSquareSurvival(3.841458820694124, 1), 1e-9);
    }

    /** Outcomes whose logistic location at n is ln(threshold(n)). */
    private static List<Outcome> simulate(IntToDoubleFunction threshold, double s, long seed) {
        Random rng = new Random(seed);
        List<Outcome> out = new ArrayList<>();
        for (int n : new int[] {8, 16, 32, 64, 128, 256}) {
            double c = threshold.applyAsDouble(n);
            for (double f : new double[] {0.3, 0.5, 0.7, 0.85, 1.0, 1.2, 1.5, 2.0, 3.5}) {
                int m = Math.max(1, (int) Math.round(c * f));
                double q = 0.98 * ThresholdModel.logistic((Math.log(m) - Math.log(c)) / s);
                for (int k = 0; k < 15; k++) {
                    out.add(new Outcome(n, m, rng.nextDouble() < q));
                }
            }
        }
        return out;
    }

    @Test
    void powerLawThresholdsAreNotFlagged() {
        List<Outcome> data = simulate(n -> 2.0 * n, 0.25, 5L);
        ThresholdFit fit = new ThresholdFitter().fit(data);
        GoodnessOfFit g = GoodnessOfFit.of(fit, data);
        assertEquals(4, g.degreesOfFreedom());
        assertFalse(g.misfit(), "p-value " + g.powerLawP());
    }

    @Test
    void thresholdsThatSaturateAreFlagged() {
        List<Outcome> data = simulate(n -> 2.0 * Math.min(n, 32), 0.25, 5L);
        ThresholdFit fit = new ThresholdFitter().fit(data);
        GoodnessOfFit g = GoodnessOfFit.of(fit, data);
        assertTrue(g.misfit(), "p-value " + g.powerLawP() + " deviance " + g.deviance());
    }
}

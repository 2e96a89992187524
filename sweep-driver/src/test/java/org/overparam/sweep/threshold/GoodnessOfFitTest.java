package org.overparam.sweep.threshold;

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

    /** Stukel's stretch: the identity at α = 0, h(0) = 0 and h'(0) = 1, increasing, and its closed forms. */
    @Test
    void stukelStretchHasItsDefiningProperties() {
        for (double z : new double[] {-3, -0.7, 0, 0.4, 2.5}) {
            assertEquals(z, GoodnessOfFit.stukel(z, 0, 0), 0.0);
        }
        double[][] alphas = {{0.8, 0.8}, {-0.6, 0.3}, {1.5, -1.2}};
        for (double[] a : alphas) {
            assertEquals(0.0, GoodnessOfFit.stukel(0, a[0], a[1]), 0.0);
            double h = 1e-6;
            assertEquals(1.0, (GoodnessOfFit.stukel(h, a[0], a[1]) - GoodnessOfFit.stukel(-h, a[0], a[1])) / (2 * h), 1e-5);
            double prev = Double.NEGATIVE_INFINITY;
            for (double z = -5; z <= 5; z += 0.05) {
                double v = GoodnessOfFit.stukel(z, a[0], a[1]);
                assertTrue(v > prev, "not increasing at " + z);
                prev = v;
            }
        }
        assertEquals((Math.exp(0.8 * 2) - 1) / 0.8, GoodnessOfFit.stukel(2, 0.8, 0.3), 1e-12);
        assertEquals(-(Math.exp(0.3 * 2) - 1) / 0.3, GoodnessOfFit.stukel(-2, 0.8, 0.3), 1e-12);
        assertEquals(Math.log(1 + 0.6 * 2) / 0.6, GoodnessOfFit.stukel(2, -0.6, 0.3), 1e-12);
        assertEquals(-Math.log(1 + 1.2 * 2) / 1.2, GoodnessOfFit.stukel(-2, 0.8, -1.2), 1e-12);
    }

    /** At α = 0 Stukel's model is the fitted one: its objective equals ThresholdFitter's, an independent code path. */
    @Test
    void stukelObjectiveAtZeroIsTheFittersObjective() {
        List<Outcome> data = simulate(n -> 3.0 * Math.pow(n, 0.8), 0.3, 9L);
        ThresholdModel model = new ThresholdModel(1.0, 0.8, Math.log(0.3), Math.log(0.02 / 0.98));
        double expected = new ThresholdFitter().objective(model, data);
        double[] x = {model.a(), model.p(), model.logS(), model.logitLambda(), 0.0, 0.0};
        assertEquals(expected, GoodnessOfFit.stukelObjective(x, data), 1e-9 * Math.abs(expected));
        ThresholdFit fit = new ThresholdFitter().fit(data);
        assertTrue(GoodnessOfFit.shapeDeviance(fit.model(), data) >= 0.0);
    }

    @Test
    void misfitKindsListWhatIsFlagged() {
        assertEquals("", new GoodnessOfFit(1, 3, 0.5, 1, 2, 0.5).misfitKinds());
        assertFalse(new GoodnessOfFit(1, 3, 0.5, 1, 2, 0.011).misfit());
        assertEquals("power_law", new GoodnessOfFit(20, 3, 0.001, 1, 2, 0.5).misfitKinds());
        assertEquals("shape", new GoodnessOfFit(1, 3, 0.5, 20, 2, 0.009).misfitKinds());
        GoodnessOfFit both = new GoodnessOfFit(20, 3, 0.001, 20, 2, 0.0001);
        assertEquals("power_law,shape", both.misfitKinds());
        assertTrue(both.misfit());
    }

    /** A curve skewed far from the logistic (Stukel α = (2, −0.8)), on a fixed spread design, is flagged as shape, not power law. */
    @Test
    void skewedCurveIsFlaggedAsShape() {
        Random rng = new Random(21);
        List<Outcome> data = new ArrayList<>();
        for (int n : new int[] {8, 16, 32, 64, 128}) {
            for (double f : new double[] {0.3, 0.5, 0.7, 0.85, 1.0, 1.2, 1.5, 2.0, 3.5}) {
                int m = Math.max(1, (int) Math.round(2.0 * n * f));
                double z = Math.log(m / (2.0 * n)) / 0.3;
                double q = 0.98 * ThresholdModel.logistic(GoodnessOfFit.stukel(z, 2.0, -0.8));
                for (int k = 0; k < 12; k++) {
                    data.add(new Outcome(n, m, rng.nextDouble() < q));
                }
            }
        }
        GoodnessOfFit g = GoodnessOfFit.of(new ThresholdFitter().fit(data), data);
        assertEquals("shape", g.misfitKinds(), "p-values " + g.powerLawP() + " " + g.shapeP());
    }
}

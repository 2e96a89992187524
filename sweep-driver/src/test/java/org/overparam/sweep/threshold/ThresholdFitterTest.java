package org.overparam.sweep.threshold;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ThresholdFitterTest {

    private final ThresholdFitter fitter = new ThresholdFitter();

    private static List<Outcome> simulate(ThresholdModel truth, int[] ns, int perPoint, long seed) {
        Random rng = new Random(seed);
        List<Outcome> out = new ArrayList<>();
        for (int n : ns) {
            double centre = Math.exp(truth.a() + truth.p() * Math.log(n));
            for (double f : new double[] {0.25, 0.5, 0.7, 0.85, 1.0, 1.2, 1.5, 2.0, 4.0}) {
                int m = Math.max(1, (int) Math.round(centre * f));
                for (int k = 0; k < perPoint; k++) {
                    out.add(new Outcome(n, m, rng.nextDouble() < truth.probability(m, n)));
                }
            }
        }
        return out;
    }

    @Test
    void thresholdIsWhereTheModelReachesOneMinusDelta() {
        ThresholdModel model = new ThresholdModel(0.3, 1.2, Math.log(0.4), Math.log(0.03 / 0.97));
        for (int n : new int[] {10, 100, 1000}) {
            double m = model.threshold(n, 0.1);
            assertEquals(0.9, model.probability(m, n), 1e-12);
        }
        // lapse above delta: the level is unreachable
        ThresholdModel lapsy = new ThresholdModel(0.3, 1.2, 0.0, Math.log(0.2 / 0.8));
        assertTrue(Double.isNaN(lapsy.threshold(10, 0.1)));
    }

    @Test
    void inverseTimesMatrixIsIdentity() {
        double[][] m = {{4, 1, 0.5, 0}, {1, 3, 0.2, 0.1}, {0.5, 0.2, 2, 0.3}, {0, 0.1, 0.3, 1}};
        double[][] inv = ThresholdFitter.invert(m);
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                double s = 0;
                for (int k = 0; k < 4; k++) {
                    s += m[i][k] * inv[k][j];
                }
                assertEquals(i == j ? 1.0 : 0.0, s, 1e-12);
            }
        }
    }

    /** The Nelder–Mead optimum is no worse than any point of an independent brute-force grid. */
    @Test
    void mleBeatsABruteForceGrid() {
        ThresholdModel truth = new ThresholdModel(0.5, 1.0, Math.log(0.3), Math.log(0.05 / 0.95));
        List<Outcome> data = simulate(truth, new int[] {8, 16, 32}, 4, 7L);
        ThresholdFit fit = fitter.fit(data);
        double best = fitter.objective(fit.model(), data);
        double gridBest = Double.NEGATIVE_INFINITY;
        double[] gridArg = null;
        for (double a = -1.0; a <= 2.0001; a += 0.05) {
            for (double p = 0.3; p <= 1.7001; p += 0.025) {
                for (double ls = -3.0; ls <= 0.5001; ls += 0.1) {
                    for (double ll = -7.0; ll <= -1.0001; ll += 0.25) {
                        double v = fitter.objective(new ThresholdModel(a, p, ls, ll), data);
                        if (v > gridBest) {
                            gridBest = v;
                            gridArg = new double[] {a, p, ls, ll};
                        }
                    }
                }
            }
        }
        assertTrue(best >= gridBest - 1e-9, "fit " + best + " worse than grid " + gridBest);
        // the grid optimum is close to the fit (within a few grid steps; the surface is smooth)
        assertEquals(gridArg[1], fit.model().p(), 0.1);
        assertEquals(gridArg[0], fit.model().a(), 0.3);
    }

    @Test
    void recoversTheExponentWithANarrowInterval() {
        ThresholdModel truth = new ThresholdModel(0.2, 0.75, Math.log(0.25), Math.log(0.05 / 0.95));
        List<Outcome> data = simulate(truth, new int[] {10, 20, 40, 80, 160, 320}, 20, 11L);
        ThresholdFit fit = fitter.fit(data);
        assertTrue(fit.pLow() < 0.75 && 0.75 < fit.pHigh(), "[" + fit.pLow() + ", " + fit.pHigh() + "]");
        assertTrue(fit.pHigh() - fit.pLow() < 0.2, "interval too wide: " + (fit.pHigh() - fit.pLow()));
        assertEquals(0.25, fit.model().s(), 0.08);
        double[] ci = fit.thresholdInterval(80, 0.1);
        double trueM = truth.threshold(80, 0.1);
        assertTrue(ci[0] < trueM && trueM < ci[1], "m*(80) " + trueM + " not in [" + ci[0] + ", " + ci[1] + "]");
    }

    @Test
    void fitIsDeterministic() {
        ThresholdModel truth = new ThresholdModel(0.0, 1.5, Math.log(0.5), -4.0);
        List<Outcome> data = simulate(truth, new int[] {10, 30, 90}, 3, 3L);
        assertEquals(fitter.fit(data).model(), fitter.fit(data).model());
    }
}

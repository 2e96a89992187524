package org.overparam.sweep.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.overparam.sweep.threshold.ThresholdModel;

/** The benchmark's bisect side and regression against closed forms. */
class SearchEfficiencyBenchmarkTest {

    /** Through (0,0), (1,1), (2,3): slope 3/2, SE² = (1/6)/(1·2), t(0.975, 1 df) = 12.7062047. */
    @Test
    void regressionMatchesTheClosedForm() {
        double[] fit = SearchEfficiencyBenchmark.regression(List.of(new double[] {0, 0}, new double[] {1, 1}, new double[] {2, 3}));
        assertEquals(1.5, fit[0], 1e-12);
        assertEquals(12.706204736174698 * Math.sqrt(1.0 / 12), fit[1], 1e-8);
        double[] exact = SearchEfficiencyBenchmark.regression(List.of(new double[] {1, 2}, new double[] {2, 4}, new double[] {3, 6}, new double[] {4, 8}));
        assertEquals(2.0, exact[0], 1e-12);
        assertEquals(0.0, exact[1], 1e-12);
    }

    @Test
    void quantileOfAbsoluteErrors() {
        assertEquals(0.95 * 19, SearchEfficiencyBenchmark.quantile95(new double[] {0, -1, 2, -3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, -19}), 1e-12);
    }

    /**
     * A sharp oracle without lapse (every seed converges exactly from m = 2n): bisect brackets each threshold
     * within the resolution, so the fitted exponent is 1 within ln(1.19)/ln(32), and it runs all K seeds at
     * the 12 coarse widths of [4, 8192] and at each refinement.
     */
    @Test
    void bisectFindsASharpThreshold() {
        ThresholdModel sharp = new ThresholdModel(Math.log(2), 1.0, Math.log(1e-4), -40);
        SearchEfficiencyBenchmark.Bisect b = SearchEfficiencyBenchmark.bisect(sharp, 10, 1.19, new Random(1));
        assertEquals(1.0, b.p(), Math.log(1.19) / Math.log(32));
        assertEquals(0, b.trials() % 10);
        assertTrue(b.trials() >= 10 * 12 * SearchEfficiencyBenchmark.NS.length, "trials " + b.trials());
        assertTrue(b.trials() <= 10 * (12 + 6) * SearchEfficiencyBenchmark.NS.length, "trials " + b.trials());
    }
}

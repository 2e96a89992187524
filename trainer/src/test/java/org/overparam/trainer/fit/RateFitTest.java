package org.overparam.trainer.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link RateFit} against synthetic curves with a known rate and an independent least-squares fit. */
class RateFitTest {
    /**
     * ln of an exact geometric curve is linear up to ~1 ulp of |ln loss| ≤ 60 per point (≈1e-14); the
     * least-squares slope over ≥ 50 points inherits that relative size, so ρ is recovered to ≪ 1e-9.
     */
    private static final double RATE_TOL = 1e-9;

    static double[] geometric(double c, double rho, int length) {
        double[] l = new double[length];
        for (int s = 0; s < length; s++) {
            l[s] = c * Math.pow(1 - rho, s);
        }
        return l;
    }

    /** Number of s in [from, to) with low ≤ losses[s] ≤ high (the documented window). */
    static int countIn(double[] l, int from, int to, double low, double high) {
        int n = 0;
        for (int s = from; s < to; s++) {
            if (l[s] >= low && l[s] <= high) {
                n++;
            }
        }
        return n;
    }

    @ParameterizedTest(name = "C={0} rho={1} length={2}")
    @CsvSource({"1.0, 0.02, 2000", "37.5, 0.1, 400", "1e-3, 0.005, 6000", "5.0, 0.5, 100"})
    void recoversTheRateOfAnExactGeometricCurve(double c, double rho, int length) {
        double[] l = geometric(c, rho, length);
        RateFit fit = RateFit.of(l);
        int window = countIn(l, 0, length, 1e-12 * c, 1e-2 * c);
        assertTrue(window >= RateFit.MIN_POINTS, "the curve crosses the window (precondition)");
        assertEquals(window, fit.points(), "the fit uses exactly the steps in [1e-12, 1e-2]·loss0");
        assertEquals(rho, fit.rate(), RATE_TOL);
        assertEquals(1.0, fit.r2(), 1e-12, "R² of an exact log-linear curve");
    }

    @Test
    void onlyTheWindowIsFitted() {
        // Rate 0.3 until the loss falls below 1e-2·loss0, then 0.05 through the window, then a flat
        // floor below 1e-12·loss0 (as when GD hits rounding): only the middle segment may count.
        double rhoFast = 0.3;
        double rhoWindow = 0.05;
        double loss0 = 4.0;
        double[] l = new double[1200];
        int s0 = 0;
        while (loss0 * Math.pow(1 - rhoFast, s0) >= 1e-2 * loss0) {
            l[s0] = loss0 * Math.pow(1 - rhoFast, s0);
            s0++;
        }
        int s = s0;
        for (; s < l.length; s++) {
            double v = loss0 * Math.pow(1 - rhoFast, s0) * Math.pow(1 - rhoWindow, s - s0);
            if (v < 1e-12 * loss0) {
                break;
            }
            l[s] = v;
        }
        assertTrue(s < l.length - 10, "the curve reaches the floor (precondition)");
        for (; s < l.length; s++) {
            l[s] = 1e-13 * loss0 * (1 + 0.5 * (s % 2));
        }
        RateFit fit = RateFit.of(l);
        assertEquals(rhoWindow, fit.rate(), RATE_TOL);
        assertEquals(countIn(l, 0, l.length, 1e-12 * l[0], 1e-2 * l[0]), fit.points());
        assertEquals(1.0, fit.r2(), 1e-12);
    }

    @Test
    void fallsBackToTheSecondHalfWhenTheWindowIsTooThin() {
        // ρ = 1e-3 over 200 steps only reaches 0.82·loss0: no point in the window, so the documented
        // fallback fits steps (length−1)/2 .. length−1, which for an exact curve gives ρ exactly.
        int length = 200;
        double rho = 1e-3;
        double[] l = geometric(2.0, rho, length);
        assertEquals(0, countIn(l, 0, length, 1e-12 * 2.0, 1e-2 * 2.0));
        RateFit fit = RateFit.of(l);
        assertEquals(length - (length - 1) / 2, fit.points());
        assertEquals(rho, fit.rate(), RATE_TOL);
        assertEquals(1.0, fit.r2(), 1e-12);

        // Two points in the window (< MIN_POINTS) also fall back, to steps (5−1)/2 = 2 .. 4.
        double[] two = {1.0, 0.5, 0.2, 5e-3, 1e-3};
        assertEquals(2, countIn(two, 0, two.length, 1e-12, 1e-2));
        RateFit tail = RateFit.of(two);
        assertEquals(3, tail.points());
        assertEquals(independentRate(two, 2, 5), tail.rate(), 1e-12);
        assertTrue(tail.r2() < 1.0, "0.2, 5e-3, 1e-3 is not geometric");

        // Three window points suffice: the window is used, not the tail.
        double[] three = {1.0, 0.5, 5e-3, 1e-3, 2e-4};
        assertEquals(3, countIn(three, 0, three.length, 1e-12, 1e-2));
        RateFit w = RateFit.of(three);
        assertEquals(3, w.points());
        assertEquals(independentRate(three, 2, 5), w.rate(), 1e-12);
    }

    @Test
    void tooShortCurvesAreUndefined() {
        for (double[] l : new double[][] {{}, {1.0}, {1.0, 0.5}, {1.0, Double.NaN, Double.NaN, Double.NaN},
                {1.0, 0.0, 0.0, 0.0}}) {
            RateFit fit = RateFit.of(l);
            assertTrue(Double.isNaN(fit.rate()), "rate of " + java.util.Arrays.toString(l));
            assertTrue(Double.isNaN(fit.r2()));
        }
        assertTrue(Double.isNaN(RateFit.UNDEFINED.rate()));
    }

    @Test
    void growingCurveHasNegativeRate() {
        double[] l = geometric(1.0, -0.01, 300); // loss_s = 1.01^s
        RateFit fit = RateFit.of(l);
        assertEquals(-0.01, fit.rate(), RATE_TOL);
        assertTrue(fit.rate() < 0);
        assertEquals(1.0, fit.r2(), 1e-12);
    }

    @Test
    void noisyCurveMatchesAnIndependentLeastSquaresFit() {
        Random r = new Random(3);
        double[] l = new double[1500];
        for (int s = 0; s < l.length; s++) {
            l[s] = 10.0 * Math.pow(0.97, s) * Math.exp(0.3 * r.nextGaussian());
        }
        // Keep loss0 noise-free so the window is well defined.
        l[0] = 10.0;
        RateFit fit = RateFit.of(l);
        int from = 0;
        double[] win = l.clone();
        for (int s = 0; s < win.length; s++) {
            if (!(win[s] >= 1e-12 * l[0] && win[s] <= 1e-2 * l[0])) {
                win[s] = Double.NaN; // excluded
            }
        }
        double[] ref = independentFit(win, from, win.length);
        assertEquals(ref[0], fit.rate(), 1e-12, "same estimator, different code: agree to rounding");
        assertEquals(ref[1], fit.r2(), 1e-12);
        assertTrue(fit.r2() < 1.0 && fit.r2() > 0.9, "noise lowers R² below 1: " + fit.r2());
        // The estimate is near the true rate: slope s.e. ≈ 0.3/√(Σ(s−s̄)²) ≈ 0.3/√(N³/12) with N ≈ 750
        // window points, ≈ 5e-5 on ln(1−ρ) (≈ on ρ). Points near the window's edges are selected by
        // their noise, which biases the slope by about one more s.e.; 5e-4 is ~10 s.e. in all.
        assertEquals(0.03, fit.rate(), 5e-4);
    }

    private static double independentRate(double[] l, int from, int to) {
        return independentFit(l, from, to)[0];
    }

    /** Ordinary least squares of ln l on s (two-pass, over finite positive points); returns {ρ, R²}. */
    private static double[] independentFit(double[] l, int from, int to) {
        java.util.List<double[]> pts = new java.util.ArrayList<>();
        for (int s = from; s < to; s++) {
            if (Double.isFinite(l[s]) && l[s] > 0) {
                pts.add(new double[] {s, Math.log(l[s])});
            }
        }
        double mx = pts.stream().mapToDouble(p -> p[0]).average().orElseThrow();
        double my = pts.stream().mapToDouble(p -> p[1]).average().orElseThrow();
        double sxx = pts.stream().mapToDouble(p -> (p[0] - mx) * (p[0] - mx)).sum();
        double sxy = pts.stream().mapToDouble(p -> (p[0] - mx) * (p[1] - my)).sum();
        double slope = sxy / sxx;
        double intercept = my - slope * mx;
        double ssRes = pts.stream().mapToDouble(p -> Math.pow(p[1] - intercept - slope * p[0], 2)).sum();
        double ssTot = pts.stream().mapToDouble(p -> (p[1] - my) * (p[1] - my)).sum();
        return new double[] {1 - Math.exp(slope), 1 - ssRes / ssTot};
    }
}

package org.overparam.trainer.nets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.DoubleFunction;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * {@link Erf} against the double-double {@link ErfReference} (itself checked against {@code BigDecimal} by
 * {@code ErfReferenceTest}), in ulps of the exact value: over 10⁶ arguments in all, uniform over the whole
 * range of each function, log-uniform down to the subnormals near 0, and the 2000 doubles around each branch
 * point of fdlibm's intervals. Where the exact value is subnormal the error is counted in the smallest
 * subnormal, {@code 2^-1074}, apart: an absolute error there (a subnormal holds fewer bits, and a product with
 * one, such as {@code s Φ(s)} for {@code s < −37.5}, multiplies its rounding). The bounds are the measured
 * maxima rounded up (stated in each assertion); the test prints what it measured.
 */
class ErfTest {
    /** The interval ends of erf and erfc in {@code x}, and where fdlibm switches to its tiny-argument forms. */
    /** Below it Φ(s) is subnormal (and pdf below −37.64). */
    private static final double NORMAL_END = -37.5;
    private static final double[] X_BRANCHES = {0x1p-56, 0x1p-28, 0.25, Erf.SMALL, Erf.NEAR_ONE, Erf.TAIL_B, Erf.ERF_ONE, Erf.ERFC_ZERO};

    @Test
    void erfAndErfcAreWithinAnUlpOrTwo() {
        SplittableRandom random = new SplittableRandom(2701);
        List<Double> xs = new ArrayList<>();
        uniform(random, xs, 300_000, -7, 7);
        uniform(random, xs, 150_000, 7, 27.5);          // erfc down to its subnormals (x > 26.55) and 0 (x > 27.3)
        logUniform(random, xs, 80_000, -1074, 1);        // near 0, subnormal arguments included
        around(xs, X_BRANCHES, 1000);
        Worst[] erf = measure(xs, Erf::erf, ErfReference::erf);
        Worst[] erfc = measure(xs, Erf::erfc, ErfReference::erfc);
        report("erf", xs.size(), erf);
        report("erfc", xs.size(), erfc);
        assertTrue(erf[0].ulps <= 1.0 && erf[1].ulps <= 1.0, "erf within 1 ulp, worst " + erf[0] + ", subnormal " + erf[1]);
        assertTrue(erfc[0].ulps <= 3.0, "erfc within 3 ulp, worst " + erfc[0]);
        assertTrue(erfc[1].ulps <= 1.0, "erfc's subnormals within 2^-1074, worst " + erfc[1]);
    }

    @Test
    void normalCdfAndPdfAreWithinAFewUlpOverTheWholeLine() {
        List<Double> ss = cdfArguments();
        Worst[] cdf = measure(ss, Erf::normalCdf, ErfReference::normalCdf);
        Worst[] pdf = measure(ss, Erf::normalPdf, ErfReference::normalPdf);
        report("normalCdf", ss.size(), cdf);
        report("normalPdf", ss.size(), pdf);
        assertTrue(cdf[0].ulps <= 5.0, "Φ within 5 ulp, worst " + cdf[0]);
        assertTrue(pdf[0].ulps <= 3.5, "pdf within 3.5 ulp, worst " + pdf[0]);
        assertTrue(cdf[1].ulps <= 2.0 && pdf[1].ulps <= 2.0, "subnormal Φ and pdf within 2·2^-1074, worst " + cdf[1] + ", " + pdf[1]);
    }

    /**
     * gelu to a few ulp; its slope {@code Φ + s·pdf} in ulps of its larger term (it crosses 0 near {@code s = −0.75},
     * where no relative bound can hold). Both where Φ and pdf are normal floats ({@code s ≥ −37.5}); beyond, absolutely.
     */
    @Test
    void geluAndItsSlopeAreWithinAFewUlp() {
        List<Double> ss = cdfArguments();
        Worst[] value = {new Worst(), new Worst()};
        Worst[] slope = {new Worst(), new Worst()};
        for (double s : ss) {
            double cdf = ErfReference.normalCdf(s).approx();
            double pdf = ErfReference.normalPdf(s).approx();
            ErfReference.Scaled gelu = ErfReference.gelu(s);
            ErfReference.Scaled geluSlope = ErfReference.geluSlope(s);
            if (s >= NORMAL_END) {
                value[0].see(s, ErfReference.ulps(Activation.GELU.value(s), gelu));
                double larger = Math.max(Math.abs(cdf), Math.abs(s * pdf));
                slope[0].see(s, ErfReference.ulps(Activation.GELU.derivative(s), geluSlope, larger));
            } else {
                // Φ or pdf subnormal: the products inherit their absolute rounding, times |s|; an absolute bound
                value[1].see(s, Math.abs(Activation.GELU.value(s) - gelu.approx()));
                slope[1].see(s, Math.abs(Activation.GELU.derivative(s) - geluSlope.approx()));
            }
        }
        System.out.printf(Locale.ROOT, "gelu for s >= %.1f: %d arguments, max error %s; below, absolute %s%n", NORMAL_END, ss.size(),
                value[0], value[1]);
        System.out.printf(Locale.ROOT, "gelu' for s >= %.1f (ulps of its larger term): %d arguments, max error %s; below, absolute %s%n",
                NORMAL_END, ss.size(), slope[0], slope[1]);
        assertTrue(value[0].ulps <= 5.5, "gelu within 5.5 ulp, worst " + value[0]);
        assertTrue(slope[0].ulps <= 4.5, "gelu' within 4.5 ulp of its larger term, worst " + slope[0]);
        assertTrue(value[1].ulps <= 0x1p-1000 && slope[1].ulps <= 0x1p-1000, "gelu and gelu' within 2^-1000 below s = " + NORMAL_END
                + ", worst " + value[1] + ", " + slope[1]);
    }

    @Test
    void expIsWithinAnUlpAndAgreesWithStrictMath() {
        SplittableRandom random = new SplittableRandom(7);
        List<Double> xs = new ArrayList<>();
        uniform(random, xs, 100_000, -745.2, 709.7);
        uniform(random, xs, 20_000, -1e-3, 1e-3);
        uniform(random, xs, 20_000, -745.2, -708.3);     // subnormal results
        around(xs, new double[] {0.5 * Math.log(2), 1.5 * Math.log(2), 0x1p-28}, 1000);
        Worst[] exp = measure(xs, Erf::exp, ErfReference::exp);
        int differ = 0;
        double worstApart = 0;
        for (double x : xs) {
            double ours = Erf.exp(x);
            double strict = StrictMath.exp(x);
            if (ours != strict) {
                differ++;
                worstApart = Math.max(worstApart, Math.abs(ours - strict) / Math.ulp(strict));
            }
        }
        report("exp", xs.size(), exp);
        System.out.printf(Locale.ROOT, "exp: differs from StrictMath.exp at %d of %d arguments, by at most %.0f ulp%n", differ, xs.size(),
                worstApart);
        assertTrue(exp[0].ulps <= 1.0 && exp[1].ulps <= 1.0, "exp within 1 ulp, worst " + exp[0] + ", subnormal " + exp[1]);
        assertTrue(worstApart <= 1.0, "exp within 1 ulp of StrictMath.exp");
    }

    @Test
    void specialValues() {
        assertEquals(0.0, Erf.erf(0.0), 0.0);
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(Erf.erf(-0.0)));
        assertEquals(1.0, Erf.erf(Double.POSITIVE_INFINITY), 0.0);
        assertEquals(-1.0, Erf.erf(Double.NEGATIVE_INFINITY), 0.0);
        assertEquals(1.0, Erf.erfc(0.0), 0.0);
        assertEquals(0.0, Erf.erfc(Double.POSITIVE_INFINITY), 0.0);
        assertEquals(2.0, Erf.erfc(Double.NEGATIVE_INFINITY), 0.0);
        assertEquals(0.5, Erf.normalCdf(0.0), 0.0);
        assertEquals(1.0, Erf.normalCdf(Double.POSITIVE_INFINITY), 0.0);
        assertEquals(0.0, Erf.normalCdf(Double.NEGATIVE_INFINITY), 0.0);
        assertEquals(0.0, Erf.normalPdf(Double.NEGATIVE_INFINITY), 0.0);
        assertTrue(Double.isNaN(Erf.erf(Double.NaN)) && Double.isNaN(Erf.erfc(Double.NaN)) && Double.isNaN(Erf.normalCdf(Double.NaN)));
        // Φ(s) underflows to 0 past s ≈ −38.5 and reaches 1 at s ≈ 8.3: its ends as float64 sees them.
        assertEquals(0.0, Erf.normalCdf(-39.0), 0.0);
        assertTrue(Erf.normalCdf(-38.0) > 0 && Erf.normalCdf(-38.0) < Double.MIN_NORMAL);
        assertEquals(1.0, Erf.normalCdf(8.5), 0.0);
    }

    /** The arguments of Φ, pdf and gelu: the whole line where Φ or pdf is nonzero, near 0, and the branch points in s. */
    private static List<Double> cdfArguments() {
        SplittableRandom random = new SplittableRandom(2702);
        List<Double> ss = new ArrayList<>();
        uniform(random, ss, 250_000, -40, 12);
        uniform(random, ss, 50_000, -3, 3);
        logUniform(random, ss, 30_000, -1074, 1);
        double[] branches = new double[X_BRANCHES.length];
        for (int i = 0; i < branches.length; i++) {
            branches[i] = X_BRANCHES[i] * Math.sqrt(2.0);     // |x| = |s|/√2 at fdlibm's interval ends
        }
        around(ss, branches, 1000);
        around(ss, new double[] {0.7517915241, 37.5, 38.47}, 1000);  // gelu' = 0; pdf and Φ turning subnormal
        return ss;
    }

    private static void uniform(SplittableRandom random, List<Double> out, int count, double lo, double hi) {
        for (int i = 0; i < count; i++) {
            out.add(random.nextDouble(lo, hi));
        }
    }

    /** Random signs, exponents uniform in {@code [minExp, maxExp)}, random significands (subnormals below -1022). */
    private static void logUniform(SplittableRandom random, List<Double> out, int count, int minExp, int maxExp) {
        for (int i = 0; i < count; i++) {
            double v = Math.scalb(1.0 + random.nextDouble(), random.nextInt(minExp, maxExp));
            out.add(random.nextBoolean() ? v : -v);
        }
    }

    /** The {@code 2·half} doubles around {@code ±b} for each {@code b}. */
    private static void around(List<Double> out, double[] points, int half) {
        for (double b : points) {
            for (double sign : new double[] {1, -1}) {
                double up = sign * b;
                double down = sign * b;
                for (int i = 0; i < half; i++) {
                    out.add(up);
                    out.add(Math.nextDown(down));
                    up = Math.nextUp(up);
                    down = Math.nextDown(down);
                }
            }
        }
    }

    /** The largest errors: where the exact value is normal (in its ulps), and where it is subnormal (in 2^-1074). */
    private static Worst[] measure(List<Double> args, DoubleUnaryOperator ours, DoubleFunction<ErfReference.Scaled> reference) {
        Worst[] worst = {new Worst(), new Worst()};
        for (double a : args) {
            ErfReference.Scaled ref = reference.apply(a);
            worst[Math.abs(ref.approx()) < Double.MIN_NORMAL ? 1 : 0].see(a, ErfReference.ulps(ours.applyAsDouble(a), ref));
        }
        return worst;
    }

    private static void report(String what, int points, Worst[] worst) {
        System.out.printf(Locale.ROOT, "%s: %d arguments, max error %.3f ulp at %s; subnormal values: %.3f·2^-1074 at %s%n", what,
                points, worst[0].ulps, Double.toString(worst[0].at), worst[1].ulps, Double.toString(worst[1].at));
    }

    /** The largest error seen and where. */
    private static final class Worst {
        double ulps;
        double at = Double.NaN;

        void see(double argument, double error) {
            if (!(error <= ulps)) {
                ulps = error;
                at = argument;
            }
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%.3g at %s", ulps, Double.toString(at));
        }
    }
}

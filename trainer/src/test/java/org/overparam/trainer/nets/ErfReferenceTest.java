package org.overparam.trainer.nets;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The double-double {@link ErfReference} against {@code BigDecimal}: erf by its alternating Taylor series
 * {@code 2/√π Σ (−1)^n x^{2n+1}/(n!(2n+1))} carried with enough digits for its cancellation and for the size of
 * erfc ({@code 40 + 0.87 x²} digits), at points over the whole line, the deep tail of erfc included (to
 * {@code x = 27.2}, where erfc is subnormal in float64). Agreement to {@code 1e−25} relative (erfc = 1 − erf
 * loses up to 4 of the 32 digits at x = 2.5): far below the
 * 1e−16 at which {@code ErfTest} measures {@link Erf}.
 */
class ErfReferenceTest {
    private static final double TOLERANCE = 1e-25;

    @Test
    void doubleDoubleAgreesWithBigDecimalSeries() {
        SplittableRandom random = new SplittableRandom(27);
        List<Double> xs = new ArrayList<>(List.of(0.3, 0.84375, 1.25, 2.5, 2.5000000000000004, 2.857142857142857, 6.0, 26.6, 27.2, -3.7, -0.01,
                1e-20, -3e-300));
        for (int i = 0; i < 80; i++) {
            xs.add(random.nextDouble(-6, 6));
        }
        for (int i = 0; i < 10; i++) {
            xs.add(random.nextDouble(6, 27.2));
        }
        double worst = 0;
        for (double x : xs) {
            BigDecimal[] big = erfAndErfc(new BigDecimal(x));
            worst = Math.max(worst, check(big[0], ErfReference.erf(x), "erf(" + x + ")"));
            worst = Math.max(worst, check(big[1], ErfReference.erfc(x), "erfc(" + x + ")"));
        }
        BigDecimal invSqrt2 = BigDecimal.ONE.divide(BigDecimal.valueOf(2).sqrt(new MathContext(80)), new MathContext(80));
        for (double s : new double[] {-38.0, -30.5, -12.25, -5.1, -1.7, -0.9, -0.2, 0.0, 0.6, 1.3, 3.3, 8.0}) {
            BigDecimal x = new BigDecimal(s).multiply(invSqrt2).negate();
            BigDecimal cdf = erfAndErfc(x)[1].divide(BigDecimal.valueOf(2));
            worst = Math.max(worst, check(cdf, ErfReference.normalCdf(s), "Φ(" + s + ")"));
        }
        System.out.printf("ErfReference: %d points, max relative difference from BigDecimal %.1e%n", xs.size() * 2 + 12, worst);
    }

    /** erf and erfc of {@code x} by the Taylor series, with the digits its cancellation and erfc's size need. */
    static BigDecimal[] erfAndErfc(BigDecimal x) {
        double xd = x.doubleValue();
        int digits = 40 + (int) Math.ceil(0.87 * xd * xd);
        MathContext mc = new MathContext(digits);
        BigDecimal x2 = x.multiply(x, mc);
        BigDecimal power = x;
        BigDecimal sum = x;
        BigDecimal eps = BigDecimal.ONE.movePointLeft(digits + 5);
        for (int n = 1; ; n++) {
            power = power.multiply(x2, mc).divide(BigDecimal.valueOf(n), mc).negate();
            BigDecimal term = power.divide(BigDecimal.valueOf(2L * n + 1), mc);
            sum = sum.add(term, mc);
            if (term.abs().compareTo(eps) < 0 && n > x2.doubleValue()) {
                break;
            }
        }
        BigDecimal erf = sum.multiply(BigDecimal.valueOf(2), mc).divide(ErfReference.pi(mc).sqrt(mc), mc);
        return new BigDecimal[] {erf, BigDecimal.ONE.subtract(erf, mc)};
    }

    private static double check(BigDecimal want, ErfReference.Scaled got, String what) {
        BigDecimal g = got.mantissa().big().multiply(BigDecimal.valueOf(2).pow(Math.abs(got.exp()), MathContext.UNLIMITED)
                .pow(got.exp() >= 0 ? 1 : -1, new MathContext(80)));
        double rel = want.signum() == 0 ? g.abs().doubleValue()
                : g.subtract(want).abs().divide(want.abs(), new MathContext(10)).doubleValue();
        assertTrue(rel <= TOLERANCE, what + ": reference " + g.round(new MathContext(30)) + " against " + want.round(new MathContext(30))
                + ", relative " + rel);
        return rel;
    }
}

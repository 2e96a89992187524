package org.overparam.trainer.nets;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * High-precision references for {@link Erf}, independent of it: double-double arithmetic (about 32 digits;
 * Dekker's products without FMA) with the classical expansions, erf by its all-positive series
 * {@code erf x = 2/√π e^{−x²} Σ_k (2x²)^k x/(1·3⋯(2k+1))} for {@code |x| ≤ 2.5}, erfc by its continued fraction
 * {@code e^{−x²}/√π · 1/(x + ½/(x + 1/(x + 3/2/(x + ⋯))))} beyond (Lentz's method to {@code 1e−32}), and
 * {@code e^a} by {@code (Taylor(r/2^10))^(2^10)·2^k}. Results carry a binary exponent apart ({@link Scaled}), so
 * tails that are subnormal or 0 in float64 keep their precision and an error can be measured in their ulps.
 * {@code ErfReferenceTest} checks these against {@code BigDecimal} Taylor series.
 */
final class ErfReference {
    private static final MathContext BIG = new MathContext(60);
    static final BigDecimal PI = pi(BIG);
    private static final DD LN2 = DD.of(ln2(BIG));
    private static final DD TWO_OVER_SQRT_PI = DD.of(BigDecimal.valueOf(2).divide(PI.sqrt(BIG), BIG));
    private static final DD INV_SQRT_PI = DD.of(BigDecimal.ONE.divide(PI.sqrt(BIG), BIG));
    private static final DD INV_SQRT_2 = DD.of(BigDecimal.ONE.divide(BigDecimal.valueOf(2).sqrt(BIG), BIG));
    private static final DD INV_SQRT_2PI = DD.of(BigDecimal.ONE.divide(PI.multiply(BigDecimal.valueOf(2)).sqrt(BIG), BIG));
    private static final double SERIES_END = 2.5;

    private ErfReference() {
    }

    /** {@code (hi + lo)·2^exp}: a double-double with its binary exponent apart. */
    record Scaled(double hi, double lo, int exp) {
        static Scaled of(DD v) {
            return new Scaled(v.hi(), v.lo(), 0);
        }

        DD mantissa() {
            return new DD(hi, lo);
        }

        /** Rounded to a double (to within an ulp: enough to pick the ulp errors are measured in). */
        double approx() {
            return Math.scalb(hi, exp) + Math.scalb(lo, exp);
        }

        Scaled times(DD f) {
            return new Scaled(mantissa().mul(f).hi(), mantissa().mul(f).lo(), exp);
        }

        Scaled plus(Scaled o) {
            int e = Math.max(exp, o.exp);
            DD sum = mantissa().scale(exp - e).add(o.mantissa().scale(o.exp - e));
            return new Scaled(sum.hi(), sum.lo(), e);
        }

        Scaled negate() {
            return new Scaled(-hi, -lo, exp);
        }
    }

    /** A double-double {@code hi + lo}, {@code |lo| ≤ ½ ulp(hi)}. */
    record DD(double hi, double lo) {
        static final DD ONE = new DD(1, 0);

        static DD of(double v) {
            return new DD(v, 0);
        }

        static DD of(BigDecimal v) {
            double hi = v.doubleValue();
            return new DD(hi, v.subtract(new BigDecimal(hi)).doubleValue());
        }

        BigDecimal big() {
            return new BigDecimal(hi).add(new BigDecimal(lo));
        }

        DD add(DD b) {
            double s = hi + b.hi;
            double bb = s - hi;
            double e = (hi - (s - bb)) + (b.hi - bb);
            double t = lo + b.lo;
            double tb = t - lo;
            double f = (lo - (t - tb)) + (b.lo - tb);
            e += t;
            double s2 = s + e;
            e = e - (s2 - s);
            e += f;
            double s3 = s2 + e;
            return new DD(s3, e - (s3 - s2));
        }

        DD sub(DD b) {
            return add(b.negate());
        }

        DD negate() {
            return new DD(-hi, -lo);
        }

        DD mul(DD b) {
            double p = hi * b.hi;
            double e = twoProductError(hi, b.hi, p) + (hi * b.lo + lo * b.hi);
            double s = p + e;
            return new DD(s, e - (s - p));
        }

        DD mul(double b) {
            return mul(of(b));
        }

        DD div(DD b) {
            double q1 = hi / b.hi;
            DD r = sub(b.mul(q1));
            double q2 = r.hi / b.hi;
            r = r.sub(b.mul(q2));
            double q3 = r.hi / b.hi;
            return new DD(q1, 0).add(of(q2)).add(of(q3));
        }

        /** {@code this·2^k}, exact while in range. */
        DD scale(int k) {
            return new DD(Math.scalb(hi, k), Math.scalb(lo, k));
        }

        private static double twoProductError(double a, double b, double p) {
            double[] as = split(a);
            double[] bs = split(b);
            return ((as[0] * bs[0] - p) + as[0] * bs[1] + as[1] * bs[0]) + as[1] * bs[1];
        }

        private static double[] split(double a) {
            double c = 134217729.0 * a; // 2^27 + 1
            double h = c - (c - a);
            return new double[] {h, a - h};
        }
    }

    /** {@code e^a} for a double-double {@code a} (any size). */
    static Scaled exp(DD a) {
        double k = Math.rint(a.hi() / LN2.hi());
        DD r = a.sub(LN2.mul(k)).scale(-10);
        DD sum = DD.ONE;
        DD term = DD.ONE;
        for (int i = 1; i <= 14; i++) {
            term = term.mul(r).div(DD.of(i));
            sum = sum.add(term);
        }
        for (int i = 0; i < 10; i++) {
            sum = sum.mul(sum);
        }
        return new Scaled(sum.hi(), sum.lo(), (int) k);
    }

    /** {@code e^x}. */
    static Scaled exp(double x) {
        return exp(DD.of(x));
    }

    /** erf of a double-double. */
    static Scaled erf(DD x) {
        double ax = Math.abs(x.hi());
        if (ax == 0) {
            return new Scaled(0, 0, 0);
        }
        if (ax < 0x1p-60) {
            // erf x = 2x/√π (1 − x²/3 + ⋯), the rest below 2^-120 relative; scaled so a subnormal x keeps its bits
            return new Scaled(x.scale(1000).mul(TWO_OVER_SQRT_PI).hi(), x.scale(1000).mul(TWO_OVER_SQRT_PI).lo(), -1000);
        }
        if (ax <= SERIES_END) {
            return series(x);
        }
        Scaled tail = cf(x.hi() < 0 ? x.negate() : x);
        Scaled one = Scaled.of(DD.ONE).plus(tail.negate());
        return x.hi() < 0 ? one.negate() : one;
    }

    /** erfc of a double-double. */
    static Scaled erfc(DD x) {
        if (x.hi() > SERIES_END) {
            return cf(x);
        }
        if (x.hi() < -SERIES_END) {
            return Scaled.of(DD.of(2)).plus(cf(x.negate()).negate());
        }
        return Scaled.of(DD.ONE).plus(erf(x).negate());
    }

    static Scaled erf(double x) {
        return erf(DD.of(x));
    }

    static Scaled erfc(double x) {
        return erfc(DD.of(x));
    }

    /** {@code Φ(s) = ½ erfc(−s/√2)}, with {@code s/√2} in double-double. */
    static Scaled normalCdf(double s) {
        Scaled e = erfc(DD.of(s).mul(INV_SQRT_2).negate());
        return new Scaled(e.hi(), e.lo(), e.exp() - 1);
    }

    /** {@code exp(−s²/2)/√(2π)}. */
    static Scaled normalPdf(double s) {
        return exp(DD.of(s).mul(DD.of(s)).scale(-1).negate()).times(INV_SQRT_2PI);
    }

    /** {@code gelu(s) = s Φ(s)}. */
    static Scaled gelu(double s) {
        return normalCdf(s).times(DD.of(s));
    }

    /** {@code gelu'(s) = Φ(s) + s pdf(s)}. */
    static Scaled geluSlope(double s) {
        return normalCdf(s).plus(normalPdf(s).times(DD.of(s)));
    }

    /** The series of erf for {@code |x| ≤ 2.5}: positive terms, so no cancellation. */
    private static Scaled series(DD x) {
        DD x2 = x.mul(x);
        DD twoX2 = x2.scale(1);
        DD term = x;
        DD sum = x;
        for (int k = 1; k < 500; k++) {
            term = term.mul(twoX2).div(DD.of(2 * k + 1));
            sum = sum.add(term);
            if (Math.abs(term.hi()) < 1e-34 * Math.abs(sum.hi())) {
                break;
            }
        }
        return exp(x2.negate()).times(sum.mul(TWO_OVER_SQRT_PI));
    }

    /** erfc for {@code x > 2.5} by its continued fraction (modified Lentz). */
    private static Scaled cf(DD x) {
        double tiny = 1e-300;
        DD f = DD.of(tiny);
        DD c = f;
        DD d = DD.of(0);
        for (int j = 1; j < 100_000; j++) {
            DD a = j == 1 ? DD.ONE : DD.of((j - 1) / 2.0);
            d = x.add(a.mul(d));
            d = DD.ONE.div(d);
            c = x.add(a.div(c));
            DD delta = c.mul(d);
            f = f.mul(delta);
            if (Math.abs(delta.hi() - 1) + Math.abs(delta.lo()) < 1e-33) {
                break;
            }
        }
        // f is the fraction's value (the start 'tiny' contributes tiny·x relative)
        return exp(x.mul(x).negate()).times(f.mul(INV_SQRT_PI));
    }

    /**
     * The error of {@code ours} in ulps of the reference's float64 value (subnormal ulps where the reference is
     * below {@link Double#MIN_NORMAL}).
     */
    static double ulps(double ours, Scaled ref) {
        return ulps(ours, ref, Math.abs(ref.approx()));
    }

    /** The error of {@code ours} in ulps of {@code magnitude} (e.g. the larger term of a sum that cancels). */
    static double ulps(double ours, Scaled ref, double magnitude) {
        if (Double.isNaN(ours) || Double.isInfinite(ours)) {
            return Double.POSITIVE_INFINITY;
        }
        int ulpExp = magnitude >= Double.MIN_NORMAL ? Math.getExponent(magnitude) - 52 : -1074;
        DD diff = DD.of(Math.scalb(ours, -ref.exp())).sub(ref.mantissa());
        return Math.abs(Math.scalb(diff.hi(), ref.exp() - ulpExp));
    }

    /** π by Machin's formula. */
    static BigDecimal pi(MathContext mc) {
        return atanInverse(5, mc).multiply(BigDecimal.valueOf(16)).subtract(atanInverse(239, mc).multiply(BigDecimal.valueOf(4)), mc);
    }

    private static BigDecimal atanInverse(int n, MathContext mc) {
        BigDecimal x = BigDecimal.ONE.divide(BigDecimal.valueOf(n), mc);
        BigDecimal x2 = x.multiply(x, mc);
        BigDecimal power = x;
        BigDecimal sum = x;
        BigDecimal eps = BigDecimal.ONE.movePointLeft(mc.getPrecision() + 5);
        for (int k = 1; power.compareTo(eps) > 0; k++) {
            power = power.multiply(x2, mc);
            BigDecimal term = power.divide(BigDecimal.valueOf(2L * k + 1), mc);
            sum = k % 2 == 1 ? sum.subtract(term, mc) : sum.add(term, mc);
        }
        return sum;
    }

    /** ln 2 = Σ 1/(k 2^k). */
    static BigDecimal ln2(MathContext mc) {
        BigDecimal sum = BigDecimal.ZERO;
        BigDecimal half = BigDecimal.ONE;
        for (int k = 1; k < 4 * mc.getPrecision(); k++) {
            half = half.divide(BigDecimal.valueOf(2), mc);
            sum = sum.add(half.divide(BigDecimal.valueOf(k), mc), mc);
        }
        return sum;
    }
}

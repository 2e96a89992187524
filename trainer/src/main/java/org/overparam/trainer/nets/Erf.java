package org.overparam.trainer.nets;

/**
 * The error function, its complement and the standard normal distribution in float64, to a few ulp over
 * the whole line ({@code ErfTest} measures the error against a double-double reference checked with
 * {@code BigDecimal}), in a form that vectorizes ({@link VectorGeluKernel} runs the same operations lane by
 * lane): only {@code + − × ÷} and bit masks, so the results are the same on every JVM and CPU.
 *
 * <p>{@link #erf} and {@link #erfc} are fdlibm's {@code s_erf.c} (rational approximations on
 * {@code [0, 0.84375)}, {@code [0.84375, 1.25)}, {@code [1.25, 1/0.35)} and {@code [1/0.35, 28)}, with its
 * coefficients) and {@link #exp} is fdlibm's {@code e_exp.c} (a Remez polynomial on {@code |r| ≤ ½ ln 2}, with
 * its coefficients), rewritten without branches on the reduction. Their notice:
 * <pre>
 * Copyright (C) 1993 by Sun Microsystems, Inc. All rights reserved.
 * Developed at SunSoft, a Sun Microsystems, Inc. business.
 * Permission to use, copy, modify, and distribute this software is freely granted,
 * provided that this notice is preserved.
 * </pre>
 *
 * <p>{@link #normalCdf} {@code Φ(s) = ½ erfc(−s/√2)} does not lose the rounding of {@code −s/√2} to erfc's
 * condition number ({@code ~s²/2} ulp in the tails): it forms {@code exp(−s²/2)} from an exact split of
 * {@code s²} ({@link #gaussian}), shared with {@link #normalPdf}, and on {@code |s| < 1.25√2}, where the
 * exponential is not in the formula, it adds the first-order term of the rounding ({@link #argumentError}).
 */
public final class Erf {
    // fdlibm s_erf.c: erf(1) rounded to 24 bits, and the rational approximations of each interval.
    static final double ERX = 8.45062911510467529297e-01; // 0x3FEB0AC1, 0x60000000
    static final double ONE_MINUS_ERX = 1.0 - ERX; // exact: ERX has 24 bits
    private static final double EFX = 1.28379167095512586316e-01; // 0x3FC06EBA, 0x8214DB69
    private static final double EFX8 = 1.02703333676410069053e+00; // 0x3FF06EBA, 0x8214DB69
    // erf(x) = x + x·PP(x²)/QQ(x²) on [0, 0.84375)
    static final double PP0 = 1.28379167095512558561e-01; // 0x3FC06EBA, 0x8214DB68
    static final double PP1 = -3.25042107247001499370e-01; // 0xBFD4CD7D, 0x691CB913
    static final double PP2 = -2.84817495755985104766e-02; // 0xBF9D2A51, 0xDBD7194F
    static final double PP3 = -5.77027029648944159157e-03; // 0xBF77A291, 0x236668E4
    static final double PP4 = -2.37630166566501626084e-05; // 0xBEF8EAD6, 0x120016AC
    static final double QQ1 = 3.97917223959155352819e-01; // 0x3FD97779, 0xCDDADC09
    static final double QQ2 = 6.50222499887672944485e-02; // 0x3FB0A54C, 0x5536CEBA
    static final double QQ3 = 5.08130628187576562776e-03; // 0x3F74D022, 0xC4D36B0F
    static final double QQ4 = 1.32494738004321644526e-04; // 0x3F215DC9, 0x221C1A10
    static final double QQ5 = -3.96022827877536812320e-06; // 0xBED09C43, 0x42A26120
    // erf(1 + t) = ERX + PA(t)/QA(t) on [0.84375, 1.25)
    static final double PA0 = -2.36211856075265944077e-03; // 0xBF6359B8, 0xBEF77538
    static final double PA1 = 4.14856118683748331666e-01; // 0x3FDA8D00, 0xAD92B34D
    static final double PA2 = -3.72207876035701323847e-01; // 0xBFD7D240, 0xFBB8C3F1
    static final double PA3 = 3.18346619901161753674e-01; // 0x3FD45FCA, 0x805120E4
    static final double PA4 = -1.10894694282396677476e-01; // 0xBFBC6398, 0x3D3E28EC
    static final double PA5 = 3.54783043256182359371e-02; // 0x3FA22A36, 0x599795EB
    static final double PA6 = -2.16637559486879084300e-03; // 0xBF61BF38, 0x0A96073F
    static final double QA1 = 1.06420880400844228286e-01; // 0x3FBB3E66, 0x18EEE323
    static final double QA2 = 5.40397917702171048937e-01; // 0x3FE14AF0, 0x92EB6F33
    static final double QA3 = 7.18286544141962662868e-02; // 0x3FB2635C, 0xD99FE9A7
    static final double QA4 = 1.26171219808761642112e-01; // 0x3FC02660, 0xE763351F
    static final double QA5 = 1.36370839120290507362e-02; // 0x3F8BEDC2, 0x6B51DD1C
    static final double QA6 = 1.19844998467991074170e-02; // 0x3F888B54, 0x5735151D
    // erfc(x) = exp(−x² − 0.5625 + RA(u)/SA(u))/x, u = 1/x², on [1.25, 1/0.35)
    static final double RA0 = -9.86494403484714822705e-03; // 0xBF843412, 0x600D6435
    static final double RA1 = -6.93858572707181764372e-01; // 0xBFE63416, 0xE4BA7360
    static final double RA2 = -1.05586262253232909814e+01; // 0xC0251E04, 0x41B0E726
    static final double RA3 = -6.23753324503260060396e+01; // 0xC04F300A, 0xE4CBA38D
    static final double RA4 = -1.62396669462573470355e+02; // 0xC0644CB1, 0x84282266
    static final double RA5 = -1.84605092906711035994e+02; // 0xC067135C, 0xEBCCABB2
    static final double RA6 = -8.12874355063065934246e+01; // 0xC0545265, 0x57E4D2F2
    static final double RA7 = -9.81432934416914548592e+00; // 0xC023A0EF, 0xC69AC25C
    static final double SA1 = 1.96512716674392571292e+01; // 0x4033A6B9, 0xBD707687
    static final double SA2 = 1.37657754143519042600e+02; // 0x4061350C, 0x526AE721
    static final double SA3 = 4.34565877475229228821e+02; // 0x407B290D, 0xD58A1A71
    static final double SA4 = 6.45387271733267880336e+02; // 0x40842B19, 0x21EC2868
    static final double SA5 = 4.29008140027567833386e+02; // 0x407AD021, 0x57700314
    static final double SA6 = 1.08635005541779435134e+02; // 0x405B28A3, 0xEE48AE2C
    static final double SA7 = 6.57024977031928170135e+00; // 0x401A47EF, 0x8E484A93
    static final double SA8 = -6.04244152148580987438e-02; // 0xBFAEEFF2, 0xEE749A62
    // the same with RB/SB on [1/0.35, 28)
    static final double RB0 = -9.86494292470009928597e-03; // 0xBF843412, 0x39E86F4A
    static final double RB1 = -7.99283237680523006574e-01; // 0xBFE993BA, 0x70C285DE
    static final double RB2 = -1.77579549177547519889e+01; // 0xC031C209, 0x555F995A
    static final double RB3 = -1.60636384855821916062e+02; // 0xC064145D, 0x43C5ED98
    static final double RB4 = -6.37566443368389627722e+02; // 0xC083EC88, 0x1375F228
    static final double RB5 = -1.02509513161107724954e+03; // 0xC0900461, 0x6A2E5992
    static final double RB6 = -4.83519191608651397019e+02; // 0xC07E384E, 0x9BDC383F
    static final double SB1 = 3.03380607434824582924e+01; // 0x403E568B, 0x261D5190
    static final double SB2 = 3.25792512996573918826e+02; // 0x40745CAE, 0x221B9F0A
    static final double SB3 = 1.53672958608443695994e+03; // 0x409802EB, 0x189D5118
    static final double SB4 = 3.19985821950859553908e+03; // 0x40A8FFB7, 0x688C246A
    static final double SB5 = 2.55305040643316442583e+03; // 0x40A3F219, 0xCEDF3BE6
    static final double SB6 = 4.74528541206955367215e+02; // 0x407DA874, 0xE79FE763
    static final double SB7 = -2.24409524465858183362e+01; // 0xC03670E2, 0x42712D62

    /** The interval ends, as fdlibm compares them (on the high word: {@code 1/0.35} is {@code 0x4006DB6E}). */
    static final double SMALL = 0.84375;
    static final double NEAR_ONE = 1.25;
    static final double TAIL_B = 0x1.6db6ep1;
    static final double ERF_ONE = 6.0;
    static final double ERFC_ZERO = 28.0;

    // fdlibm e_exp.c: ln 2 split so that k·LN2_HI is exact, and the Remez coefficients of exp on |r| ≤ ½ ln 2.
    static final double INV_LN2 = 1.44269504088896338700e+00; // 0x3FF71547, 0x652B82FE
    static final double LN2_HI = 6.93147180369123816490e-01; // 0x3FE62E42, 0xFEE00000
    static final double LN2_LO = 1.90821492927058770002e-10; // 0x3DEA39EF, 0x35793C76
    static final double P1 = 1.66666666666666019037e-01; // 0x3FC55555, 0x5555553E
    static final double P2 = -2.77777777770155933842e-03; // 0xBF66C16C, 0x16BEBD93
    static final double P3 = 6.61375632143793436117e-05; // 0x3F11566A, 0xAF25DE2C
    static final double P4 = -1.65339022054652515390e-06; // 0xBEBBBD41, 0xC5D26BF1
    static final double P5 = 4.13813679705723846039e-08; // 0x3E663769, 0x72BEA4D0
    /** {@code 1.5·2^52}: adding it rounds a double below {@code 2^51} in magnitude to an integer, held in the low bits. */
    static final double SHIFTER = 0x1.8p52;
    static final long SHIFTER_BITS = Double.doubleToRawLongBits(SHIFTER);

    /** Keeps the sign, exponent and 25 leading fraction bits: a double so cut has 26 significant bits, its square is exact. */
    static final long HIGH_26 = 0xFFFF_FFFF_F800_0000L;
    /** Beyond it {@code exp(−s²/2)} is 0 in float64; clamping there keeps {@code ±∞} away from the split. */
    static final double GAUSSIAN_ZERO = 40.0;
    static final double ONE_SIXTH = 1.0 / 6.0;
    static final double INV_SQRT_2 = 0x1.6a09e667f3bcdp-1; // 1/√2 rounded to nearest
    /** {@link #INV_SQRT_2} split in 25 and 27 bits for Dekker's exact product, and what it lacks of 1/√2. */
    static final double INV_SQRT_2_HI = 0x1.6a09e6p-1;
    static final double INV_SQRT_2_TAIL = 0x1.9fcef34p-27;
    static final double INV_SQRT_2_LO = -0x1.bdd3413b26456p-55;
    static final double INV_SQRT_PI = 0x1.20dd750429b6dp-1; // 1/√π rounded to nearest
    static final double INV_SQRT_2PI = 0x1.9884533d43651p-2; // 1/√(2π) rounded to nearest

    private Erf() {
    }

    /** {@code erf(x) = 2/√π ∫₀ˣ e^{−t²} dt}; {@code ±1} beyond {@code |x| ≥ 6}, NaN for NaN. */
    public static double erf(double x) {
        double ax = Math.abs(x);
        if (!(ax < ERF_ONE)) {
            return ax == ax ? Math.copySign(1.0, x) : x;
        }
        if (ax < SMALL) {
            if (ax < 0x1p-28) {
                // erf(x) = x + efx·x to within 2^-57 relative; scaled up where efx·x would be subnormal
                return ax < 0x1p-1015 ? 0.125 * (8.0 * x + EFX8 * x) : x + EFX * x;
            }
            return x + x * small(x * x);
        }
        if (ax < NEAR_ONE) {
            double pq = nearOne(ax - 1.0);
            return x >= 0 ? ERX + pq : -ERX - pq;
        }
        double r = tailFdlibm(ax);
        return x >= 0 ? 1.0 - r / ax : r / ax - 1.0;
    }

    /** {@code erfc(x) = 1 − erf(x)}, with its own relative accuracy for large {@code x} (down to the subnormals). */
    public static double erfc(double x) {
        double ax = Math.abs(x);
        if (ax < SMALL) {
            if (ax < 0x1p-56) {
                return 1.0 - x;
            }
            double y = small(x * x);
            return x < 0.25 ? 1.0 - (x + x * y) : 0.5 - (x * y + (x - 0.5));
        }
        if (ax < NEAR_ONE) {
            double pq = nearOne(ax - 1.0);
            return x >= 0 ? ONE_MINUS_ERX - pq : 1.0 + (ERX + pq);
        }
        if (ax < ERFC_ZERO) {
            if (x < 0 && ax >= ERF_ONE) {
                return 2.0;
            }
            double r = tailFdlibm(ax);
            return x > 0 ? r / x : 2.0 - r / ax;
        }
        if (x != x) {
            return x;
        }
        return x > 0 ? 0.0 : 2.0;
    }

    /**
     * The standard normal CDF {@code Φ(s) = ½ erfc(−s/√2)}. It takes fdlibm's branches on {@code x = −s/√2}
     * but forms the exponential of its tail as {@code exp(−s²/2)} from {@code s} itself ({@link #gaussian}).
     */
    public static double normalCdf(double s) {
        return s != s ? s : cdf(s, gaussian(s));
    }

    /** The standard normal density {@code exp(−s²/2)/√(2π)}. */
    public static double normalPdf(double s) {
        return gaussian(s) * INV_SQRT_2PI;
    }

    /**
     * {@code Φ(s)} given {@code g = exp(−s²/2)} ({@link #gaussian}); NaN gives 1 (callers multiply by
     * {@code s}). The operations of {@link VectorGeluKernel}, lane by lane. Where the exponential is not in
     * erfc's formula, {@code Φ(s) = ½ erfc(x − δ) ≈ ½ erfc(x) + δ g/√π} with {@code x = fl(−s/√2)} and δ its
     * rounding error.
     */
    static double cdf(double s, double g) {
        double x = s * -INV_SQRT_2;
        double ax = Math.abs(x);
        if (ax < SMALL) {
            double y = small(x * x);
            double phi = 0.5 * (x < 0.25 ? 1.0 - (x + x * y) : 0.5 - (x * y + (x - 0.5)));
            return phi + argumentError(s, x) * (g * INV_SQRT_PI);
        }
        if (ax < NEAR_ONE) {
            double pq = nearOne(ax - 1.0);
            double phi = 0.5 * (x >= 0 ? ONE_MINUS_ERX - pq : 1.0 + (ERX + pq));
            return phi + argumentError(s, x) * (g * INV_SQRT_PI);
        }
        if (ax < ERFC_ZERO) {
            double u = 1.0 / (ax * ax);
            double rs = ax < TAIL_B ? tailA(u) : tailB(u);
            // ½ erfc(x) = exp(−x² − 0.5625 + R/S)/(2x), with exp(−x²) = g
            double q = g * exp(rs - 0.5625) / (ax + ax);
            return x > 0 ? q : 1.0 - q;
        }
        return x > 0 ? 0.0 : 1.0;
    }

    /**
     * {@code δ = x − (−s/√2)} for {@code x = s·(−INV_SQRT_2)} rounded, to about {@code 2^-100} relative: Dekker's
     * exact product with {@code s} and {@link #INV_SQRT_2} each split in two halves, plus what the constant lacks.
     * For {@code |s| < 2^1000}.
     */
    static double argumentError(double s, double x) {
        double sh = Double.longBitsToDouble(Double.doubleToRawLongBits(s) & HIGH_26);
        double sl = s - sh;
        return ((sh * INV_SQRT_2_HI + x) + sh * INV_SQRT_2_TAIL + sl * INV_SQRT_2_HI) + sl * INV_SQRT_2_TAIL + s * INV_SQRT_2_LO;
    }

    /**
     * {@code exp(−s²/2)} to about 2 ulp for every {@code s}: {@code s² = sh² + (s − sh)(s + sh)} with
     * {@code sh} the leading 26 bits of {@code |s|}, so {@code sh²/2} is exact and the rest, {@code |d| ≤ 2^-25 s²},
     * goes through a cubic (its quartic term is below {@code 2^-57} while {@code exp(−s²/2)} is not 0).
     */
    static double gaussian(double s) {
        double a = Math.min(Math.abs(s), GAUSSIAN_ZERO);
        double sh = Double.longBitsToDouble(Double.doubleToRawLongBits(a) & HIGH_26);
        double d = (sh - a) * (sh + a) * 0.5;
        return exp(sh * sh * -0.5) * (d * (d * (d * ONE_SIXTH + 0.5) + 1.0) + 1.0);
    }

    /**
     * {@code e^x} for {@code −1400 ≤ x ≤ 709}, NaN for NaN (fdlibm's {@code e_exp.c}, below 1 ulp): {@code x = k ln 2 + r}
     * with {@code k} rounded to nearest by {@link #SHIFTER}, {@code e^r} by its Remez form, then {@code 2^k} as two
     * factors {@code 2^⌊k/2⌋·2^{k−⌊k/2⌋}} (normal for every such {@code k}), so subnormal results round once.
     */
    static double exp(double x) {
        double shifted = x * INV_LN2 + SHIFTER;
        double kd = shifted - SHIFTER;
        double hi = x - kd * LN2_HI;
        double lo = kd * LN2_LO;
        double r = hi - lo;
        double t = r * r;
        double c = r - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
        double y = 1.0 - ((lo - (r * c) / (2.0 - c)) - hi);
        long k = Double.doubleToRawLongBits(shifted) - SHIFTER_BITS;
        long k1 = k >> 1;
        return y * Double.longBitsToDouble((k1 + 1023) << 52) * Double.longBitsToDouble((k - k1 + 1023) << 52);
    }

    /** {@code PP(z)/QQ(z)}: {@code erf(x) = x + x·small(x²)} on {@code [0, 0.84375)}. */
    static double small(double z) {
        double p = PP0 + z * (PP1 + z * (PP2 + z * (PP3 + z * PP4)));
        double q = 1.0 + z * (QQ1 + z * (QQ2 + z * (QQ3 + z * (QQ4 + z * QQ5))));
        return p / q;
    }

    /** {@code PA(t)/QA(t)}: {@code erf(1 + t) = ERX + nearOne(t)} on {@code [0.84375, 1.25)}. */
    static double nearOne(double t) {
        double p = PA0 + t * (PA1 + t * (PA2 + t * (PA3 + t * (PA4 + t * (PA5 + t * PA6)))));
        double q = 1.0 + t * (QA1 + t * (QA2 + t * (QA3 + t * (QA4 + t * (QA5 + t * QA6)))));
        return p / q;
    }

    /** {@code RA(u)/SA(u)}, {@code u = 1/x²}, on {@code [1.25, 1/0.35)}. */
    static double tailA(double u) {
        double r = RA0 + u * (RA1 + u * (RA2 + u * (RA3 + u * (RA4 + u * (RA5 + u * (RA6 + u * RA7))))));
        double s = 1.0 + u * (SA1 + u * (SA2 + u * (SA3 + u * (SA4 + u * (SA5 + u * (SA6 + u * (SA7 + u * SA8)))))));
        return r / s;
    }

    /** {@code RB(u)/SB(u)}, {@code u = 1/x²}, on {@code [1/0.35, 28)}. */
    static double tailB(double u) {
        double r = RB0 + u * (RB1 + u * (RB2 + u * (RB3 + u * (RB4 + u * (RB5 + u * RB6)))));
        double s = 1.0 + u * (SB1 + u * (SB2 + u * (SB3 + u * (SB4 + u * (SB5 + u * (SB6 + u * SB7))))));
        return r / s;
    }

    /**
     * {@code x·erfc(x) = exp(−x² − 0.5625 + R/S)} for {@code 1.25 ≤ x < 28}, as fdlibm forms it: {@code z} is
     * {@code x} cut to its high word, so {@code z²} is exact and {@code (z − x)(z + x)} is small.
     */
    private static double tailFdlibm(double ax) {
        double u = 1.0 / (ax * ax);
        double rs = ax < TAIL_B ? tailA(u) : tailB(u);
        double z = Double.longBitsToDouble(Double.doubleToRawLongBits(ax) & 0xFFFF_FFFF_0000_0000L);
        return exp(-z * z - 0.5625) * exp((z - ax) * (z + ax) + rs);
    }
}

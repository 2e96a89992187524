package org.overparam.trainer.nets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The SIMD {@link GeluKernel} gives the bits of the scalar one, and both the bits of {@link Activation#GELU}'s
 * value and derivative, on arrays that mix every interval of erfc in one vector (and runs of one interval, where
 * the SIMD one skips the others), fdlibm's interval ends to the ulp, signed zeros, subnormals, infinities, every
 * length and offset modulo the vector width, and a block boundary.
 */
class GeluKernelTest {
    @Test
    void theTestJvmRunsTheSimdImplementation() {
        // surefire passes --add-modules=jdk.incubator.vector (conf/jvm-options), as the launcher does.
        assertTrue(GeluKernel.simd(), "the vector module is in the boot layer, so the SIMD kernel is chosen");
    }

    @Test
    void simdAndScalarGiveTheSameBitsAsActivation() {
        SplittableRandom random = new SplittableRandom(27);
        for (double spread : new double[] {0.35, 1.5, 6, 30}) {
            for (int length : new int[] {0, 1, 3, 7, 8, 9, 15, 16, 17, 31, 33, 255, 256, 257, 1000, 4099}) {
                double[] pre = new double[length + 5];
                for (int t = 0; t < pre.length; t++) {
                    pre[t] = spread * random.nextGaussian();
                }
                sprinkleSpecialValues(random, pre);
                for (int from : new int[] {0, 1, 5}) {
                    int to = Math.min(pre.length, from + length);
                    checkAgainstScalarAndActivation(pre, from, to, "spread " + spread + ", [" + from + ", " + to + ")");
                }
            }
        }
    }

    @Test
    void intervalEndsToTheUlp() {
        double[] ends = {0.25, Erf.SMALL, Erf.NEAR_ONE, Erf.TAIL_B, Erf.ERF_ONE, Erf.ERFC_ZERO};
        double[] pre = new double[ends.length * 2 * 2 * 64];
        int t = 0;
        for (double end : ends) {
            for (double sign : new double[] {1, -1}) {
                double s = sign * end * Math.sqrt(2.0);
                double up = s;
                double down = s;
                for (int i = 0; i < 64; i++) {
                    pre[t++] = up;
                    pre[t++] = down;
                    up = Math.nextUp(up);
                    down = Math.nextDown(down);
                }
            }
        }
        checkAgainstScalarAndActivation(pre, 0, pre.length, "interval ends");
    }

    @Test
    void valuesMayOverwriteThePreActivations() {
        SplittableRandom random = new SplittableRandom(5);
        double[] pre = new double[1031];
        for (int t = 0; t < pre.length; t++) {
            pre[t] = 2.0 * random.nextGaussian();
        }
        double[] values = new double[pre.length];
        double[] slopes = new double[pre.length];
        GeluKernel.best().valuesAndSlopes(pre, values, slopes, 0, pre.length);
        double[] inPlace = pre.clone();
        double[] slopes2 = new double[pre.length];
        GeluKernel.best().valuesAndSlopes(inPlace, inPlace, slopes2, 0, pre.length);
        for (int t = 0; t < pre.length; t++) {
            assertEquals(Double.doubleToRawLongBits(values[t]), Double.doubleToRawLongBits(inPlace[t]), "value at " + t);
            assertEquals(Double.doubleToRawLongBits(slopes[t]), Double.doubleToRawLongBits(slopes2[t]), "slope at " + t);
        }
    }

    private static void checkAgainstScalarAndActivation(double[] pre, int from, int to, String what) {
        double[] simdValues = filled(pre.length);
        double[] simdSlopes = filled(pre.length);
        double[] scalarValues = filled(pre.length);
        double[] scalarSlopes = filled(pre.length);
        GeluKernel.best().valuesAndSlopes(pre, simdValues, simdSlopes, from, to);
        GeluKernel.scalar().valuesAndSlopes(pre, scalarValues, scalarSlopes, from, to);
        for (int t = 0; t < pre.length; t++) {
            double s = pre[t];
            boolean inside = t >= from && t < to;
            double value = inside ? Activation.GELU.value(s) : -7.0;
            double slope = inside ? Activation.GELU.derivative(s) : -7.0;
            String at = what + ", s = " + s + " at " + t;
            assertSameBits(value, scalarValues[t], "scalar value, " + at);
            assertSameBits(value, simdValues[t], "SIMD value, " + at);
            assertSameBits(slope, scalarSlopes[t], "scalar slope, " + at);
            assertSameBits(slope, simdSlopes[t], "SIMD slope, " + at);
        }
    }

    /** The same bits, or NaN on both sides (a NaN's payload is not part of the contract). */
    private static void assertSameBits(double expected, double actual, String what) {
        if (Double.isNaN(expected)) {
            assertTrue(Double.isNaN(actual), what + ": NaN expected, got " + actual);
            return;
        }
        assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(actual), what + ": " + expected + " vs " + actual);
    }

    private static void sprinkleSpecialValues(SplittableRandom random, double[] pre) {
        double[] special = {0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, 1e-310, -3e-200, 1e-9, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY, Double.NaN, 40.0, -40.0, -38.4, 1e300, -1e300};
        for (int t = 0; t < pre.length; t++) {
            if (random.nextInt(12) == 0) {
                pre[t] = special[random.nextInt(special.length)];
            }
        }
    }

    /** An array the kernel must leave alone outside {@code [from, to)}. */
    private static double[] filled(int length) {
        double[] a = new double[length];
        java.util.Arrays.fill(a, -7.0);
        return a;
    }
}

package org.overparam.trainer.nets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The two {@link ReluRows} implementations give the same bits on rows with negative values, signed zeros
 * and every length mod 4; both agree with the definitions computed naively (the output to rounding, the
 * backward half exactly: it only selects and multiplies).
 */
class ReluRowsTest {
    private static final int[] WIDTHS = {1, 2, 3, 4, 5, 7, 8, 13, 64, 1023, 1024, 4099};

    @Test
    void theTestJvmRunsTheSimdImplementation() {
        // surefire passes --add-modules=jdk.incubator.vector (conf/jvm-options), as the launcher does.
        assertTrue(ReluRows.simd(), "the vector module is in the boot layer, so the SIMD rows are chosen");
    }

    @Test
    void simdAndScalarGiveTheSameBits() {
        SplittableRandom random = new SplittableRandom(14);
        for (int m : WIDTHS) {
            for (int trial = 0; trial < 20; trial++) {
                int rows = 3;
                double[] pre = row(random, rows * m);
                double[] scale = row(random, m);
                double e = random.nextDouble(-2, 2);
                for (int r = 0; r < rows; r++) {
                    int at = r * m;
                    double simd = ReluRows.best().output(pre, at, scale, m);
                    double scalar = ReluRows.scalar().output(pre, at, scale, m);
                    assertEquals(Double.doubleToRawLongBits(scalar), Double.doubleToRawLongBits(simd), "output, m=" + m);
                }
                double[] preA = pre.clone();
                double[] preB = pre.clone();
                double[] hA = row(random, m);
                double[] hB = hA.clone();
                for (int r = 0; r < rows; r++) {
                    ReluRows.best().backprop(preA, r * m, e, hA, m);
                    ReluRows.scalar().backprop(preB, r * m, e, hB, m);
                }
                assertBitsEqual(preB, preA, "e·1{u ≥ 0}, m=" + m);
                assertBitsEqual(hB, hA, "h, m=" + m);
            }
        }
    }

    @Test
    void bothFollowTheDefinitions() {
        SplittableRandom random = new SplittableRandom(41);
        for (ReluRows rows : new ReluRows[] {ReluRows.scalar(), ReluRows.best()}) {
            for (int m : WIDTHS) {
                double[] pre = row(random, m);
                double[] scale = row(random, m);
                double naive = 0;
                double magnitude = 0;
                for (int k = 0; k < m; k++) {
                    double s = scale[k] * Math.max(pre[k], 0.0);
                    naive += s;
                    magnitude += Math.abs(s);
                }
                // Reordered sums of m terms: within m ulps of the terms' magnitude.
                assertEquals(naive, rows.output(pre, 0, scale, m), 4 * m * Math.ulp(magnitude) + Double.MIN_VALUE, "output, m=" + m);

                double e = -0.75;
                double[] h = row(random, m);
                double[] expectedH = new double[m];
                double[] expectedPre = new double[m];
                for (int k = 0; k < m; k++) {
                    double u = pre[k];
                    expectedH[k] = h[k] + e * Math.max(u, 0.0);
                    expectedPre[k] = u >= 0 ? e : 0.0; // −0.0 >= 0 holds: it counts as active
                }
                rows.backprop(pre, 0, e, h, m);
                for (int k = 0; k < m; k++) {
                    assertEquals(expectedPre[k], pre[k], 0.0, "e·1{u ≥ 0} at k=" + k);
                    assertEquals(expectedH[k], h[k], 0.0, "h at k=" + k);
                }
            }
        }
    }

    /** Values of both signs, with exact zeros of both signs sprinkled in. */
    private static double[] row(SplittableRandom random, int length) {
        double[] out = new double[length];
        for (int i = 0; i < length; i++) {
            int kind = random.nextInt(10);
            out[i] = kind == 0 ? 0.0 : kind == 1 ? -0.0 : random.nextDouble(-3, 3);
        }
        return out;
    }

    private static void assertBitsEqual(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Double.doubleToRawLongBits(expected[i]), Double.doubleToRawLongBits(actual[i]), what + " at " + i);
        }
    }
}

package org.overparam.trainer.ntk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The SIMD {@link OperandFill} gives the scalar one's bits on pre-activations with signed zeros and NaN, at
 * widths that are and are not multiples of the vector length, and both follow the definition.
 */
class OperandFillTest {
    private static final int[] WIDTHS = {1, 3, 4, 7, 8, 9, 15, 16, 17, 64, 1000, 1027};

    @Test
    void theTestJvmRunsTheSimdImplementation() {
        // surefire passes --add-modules=jdk.incubator.vector (conf/jvm-options), as the launcher does.
        assertNotSame(OperandFill.scalar(), OperandFill.best());
    }

    @Test
    void simdAndScalarGiveTheSameBitsAndFollowTheDefinition() {
        SplittableRandom random = new SplittableRandom(7);
        for (int m : WIDTHS) {
            int n = 5;
            double[] u = new double[n * m];
            for (int i = 0; i < u.length; i++) {
                int kind = random.nextInt(12);
                u[i] = kind == 0 ? 0.0 : kind == 1 ? -0.0 : kind == 2 ? Double.NaN : random.nextDouble(-2, 2);
            }
            double[] scale = new double[m];
            double[] vNorm = new double[m];
            for (int k = 0; k < m; k++) {
                scale[k] = random.nextDouble(0.1, 3);
                vNorm[k] = random.nextDouble(0.5, 2);
            }
            for (boolean relu : new boolean[] {false, true}) {
                double[] simd = new double[n * m];
                double[] scalar = new double[n * m];
                java.util.Arrays.fill(simd, 42.0); // every entry must be written
                java.util.Arrays.fill(scalar, -42.0);
                OperandFill.best().fill(u, n, m, scale, relu, vNorm, simd);
                OperandFill.scalar().fill(u, n, m, scale, relu, vNorm, scalar);
                for (int i = 0; i < n; i++) {
                    for (int k = 0; k < m; k++) {
                        int at = i * m + k;
                        double x = u[at];
                        double expected = x >= 0 ? (relu ? scale[k] * x / vNorm[k] : scale[k]) : 0.0;
                        String where = "m=" + m + " relu=" + relu + " at " + at + " u=" + x;
                        assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(scalar[at]), where);
                        assertEquals(Double.doubleToRawLongBits(scalar[at]), Double.doubleToRawLongBits(simd[at]), where);
                    }
                }
            }
        }
    }
}

package org.overparam.trainer.nets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.overparam.trainer.data.Dataset;
import org.overparam.trainer.data.SphereData;
import org.overparam.trainer.data.SphereTarget;
import org.overparam.trainer.linalg.RowMajorBlas;

/**
 * The two {@link BatchNormRows} implementations give the same bits on rows with negative values, zeros (inactive
 * units, exactly at the boundary s = 0) and every length mod 4; and a {@link BatchNormNet} trained with the
 * SIMD rows takes the same GD path, bit for bit, as one trained with the scalar loops bn always had.
 */
class BatchNormRowsTest {
    private static final int[] WIDTHS = {1, 2, 3, 4, 5, 7, 8, 13, 64, 1023};

    @Test
    void theTestJvmRunsTheSimdImplementation() {
        assertNotSame(BatchNormRows.scalar(), BatchNormRows.best(), "the vector module is in the boot layer (conf/jvm-options)");
    }

    @Test
    void simdAndScalarGiveTheSameBits() {
        SplittableRandom random = new SplittableRandom(7);
        for (int m : WIDTHS) {
            for (int trial = 0; trial < 20; trial++) {
                int rows = 3;
                double[] p = row(random, rows * m);
                double[] norm = new double[m];
                for (int j = 0; j < m; j++) {
                    norm[j] = random.nextDouble(0.05, 3);
                }
                double[] a = row(random, m);
                double[] c = row(random, m);
                for (int r = 0; r < rows; r++) {
                    double[] simd = new double[m];
                    double[] scalar = new double[m];
                    BatchNormRows.best().scaled(p, r * m, c, norm, simd, m);
                    BatchNormRows.scalar().scaled(p, r * m, c, norm, scalar, m);
                    assertBitsEqual(scalar, simd, "c p / N, m=" + m);
                }
                double[] gradA = row(random, 2 * m);
                double[] gradB = gradA.clone();
                double[] tA = row(random, m);
                double[] tB = tA.clone();
                double[] rA = row(random, rows * m);
                double[] rB = rA.clone();
                for (int r = 0; r < rows; r++) {
                    double gi = random.nextDouble(-1, 1);
                    BatchNormRows.best().backprop(p, r * m, norm, a, c, gi, gradA, rA, tA, m);
                    BatchNormRows.scalar().backprop(p, r * m, norm, a, c, gi, gradB, rB, tB, m);
                }
                assertBitsEqual(gradB, gradA, "a and c gradients, m=" + m);
                assertBitsEqual(rB, rA, "r, m=" + m);
                assertBitsEqual(tB, tA, "t, m=" + m);
            }
        }
    }

    @Test
    void aNetTrainedWithEitherTakesTheSamePath() {
        RowMajorBlas blas = RowMajorBlas.best();
        for (int[] shape : new int[][] {{40, 13, 4}, {64, 32, 8}}) {
            Dataset data = new SphereData(SphereTarget.RANDOM, 2).load(shape[0], shape[2]);
            BatchNormNet simd = new BatchNormNet(data, 5, shape[1], 1e-5, blas, BatchNormRows.best());
            BatchNormNet scalar = new BatchNormNet(data, 5, shape[1], 1e-5, blas, BatchNormRows.scalar());
            for (int step = 0; step < 200; step++) {
                assertEquals(Double.doubleToRawLongBits(scalar.forward()), Double.doubleToRawLongBits(simd.forward()), "risk at step " + step);
                simd.step(2.0);
                scalar.step(2.0);
            }
            assertBitsEqual(scalar.parameters(), simd.parameters(), "parameters after 200 steps");
        }
    }

    private static double[] row(SplittableRandom random, int length) {
        double[] out = new double[length];
        for (int i = 0; i < length; i++) {
            int kind = random.nextInt(10);
            out[i] = kind == 0 ? 0.0 : kind == 1 ? -0.0 : random.nextDouble(-2, 2);
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

package org.overparam.trainer.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ludovic.netlib.blas.BLAS;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The native products read the Java arrays in place, wherever the garbage collector put them: their bits
 * must not depend on the operands' alignment. Each product is computed with its three operands shifted by
 * 0…7 doubles (every residue modulo 64 bytes) and must give the same bits every time; shapes include those
 * OpenBLAS hands to level-2 kernels (a dimension of 1) and to its small-matrix kernels.
 */
class RowMajorBlasAlignmentTest {
    private static final int[][] SHAPES = {{37, 53, 29}, {1, 64, 20}, {64, 1, 20}, {30, 40, 1}, {5, 3, 2}, {160, 300, 50}};

    private static BLAS nativeBlas() {
        assumeTrue(LinearAlgebra.get().isNative(), "the bundled OpenBLAS does not load here");
        return dev.ludovic.netlib.blas.NativeBLAS.getInstance();
    }

    private static double[] gaussian(int length, long seed) {
        Random r = new Random(seed);
        double[] x = new double[length];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextGaussian();
        }
        return x;
    }

    @Test
    void dgemmBitsDoNotDependOnAlignment() {
        BLAS blas = nativeBlas();
        String[][] transposes = {{"T", "N"}, {"N", "T"}, {"N", "N"}};
        for (int[] s : SHAPES) {
            int m = s[0];
            int n = s[1];
            int k = s[2];
            for (String[] t : transposes) {
                int rowsA = t[0].equals("N") ? m : k;
                int colsA = t[0].equals("N") ? k : m;
                int rowsB = t[1].equals("N") ? k : n;
                int colsB = t[1].equals("N") ? n : k;
                double[] a = gaussian(rowsA * colsA, 1);
                double[] b = gaussian(rowsB * colsB, 2);
                long[] reference = null;
                for (int shift = 0; shift < 8; shift++) {
                    double[] as = shifted(a, shift);
                    double[] bs = shifted(b, (shift * 3) % 8);
                    double[] c = new double[m * n + 8];
                    int oc = (shift * 5) % 8;
                    blas.dgemm(t[0], t[1], m, n, k, 1.0, as, shift, rowsA, bs, (shift * 3) % 8, rowsB, 0.0, c, oc, m);
                    long[] bits = bits(c, oc, m * n);
                    if (reference == null) {
                        reference = bits;
                    } else {
                        for (int i = 0; i < bits.length; i++) {
                            assertEquals(reference[i], bits[i], "dgemm " + t[0] + t[1] + " " + m + "x" + n + "x" + k
                                    + " shift " + shift + " entry " + i);
                        }
                    }
                }
            }
        }
    }

    @Test
    void dsyrkBitsDoNotDependOnAlignment() {
        BLAS blas = nativeBlas();
        for (int[] s : SHAPES) {
            int n = s[0];
            int k = s[2];
            double[] a = gaussian(n * k, 3);
            long[] reference = null;
            for (int shift = 0; shift < 8; shift++) {
                double[] c = new double[n * n + 8];
                int oc = (shift * 3) % 8;
                blas.dsyrk("U", "T", n, k, 1.0, shifted(a, shift), shift, k, 0.0, c, oc, n);
                long[] bits = bits(c, oc, n * n);
                if (reference == null) {
                    reference = bits;
                } else {
                    for (int i = 0; i < bits.length; i++) {
                        assertEquals(reference[i], bits[i], "dsyrk " + n + "x" + k + " shift " + shift + " entry " + i);
                    }
                }
            }
        }
    }

    private static double[] shifted(double[] x, int shift) {
        double[] out = new double[x.length + 8];
        System.arraycopy(x, 0, out, shift, x.length);
        return out;
    }

    private static long[] bits(double[] c, int offset, int length) {
        long[] out = new long[length];
        for (int i = 0; i < length; i++) {
            out[i] = Double.doubleToRawLongBits(c[offset + i]);
        }
        return out;
    }
}

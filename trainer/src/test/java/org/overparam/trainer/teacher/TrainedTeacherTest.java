package org.overparam.trainer.teacher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.overparam.trainer.data.LabeledRows;
import org.overparam.trainer.data.Normalization;
import org.overparam.trainer.data.Preprocessing;
import org.overparam.trainer.data.SplitTable;
import org.overparam.trainer.linalg.RowMajorBlas;

/**
 * The teacher trained on real data ({@link TrainedTeacher}): its cross-entropy gradient against central
 * differences; it reaches zero training error, so its labels of the training pool are the true ones; the
 * held-out labels are its argmax; the relabelling is deterministic in the seed; a teacher that cannot fit
 * is refused with a message.
 */
class TrainedTeacherTest {
    private static final RowMajorBlas BLAS = RowMajorBlas.best();

    /** {@code rows} examples of {@code k} Gaussian clusters in {@code d} dimensions (one-hot, or ±1 for k = 2), with label noise. */
    private static SplitTable clusters(int rows, int d, int k, double noise, long seed, double testFraction) {
        Random r = new Random(seed);
        double[][] centres = new double[k][d];
        for (double[] c : centres) {
            for (int j = 0; j < d; j++) {
                c[j] = r.nextGaussian();
            }
        }
        double[] x = new double[rows * d];
        int[] label = new int[rows];
        for (int i = 0; i < rows; i++) {
            int c = r.nextInt(k);
            for (int j = 0; j < d; j++) {
                x[i * d + j] = centres[c][j] + noise * r.nextGaussian();
            }
            label[i] = c;
        }
        int dy = k == 2 ? 1 : k;
        LabeledRows data = new LabeledRows() {
            public int rows() {
                return rows;
            }

            public int d() {
                return d;
            }

            public int dy() {
                return dy;
            }

            public void input(int i, double[] out, int off) {
                System.arraycopy(x, i * d, out, off, d);
            }

            public void target(int i, double[] out, int off) {
                if (dy == 1) {
                    out[off] = label[i] == 1 ? 1 : -1;
                } else {
                    for (int c = 0; c < dy; c++) {
                        out[off + c] = c == label[i] ? 1 : 0;
                    }
                }
            }
        };
        return SplitTable.of(data, new Preprocessing(Normalization.NONE, false), testFraction, 3, Integer.MAX_VALUE, "clusters()");
    }

    @Test
    void crossEntropyGradientMatchesCentralDifferences() {
        SplitTable t = clusters(12, 5, 3, 0.8, 1, 0);
        TrainedTeacher.Net net = new TrainedTeacher.Net(5, 4, 3, 7);
        int[] label = new int[12];
        for (int i = 0; i < 12; i++) {
            label[i] = TrainedTeacher.classOf(t.trainY(), i, 3);
        }
        int[] order = {3, 0, 11, 5, 7, 2, 9, 1, 4, 6, 8, 10};
        double[] theta = net.parameters();
        double[] grad = net.gradient(t.trainX(), label, order, 2, 9, BLAS);
        double h = 1e-6;
        for (int p = 0; p < theta.length; p++) {
            double[] plus = theta.clone();
            double[] minus = theta.clone();
            plus[p] += h;
            minus[p] -= h;
            net.setParameters(plus);
            double lp = net.loss(t.trainX(), label, order, 2, 9, BLAS);
            net.setParameters(minus);
            double lm = net.loss(t.trainX(), label, order, 2, 9, BLAS);
            assertEquals((lp - lm) / (2 * h), grad[p], 1e-6, "parameter " + p);
        }
    }

    @Test
    void reachesZeroTrainingErrorAndRelabelsWithItsArgmax() throws Exception {
        SplitTable base = clusters(300, 8, 4, 1.2, 2, 0.25);     // overlapping clusters: the true labels are not separable by the centres
        TrainedTeacher.Settings s = new TrainedTeacher.Settings(32, 0.2, 16, 2000, 5);
        TrainedTeacher.Result r = TrainedTeacher.relabel(base, s, 120, BLAS);
        SplitTable t = r.table();
        assertEquals(base.trainRows(), r.poolSize());
        assertTrue(r.epochs() >= 1, "trained");
        assertEquals(120, t.trainRows(), "cut to the largest n");
        assertEquals(base.heldOutRows(), t.heldOutRows());
        // zero training error on the whole pool: its labels of the training rows are the true ones
        assertArrayEquals(java.util.Arrays.copyOf(base.trainY(), 120 * 4), t.trainY());
        assertArrayEquals(java.util.Arrays.copyOf(base.trainX(), 120 * 8), t.trainX());
        assertArrayEquals(base.heldOutX(), t.heldOutX());
        int differ = 0;
        for (int i = 0; i < t.heldOutRows(); i++) {
            double sum = 0;
            for (int c = 0; c < 4; c++) {
                double v = t.heldOutY()[i * 4 + c];
                assertTrue(v == 0 || v == 1);
                sum += v;
            }
            assertEquals(1.0, sum, "one-hot");
            differ += TrainedTeacher.classOf(t.heldOutY(), i, 4) != TrainedTeacher.classOf(base.heldOutY(), i, 4) ? 1 : 0;
        }
        assertEquals(1.0 - differ / (double) t.heldOutRows(), r.heldOutAgreement(), 1e-12);
        assertTrue(t.identity().startsWith(base.identity() + "+trained_teacher("), t.identity());
        // deterministic: the same settings give the same table bit for bit; another seed another teacher
        TrainedTeacher.Result again = TrainedTeacher.relabel(base, s, 120, BLAS);
        assertArrayEquals(t.heldOutY(), again.table().heldOutY());
        assertEquals(r.epochs(), again.epochs());
        assertEquals(t.identity(), again.table().identity());
        TrainedTeacher.Result other = TrainedTeacher.relabel(base, new TrainedTeacher.Settings(32, 0.2, 16, 2000, 6), 120, BLAS);
        assertNotEquals(t.identity(), other.table().identity());
    }

    @Test
    void twoClassesGivePlusMinusOne() throws Exception {
        SplitTable base = clusters(80, 4, 2, 0.7, 9, 0.25);
        SplitTable t = TrainedTeacher.relabel(base, new TrainedTeacher.Settings(16, 0.2, 8, 2000, 1), 50, BLAS).table();
        assertEquals(1, t.dy());
        assertArrayEquals(java.util.Arrays.copyOf(base.trainY(), 50), t.trainY());
        for (double y : t.heldOutY()) {
            assertTrue(y == 1 || y == -1);
        }
    }

    @Test
    void aTeacherThatCannotFitIsRefused() {
        SplitTable base = clusters(200, 6, 5, 3.0, 4, 0);        // nearly random labels, a 2-unit teacher, one epoch
        TrainedTeacher.NotFittedException e = assertThrows(TrainedTeacher.NotFittedException.class,
                () -> TrainedTeacher.relabel(base, new TrainedTeacher.Settings(2, 0.01, 32, 1, 1), 100, BLAS));
        assertTrue(e.getMessage().contains("after 1 epochs"), e.getMessage());
    }
}

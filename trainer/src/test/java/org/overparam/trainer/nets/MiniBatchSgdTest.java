package org.overparam.trainer.nets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.overparam.trainer.data.Dataset;
import org.overparam.trainer.gd.Deadline;
import org.overparam.trainer.gd.GradientDescent;
import org.overparam.trainer.gd.MiniBatchSgd;
import org.overparam.trainer.gd.StepObserver;
import org.overparam.trainer.gd.StopRule;
import org.overparam.trainer.gd.TrainingRun;
import org.overparam.trainer.linalg.RowMajorBlas;
import org.overparam.trainer.rng.RandomStream;

/**
 * Mini-batch SGD of {@code smooth} ({@link MiniBatchSgd}, {@link SmoothTwoLayer#batchStep}) against a naive,
 * independent implementation (per-example loops, its own Fisher–Yates on the documented stream
 * {@code ("sgd/order", seed, n)}) on a tiny case whose batch size does not divide {@code n}; a batch of
 * all {@code n} rows against GD; the batch step of the net and of its linearization against a full GD step
 * on the batch's rows alone; determinism in the seed.
 */
class MiniBatchSgdTest {
    private static final RowMajorBlas BLAS = RowMajorBlas.best();
    private static final double TIGHT = 1e-300;

    /** The naive run: returns the parameters after {@code steps} steps and fills {@code fullLoss[s]} for every s. */
    private static double[] naiveSgd(Dataset data, double[] theta0, int d1, Activation phi, double eta, int batch,
                                     long seed, int steps, double[] fullLoss) {
        int n = data.n();
        int d0 = data.d();
        int d2 = data.dy();
        double[] theta = theta0.clone();
        int perEpoch = (n + batch - 1) / batch;
        RandomStream rng = RandomStream.of("sgd/order", seed, n);
        int[] order = new int[n];
        fullLoss[0] = naiveLoss(data, theta, d1, phi);
        for (int s = 0; s < steps; s++) {
            int k = s % perEpoch;
            if (k == 0) {
                for (int i = 0; i < n; i++) {
                    order[i] = i;
                }
                for (int i = n - 1; i > 0; i--) {
                    int j = (int) Math.floor(rng.nextUniform() * (i + 1));
                    int t = order[i];
                    order[i] = order[j];
                    order[j] = t;
                }
            }
            int from = k * batch;
            int to = Math.min(n, from + batch);
            double[] grad = new double[theta.length];
            for (int r = from; r < to; r++) {
                int i = order[r];
                double[] pre = new double[d1];
                double[] hid = new double[d1];
                for (int u = 0; u < d1; u++) {
                    for (int j = 0; j < d0; j++) {
                        pre[u] += theta[u * d0 + j] * data.x()[i * d0 + j];
                    }
                    hid[u] = phi.value(pre[u]);
                }
                for (int o = 0; o < d2; o++) {
                    double f = 0;
                    for (int u = 0; u < d1; u++) {
                        f += theta[d1 * d0 + o * d1 + u] * hid[u];
                    }
                    double e = f - data.y()[i * d2 + o];
                    for (int u = 0; u < d1; u++) {
                        grad[d1 * d0 + o * d1 + u] += 2 * e * hid[u];
                        double back = 2 * e * theta[d1 * d0 + o * d1 + u] * phi.derivative(pre[u]);
                        for (int j = 0; j < d0; j++) {
                            grad[u * d0 + j] += back * data.x()[i * d0 + j];
                        }
                    }
                }
            }
            double scale = (double) n / (to - from);
            for (int t = 0; t < theta.length; t++) {
                theta[t] -= eta * scale * grad[t];
            }
            fullLoss[s + 1] = naiveLoss(data, theta, d1, phi);
        }
        return theta;
    }

    private static double naiveLoss(Dataset data, double[] theta, int d1, Activation phi) {
        int d0 = data.d();
        int d2 = data.dy();
        double loss = 0;
        for (int i = 0; i < data.n(); i++) {
            for (int o = 0; o < d2; o++) {
                double f = 0;
                for (int u = 0; u < d1; u++) {
                    double pre = 0;
                    for (int j = 0; j < d0; j++) {
                        pre += theta[u * d0 + j] * data.x()[i * d0 + j];
                    }
                    f += theta[d1 * d0 + o * d1 + u] * phi.value(pre);
                }
                double e = f - data.y()[i * d2 + o];
                loss += e * e;
            }
        }
        return loss;
    }

    @Test
    void matchesNaiveImplementationWithARaggedLastBatch() {
        Dataset data = DeepGatedNetTest.regressionData(7, 3, 2, 41);
        int d1 = 5;
        int batch = 3;                 // 7 = 3 + 3 + 1: three batches an epoch, the last of one example
        int steps = 8;                 // two epochs and two batches of the third
        long seed = 11;
        double eta = 0.01;
        SmoothNet net = new SmoothNet(data, 5, d1, Activation.TANH, 0.9, 0.7, BLAS);
        double[] theta0 = net.parameters();
        TrainingRun run = new MiniBatchSgd(eta, batch, new StopRule(steps, TIGHT), seed).run(net, StepObserver.NONE, Deadline.NONE);
        double[] naiveLosses = new double[steps + 1];
        double[] expected = naiveSgd(data, theta0, d1, Activation.TANH, eta, batch, seed, steps, naiveLosses);
        double[] got = net.parameters();
        for (int t = 0; t < got.length; t++) {
            assertEquals(expected[t], got[t], 1e-12 * (1 + Math.abs(expected[t])), "parameter " + t);
        }
        assertEquals(steps, run.steps());
        // the full loss is evaluated at step 0, the epoch ends (3, 6) and the last step (8), nowhere else
        for (int s = 0; s <= steps; s++) {
            boolean evaluated = s == 0 || s % 3 == 0 || s == steps;
            if (evaluated) {
                assertEquals(naiveLosses[s], run.losses()[s], 1e-12 * naiveLosses[s], "loss at step " + s);
            } else {
                assertTrue(Double.isNaN(run.losses()[s]), "step " + s + " was not evaluated");
            }
        }
        assertTrue(naiveLosses[steps] < naiveLosses[0], "SGD lowered the loss");
    }

    @Test
    void aBatchOfAllExamplesIsGradientDescent() {
        Dataset data = DeepGatedNetTest.regressionData(6, 4, 1, 3);
        SmoothNet gd = new SmoothNet(data, 2, 8, Activation.GELU, 1.0, 0.5, BLAS);
        SmoothNet sgd = new SmoothNet(data, 2, 8, Activation.GELU, 1.0, 0.5, BLAS);
        TrainingRun a = new GradientDescent(0.02, new StopRule(20, TIGHT)).run(gd);
        TrainingRun b = new MiniBatchSgd(0.02, 6, new StopRule(20, TIGHT), 4).run(sgd, StepObserver.NONE, Deadline.NONE);
        double[] x = gd.parameters();
        double[] y = sgd.parameters();
        for (int t = 0; t < x.length; t++) {
            assertEquals(x[t], y[t], 1e-12 * (1 + Math.abs(x[t])), "parameter " + t);
        }
        for (int s = 0; s <= 20; s++) {                 // one batch an epoch: every step is an epoch end
            assertEquals(a.losses()[s], b.losses()[s], 1e-12 * a.losses()[s], "loss at " + s);
        }
    }

    /** A batch step of the net and of its linearization is a GD step of size η·n/b on a net of the batch's rows only. */
    @Test
    void batchStepIsAGradientStepOnTheBatchRows() {
        Dataset data = DeepGatedNetTest.regressionData(9, 3, 2, 17);
        int[] order = {4, 0, 7, 2, 8, 1, 6, 3, 5};
        int from = 3;
        int to = 7;
        int b = to - from;
        double[] xb = new double[b * 3];
        double[] yb = new double[b * 2];
        for (int r = 0; r < b; r++) {
            System.arraycopy(data.x(), order[from + r] * 3, xb, r * 3, 3);
            System.arraycopy(data.y(), order[from + r] * 2, yb, r * 2, 2);
        }
        Dataset rows = new Dataset(b, 3, xb, yb, 2);
        double eta = 0.03;
        SmoothNet full = new SmoothNet(data, 6, 5, Activation.SOFTPLUS, 0.8, 0.9, BLAS);
        SmoothNet part = new SmoothNet(rows, 6, 5, Activation.SOFTPLUS, 0.8, 0.9, BLAS);    // init depends on the seed and shape, not n
        assertArrayEquals(full.parameters(), part.parameters());
        LinearizedSmoothNet fullLin = new LinearizedSmoothNet(full);
        LinearizedSmoothNet partLin = new LinearizedSmoothNet(part);
        for (int step = 0; step < 3; step++) {
            full.batchStep(order, from, to, eta);
            part.forward();
            part.step(eta * 9 / b);
            fullLin.batchStep(order, from, to, eta);
            partLin.forward();
            partLin.step(eta * 9 / b);
        }
        assertClose(part.parameters(), full.parameters());
        assertClose(partLin.parameters(), fullLin.parameters());
        assertFalse(Arrays.equals(full.parameters(), fullLin.parameters()), "the net and its linearization moved apart");
    }

    @Test
    void deterministicInTheSeed() {
        Dataset data = DeepGatedNetTest.regressionData(10, 3, 1, 5);
        double[][] runs = new double[3][];
        long[] seeds = {1, 1, 2};
        for (int r = 0; r < 3; r++) {
            SmoothNet net = new SmoothNet(data, 9, 6, Activation.GELU, 1.0, 0.5, BLAS);
            new MiniBatchSgd(0.01, 4, new StopRule(13, TIGHT), seeds[r]).run(net, StepObserver.NONE, Deadline.NONE);
            runs[r] = net.parameters();
        }
        assertArrayEquals(runs[0], runs[1], "same seed, same run bit for bit");
        assertFalse(Arrays.equals(runs[0], runs[2]), "another seed, another order");
    }

    private static void assertClose(double[] expected, double[] got) {
        for (int t = 0; t < got.length; t++) {
            assertEquals(expected[t], got[t], 1e-12 * (1 + Math.abs(expected[t])), "parameter " + t);
        }
    }
}

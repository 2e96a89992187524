package org.overparam.trainer.nets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.overparam.trainer.data.Dataset;
import org.overparam.trainer.linalg.RowMajorBlas;

/**
 * smooth (paper 004 eq. 16–17): the loss against a naive {@code ‖V φ(W X) − Y‖²}, gradients of W and V
 * against central differences for every activation, and the linearized model of Sec. 6 against the true
 * one: equal at init, apart by {@code O(η²)} after one step, measurably apart after many.
 */
class SmoothNetTest {
    private static final RowMajorBlas BLAS = RowMajorBlas.best();

    private static double naiveLoss(Dataset data, double[] theta, int d1, Activation phi) {
        int n = data.n();
        int d0 = data.d();
        int d2 = data.dy();
        double loss = 0;
        for (int i = 0; i < n; i++) {
            double[] hidden = new double[d1];
            for (int k = 0; k < d1; k++) {
                double s = 0;
                for (int j = 0; j < d0; j++) {
                    s += theta[k * d0 + j] * data.x()[i * d0 + j];
                }
                hidden[k] = phi.value(s);
            }
            for (int o = 0; o < d2; o++) {
                double s = 0;
                for (int k = 0; k < d1; k++) {
                    s += theta[d1 * d0 + o * d1 + k] * hidden[k];
                }
                double e = s - data.y()[i * d2 + o];
                loss += e * e;
            }
        }
        return loss;
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void lossAndGradientMatchNaiveImplementation(Activation phi) {
        Dataset data = DeepGatedNetTest.regressionData(9, 5, 2, 12);
        int d1 = 7;
        SmoothNet net = new SmoothNet(data, 3, d1, phi, 0.8, 0.6, BLAS);
        double loss = net.forward();
        double[] theta = net.parameters();
        assertEquals(naiveLoss(data, theta, d1, phi), loss, 1e-12);
        double[] grad = net.gradient();
        double h = 1e-5;
        for (int k = 0; k < theta.length; k++) {
            double[] plus = theta.clone();
            double[] minus = theta.clone();
            plus[k] += h;
            minus[k] -= h;
            double fd = (naiveLoss(data, plus, d1, phi) - naiveLoss(data, minus, d1, phi)) / (2 * h);
            assertEquals(fd, grad[k], 1e-7 * (1 + Math.abs(fd)), phi + " coordinate " + k);
        }
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void linearizedGradientMatchesFiniteDifferences(Activation phi) {
        Dataset data = DeepGatedNetTest.regressionData(6, 4, 1, 2);
        SmoothNet net = new SmoothNet(data, 5, 5, phi, 1.0, 0.7, BLAS);
        LinearizedSmoothNet lin = new LinearizedSmoothNet(net);
        Random r = new Random(1);
        double[] theta = lin.parameters();
        for (int k = 0; k < theta.length; k++) {
            theta[k] += 0.2 * r.nextGaussian();
        }
        lin.setParameters(theta);
        lin.forward();
        double[] grad = lin.gradient();
        double h = 1e-5;
        for (int k = 0; k < theta.length; k++) {
            double[] plus = theta.clone();
            double[] minus = theta.clone();
            plus[k] += h;
            minus[k] -= h;
            lin.setParameters(plus);
            double fp = lin.forward();
            lin.setParameters(minus);
            double fm = lin.forward();
            assertEquals((fp - fm) / (2 * h), grad[k], 1e-7 * (1 + Math.abs(grad[k])), phi + " coordinate " + k);
        }
        // Φ̂ is affine in Θ: the midpoint of two parameter vectors maps to the midpoint of the outputs.
        lin.setParameters(theta);
        lin.forward();
        double[] fa = lin.outputs();
        double[] theta0 = net.parameters();
        lin.setParameters(theta0);
        lin.forward();
        assertArrayEquals(lin.initialOutputs(), lin.outputs(), 1e-14, "Φ̂(Θ0) = Φ(Θ0)");
        double[] fb = lin.outputs();
        double[] mid = new double[theta.length];
        for (int k = 0; k < mid.length; k++) {
            mid[k] = 0.5 * (theta[k] + theta0[k]);
        }
        lin.setParameters(mid);
        lin.forward();
        double[] fm = lin.outputs();
        for (int t = 0; t < fm.length; t++) {
            assertEquals(0.5 * (fa[t] + fb[t]), fm[t], 1e-13);
        }
    }

    /** One GD step from Θ0: both take the same step (same gradient), so Φ and Φ̂ differ by the Taylor remainder O(η²). */
    @ParameterizedTest
    @EnumSource(Activation.class)
    void linearizationAgreesToSecondOrderAtTinyStepCounts(Activation phi) {
        Dataset data = DeepGatedNetTest.regressionData(10, 6, 2, 4);
        double[] gaps = new double[3];
        double[] etas = {4e-3, 2e-3, 1e-3};
        for (int e = 0; e < etas.length; e++) {
            SmoothNet net = new SmoothNet(data, 8, 12, phi, 1.0, 0.5, BLAS);
            LinearizedSmoothNet lin = new LinearizedSmoothNet(net);
            lin.forward();
            net.step(etas[e]);
            lin.step(etas[e]);
            assertArrayEquals(net.parameters(), lin.parameters(), 1e-15, "same step from the same point");
            net.forward();
            lin.forward();
            gaps[e] = distance(net.outputs(), lin.outputs());
        }
        assertTrue(gaps[0] > 0);
        assertEquals(4.0, gaps[0] / gaps[1], 0.2, phi + ": halving η quarters the gap " + java.util.Arrays.toString(gaps));
        assertEquals(4.0, gaps[1] / gaps[2], 0.2, phi + ": halving η quarters the gap " + java.util.Arrays.toString(gaps));
    }

    /** Away from the first steps the second-order remainder accumulates: the gap keeps growing (about like s² at first). */
    @Test
    void linearizationDivergesMeasurablyWithMoreSteps() {
        Dataset data = DeepGatedNetTest.regressionData(10, 6, 1, 4);
        SmoothNet net = new SmoothNet(data, 8, 12, Activation.TANH, 1.5, 1.0, BLAS);
        LinearizedSmoothNet lin = new LinearizedSmoothNet(net);
        double eta = 1e-3;
        double[] gap = new double[41];
        net.forward();
        lin.forward();
        for (int s = 1; s <= 40; s++) {
            net.step(eta);
            lin.step(eta);
            net.forward();
            lin.forward();
            gap[s] = distance(net.outputs(), lin.outputs());
        }
        assertTrue(gap[10] > 30 * gap[1], "gap after 1 step " + gap[1] + ", after 10 " + gap[10]);
        assertTrue(gap[40] > 2 * gap[10], "gap after 10 steps " + gap[10] + ", after 40 " + gap[40]);
        assertTrue(gap[40] > 1e-3, "a measurable difference: " + gap[40]);
    }

    @Test
    void initialScalesAreOmegaTimesTheSameDraws() {
        Dataset data = DeepGatedNetTest.regressionData(5, 30, 1, 1);
        int d1 = 2000;
        double[] a = new SmoothNet(data, 2, d1, Activation.GELU, 0.5, 0.1, BLAS).parameters();
        double[] b = new SmoothNet(data, 2, d1, Activation.GELU, 1.0, 1.0, BLAS).parameters();
        double sw = 0;
        double sv = 0;
        for (int k = 0; k < d1 * 30; k++) {
            assertEquals(0.5 * b[k], a[k], 1e-15);
            sw += b[k] * b[k];
        }
        for (int k = d1 * 30; k < a.length; k++) {
            assertEquals(0.1 * b[k], a[k], 1e-15);
            sv += b[k] * b[k];
        }
        assertEquals(1.0, sw / (d1 * 30), 0.02);
        assertEquals(1.0, sv / d1, 0.1);
    }

    private static double distance(double[] a, double[] b) {
        double s = 0;
        for (int t = 0; t < a.length; t++) {
            s += (a[t] - b[t]) * (a[t] - b[t]);
        }
        return Math.sqrt(s);
    }
}

package org.overparam.trainer.nets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.overparam.trainer.data.Dataset;
import org.overparam.trainer.data.SphereData;
import org.overparam.trainer.data.SphereTarget;
import org.overparam.trainer.linalg.RowMajorBlas;

/**
 * {@link Loss#SQUARED_HINGE} in every net that trains on it (relu, wn, grelu, deep-relu): the loss equals
 * {@code ½ Σ max(0, 1 − y_i f_i)²} of the outputs, and {@code gradient()} matches central finite differences of
 * {@code forward()} at points where some examples have margin below 1 and some above (so both branches of the
 * residual are exercised).
 */
class SquaredHingeTest {
    private static final RowMajorBlas BLAS = RowMajorBlas.best();
    private static final double H = 1e-6;

    static Stream<Arguments> nets() {
        return Stream.of(
                Arguments.of("relu", (Function<Dataset, TrainableNet>) data ->
                        new ReluNet(data, InitialDraws.draw(3, 24, data.d()), BLAS, Loss.SQUARED_HINGE)),
                Arguments.of("wn a=0.5", (Function<Dataset, TrainableNet>) data ->
                        new WeightNormNet(data, InitialDraws.draw(4, 24, data.d()), 0.5, BLAS, Loss.SQUARED_HINGE)),
                Arguments.of("wn a=2", (Function<Dataset, TrainableNet>) data ->
                        new WeightNormNet(data, InitialDraws.draw(4, 24, data.d()), 2.0, BLAS, Loss.SQUARED_HINGE)),
                Arguments.of("grelu", (Function<Dataset, TrainableNet>) data ->
                        new GReluNet(data, 5, 12, 2, BLAS, Loss.SQUARED_HINGE)),
                Arguments.of("deep-relu", (Function<Dataset, TrainableNet>) data ->
                        new DeepReluNet(data, 6, 12, 2, BLAS, Loss.SQUARED_HINGE)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nets")
    void theLossIsTheSquaredHingeOfTheOutputsAndItsGradientMatchesFiniteDifferences(String name, Function<Dataset, TrainableNet> make) {
        Dataset data = new SphereData(SphereTarget.SIGN, 7).load(30, 5);
        TrainableNet net = make.apply(data);
        Random r = new Random(name.hashCode());
        double[] theta = net.parameters();
        // A random point near the init, rescaled until the margins straddle 1.
        for (int j = 0; j < theta.length; j++) {
            theta[j] *= 1.0 + 0.2 * r.nextGaussian();
        }
        net.setParameters(theta);
        int below = 0;
        for (double scale = 1.0; scale < 1e3; scale *= 1.5) {
            double loss = net.forward();
            double[] f = net.outputs();
            double direct = 0;
            below = 0;
            for (int i = 0; i < data.n(); i++) {
                double margin = data.y()[i] * f[i];
                double rI = Math.max(0.0, 1.0 - margin);
                direct += rI * rI;
                below += margin < 1 ? 1 : 0;
            }
            assertEquals(0.5 * direct, loss, 1e-12 * Math.max(1.0, direct), name + ": L = ½ Σ max(0, 1 − y f)²");
            if (below > 3 && below < data.n() - 3) {
                break;
            }
            double[] t = net.parameters();
            for (int j = 0; j < t.length; j++) {
                t[j] *= 1.25;
            }
            net.setParameters(t);
        }
        assertTrue(below > 3 && below < data.n() - 3, name + ": precondition, margins on both sides of 1: " + below + " below");

        double[] at = net.parameters();
        net.forward();
        double[] grad = net.gradient();
        assertEquals(at.length, grad.length);
        int checked = 0;
        int tried = 0;
        for (int j = 0; j < at.length && tried < 80; j += Math.max(1, at.length / 80), tried++) {
            double fd = central(net, at, j, H);
            double fdHalf = central(net, at, j, H / 2);
            double scale = Math.max(1e-6, Math.abs(fd));
            if (Math.abs(fd - fdHalf) > 1e-5 * scale) {
                continue;   // the stencil crosses a ReLU gate or a margin of exactly 1: not one smooth piece
            }
            checked++;
            assertEquals(fd, grad[j], 1e-5 * scale + 1e-8, name + ": ∂L/∂θ_" + j);
        }
        assertTrue(checked >= 0.8 * tried, name + ": checked " + checked + " of " + tried + " coordinates");
    }

    private static double central(TrainableNet net, double[] at, int j, double h) {
        double[] t = at.clone();
        t[j] = at[j] + h;
        net.setParameters(t);
        double plus = net.forward();
        t[j] = at[j] - h;
        net.setParameters(t);
        double minus = net.forward();
        net.setParameters(at);
        return (plus - minus) / (2 * h);
    }

    @Test
    void theSquaredHingeRefusesTargetsOtherThanPlusOrMinusOne() {
        Dataset real = new SphereData(SphereTarget.GAUSSIAN, 7).load(10, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ReluNet(real, InitialDraws.draw(3, 8, 4), BLAS, Loss.SQUARED_HINGE));
        assertTrue(e.getMessage().contains("train.loss squared_hinge needs labels ±1"), e.getMessage());
        Dataset twoOutputs = new Dataset(2, 1, new double[] {1, -1}, new double[] {1, -1, -1, 1}, 2);
        e = assertThrows(IllegalArgumentException.class, () -> new GReluNet(twoOutputs, 1, 4, 1, BLAS, Loss.SQUARED_HINGE));
        assertTrue(e.getMessage().contains("needs one output"), e.getMessage());
    }

    @Test
    void gradientDescentOnTheSquaredHingeFitsEveryPointUpToTheRoundingFloor() {
        Dataset data = new SphereData(SphereTarget.SIGN, 7).load(20, 5);
        ReluNet net = new ReluNet(data, InitialDraws.draw(3, 200, 5), BLAS, Loss.SQUARED_HINGE);
        double loss0 = net.forward();
        double loss = loss0;
        for (int s = 0; s < 8192; s++) {
            net.step(0.1);
            loss = net.forward();
        }
        // The deficits decay geometrically on the active set: far below any tolerance after 8192 steps.
        assertTrue(loss < 1e-20 * loss0 && loss >= 0, "loss at " + loss / loss0 + " of loss0");
        double[] f = net.outputs();
        for (int i = 0; i < data.n(); i++) {
            assertTrue(data.y()[i] * f[i] > 1.0 - 1e-9, "margin of point " + i + ": " + data.y()[i] * f[i]);
        }
    }
}

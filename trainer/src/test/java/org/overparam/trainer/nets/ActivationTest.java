package org.overparam.trainer.nets;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The activations' derivatives against central differences, and erfc against tabulated values. */
class ActivationTest {
    private static final double[] POINTS = {-7.5, -3.1, -1.4142, -0.7, -1e-3, 0.0, 2e-4, 0.4, 1.0, 2.6, 6.0};

    @ParameterizedTest
    @EnumSource(Activation.class)
    void derivativesMatchCentralDifferences(Activation phi) {
        double h = 1e-5;
        for (double s : POINTS) {
            double fd1 = (phi.value(s + h) - phi.value(s - h)) / (2 * h);
            double fd2 = (phi.derivative(s + h) - phi.derivative(s - h)) / (2 * h);
            assertEquals(fd1, phi.derivative(s), 1e-9, phi + " φ' at " + s);
            assertEquals(fd2, phi.secondDerivative(s), 1e-9, phi + " φ'' at " + s);
        }
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void maxDerivativeIsTheSupremum(Activation phi) {
        double worst = 0;
        for (double s = -40; s <= 40; s += 1e-3) {
            worst = Math.max(worst, Math.abs(phi.derivative(s)));
        }
        assertEquals(worst, phi.maxDerivative(), 1e-6, phi.key());
    }

    @Test
    void knownValues() {
        // erfc from Abramowitz & Stegun / high-precision tables.
        assertEquals(1.0, Erf.erfc(0.0), 0.0);
        double[][] table = {{1.0, 0.15729920705028513}, {2.0, 0.004677734981047266}, {2.5, 4.069520174449590e-04},
            {3.0, 2.209049699858544e-05}, {4.0, 1.541725790028002e-08}, {6.0, 2.151973671249892e-17}};
        for (double[] row : table) {
            assertEquals(row[1], Erf.erfc(row[0]), 5e-15 * row[1], "erfc(" + row[0] + ")");
        }
        assertEquals(0.0, Activation.GELU.value(0.0), 0.0);
        assertEquals(0.8413447460685429, Activation.GELU.value(1.0), 1e-15);       // 1·Φ(1)
        assertEquals(-0.15865525393145707 * 1.0, Activation.GELU.value(-1.0), 1e-15);
        assertEquals(Math.log(2), Activation.SOFTPLUS.value(0.0), 1e-16);
        assertEquals(0.5, Activation.SIGMOID.value(0.0), 0.0);
        assertEquals(Math.tanh(0.3), Activation.TANH.value(0.3), 1e-16);
    }
}

package org.overparam.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The dyadic, Ackley and teacher–student generators, and held-out tails. */
class GeneratorsTest {

    @Test
    void dyadicIsDefinitionOnePointOne() {
        Dataset data = new DyadicData().load(8, 4);
        for (int j = 1; j <= 4; j++) {
            for (int k = 0; k < 4; k++) {
                assertEquals(k == j - 1 ? Math.pow(2, -j) : 0.0, data.x()[(j - 1) * 4 + k], 0.0);
                assertEquals(k == j - 1 ? -Math.pow(2, -j) : 0.0, data.x()[(4 + j - 1) * 4 + k], 0.0);
            }
            assertEquals(1.0, data.y()[j - 1]);
            assertEquals(-1.0, data.y()[4 + j - 1]);
        }
        assertThrows(IllegalArgumentException.class, () -> new DyadicData().load(7, 4));
    }

    @Test
    void ackleyTargetIsThePrintedFormulaWithCyclicIndices() {
        // d = 3 by hand: y = x_2 g(x_1) + x_1 g(x_2) + x_3 g(x_3), g(t) = ln|t|(cos t + t³ sin t) + sqrt|t|.
        double[] x = {0.3, -0.5, 0.8};
        double expected = x[1] * g(x[0]) + x[0] * g(x[1]) + x[2] * g(x[2]);
        assertEquals(expected, AckleyData.target(x, 0, 3), 1e-15);
        Dataset data = new AckleyData(4).load(50, 7);
        for (int i = 0; i < 50; i++) {
            assertEquals(1.0, data.rowNorm(i), 1e-12);
            assertEquals(AckleyData.target(data.x(), i * 7, 7), data.y()[i], 0.0);
        }
        Dataset prefix = new AckleyData(4).load(10, 7);
        assertArrayEquals(prefix.x(), Arrays.copyOf(data.x(), 70));
    }

    private static double g(double t) {
        return Math.log(Math.abs(t)) * (Math.cos(t) + t * t * t * Math.sin(t)) + Math.sqrt(Math.abs(t));
    }

    @Test
    void teacherIsATwoLayerTanhNetOnTheSphere() {
        TeacherData real = new TeacherData(5, false, 3);
        Dataset a = real.load(40, 6, 3);
        Dataset b = real.load(10, 6, 3);
        assertArrayEquals(b.x(), Arrays.copyOf(a.x(), 60));
        assertArrayEquals(b.y(), Arrays.copyOf(a.y(), 30));
        assertEquals(3, a.dy());
        double s = 0;
        for (int i = 0; i < 40; i++) {
            assertEquals(1.0, a.rowNorm(i), 1e-12);
            for (int o = 0; o < 3; o++) {
                s += a.y()[i * 3 + o] * a.y()[i * 3 + o];
            }
        }
        assertTrue(s / 120 > 0.05 && s / 120 < 2, "targets of order one: " + s / 120);
        Dataset signs = new TeacherData(5, true, 3).load(40, 6);
        Dataset one = real.load(40, 6, 1);
        assertArrayEquals(one.x(), signs.x());
        for (int i = 0; i < 40; i++) {
            assertEquals(one.y()[i] >= 0 ? 1.0 : -1.0, signs.y()[i]);
        }
        assertThrows(IllegalArgumentException.class, () -> new TeacherData(5, true, 3).load(4, 6, 2));
    }

    @Test
    void heldOutIsTheNextExamples() {
        WithHeldOut source = new WithHeldOut(new SphereData(SphereTarget.SIGN, 1), 0.2);
        Dataset test = source.heldOut(40, 5, 1);
        assertEquals(10, test.n(), "a fifth of 50 examples");
        Dataset all = new SphereData(SphereTarget.SIGN, 1).load(50, 5);
        assertArrayEquals(Arrays.copyOfRange(all.x(), 200, 250), test.x());
        assertArrayEquals(new SphereData(SphereTarget.SIGN, 1).load(40, 5).x(), source.load(40, 5).x());
        assertEquals("sphere(target=sign,seed=1)+heldout(fraction=0.2)", source.identity());
        assertEquals(1, WithHeldOut.heldOutCount(3, 0.2));
        assertEquals(25, WithHeldOut.heldOutCount(100, 0.2));
    }
}

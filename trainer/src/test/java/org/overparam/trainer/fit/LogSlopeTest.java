package org.overparam.trainer.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The least-squares log-slope and the projection it gives. */
class LogSlopeTest {
    @Test
    void aGeometricCurveHasTheLogOfItsRatio() {
        double[] losses = new double[101];
        for (int s = 0; s <= 100; s++) {
            losses[s] = 3.0 * Math.pow(0.97, s);
        }
        assertEquals(Math.log(0.97), LogSlope.over(losses, 0, 100), 1e-12);
        assertEquals(Math.log(0.97), LogSlope.lastHalf(losses, 100), 1e-12);
        assertEquals(Math.log(0.97), LogSlope.over(losses, -5, 500), 1e-12, "the window is clipped to the record");
    }

    @Test
    void unusableStepsAreLeftOutAndTooFewPointsLeaveItUndefined() {
        double[] losses = {8, Double.NaN, 2, 0.0, 0.5, Double.POSITIVE_INFINITY, 0.125};
        // points (0, 8), (2, 2), (4, 0.5), (6, 0.125): ln falls by ln 4 every 2 steps
        assertEquals(-Math.log(4) / 2, LogSlope.over(losses, 0, 6), 1e-12);
        assertTrue(Double.isNaN(LogSlope.over(losses, 3, 6)), "two points");
        assertTrue(Double.isNaN(LogSlope.over(new double[0], 0, 10)));
    }

    @Test
    void theProjectionIsTheStepsToTheTargetAtThatSlope() {
        assertEquals(100, LogSlope.stepsTo(1.0, Math.exp(-1), -0.01), 1e-9);
        assertEquals(Double.POSITIVE_INFINITY, LogSlope.stepsTo(1.0, 1e-8, 0.0));
        assertEquals(Double.POSITIVE_INFINITY, LogSlope.stepsTo(1.0, 1e-8, 1e-3));
        assertTrue(Double.isNaN(LogSlope.stepsTo(1.0, 1e-8, Double.NaN)));
    }
}

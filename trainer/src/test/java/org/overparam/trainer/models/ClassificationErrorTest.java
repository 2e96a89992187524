package org.overparam.trainer.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The classification error of regression outputs against class-label targets, on hand-made cases. */
class ClassificationErrorTest {
    @Test
    void oneHotRowsAreScoredByTheArgmax() {
        double[] y = {1, 0, 0, 0, 0, 1, 0, 1, 0};
        double[] out = {0.9, 0.2, 0.1, 0.5, 0.4, 0.3, -1, 2, 0};     // right, wrong (argmax 0, hot 2), right
        assertEquals(1.0 / 3, SmoothModel.classificationError(out, y, 3, 3), 0.0);
    }

    @Test
    void plusMinusOneTargetsAreScoredByTheSign() {
        assertEquals(0.5, SmoothModel.classificationError(new double[] {0.3, -0.1, 0.2, -2}, new double[] {1, 1, -1, -1}, 4, 1), 0.0);
    }

    @Test
    void realTargetsHaveNoClassificationError() {
        assertTrue(Double.isNaN(SmoothModel.classificationError(new double[] {0.3, 0.1}, new double[] {0.3, -1}, 2, 1)));
        assertTrue(Double.isNaN(SmoothModel.classificationError(new double[] {0.3, 0.1}, new double[] {0.5, 0.5}, 1, 2)));
    }
}

package org.overparam.trainer.margin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A remembered margin is the solver's bits, is not solved twice for the same points and labels (even from other
 * arrays with the same contents), and a changed label or point is solved afresh.
 */
class LinearMarginsTest {
    @Test
    void aDataSetIsSolvedOnceAndItsMarginReusedBitForBit() {
        Random r = new Random(11);
        int n = 12;
        int p = 5;
        double[] z = new double[n * p];
        double[] y = new double[n];
        double[] w = {0.3, -1.0, 0.7, 0.2, 1.1};
        for (int i = 0; i < n; i++) {
            double dot = 0;
            for (int k = 0; k < p; k++) {
                z[i * p + k] = r.nextGaussian();
                dot += w[k] * z[i * p + k];
            }
            y[i] = dot >= 0 ? 1 : -1;   // separable by w: a positive margin
        }
        double direct = MaxMarginLinear.solve(z, y, n, p).margin();
        assertTrue(direct > 0, "separable points have a margin");
        long before = LinearMargins.solves();
        assertEquals(Double.doubleToRawLongBits(direct), Double.doubleToRawLongBits(LinearMargins.margin(z, y, n, p)));
        assertEquals(before + 1, LinearMargins.solves(), "the first call solves");
        assertEquals(Double.doubleToRawLongBits(direct), Double.doubleToRawLongBits(LinearMargins.margin(z.clone(), y.clone(), n, p)));
        assertEquals(before + 1, LinearMargins.solves(), "the same contents in other arrays are not solved again");

        double[] flipped = y.clone();
        flipped[3] = -flipped[3];
        double other = LinearMargins.margin(z, flipped, n, p);
        assertEquals(before + 2, LinearMargins.solves(), "another label is another data set");
        assertEquals(Double.doubleToRawLongBits(MaxMarginLinear.solve(z, flipped, n, p).margin()), Double.doubleToRawLongBits(other));
        double[] moved = z.clone();
        moved[0] = Math.nextUp(moved[0]);
        LinearMargins.margin(moved, y, n, p);
        assertEquals(before + 3, LinearMargins.solves(), "a point one ulp away is another data set");
    }
}

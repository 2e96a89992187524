package org.overparam.trainer.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The stored-curve steps: shape and density, for curve lengths from 0 to 10^7. */
class LogSpacedStepsTest {

    @ParameterizedTest(name = "last={0}")
    @ValueSource(ints = {0, 1, 2, 9, 10, 11, 12, 57, 99, 100, 101, 1000, 2000, 12_345, 1_000_000, 10_000_000})
    void stepsAreSortedUniqueBoundedAndLogSpaced(int last) {
        int[] steps = LogSpacedSteps.upTo(last);
        assertEquals(0, steps[0], "starts at 0");
        assertEquals(last, steps[steps.length - 1], "ends at last");
        for (int j = 1; j < steps.length; j++) {
            assertTrue(steps[j] > steps[j - 1], "strictly ascending (so unique) at " + j + ": " + Arrays.toString(steps));
        }
        for (int s : steps) {
            assertTrue(s >= 0 && s <= last);
        }
        for (int s = 0; s <= Math.min(10, last); s++) {
            assertTrue(Arrays.binarySearch(steps, s) >= 0, "every step ≤ 10 is present: " + s);
        }
        // Every full decade [10^k, 10^{k+1}) inside [10, last] holds between 10 and 20 steps.
        for (long decade = 10; decade * 10 <= last + 1L; decade *= 10) {
            long lo = decade;
            long hi = decade * 10;
            long count = Arrays.stream(steps).filter(s -> s >= lo && s < hi).count();
            assertTrue(count >= 10 && count <= 20, "decade [" + lo + ", " + hi + ") has " + count);
        }
        // No large gaps beyond 10: consecutive ratio ≤ 10^{1/10} (≥ 10 per decade) up to the final step,
        // whose gap to its predecessor may be anything below one spacing.
        for (int j = 12; j < steps.length - 1; j++) {
            assertTrue(steps[j] <= steps[j - 1] * Math.pow(10, 0.1) + 1, "gap at " + steps[j]);
        }
        // Small overall: 11 steps to 10, ≤ 20 per further decade, plus the last.
        double decades = last > 10 ? Math.log10(last) - 1 : 0;
        assertTrue(steps.length <= 11 + 20 * Math.ceil(decades) + 1, "length " + steps.length);
    }
}

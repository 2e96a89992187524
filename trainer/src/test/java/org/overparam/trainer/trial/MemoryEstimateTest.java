package org.overparam.trainer.trial;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link MemoryEstimate}: the count of live float64 values, and the refusals it gives. */
class MemoryEstimateTest {
    private static TrialSpec spec(int m, int n, int d, int steps) {
        return new TrialSpec(ModelKind.WN, 1.0, m, n, d, 0.5, 0L, "sphere(target=sign,seed=0)", steps, 1e-8);
    }

    @Test
    void countsTheBuffersOfATrial() {
        // n·m + 3·m·d + n·d + 3n + 6m + 2·(steps + 1) doubles
        long expected = 8L * (20 * 1024 + 3 * 1024 * 50 + 20 * 50 + 3 * 20 + 6 * 1024 + 2 * 2001);
        assertEquals(expected, MemoryEstimate.of(spec(1024, 20, 50, 2000)).bytes());
        assertEquals(8L * (20 * 1024 + 20 * 50 + 3 * 20),
                MemoryEstimate.of(spec(1024, 40, 50, 2000)).bytes() - MemoryEstimate.of(spec(1024, 20, 50, 2000)).bytes(),
                "20 more examples: 20 more rows of pre-activations and of inputs, and of y, f, e");
        assertEquals(1024 * 50, MemoryEstimate.of(spec(1024, 20, 50, 2000)).largestArray());
        assertEquals(2_000_000L * 40, MemoryEstimate.of(spec(2_000_000, 40, 10, 10)).largestArray());
    }

    @Test
    void theLossRecordIsCountedAsFirstAllocated() {
        long small = MemoryEstimate.of(spec(8, 4, 3, 1 << 16)).bytes();
        assertEquals(small, MemoryEstimate.of(spec(8, 4, 3, 100_000_000)).bytes(), "capped at 2^16 + 1 values");
        assertEquals(8L * 2 * 1000, small - MemoryEstimate.of(spec(8, 4, 3, (1 << 16) - 1000)).bytes());
    }

    @Test
    void refusesWhatExceedsTheHeapOrAnArray() {
        MemoryEstimate e = MemoryEstimate.of(spec(1024, 20, 50, 2000));
        assertDoesNotThrow(() -> e.requireFits(e.bytes()));
        var tooSmall = assertThrows(MemoryEstimate.TooLargeException.class, () -> e.requireFits(e.bytes() - 1));
        assertTrue(tooSmall.getMessage().startsWith("needs 0.00"), tooSmall.getMessage());

        // n·m = 2^31 fits a 1 TiB heap but no Java array.
        MemoryEstimate wide = MemoryEstimate.of(spec(1 << 30, 2, 1, 10));
        var tooLong = assertThrows(MemoryEstimate.TooLargeException.class, () -> wide.requireFits(1L << 40));
        assertTrue(tooLong.getMessage().contains("2147483648 doubles"), tooLong.getMessage());
    }

    @Test
    void saturatesInsteadOfOverflowing() {
        MemoryEstimate absurd = MemoryEstimate.of(spec(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, 10));
        assertEquals(Long.MAX_VALUE, absurd.bytes());
        assertThrows(MemoryEstimate.TooLargeException.class, () -> absurd.requireFits(Long.MAX_VALUE - 1));
    }
}

package org.overparam.trainer.trial;

import java.util.Locale;

/**
 * The heap a trial needs at its peak, from its shape alone, so that a trial too large for its JVM is
 * refused before anything is allocated: recorded as failed with a message saying what it needs,
 * instead of an {@link OutOfMemoryError} that can take a Spark executor, and the trials running
 * beside it, down.
 *
 * <p>Counts the float64 arrays alive together while a trial trains (8 bytes each): the {@code n×m}
 * pre-activation buffer of the net; three {@code m×d} matrices (the initial draws, the trained
 * directions, {@code Q}); the data ({@code n×d} inputs and the {@code n}-vectors {@code y}, {@code f},
 * {@code e}); six {@code m}-vectors; and the loss record as first allocated (up to 2^16 + 1 values)
 * and copied at the end. A record that grows further, in a long run, is left to the
 * {@link OutOfMemoryError} that {@link TrialRunner} records.
 *
 * @param bytes        the estimated peak, in bytes (saturating at {@link Long#MAX_VALUE})
 * @param largestArray the length of the largest array, the {@code n×m} or {@code m×d} buffer
 */
public record MemoryEstimate(long bytes, long largestArray) {
    /** The longest array a JVM reliably allocates. */
    public static final long MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;
    private static final double GIB = 1024.0 * 1024 * 1024;

    /** The estimate for {@code spec}. */
    public static MemoryEstimate of(TrialSpec spec) {
        double n = spec.n();
        double m = spec.m();
        double d = spec.d();
        double losses = Math.min(Math.max(1, spec.steps()), 1 << 16) + 1.0;
        double doubles = n * m + 3 * m * d + n * d + 3 * n + 6 * m + 2 * losses;
        return new MemoryEstimate((long) (8 * doubles), Math.max((long) spec.n() * spec.m(), (long) spec.m() * spec.d()));
    }

    /** Throws {@link TooLargeException} when the trial cannot run in a heap of at most {@code maxHeapBytes}. */
    public void requireFits(long maxHeapBytes) {
        if (bytes > maxHeapBytes) {
            throw new TooLargeException(String.format(Locale.ROOT,
                    "needs %.3g GiB of heap, the executor has %.3g GiB max (raise spark.executor.memory, or -Xmx)",
                    bytes / GIB, maxHeapBytes / GIB));
        }
        if (largestArray > MAX_ARRAY_LENGTH) {
            throw new TooLargeException("needs an array of " + largestArray + " doubles (n·m or m·d), over the JVM's limit of "
                    + MAX_ARRAY_LENGTH);
        }
    }

    /** A trial refused because it cannot fit in its JVM; its message is the trial's {@code message}. */
    public static final class TooLargeException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooLargeException(String message) {
            super(message);
        }
    }
}

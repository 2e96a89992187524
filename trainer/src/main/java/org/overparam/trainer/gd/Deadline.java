package org.overparam.trainer.gd;

import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * When a trial must stop training ({@code train.time_limit}): every training loop checks
 * {@link #passed()} between steps and, once it has, ends the trial with {@link Outcome#TIMEOUT}, the steps
 * taken and its curve so far. Not part of a trial's identity (its id, its result when it finishes in time).
 */
public final class Deadline {
    /** No limit: {@link #passed()} is always false. */
    public static final Deadline NONE = new Deadline(null, Long.MAX_VALUE, System::nanoTime);

    private final Duration limit;
    private final long atNanos;
    private final LongSupplier clock;

    private Deadline(Duration limit, long atNanos, LongSupplier clock) {
        this.limit = limit;
        this.atNanos = atNanos;
        this.clock = clock;
    }

    /** A deadline {@code limit} from now ({@link #NONE} when the limit is null). */
    public static Deadline after(Duration limit) {
        return after(limit, System.nanoTime());
    }

    /** A deadline {@code limit} after {@code startNanos} (a {@link System#nanoTime()} reading). */
    public static Deadline after(Duration limit, long startNanos) {
        if (limit == null) {
            return NONE;
        }
        if (limit.isNegative() || limit.isZero()) {
            throw new IllegalArgumentException("train.time_limit must be positive, got " + limit);
        }
        return new Deadline(limit, startNanos + limit.toNanos(), System::nanoTime);
    }

    /**
     * A deadline {@code limit} after now on {@code clockNanos}, a trial's own clock in nanoseconds — for a trial trained
     * side by side with others, its share of their time ({@link #NONE} when the limit is null).
     */
    public static Deadline after(Duration limit, LongSupplier clockNanos) {
        if (limit == null) {
            return NONE;
        }
        after(limit, 0L); // the same checks of the limit
        return new Deadline(limit, clockNanos.getAsLong() + limit.toNanos(), clockNanos);
    }

    /** Whether the time is up (never for {@link #NONE}). */
    public boolean passed() {
        return limit != null && clock.getAsLong() - atNanos >= 0;
    }

    /** The {@code message} of a trial stopped by this deadline after {@code steps} updates. */
    public String message(int steps, double lossRatio) {
        return String.format(Locale.ROOT, "time limit %s reached after %d steps (loss at %.3g of loss0)",
                format(limit), steps, lossRatio);
    }

    /** A limit as the config writes it: {@code 30s}, {@code 10m}, {@code 1500ms}. */
    public static String format(Duration d) {
        if (d == null) {
            return "none";
        }
        long ms = d.toMillis();
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }
}

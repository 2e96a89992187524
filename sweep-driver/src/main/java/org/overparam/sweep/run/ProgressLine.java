package org.overparam.sweep.run;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Progress a person can read. On a terminal ({@link Mode#TTY}) one line rewritten in place (at most
 * twice a second): trials done of the total, rate, ETA, failures so far. In a log ({@link Mode#LOG}, no
 * terminal) the same line at most every {@link #LOG_INTERVAL_S} seconds, so a sweep of 10⁶ trials
 * writes a few hundred lines an hour, not one per partition. Milestones (a batch committed, a stage
 * done) always get a line of their own. The clock is a parameter so that the pacing is testable.
 */
public final class ProgressLine {
    /** Seconds between two progress lines in a log. */
    public static final double LOG_INTERVAL_S = 10;
    static final double TTY_INTERVAL_S = 0.5;

    /** Where the line goes: a terminal (rewritten in place) or a log (appended, paced). */
    public enum Mode {
        TTY, LOG;

        /** TTY when this JVM has a terminal (System.console()) and TERM is not {@code dumb}; else LOG. */
        public static Mode detect() {
            return System.console() != null && !"dumb".equals(System.getenv("TERM")) ? TTY : LOG;
        }
    }

    /**
     * Where a sweep stands.
     *
     * @param costFraction share of the sweep's estimated cost done (CostBalancer), for the ETA
     * @param failed trials that diverged or failed so far (known when their batch commits)
     * @param retries Spark task attempts that failed (and were retried) so far
     * @param label the batch or stage, or empty
     */
    public record State(int done, int total, double costFraction, int failed, int retries, String label) {
    }

    private final PrintStream out;
    private final Mode mode;
    private final LongSupplier nanos;
    private final long start;
    private long lastPrint = Long.MIN_VALUE;
    private boolean pendingLine;

    public ProgressLine(PrintStream out, Mode mode, LongSupplier nanos) {
        this.out = out;
        this.mode = mode;
        this.nanos = nanos;
        this.start = nanos.getAsLong();
    }

    /** Prints {@code s} if the pacing allows (TTY: in place, LOG: a new line at most every 10 s). */
    public synchronized void update(State s) {
        long now = nanos.getAsLong();
        double interval = mode == Mode.TTY ? TTY_INTERVAL_S : LOG_INTERVAL_S;
        if (lastPrint != Long.MIN_VALUE && (now - lastPrint) / 1e9 < interval && s.done() < s.total()) {
            return;
        }
        lastPrint = now;
        String line = format(s, (now - start) / 1e9);
        if (mode == Mode.TTY) {
            out.print("\r\033[K" + line);
            pendingLine = true;
        } else {
            out.println(line);
        }
        out.flush();
    }

    /** A line that always prints: {@code event} (e.g. "batch 2/8 committed") with the state. */
    public synchronized void milestone(String event, State s) {
        long now = nanos.getAsLong();
        String line = format(s, (now - start) / 1e9) + " · " + event;
        out.print(mode == Mode.TTY ? "\r\033[K" + line + "\n" : line + "\n");
        pendingLine = false;
        lastPrint = now;
        out.flush();
    }

    /** Ends an in-place line (so that what follows starts on a line of its own). */
    public synchronized void finish() {
        if (pendingLine) {
            out.println();
            pendingLine = false;
            out.flush();
        }
    }

    /** "  120/176 trials (68%) · 4.1 trials/s · ETA 0:13 · 0 failed · elapsed 0:29 · batch 1/2". */
    static String format(State s, double elapsed) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "  %,d/%,d trials (%.0f%%)", s.done(), s.total(),
                100.0 * s.done() / Math.max(1, s.total())));
        double rate = elapsed > 0 ? s.done() / elapsed : 0;
        b.append(" · ").append(s.done() == 0 ? "– trials/s"
                : rate >= 1 ? String.format(Locale.ROOT, "%.1f trials/s", rate)
                : String.format(Locale.ROOT, "%.1f trials/min", rate * 60));
        double f = Math.min(1, s.costFraction());
        b.append(" · ETA ").append(f > 0 ? clock(elapsed * (1 - f) / f) : "?");
        b.append(" · ").append(s.failed()).append(" failed");
        if (s.retries() > 0) {
            b.append(", ").append(s.retries()).append(" task retries");
        }
        b.append(" · elapsed ").append(clock(elapsed));
        if (!s.label().isEmpty()) {
            b.append(" · ").append(s.label());
        }
        return b.toString();
    }

    /** m:ss, or h:mm:ss from an hour on. */
    public static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600
                ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}

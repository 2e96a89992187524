package org.overparam.sweep.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Pacing and content of the progress line, on a clock the test advances (no sleeping). */
class ProgressLineTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private void advance(double seconds) {
        now.addAndGet((long) (seconds * 1e9));
    }

    private String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aLogGetsALineAtMostEveryTenSecondsAndOneAtEachMilestone() {
        ProgressLine line = new ProgressLine(out, ProgressLine.Mode.LOG, now::get);
        // 1,000 partitions finishing 0.1 s apart: 100 s of updates.
        for (int i = 1; i <= 1000; i++) {
            advance(0.1);
            line.update(new ProgressLine.State(i, 2000, i / 2000.0, 0, 0, "batch 1/2"));
        }
        line.milestone("batch 1/2 committed", new ProgressLine.State(1000, 2000, 0.5, 3, 0, "batch 1/2"));
        String[] lines = text().split("\n");
        // the first update, then one per 10 s of the 100 s, then the milestone
        assertTrue(lines.length >= 10 && lines.length <= 12, lines.length + " lines:\n" + text());
        assertTrue(lines[lines.length - 1].endsWith("batch 1/2 committed"), lines[lines.length - 1]);
        assertTrue(lines[lines.length - 1].contains("3 failed"), lines[lines.length - 1]);
        assertTrue(!text().contains("\r"), "no carriage returns in a log");
    }

    @Test
    void theLastTrialAlwaysPrints() {
        ProgressLine line = new ProgressLine(out, ProgressLine.Mode.LOG, now::get);
        line.update(new ProgressLine.State(1, 2, 0.5, 0, 0, ""));
        advance(1);
        line.update(new ProgressLine.State(2, 2, 1.0, 0, 0, ""));
        assertEquals(2, text().split("\n").length, text());
        assertTrue(text().contains("2/2 trials (100%)"), text());
    }

    @Test
    void aTerminalLineIsRewrittenInPlaceAndEndedByAMilestone() {
        ProgressLine line = new ProgressLine(out, ProgressLine.Mode.TTY, now::get);
        for (int i = 1; i <= 50; i++) {
            advance(0.2);
            line.update(new ProgressLine.State(i, 100, i / 100.0, 0, 0, ""));
        }
        String t = text();
        assertTrue(!t.contains("\n"), "one line until a milestone");
        long rewrites = t.chars().filter(c -> c == '\r').count();
        assertTrue(rewrites >= 15 && rewrites <= 26, rewrites + " rewrites in 10 s (at most 2 a second)");
        line.finish();
        assertTrue(text().endsWith("\n"), "finish ends the line");
    }

    @Test
    void rateEtaAndFailuresAreStated() {
        // 30 of 120 trials in 60 s, a quarter of the cost: 0.5 trials/s, 3 minutes to go.
        String s = ProgressLine.format(new ProgressLine.State(30, 120, 0.25, 2, 1, "stage 2"), 60);
        assertEquals("  30/120 trials (25%) · 30.0 trials/min · ETA 3:00 · 2 failed, 1 task retries · elapsed 1:00 · stage 2", s);
        String fast = ProgressLine.format(new ProgressLine.State(5000, 1_000_000, 0.004, 0, 0, ""), 1000);
        assertEquals("  5,000/1,000,000 trials (1%) · 5.0 trials/s · ETA 69:10:00 · 0 failed · elapsed 16:40", fast);
    }
}

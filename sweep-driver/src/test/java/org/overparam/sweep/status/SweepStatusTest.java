package org.overparam.sweep.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.overparam.sweep.config.ConfigException;
import org.overparam.sweep.grid.SweepPlan;
import org.overparam.sweep.run.ProgressLine;
import org.overparam.sweep.run.SparkTestSupport;
import org.overparam.sweep.run.SweepRunner;
import org.overparam.sweep.search.WidthSearch;

/**
 * {@code status} on real sweeps: one read while its driver is between two batches (the runner's log
 * holds it there, so the read is concurrent and deterministic), one whose driver died after two of
 * four batches (its later batches' files gone, a staging folder left), a finished one, and a width
 * search stopped after its first stage and finished.
 */
class SweepStatusTest {
    private static final String GRID = """
            name: status-grid
            model: wn
            data: {kind: sphere, target: gaussian}
            grid:
              alpha: [1.0]
              m: [4, 16]
              n: [10, 20]
              d: [6]
              eta: [0.5]
            seeds: 4
            train: {steps: 400, tolerance: 1.0e-4}
            """;
    private static final String SEARCH = """
            name: status-search
            model: wn
            data: {kind: sphere, target: gaussian}
            grid:
              alpha: [1.0]
              n: [10, 40]
              d: [6]
              eta: [0.5]
            search: {m: bisect, lo: 4, hi: 64, resolution: 1.5, ladder: 0}
            seeds: 2
            train: {steps: 3000, tolerance: 1.0e-4}
            thresholds: {delta: 0.1}
            """;
    private static SparkSession spark;
    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() {
        spark = SparkTestSupport.session("local[2]");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static SweepStatus.Report status(Path dir) throws Exception {
        return new SweepStatus(spark, WriterProbe.NONE).of(dir.toString());
    }

    private static long sum(SweepStatus.Report r) {
        return r.statuses().values().stream().mapToLong(Long::longValue).sum();
    }

    /** A log that, when the runner reports {@code event}, signals {@code reached} and waits for {@code release}. */
    private static PrintStream holdingAt(String event, CountDownLatch reached, CountDownLatch release) {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        return new PrintStream(new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                seen.write(b);
                if (b == '\n' && seen.toString(StandardCharsets.UTF_8).endsWith(event + "\n")) {
                    reached.countDown();
                    try {
                        release.await(5, TimeUnit.MINUTES);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        }, true, StandardCharsets.UTF_8);
    }

    @Test
    void runningThenFinished() throws Exception {
        SweepPlan plan = SparkTestSupport.plan(GRID);
        Path out = tmp.resolve("running");
        CountDownLatch reached = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        PrintStream log = holdingAt("batch 2/4 committed", reached, release);
        CompletableFuture<SweepRunner.Outcome> run = CompletableFuture.supplyAsync(() -> {
            try {
                return new SweepRunner(spark, log, ProgressLine.Mode.LOG).run(plan, new SweepRunner.Options(out.toString(), false, 4, 3));
            } catch (ConfigException e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            assertTrue(reached.await(5, TimeUnit.MINUTES), "the runner committed two batches");
            SweepStatus.Report r = status(out);
            assertEquals(16, r.planned());
            assertEquals(8, r.committed(), "two batches of 4 committed while the driver runs");
            assertEquals(8, sum(r));
            assertFalse(r.finished());
            assertTrue(r.etaS() > 0 && Double.isFinite(r.etaS()), "an ETA: " + r.etaS());
            assertEquals(WriterProbe.Writer.State.UNKNOWN, r.writer().state());
            assertTrue(StatusFormat.format(r).contains("trials committed: 8 / 16 planned (50%)"), StatusFormat.format(r));
            // report works on the running sweep too, from its committed batches
            new org.overparam.sweep.analysis.Aggregation(spark, out.toString()).run(new org.overparam.sweep.config.ThresholdSettings(0.25, 20));
            new org.overparam.sweep.report.ReportWriter(spark, out.toString()).write();
            String html = Files.readString(out.resolve("report/index.html"));
            assertTrue(html.contains("<b>8 trials</b> of 16 planned"), "the report says what is committed so far");
            assertTrue(html.contains("id=\"threshold-table\""), "with the threshold table");
        } finally {
            release.countDown();
        }
        assertEquals(16, run.get(5, TimeUnit.MINUTES).ran());
        SweepStatus.Report done = status(out);
        assertEquals(16, done.committed());
        assertTrue(done.finished());
        assertEquals(0.0, done.etaS());
        assertTrue(StatusFormat.format(done).contains(": finished"), StatusFormat.format(done));
    }

    @Test
    void killedAfterTwoOfFourBatches() throws Exception {
        SweepPlan plan = SparkTestSupport.plan(GRID);
        Path out = tmp.resolve("killed");
        SparkTestSupport.run(spark, plan, out, false, 4);
        // What a driver killed during its third batch leaves: two batches' files, a staging folder.
        List<String> tags;
        try (Stream<Path> files = Files.list(out.resolve("trials"))) {
            tags = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".parquet"))
                    .map(n -> n.substring(0, n.indexOf("-part-"))).sorted().toList();
        }
        assertEquals(4, tags.size(), tags.toString());
        for (String table : List.of("trials", "curves")) {
            try (Stream<Path> files = Files.list(out.resolve(table))) {
                for (Path f : files.toList()) {
                    String name = f.getFileName().toString();
                    if (name.startsWith(tags.get(2)) || name.startsWith(tags.get(3))
                            || name.startsWith("." + tags.get(2)) || name.startsWith("." + tags.get(3))) {
                        Files.delete(f);
                    }
                }
            }
        }
        Files.createDirectories(out.resolve("_staging").resolve(tags.get(2)).resolve("trials"));
        SweepStatus.Report r = status(out);
        assertEquals(8, r.committed());
        assertEquals(16, r.planned());
        assertFalse(r.finished());
        assertTrue(r.etaS() > 0 && Double.isFinite(r.etaS()), "an ETA: " + r.etaS());
        assertTrue(StatusFormat.format(r).contains("running, or stopped"), StatusFormat.format(r));
    }

    @Test
    void searchStoppedAfterItsFirstStageThenFinished() throws Exception {
        SweepPlan plan = SparkTestSupport.plan(SEARCH);
        Path out = tmp.resolve("search");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream p = new PrintStream(log, true, StandardCharsets.UTF_8);
        SweepRunner runner = new SweepRunner(spark, p, ProgressLine.Mode.LOG);
        SweepRunner.Options options = new SweepRunner.Options(out.toString(), false, 512, 3);
        runner.run(plan, options); // stage 1 only, as a driver killed before stage 2
        SweepStatus.Report first = status(out);
        assertTrue(first.search());
        assertEquals(2, first.groups().size());
        assertEquals(plan.trials().size(), first.committed());
        assertTrue(first.groups().stream().anyMatch(SweepStatus.Group::open), StatusFormat.format(first));
        assertFalse(first.finished(), StatusFormat.format(first));
        assertTrue(first.etaS() > 0, StatusFormat.format(first));

        WidthSearch.of(plan.config().widths(), spark, runner, p).run(plan, new SweepRunner.Options(out.toString(), true, 512, 3));
        SweepStatus.Report done = status(out);
        assertTrue(done.committed() > first.committed());
        assertTrue(done.groups().stream().noneMatch(SweepStatus.Group::open), StatusFormat.format(done));
        assertTrue(done.finished(), StatusFormat.format(done));
        for (SweepStatus.Group g : done.groups()) {
            assertTrue(g.bracket().isBracketed(), g.toString());
            assertTrue((double) g.bracket().succeeding() / g.bracket().failing() <= 1.5 || g.bracket().succeeding() - g.bracket().failing() <= 1,
                    "bracket within the resolution: " + g);
        }
    }

    @Test
    void aFolderWithoutAManifestIsBadInput() {
        ConfigException e = assertThrows(ConfigException.class, () -> status(tmp.resolve("nothing-here")));
        assertTrue(e.getMessage().contains("not a sweep output"), e.getMessage());
    }
}

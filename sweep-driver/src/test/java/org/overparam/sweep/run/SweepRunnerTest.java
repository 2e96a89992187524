package org.overparam.sweep.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.overparam.sweep.config.ConfigException;
import org.overparam.sweep.grid.SweepPlan;
import org.overparam.sweep.tables.TrialTables;
import org.overparam.trainer.data.DataSource;
import org.overparam.trainer.data.Dataset;
import org.overparam.trainer.trial.TrialSpec;

/**
 * End to end on a real local Spark: tables read back, one row per trial, statuses, curves, trials
 * that throw or cannot fit recorded as failed beside the others, and a resumed sweep equal to an
 * uninterrupted one. (Determinism across masters is in
 * {@link DeterminismTest}, which needs its own sessions.)
 */
class SweepRunnerTest {
    private static SparkSession spark;
    private static SweepPlan plan;
    @TempDir
    static Path tmp;
    private static Path reference;

    @BeforeAll
    static void runReference() throws Exception {
        spark = SparkTestSupport.session("local[2]");
        plan = SparkTestSupport.plan(SparkTestSupport.SMALL_SWEEP);
        reference = tmp.resolve("reference");
        SparkTestSupport.run(spark, plan, reference, false, 512);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void trialsTableHasOneRowPerPlannedTrialWithTheDocumentedSchema() {
        List<Row> rows = SparkTestSupport.trials(spark, reference).collectAsList();
        assertEquals(24, plan.trials().size(), "(2 alphas of wn + relu) x 2 widths x 2 etas x 2 seeds");
        assertEquals(plan.trials().size(), rows.size());
        Set<String> ids = rows.stream().map(r -> r.<String>getAs("trial_id")).collect(Collectors.toSet());
        assertEquals(plan.trials().stream().map(TrialSpec::id).collect(Collectors.toSet()), ids);
        assertEquals(Arrays.asList(TrialTables.TRIALS.fieldNames()),
                Arrays.asList(SparkTestSupport.trials(spark, reference).schema().fieldNames()));
        for (Row r : rows) {
            assertEquals("small", r.getAs("sweep"));
            assertEquals("cpu", r.getAs("backend"));
            String model = r.getAs("model");
            assertEquals(model.equals("relu"), r.isNullAt(r.fieldIndex("alpha")), "alpha is null exactly for relu");
        }
    }

    @Test
    void statusesFollowTheStopRule() {
        for (Row r : SparkTestSupport.trials(spark, reference).collectAsList()) {
            String status = r.getAs("status");
            double eta = r.getAs("eta");
            double loss0 = r.getAs("loss0");
            int steps = r.getAs("steps");
            switch (status) {
                case "converged" -> {
                    assertTrue((double) r.getAs("loss_final") <= 1e-6 * loss0, "converged means loss <= tol * loss0");
                    assertNull(r.getAs("message"));
                    assertTrue((double) r.getAs("rate") > 0, "a converging run has a positive fitted rate");
                }
                case "diverged" -> {
                    assertEquals(300.0, eta, "only the huge step size diverges");
                    assertNotNull(r.getAs("message"));
                    assertTrue(steps < 400);
                }
                case "censored" -> assertEquals(400, steps);
                default -> throw new AssertionError("unexpected status " + status + " for " + r);
            }
        }
        long diverged = SparkTestSupport.trials(spark, reference).filter("status = 'diverged'").count();
        long convergedSmallEta = SparkTestSupport.trials(spark, reference).filter("status = 'converged' and eta = 0.5").count();
        assertTrue(diverged >= 6, "eta = 300 is far beyond 2/lambda_max: most of those 12 trials must blow up, got " + diverged);
        assertEquals(12, convergedSmallEta, "n = 10 points in d = 20 are fitted by every net at eta = 0.5");
    }

    @Test
    void curvesStartAtLoss0AndEndAtTheLastStep() {
        Map<String, Row> trials = new HashMap<>();
        for (Row r : SparkTestSupport.trials(spark, reference).collectAsList()) {
            trials.put(r.getAs("trial_id"), r);
        }
        Map<String, List<Row>> byTrial = SparkTestSupport.sortedCurves(spark, reference).stream()
                .collect(Collectors.groupingBy(r -> r.getAs("trial_id")));
        assertEquals(trials.keySet(), byTrial.keySet());
        for (Map.Entry<String, List<Row>> e : byTrial.entrySet()) {
            Row t = trials.get(e.getKey());
            List<Row> curve = e.getValue();
            assertEquals(0, (int) curve.get(0).getAs("step"));
            assertEquals((double) t.getAs("loss0"), (double) curve.get(0).getAs("loss"));
            Row last = curve.get(curve.size() - 1);
            assertEquals((int) t.getAs("steps"), (int) last.getAs("step"));
            if (!t.isNullAt(t.fieldIndex("loss_final"))) {
                assertEquals((double) t.getAs("loss_final"), (double) last.getAs("loss"));
            }
            Set<Integer> steps = new HashSet<>();
            curve.forEach(r -> assertTrue(steps.add(r.getAs("step")), "steps are unique"));
        }
    }

    @Test
    void resumedSweepEqualsTheUninterruptedOne() throws Exception {
        Path out = tmp.resolve("interrupted");
        String log = SparkTestSupport.run(spark, plan, out, false, 7);
        assertTrue(log.contains("batch 4/4"), "24 trials in batches of 7 make 4 batches:\n" + log);
        // Simulate a driver killed in the middle of committing the last batches: their trials files
        // never landed (the commit point), their curves did, and a staging folder is left behind.
        List<Path> trialFiles = parquetFiles(out.resolve("trials"));
        assertEquals(4, trialFiles.size());
        for (Path p : trialFiles.subList(2, 4)) {
            Files.delete(p);
        }
        Files.createDirectories(out.resolve("_staging/r0-b00009/trials"));
        Files.writeString(out.resolve("_staging/r0-b00009/trials/part-00000.parquet"), "half-written");
        long partial = SparkTestSupport.trials(spark, out).count();
        assertEquals(14, partial, "two committed batches of 7");

        String resumed = SparkTestSupport.run(spark, plan, out, true, 7);
        assertTrue(resumed.contains("resuming: " + partial + " of 24 trials already done"), resumed);
        assertEquals(SparkTestSupport.comparableTrials(spark, reference), SparkTestSupport.comparableTrials(spark, out));
        assertEquals(SparkTestSupport.sortedCurves(spark, reference), SparkTestSupport.sortedCurves(spark, out),
                "orphaned curves of uncommitted batches are removed, none duplicated");
        assertFalse(Files.exists(out.resolve("_staging")));

        String again = SparkTestSupport.run(spark, plan, out, true, 7);
        assertTrue(again.contains("resuming: 24 of 24 trials already done, 0 to run"), again);
    }

    /** The sweep's data, except that loading {@code n = badN} examples throws, as a broken source would. */
    private record ThrowingFor(DataSource inner, int badN) implements DataSource {
        @Override
        public Dataset load(int n, int d) {
            if (n == badN) {
                throw new IllegalStateException("injected fault: no data for n=" + n);
            }
            return inner.load(n, d);
        }

        @Override
        public String identity() {
            return inner.identity();
        }
    }

    @Test
    void trialsThatThrowOrNeedMoreHeapThanTheExecutorAreRecordedAndTheOthersFinish() throws Exception {
        SweepPlan sweep = SparkTestSupport.plan("""
                name: faults
                model: relu
                data: {kind: sphere, target: sign}
                grid: {m: [8, 16, 1000000000], n: [6, 7], d: [5], eta: [0.5]}
                seeds: 2
                train: {steps: 50, tolerance: 1.0e-6}
                """);
        // In the executors, mid-sweep: trials with n = 7 throw; m = 1e9 needs ~50 GiB of heap.
        SweepPlan faulty = new SweepPlan(sweep.config(), new ThrowingFor(sweep.data(), 7), sweep.trials(), sweep.fingerprint());
        Path out = tmp.resolve("faults");
        String log = SparkTestSupport.run(spark, faulty, out, false, 4);
        assertTrue(log.contains("batch 3/3"), log);

        List<Row> rows = SparkTestSupport.trials(spark, out).collectAsList();
        assertEquals(12, rows.size());
        assertEquals(sweep.trials().stream().map(TrialSpec::id).collect(Collectors.toSet()),
                rows.stream().map(r -> r.<String>getAs("trial_id")).collect(Collectors.toSet()));
        Set<String> withCurves = SparkTestSupport.curves(spark, out).select("trial_id").distinct().collectAsList()
                .stream().map(r -> r.getString(0)).collect(Collectors.toSet());
        for (Row r : rows) {
            int m = r.getAs("m");
            int n = r.getAs("n");
            String status = r.getAs("status");
            String message = r.getAs("message");
            String id = r.getAs("trial_id");
            if (m == 1_000_000_000) {
                assertEquals("failed", status, r.toString());
                assertTrue(message.matches("needs \\S+ GiB of heap, the executor has \\S+ GiB max .*"), message);
            } else if (n == 7) {
                assertEquals("failed", status, r.toString());
                assertEquals("IllegalStateException: injected fault: no data for n=7", message);
            } else {
                assertTrue(status.equals("converged") || status.equals("censored"), r.toString());
                assertTrue((int) r.getAs("steps") > 0, r.toString());
            }
            assertEquals(!status.equals("failed"), withCurves.contains(id), "a curve exactly for the trials that trained: " + r);
        }
    }

    @Test
    void refusesToResumeAnOutputOfADifferentConfig() throws Exception {
        SweepPlan other = SparkTestSupport.plan(SparkTestSupport.SMALL_SWEEP.replace("m: [16, 128]", "m: [16, 64]"));
        ConfigException e = assertThrows(ConfigException.class,
                () -> SparkTestSupport.run(spark, other, reference, true, 512));
        assertEquals("--resume", e.key());
        assertTrue(e.getMessage().contains("different config"), e.getMessage());
    }

    @Test
    void refusesToWriteIntoANonEmptyFolderWithoutResume() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> SparkTestSupport.run(spark, plan, reference, false, 512));
        assertEquals("--out", e.key());
    }

    private static List<Path> parquetFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".parquet")).sorted().toList();
        }
    }
}

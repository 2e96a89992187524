package org.overparam.sweep.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.overparam.sweep.analysis.ThresholdTable;
import org.overparam.sweep.config.ThresholdSettings;
import org.overparam.sweep.grid.SweepPlan;

/**
 * {@code train.time_limit} end to end: a trial that would train for minutes (a width-2 net that cannot fit
 * its 64 examples, with a budget of 10⁸ steps and a tiny tolerance) hits its 2-second limit, is run once more
 * at once with 4× the limit (the time limit is a safety net, not data) and ends {@code timeout} within a few
 * seconds of that, with its steps and curve so far, beside a trial that diverges at once; thresholds count the
 * timeout as no evidence; and {@code --retry timeout} reruns exactly it, replacing its rows.
 */
class TimeLimitSweepTest {
    private static final String SWEEP = """
            name: limited
            model: relu
            data: {kind: sphere, target: sign}
            grid: {m: [2], n: [64], d: [32], eta: [0.5, 1000]}
            seeds: 1
            train: {steps: 100000000, tolerance: 1.0e-6, time_limit: 2s, stuck_horizon: 0}
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

    @Test
    void aSlowTrialEndsTimeoutAndRetryRerunsOnlyIt() throws Exception {
        SweepPlan plan = SparkTestSupport.plan(SWEEP);
        Path out = tmp.resolve("out");
        long t0 = System.nanoTime();
        SparkTestSupport.run(spark, plan, out, false, 512);
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, Row> first = byId(out);
        assertEquals(2, first.size());
        Row slow = first.values().stream().filter(r -> r.<Double>getAs("eta") == 0.5).findFirst().orElseThrow();
        Row fast = first.values().stream().filter(r -> r.<Double>getAs("eta") == 1000).findFirst().orElseThrow();
        assertEquals("timeout", slow.getAs("status"), String.valueOf(slow));
        assertEquals("diverged", fast.getAs("status"), String.valueOf(fast));
        int steps = slow.getAs("steps");
        assertTrue(steps > 0 && steps < 100_000_000, "steps so far: " + steps);
        long wall = slow.getAs("wall_ms");
        assertTrue(wall >= 8000 && wall < 14000, "run again, stopped within seconds of 4 × its 2 s limit: " + wall + " ms");
        assertTrue(((String) slow.getAs("message")).contains("time limit 8s reached after " + steps + " steps"), (String) slow.getAs("message"));
        assertTrue(seconds < 120, "the sweep did not wait for the slow trial: " + seconds + " s");
        List<Row> curve = SparkTestSupport.curves(spark, out).filter("trial_id = '" + slow.getAs("trial_id") + "'")
                .orderBy("step").collectAsList();
        assertTrue(curve.size() > 5, "its curve so far");
        assertEquals(steps, (int) curve.get(curve.size() - 1).<Integer>getAs("step"));

        // Thresholds: the timeout is neither a success nor a failure of its width: its group (η = 0.5) has no
        // evidence and no row; the diverged trial is no evidence about the width either (the step is unstable):
        // its group (η = 1000) has one row that says so, with no seed counted.
        List<Row> thresholds = ThresholdTable.of(SparkTestSupport.trials(spark, out), ThresholdSettings.DEFAULT).collectAsList();
        assertEquals(List.of(1000.0), thresholds.stream().map(r -> r.<Double>getAs("eta")).toList());
        assertEquals(0, (int) thresholds.get(0).<Integer>getAs("seeds"));
        assertEquals(1, (int) thresholds.get(0).<Integer>getAs("diverged"));
        assertEquals("diverged", thresholds.get(0).getAs("m_star_status"));

        // --retry timeout: exactly the timed-out trial runs again; its row is replaced, no second row appears.
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        new SweepRunner(spark, new PrintStream(log, true, StandardCharsets.UTF_8))
                .run(plan, new SweepRunner.Options(out.toString(), true, 512, 3, Set.of("timeout")));
        String said = log.toString(StandardCharsets.UTF_8);
        assertTrue(said.contains("1 of 2 trials already done, 1 to run (1 retried with status timeout"), said);
        assertTrue(said.contains("1 trials hit the time limit (2s): running them again with 8s"), said);
        Map<String, Row> second = byId(out);
        assertEquals(2, SparkTestSupport.trials(spark, out).count(), "one row per trial");
        assertEquals(first.keySet(), second.keySet());
        assertEquals(fast, second.get(fast.<String>getAs("trial_id")), "the diverged trial was not rerun");
        Row rerun = second.get(slow.<String>getAs("trial_id"));
        assertEquals("timeout", rerun.getAs("status"));
        assertNotEquals(slow, rerun, "the timed-out trial's row was replaced by its rerun");
        long curveRows = SparkTestSupport.curves(spark, out).count();
        long distinctCurveRows = SparkTestSupport.curves(spark, out).select("trial_id", "step").distinct().count();
        assertEquals(distinctCurveRows, curveRows, "one curve row per (trial, step)");
        assertEquals(rerun.<Integer>getAs("steps"), SparkTestSupport.curves(spark, out)
                .filter("trial_id = '" + slow.getAs("trial_id") + "'").agg(org.apache.spark.sql.functions.max("step")).first().get(0));
    }

    private static Map<String, Row> byId(Path out) {
        return SparkTestSupport.trials(spark, out).collectAsList().stream()
                .collect(Collectors.toMap(r -> r.getAs("trial_id"), r -> r));
    }
}

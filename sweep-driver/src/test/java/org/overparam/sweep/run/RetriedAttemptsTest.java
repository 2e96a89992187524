package org.overparam.sweep.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.overparam.sweep.grid.SweepPlan;
import org.overparam.trainer.data.DataSource;
import org.overparam.trainer.data.Dataset;

/**
 * Why a retried (or speculative) task attempt can never leave two rows: trials are pure functions, the
 * driver keeps one result per partition (Spark's task-result protocol: later attempts of a finished
 * partition are discarded), and the driver alone commits a batch. Here the first attempt of every task
 * that trains an {@code n = 7} trial dies (an {@link Error} escapes the trainer, as a killed executor's
 * task would end), Spark reruns it ({@code local[2,4]}: up to 4 attempts), and the tables hold exactly one
 * row per trial, equal to a run without faults.
 */
class RetriedAttemptsTest {
    private static SparkSession spark;
    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() {
        spark = SparkTestSupport.session("local[2,4]");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** The sweep's data, except that the first attempt of a task loading {@code n = dieN} examples dies. */
    private record FirstAttemptDies(DataSource inner, int dieN) implements DataSource {
        @Override
        public Dataset load(int n, int d) {
            TaskContext task = TaskContext.get();
            if (n == dieN && task != null && task.attemptNumber() == 0) {
                throw new Error("injected: the first attempt of task " + task.partitionId() + " dies");
            }
            return inner.load(n, d);
        }

        @Override
        public String identity() {
            return inner.identity();
        }
    }

    @Test
    void retriedAttemptsLeaveOneRowPerTrial() throws Exception {
        SweepPlan sweep = SparkTestSupport.plan("""
                name: retried
                model: relu
                data: {kind: sphere, target: sign}
                grid: {m: [8, 16], n: [6, 7], d: [5], eta: [0.5]}
                seeds: 3
                train: {steps: 100, tolerance: 1.0e-6}
                """);
        Path reference = tmp.resolve("reference");
        SparkTestSupport.run(spark, sweep, reference, false, 4);
        SweepPlan faulty = new SweepPlan(sweep.config(), new FirstAttemptDies(sweep.data(), 7), sweep.trials(), sweep.fingerprint());
        Path out = tmp.resolve("retried");
        java.util.concurrent.atomic.AtomicInteger failedAttempts = new java.util.concurrent.atomic.AtomicInteger();
        org.apache.spark.scheduler.SparkListener counter = new org.apache.spark.scheduler.SparkListener() {
            @Override
            public void onTaskEnd(org.apache.spark.scheduler.SparkListenerTaskEnd event) {
                if (event.reason() != org.apache.spark.Success$.MODULE$) {
                    failedAttempts.incrementAndGet();
                }
            }
        };
        spark.sparkContext().addSparkListener(counter);
        try {
            SparkTestSupport.run(spark, faulty, out, false, 4);
        } finally {
            spark.sparkContext().removeSparkListener(counter);
        }
        assertTrue(failedAttempts.get() > 0, "first attempts died and were retried");
        List<Row> rows = SparkTestSupport.trials(spark, out).collectAsList();
        assertEquals(12, rows.size());
        assertEquals(12, rows.stream().map(r -> r.<String>getAs("trial_id")).distinct().count(), "one row per trial");
        assertTrue(rows.stream().noneMatch(r -> "failed".equals(r.getAs("status"))), "the retried attempts trained them");
        assertEquals(SparkTestSupport.comparableTrials(spark, reference), SparkTestSupport.comparableTrials(spark, out));
        assertEquals(SparkTestSupport.sortedCurves(spark, reference), SparkTestSupport.sortedCurves(spark, out));
    }
}

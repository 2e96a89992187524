package org.overparam.sweep.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.overparam.sweep.grid.SweepPlan;
import org.overparam.sweep.tables.TrialStatuses;

/**
 * The dynamics columns and statuses of issue 26 end to end: a width-2 relu trial stops {@code stuck} at step 1024
 * with its evidence, a huge step {@code diverged} naming its step, every row carries the tolerance ladder, PL ratio,
 * log-slope and {@code unfitted} (curves too), {@code --retry stuck} reruns exactly the stuck trial, and readers
 * take the legacy {@code max_steps} for {@code censored}.
 */
class DynamicsSweepTest {
    private static final String SWEEP = """
            name: dynamics
            model: relu
            data: {kind: sphere, target: sign}
            grid: {m: [2, 256], n: [64], d: [32], eta: [0.5, 1000]}
            seeds: 1
            train: {steps: 3000, tolerance: 1.0e-6}
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
    void rowsCarryTheDynamicsAndTheNewStatuses() throws Exception {
        SweepPlan plan = SparkTestSupport.plan(SWEEP);
        Path out = tmp.resolve("out");
        SparkTestSupport.run(spark, plan, out, false, 512);
        Map<String, Row> rows = SparkTestSupport.trials(spark, out).collectAsList().stream()
                .collect(Collectors.toMap(r -> r.<Integer>getAs("m") + "/" + r.<Double>getAs("eta"), r -> r));
        Row stuck = rows.get("2/0.5");
        assertEquals("stuck", stuck.getAs("status"), String.valueOf(stuck));
        assertEquals(1024, (int) stuck.<Integer>getAs("steps"));
        assertTrue(stuck.<String>getAs("message").startsWith("stuck at step 1024: loss at "), stuck.<String>getAs("message"));
        Row diverged = rows.get("2/1000.0");
        assertEquals("diverged", diverged.getAs("status"));
        assertTrue(diverged.<String>getAs("message").endsWith("with step 1000 (eta 1000, eta_per none): the step is unstable here, not the width"),
                diverged.<String>getAs("message"));
        Row wide = rows.get("256/0.5");
        assertEquals("converged", wide.getAs("status"), String.valueOf(wide));
        for (Row r : rows.values()) {
            assertEquals("mse", r.getAs("loss"));
            assertEquals(32, (int) r.<Integer>getAs("stuck_horizon"));
            List<Double> levels = r.getList(r.fieldIndex("hit_tolerance"));
            assertEquals(List.of(1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6), levels);
            List<Integer> hits = r.getList(r.fieldIndex("hit_step"));
            assertEquals(levels.size(), hits.size());
            assertNotNull(r.getAs("unfitted"), String.valueOf(r));
        }
        List<Integer> wideHits = wide.getList(wide.fieldIndex("hit_step"));
        assertEquals(wide.<Integer>getAs("steps"), wideHits.get(wideHits.size() - 1), "converged at its hitting step of the tolerance");
        assertNull(wide.getAs("projected_steps"), "none for a converged trial");
        assertTrue(wide.<Double>getAs("log_slope") < 0);
        int unfitted = wide.getAs("unfitted");
        assertTrue(unfitted >= 0 && unfitted < 64, "converged (Σ within the tolerance) though some points exceed their share: " + unfitted);
        List<Integer> stuckHits = stuck.getList(stuck.fieldIndex("hit_step"));
        assertNull(stuckHits.get(stuckHits.size() - 1), "the stuck trial never reached its tolerance");
        assertNotNull(stuck.getAs("pl_ratio"));
        Dataset<Row> curves = SparkTestSupport.curves(spark, out);
        assertEquals(0, curves.filter("step = 0 and unfitted is null").count(), "unfitted at step 0 of every curve");
        assertEquals(0, curves.filter("unfitted is not null and unfitted < 0").count());

        ByteArrayOutputStream log = new ByteArrayOutputStream();
        new SweepRunner(spark, new PrintStream(log, true, StandardCharsets.UTF_8))
                .run(plan, new SweepRunner.Options(out.toString(), true, 512, 3, Set.of("stuck")));
        String said = log.toString(StandardCharsets.UTF_8);
        assertTrue(said.contains("3 of 4 trials already done, 1 to run (1 retried with status stuck"), said);
        String summary = SweepSummary.format(org.overparam.sweep.tables.DistinctRows.trials(spark, out.resolve("trials").toString(), System.err));
        assertTrue(summary.contains("status: converged 1, diverged 2, stuck 1"), summary);
    }

    @Test
    void readersTakeTheLegacyMaxStepsForCensored() {
        StructType schema = new StructType().add("trial_id", DataTypes.StringType).add("status", DataTypes.StringType);
        Dataset<Row> legacy = spark.createDataFrame(List.of(RowFactory.create("a", "max_steps"), RowFactory.create("b", "converged"),
                RowFactory.create("c", "censored")), schema);
        assertEquals(List.of("censored", "converged", "censored"),
                TrialStatuses.normalized(legacy).orderBy("trial_id").collectAsList().stream().map(r -> r.getString(1)).toList());
        assertEquals("censored", TrialStatuses.normalize("max_steps"));
        assertEquals("stuck", TrialStatuses.normalize("stuck"));
    }
}

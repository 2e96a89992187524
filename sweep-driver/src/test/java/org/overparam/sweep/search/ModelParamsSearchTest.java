package org.overparam.sweep.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.overparam.sweep.analysis.Aggregation;
import org.overparam.sweep.analysis.ModelVariant;
import org.overparam.sweep.config.BisectSettings;
import org.overparam.sweep.grid.SweepPlan;
import org.overparam.sweep.run.SparkTestSupport;

/**
 * A width search over a model with parameters, on local Spark: smooth with two activations at He's init,
 * whose {@code ω2 = √(2/m)} changes with the width. Each activation is its own group and is bisected on
 * its own rows; the trials of later stages carry the activation and He's init at their own width; a
 * resumed search finds every trial committed (the ids of the stages' trials are those a grid of their
 * widths would give).
 */
class ModelParamsSearchTest {
    private static final String SEARCH = """
            name: smooth-search
            model: smooth
            data: {kind: teacher, width: 4}
            grid: {n: [20], d: [3], eta: [0.005], activation: [gelu, tanh]}
            search: {m: bisect, lo: 2, hi: 64, resolution: 1.5, ladder: 0}
            seeds: 3
            train: {steps: 3000, tolerance: 1.0e-2}
            """;
    private static final int D = 3;

    private static SparkSession spark;
    @TempDir
    static Path tmp;
    private static SweepPlan plan;
    private static WidthSearch.Counts outcome;
    private static List<Row> rows;
    private static Aggregation.Tables tables;

    @BeforeAll
    static void search() throws Exception {
        spark = SparkTestSupport.session("local[2]");
        plan = SparkTestSupport.plan(SEARCH);
        outcome = search(false);
        rows = SparkTestSupport.trials(spark, tmp.resolve("out")).collectAsList();
        tables = new Aggregation(spark, tmp.resolve("out").toString()).run(plan.config().thresholds());
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static WidthSearch.Counts search(boolean resume) throws Exception {
        return SparkTestSupport.search(spark, plan, tmp.resolve("out"), resume, 512, 3);
    }

    @Test
    void laterStagesCarryTheActivationAndHeInitAtTheirOwnWidth() {
        List<Integer> coarse = new BisectSettings(2, 64, 1.5).coarseWidths();
        Map<String, Set<Integer>> searchedWidths = new TreeMap<>();
        for (Row r : rows) {
            int m = r.getAs("m");
            assertFalse("failed".equals(r.getAs("status")), r.toString());
            assertEquals(Math.sqrt(2.0 / D), r.<Double>getAs("omega1"), 1e-15, "ω1 of He's init: " + r);
            assertEquals(Math.sqrt(2.0 / m), r.<Double>getAs("omega2"), 1e-15, "ω2 of He's init at m = " + m + ": " + r);
            if (r.<Integer>getAs("stage") > 1) {
                assertFalse(coarse.contains(m), "later stages test new widths: " + r);
                searchedWidths.computeIfAbsent(r.getAs("activation"), k -> new java.util.TreeSet<>()).add(m);
            }
        }
        assertEquals(Set.of("gelu", "tanh"), searchedWidths.keySet(), "both activations bisected: " + searchedWidths);
        assertEquals(rows.size(), rows.stream().map(r -> r.getAs("trial_id")).distinct().count(), "one row per trial id");
    }

    @Test
    void eachActivationIsOneGroupBracketedWithinTheResolution() {
        Map<String, Set<Integer>> widths = rows.stream().collect(Collectors.groupingBy(r -> r.getAs("activation"),
                Collectors.mapping(r -> r.<Integer>getAs("m"), Collectors.toSet())));
        List<Row> groups = tables.thresholds().select(ModelVariant.COLUMN, "widths", "m_fail", "m_succeed", "m_star_status")
                .distinct().collectAsList();
        assertEquals(2, groups.size(), groups.toString());
        for (Row g : groups) {
            String activation = g.getString(0).replaceAll(".*activation=(\\w+).*", "$1");
            assertEquals("d_y=1,activation=" + activation + ",omega=he", g.getString(0));
            assertEquals(widths.get(activation).size(), g.getInt(1), "every tested width of " + activation + " in its group");
            assertEquals("bracketed", g.getString(4), g.toString());
            assertTrue(g.getInt(3) / (double) g.getInt(2) <= 1.5 || g.getInt(3) - g.getInt(2) == 1, g.toString());
        }
    }

    @Test
    void resumedSearchFindsEveryTrialCommitted() throws Exception {
        WidthSearch.Counts again = search(true);
        assertEquals(0, again.ran(), "nothing runs again");
        assertEquals(outcome.stages(), again.stages());
        assertEquals(outcome.planned(), again.planned());
        assertTrue(outcome.stages() >= 2, "at least one bisection stage: " + outcome);
    }
}

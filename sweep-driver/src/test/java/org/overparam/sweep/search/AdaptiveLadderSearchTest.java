package org.overparam.sweep.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.overparam.sweep.analysis.AdaptiveFits;
import org.overparam.sweep.analysis.Aggregation;
import org.overparam.sweep.config.AdaptiveSettings;
import org.overparam.sweep.grid.SweepPlan;
import org.overparam.sweep.run.SparkTestSupport;

/**
 * The budget ladder of a real adaptive search on Spark (wn nets, a budget small enough that the thresholds move
 * with it): after the search at 300 steps, ladder stages at 600 and 1200 steps rerun censored trials — the same
 * trials, whose curves agree bit for bit with the shorter runs over their shared steps — and add designed ones;
 * the aggregation puts each rung's p in {@code scaling} and {@code ladder}; and a ladder stage lost to a kill is
 * rerun exactly, giving the same tables.
 */
class AdaptiveLadderSearchTest {
    private static final String SEARCH = """
            name: ladder
            model: wn
            data: {kind: sphere, target: gaussian, seed: 3}
            grid: {alpha: [1.0], n: [6, 12, 24], d: [4], eta: [0.5]}
            search: {m: adaptive, lo: 2, hi: 64, target: 0.05, max_trials: 32, batch: 16, budget_check: 0, ladder: 2}
            seeds: 8
            train: {steps: 300, tolerance: 1.0e-4}
            thresholds: {delta: 0.25, bootstrap: 0}
            """;

    private static SparkSession spark;
    private static SweepPlan plan;
    @TempDir
    static Path tmp;
    private static Path searched;
    private static WidthSearch.Counts outcome;
    private static Aggregation.Tables tables;
    private static AdaptiveFits.Settings settings;

    @BeforeAll
    static void runSearch() throws Exception {
        spark = SparkTestSupport.session("local[2]");
        plan = SparkTestSupport.plan(SEARCH);
        searched = tmp.resolve("ladder");
        outcome = SparkTestSupport.search(spark, plan, searched, false, 8, 2);
        settings = new AdaptiveFits.Settings((AdaptiveSettings) plan.config().widths(), 300, 0.25);
        tables = new Aggregation(spark, searched.toString()).run(plan.config().thresholds(), settings);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void ladderStagesDoubleTheBudgetAndRerunTheSameTrials() {
        List<Row> rows = SparkTestSupport.trials(spark, searched).collectAsList();
        Map<Integer, Long> byBudget = rows.stream().collect(Collectors.groupingBy(r -> r.<Integer>getAs("max_steps"), TreeMap::new,
                Collectors.counting()));
        assertEquals(List.of(300, 600, 1200), List.copyOf(byBudget.keySet()), "the configured budget, then two doublings: " + byBudget);
        Map<String, Row> base = rows.stream().filter(r -> r.<Integer>getAs("max_steps") == 300)
                .collect(Collectors.toMap(AdaptiveLadderSearchTest::trial, r -> r));
        int reruns = 0;
        for (Row r : rows) {
            Row first = base.get(trial(r));
            if (r.<Integer>getAs("max_steps") == 300 || first == null) {
                continue;
            }
            reruns++;
            assertTrue(!"converged".equals(first.getAs("status")), "only a trial that did not converge is rerun: " + first);
            // Deterministic training: the longer run is the shorter one continued, bit for bit.
            String a = first.getAs("trial_id");
            String b = r.getAs("trial_id");
            List<Row> shared = SparkTestSupport.curves(spark, searched).filter("trial_id in ('" + a + "', '" + b + "') and step <= 300")
                    .groupBy("step").agg(org.apache.spark.sql.functions.collect_set("loss").as("losses"))
                    .filter("size(losses) > 1").collectAsList();
            assertEquals(List.of(), shared, "the rerun's loss equals the first run's at every shared logged step");
        }
        assertTrue(reruns > 0, "the ladder reran censored trials with a larger budget");
    }

    @Test
    void scalingAndTheLadderTableHoldEveryRung() {
        Row fit = tables.scaling().filter("method = 'adaptive'").first();
        List<Integer> budgets = fit.getList(fit.fieldIndex("ladder_budgets"));
        List<Double> ps = fit.getList(fit.fieldIndex("ladder_p"));
        assertEquals(1200, (int) budgets.get(budgets.size() - 1), "the top rung is the largest budget run");
        assertEquals(budgets.size(), ps.size());
        for (int i = 1; i < budgets.size(); i++) {
            assertEquals(2 * budgets.get(i - 1), (int) budgets.get(i), "rungs double");
        }
        boolean converged = fit.getAs("budget_converged");
        assertEquals(converged, !fit.isNullAt(fit.fieldIndex("p_budget")), "a budget-free p exactly when budget-converged");
        assertEquals(converged, fit.isNullAt(fit.fieldIndex("ladder_reason")));
        List<Row> ladder = spark.read().parquet(searched.resolve("ladder").toString()).collectAsList();
        assertEquals(budgets.size() * 3, ladder.size(), "one row per rung and n");
        Map<Integer, Double> pByBudget = ladder.stream().filter(r -> !r.isNullAt(r.fieldIndex("p")))
                .collect(Collectors.toMap(r -> r.<Integer>getAs("budget"), r -> r.<Double>getAs("p"), (x, y) -> x));
        for (int i = 0; i < budgets.size(); i++) {
            if (ps.get(i) != null) {
                assertEquals(ps.get(i), pByBudget.get(budgets.get(i)), "the ladder table's p is scaling's");
            }
        }
    }

    @Test
    void theLivePageShowsEachRungOfTheLadder() throws Exception {
        Row fit = tables.scaling().filter("method = 'adaptive'").first();
        List<Integer> budgets = fit.getList(fit.fieldIndex("ladder_budgets"));
        List<Double> ps = fit.getList(fit.fieldIndex("ladder_p"));
        List<String> rungs = new java.util.ArrayList<>();
        for (int i = 0; i < budgets.size(); i++) {
            rungs.add(budgets.get(i) + ":" + (ps.get(i) == null ? "–" : String.format(java.util.Locale.ROOT, "%.2f", ps.get(i))));
        }
        try (org.overparam.sweep.serve.LiveStatus live = new org.overparam.sweep.serve.LiveStatus(spark.newSession(), searched.toString(),
                new org.overparam.sweep.status.LockProbe(), 600_000)) {
            live.start();
            com.fasterxml.jackson.databind.JsonNode f = new com.fasterxml.jackson.databind.ObjectMapper().readTree(live.json()).get("fits").get(0);
            assertEquals(String.join(" ", rungs), f.get("ladder").asText(), "p at every rung, from the committed trials");
            boolean converged = fit.getAs("budget_converged");
            assertEquals(converged, f.get("budgetConverged").asBoolean());
            assertTrue(f.get("ladderVerdict").asText().startsWith(converged ? "budget-converged from " : "not budget-converged: "),
                    f.get("ladderVerdict").asText());
        }
    }

    @Test
    void aLadderStageLostToAKillRunsAgainExactly() throws Exception {
        Path copy = tmp.resolve("killed");
        copyTree(searched, copy);
        List<Path> lost = list(copy.resolve("trials")).stream()
                .filter(p -> p.getFileName().toString().endsWith(".parquet") && p.getFileName().toString().contains("-s" + outcome.stages() + "-"))
                .toList();
        assertTrue(!lost.isEmpty(), "the last ladder stage's batches");
        long before = SparkTestSupport.trials(spark, copy).count();
        for (Path p : lost) {
            Files.delete(p);
        }
        long lostRows = before - SparkTestSupport.trials(spark, copy).count();
        WidthSearch.Counts resumed = SparkTestSupport.search(spark, plan, copy, true, 8, 2);
        assertEquals(lostRows, resumed.ran(), "only the lost trials run again");
        assertEquals(SparkTestSupport.comparableTrials(spark, searched), SparkTestSupport.comparableTrials(spark, copy));
        Aggregation.Tables again = new Aggregation(spark, copy.toString()).run(plan.config().thresholds(), settings);
        assertEquals(sorted(tables.scaling()), sorted(again.scaling()));
        assertArrayEquals(sorted(spark.read().parquet(searched.resolve("ladder").toString())).toArray(),
                sorted(spark.read().parquet(copy.resolve("ladder").toString())).toArray());
    }

    private static String trial(Row r) {
        return r.getAs("n") + "|" + r.getAs("m") + "|" + r.getAs("seed");
    }

    private static List<String> sorted(org.apache.spark.sql.Dataset<Row> table) {
        return table.collectAsList().stream().map(Row::toString).sorted().toList();
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}

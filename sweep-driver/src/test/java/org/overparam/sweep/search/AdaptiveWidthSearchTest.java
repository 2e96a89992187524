package org.overparam.sweep.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
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
 * A real adaptive search on local Spark: the stages' trials (no trial twice, the k-th repeat of a point at
 * the k-th seed, batches of the configured size, the budget check at k × the steps), the joint fit in
 * {@code scaling} and the model thresholds in {@code thresholds}, and a search resumed after losing its
 * uncommitted batches (what a kill leaves) that runs only the lost trials and gives the same tables.
 */
class AdaptiveWidthSearchTest {
    private static final String SEARCH = """
            name: adaptive
            model: wn
            data: {kind: sphere, target: gaussian}
            grid: {alpha: [1.0], n: [6, 12, 24], d: [4], eta: [0.5]}
            search: {m: adaptive, lo: 2, hi: 64, target: 0.05, max_trials: 48, batch: 16, budget_check: 3, ladder: 0}
            seeds: 6
            train: {steps: 1500, tolerance: 1.0e-4}
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
        searched = tmp.resolve("adaptive");
        outcome = search(searched, false);
        settings = new AdaptiveFits.Settings((AdaptiveSettings) plan.config().widths(), plan.config().train().steps(), plan.config().thresholds().delta());
        tables = new Aggregation(spark, searched.toString()).run(plan.config().thresholds(), settings);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** Batches of 8 trials, so a stage commits in two batches and a kill can fall between them. */
    private static WidthSearch.Counts search(Path out, boolean resume) throws Exception {
        return SparkTestSupport.search(spark, plan, out, resume, 8, 2);
    }

    @Test
    void stagesRunDesignedBatchesWithoutRepeatsThenTheBudgetCheck() {
        List<Row> rows = SparkTestSupport.trials(spark, searched).collectAsList();
        assertEquals(outcome.ran(), rows.size());
        assertEquals(rows.size(), rows.stream().map(r -> r.getAs("trial_id")).distinct().count(), "one row per trial id");
        Map<Integer, List<Row>> byStage = rows.stream().collect(Collectors.groupingBy(r -> r.<Integer>getAs("stage"), TreeMap::new,
                Collectors.toList()));
        int last = ((TreeMap<Integer, List<Row>>) byStage).lastKey();
        assertEquals(outcome.stages(), last);
        assertTrue(last >= 3, "at least two search stages and the budget check: " + byStage.keySet());
        for (Map.Entry<Integer, List<Row>> e : byStage.entrySet()) {
            int steps = e.getKey() == last ? 3 * 1500 : 1500;
            assertTrue(e.getValue().stream().allMatch(r -> r.<Integer>getAs("max_steps") == steps), "stage " + e.getKey() + " budget");
            assertTrue(e.getValue().size() <= (e.getKey() == last ? 24 : 18), "stage " + e.getKey() + ": " + e.getValue().size());
        }
        long searchTrials = rows.stream().filter(r -> r.<Integer>getAs("max_steps") == 1500).count();
        assertTrue(searchTrials <= 48, "max_trials bounds the search: " + searchTrials);
        // The k-th trial at one (n, m, budget) takes the k-th seed: the seeds at a point are 0..r-1.
        Map<String, TreeSet<Long>> seeds = rows.stream().collect(Collectors.groupingBy(
                r -> r.getAs("n") + "|" + r.getAs("m") + "|" + r.getAs("max_steps"), Collectors.mapping(r -> r.<Long>getAs("seed"),
                        Collectors.toCollection(TreeSet::new))));
        for (Map.Entry<String, TreeSet<Long>> e : seeds.entrySet()) {
            assertEquals((long) e.getValue().size() - 1, e.getValue().last(), e.getKey() + " seeds " + e.getValue());
        }
        assertTrue(rows.stream().allMatch(r -> r.<Integer>getAs("m") >= 2 && r.<Integer>getAs("m") <= 64), "widths in [lo, hi]");
        assertEquals(Set3.of(6, 12, 24), rows.stream().map(r -> r.<Integer>getAs("n")).collect(Collectors.toSet()));
    }

    @Test
    void summaryMarksAnUnreachedTargetAndExplainsTheMarkOnlyThen() {
        String footnote = "(* target not reached: p's interval is wider than search.target, or the data reject the law";
        String unreached = org.overparam.sweep.analysis.ThresholdSummary.format(tables);
        assertTrue(unreached.contains(footnote), unreached);
        assertTrue(unreached.lines().anyMatch(l -> l.matches(".*\\]\\* .*")), "the group's p carries the mark: " + unreached);
        // The same fit with its target reached: no mark, and no footnote explaining one.
        Aggregation.Tables reached = new Aggregation.Tables(tables.thresholds(),
                tables.scaling().withColumn("target_reached", org.apache.spark.sql.functions.lit(true)), tables.rates());
        String text = org.overparam.sweep.analysis.ThresholdSummary.format(reached);
        assertTrue(text.contains("adaptive fits:"), text);
        assertFalse(text.contains(footnote), text);
        assertFalse(text.lines().anyMatch(l -> l.matches(".*\\]\\* .*")), text);
    }

    @Test
    void scalingHoldsTheJointFitAndThresholdsTheModelsMStar() {
        List<Row> joint = tables.scaling().filter("method = 'adaptive'").collectAsList();
        assertEquals(1, joint.size(), "one joint fit for the one group");
        Row fit = joint.get(0);
        long used = SparkTestSupport.trials(spark, searched).filter("max_steps = 1500 and status != 'timeout'").count();
        assertEquals(used, (long) fit.<Integer>getAs("trials"));
        double p = fit.getAs("exponent");
        assertTrue(fit.<Double>getAs("exponent_lo") < p && p < fit.<Double>getAs("exponent_hi"), fit.toString());
        assertEquals(Boolean.FALSE, fit.getAs("target_reached"), "±0.05 is out of reach of 48 trials");
        assertEquals(4500, (int) fit.<Integer>getAs("budget_steps"));
        double ratio = fit.getAs("budget_ratio");
        assertTrue(fit.<Double>getAs("budget_ratio_lo") <= ratio && ratio <= fit.<Double>getAs("budget_ratio_hi"), fit.toString());
        assertEquals(ratio < 0.8 || ratio > 1.25, fit.<Boolean>getAs("budget_flag"));
        assertNotNull(fit.getAs("misfit"));
        assertFalse(tables.scaling().filter("method = 'ols'").isEmpty(), "the per-n regression stays beside it");
        // The model's m*(n) on every row of the search's groups, none on the budget check's.
        List<Row> model = tables.thresholds().filter("max_steps = 1500")
                .select("n", "m_star_model", "m_star_model_lo", "m_star_model_hi", "m_star_model_status").distinct().orderBy("n").collectAsList();
        assertEquals(3, model.size());
        double lapse = fit.getAs("lapse");
        for (Row r : model) {
            double expected = Math.exp(fit.<Double>getAs("intercept") + p * Math.log(r.<Integer>getAs("n"))
                    + fit.<Double>getAs("slope_s") * Math.log((0.75 / (1 - lapse)) / (1 - 0.75 / (1 - lapse))));
            if (expected < 2 || expected > 64) {
                // Outside the searched widths the model extrapolates: no measured width is claimed.
                assertEquals(expected < 2 ? "below_range" : "above_range", r.getAs("m_star_model_status"), r.toString());
                assertTrue(r.isNullAt(1), r.toString());
                continue;
            }
            assertEquals("in_range", r.getAs("m_star_model_status"));
            assertEquals(expected, r.<Double>getAs("m_star_model"), 1e-9 * expected, "m* = exp(a + p ln n + s logit((1-δ)/(1-λ)))");
            assertTrue(r.<Double>getAs("m_star_model_lo") < expected && expected < r.<Double>getAs("m_star_model_hi"), r.toString());
        }
        assertTrue(tables.thresholds().filter("max_steps = 4500 and m_star_model is not null").isEmpty());
    }

    @Test
    void aSearchResumedAfterLosingItsUncommittedBatchesRunsOnlyThoseAndGivesTheSameTables() throws Exception {
        Path copy = tmp.resolve("killed");
        copyTree(searched, copy);
        // A kill in stage 2 after its first batch committed: its second batch and every later stage never did.
        List<Path> lost = list(copy.resolve("trials")).stream().map(p -> p.getFileName().toString())
                .filter(f -> f.endsWith(".parquet") && !f.contains("-s1-") && !f.contains("-s2-b00000-"))
                .map(f -> copy.resolve("trials").resolve(f)).toList();
        assertTrue(lost.size() >= 2, "stages after the first batch of stage 2: " + lost);
        long before = SparkTestSupport.trials(spark, copy).count();
        for (Path p : lost) {
            Files.delete(p);
        }
        long lostRows = before - SparkTestSupport.trials(spark, copy).count();

        WidthSearch.Counts resumed = search(copy, true);
        assertEquals(lostRows, resumed.ran(), "only the lost trials run again");
        assertEquals(outcome.stages(), resumed.stages());
        assertEquals(SparkTestSupport.comparableTrials(spark, searched), SparkTestSupport.comparableTrials(spark, copy),
                "same trials, stages included");
        Aggregation.Tables again = new Aggregation(spark, copy.toString()).run(plan.config().thresholds(), settings);
        assertEquals(sorted(tables.scaling()), sorted(again.scaling()));
        assertEquals(sorted(tables.thresholds()), sorted(again.thresholds()));
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

    /** Set.of for the few values compared here. */
    private static final class Set3 {
        static java.util.Set<Integer> of(int a, int b, int c) {
            return java.util.Set.of(a, b, c);
        }
    }
}

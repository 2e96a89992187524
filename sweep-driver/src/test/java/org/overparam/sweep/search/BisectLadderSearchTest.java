package org.overparam.sweep.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.overparam.sweep.grid.SweepPlan;
import org.overparam.sweep.run.SparkTestSupport;

/**
 * The budget ladder of a bisect search on Spark (wn nets with a budget small enough that the thresholds move with
 * it): after bisecting at 300 steps, a ladder stage reruns censored trials below the thresholds at 600 steps (the
 * same trials: same n, m, seed) and bisects again there; the aggregation's {@code ols} row carries the ladder, whose
 * top rung is the largest budget run; a resumed search runs nothing and the tables stay the same.
 */
class BisectLadderSearchTest {
    private static final String SEARCH = """
            name: bisect-ladder
            model: wn
            data: {kind: sphere, target: gaussian, seed: 3}
            grid: {alpha: [1.0], n: [6, 12, 24], d: [4], eta: [0.5]}
            search: {m: bisect, lo: 2, hi: 64, resolution: 1.5, ladder: 1}
            seeds: 4
            train: {steps: 300, tolerance: 1.0e-4}
            thresholds: {delta: 0.25, bootstrap: 0}
            """;

    private static SparkSession spark;
    private static SweepPlan plan;
    @TempDir
    static Path tmp;
    private static Path searched;
    private static WidthSearch.Counts outcome;

    @BeforeAll
    static void runSearch() throws Exception {
        spark = SparkTestSupport.session("local[2]");
        plan = SparkTestSupport.plan(SEARCH);
        searched = tmp.resolve("bisect");
        outcome = SparkTestSupport.search(spark, plan, searched, false, 64, 2);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void theLadderRerunsCensoredTrialsAndBisectsAgainAtTwiceTheBudget() {
        List<Row> rows = SparkTestSupport.trials(spark, searched).collectAsList();
        Map<Integer, List<Row>> byBudget = rows.stream().collect(Collectors.groupingBy(r -> r.<Integer>getAs("max_steps"), TreeMap::new,
                Collectors.toList()));
        assertEquals(Set.of(300, 600), byBudget.keySet(), "the configured budget and one doubling");
        Map<String, Row> base = byBudget.get(300).stream().collect(Collectors.toMap(BisectLadderSearchTest::trial, r -> r));
        long reruns = byBudget.get(600).stream().filter(r -> base.containsKey(trial(r))).peek(r -> assertTrue(
                !"converged".equals(base.get(trial(r)).getAs("status")), "a rerun's shorter run did not converge: " + r)).count();
        assertTrue(reruns > 0, "censored trials rerun at 600 steps");
        assertTrue(byBudget.get(600).size() >= reruns, "and, bisecting again at 600 steps, new widths");
    }

    @Test
    void theOlsFitCarriesTheLadderAndAResumeRunsNothing() throws Exception {
        Aggregation.Tables tables = new Aggregation(spark, searched.toString()).run(plan.config().thresholds());
        Row fit = tables.scaling().filter("method = 'ols' and max_steps = 300").first();
        List<Integer> budgets = fit.getList(fit.fieldIndex("ladder_budgets"));
        assertEquals(600, (int) budgets.get(budgets.size() - 1));
        assertEquals(0, tables.scaling().filter("max_steps = 600").count(), "the per-budget tables hold the configured budget only");
        WidthSearch.Counts again = SparkTestSupport.search(spark, plan, searched, true, 64, 2);
        assertEquals(0, again.ran(), "every stage was committed: nothing to run");
        assertEquals(outcome.stages(), again.stages(), "the resumed search replans the same stages");
    }

    private static String trial(Row r) {
        return r.getAs("n") + "|" + r.getAs("m") + "|" + r.getAs("seed");
    }
}

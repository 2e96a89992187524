package org.overparam.sweep.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
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
 * The ladder's doublings by model ({@code ladder: {wn: 2, relu: 0}}) on a real adaptive search: both models'
 * exponents still move with the budget at 300 steps, but only wn's groups get ladder stages (600 and 1,200 steps);
 * relu's stop at the configured budget, their ladder fitted from the hitting times alone and reported as not
 * budget-converged.
 */
class LadderByModelSearchTest {
    private static final String SEARCH = """
            name: ladder-by-model
            model: [wn, relu]
            data: {kind: sphere, target: gaussian, seed: 3}
            grid: {alpha: [1.0], n: [6, 12, 24], d: [4], eta: {wn: 0.5, relu: 0.2}}
            search: {m: adaptive, lo: 2, hi: 64, target: 0.05, max_trials: 32, batch: 16, budget_check: 0, ladder: {wn: 2, relu: 0}}
            seeds: 8
            train: {steps: 300, tolerance: 1.0e-4}
            thresholds: {delta: 0.25, bootstrap: 0}
            """;

    private static SparkSession spark;
    @TempDir
    static Path tmp;
    private static List<Row> trials;
    private static Aggregation.Tables tables;

    @BeforeAll
    static void runSearch() throws Exception {
        spark = SparkTestSupport.session("local[2]");
        SweepPlan plan = SparkTestSupport.plan(SEARCH);
        Path searched = tmp.resolve("ladder-by-model");
        SparkTestSupport.search(spark, plan, searched, false, 8, 2);
        trials = SparkTestSupport.trials(spark, searched).collectAsList();
        tables = new Aggregation(spark, searched.toString()).run(plan.config().thresholds(),
                new AdaptiveFits.Settings((AdaptiveSettings) plan.config().widths(), 300, 0.25));
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void onlyTheModelsGivenDoublingsRunLargerBudgets() {
        Map<String, Set<Integer>> budgets = trials.stream().collect(Collectors.groupingBy(r -> r.<String>getAs("model"), TreeMap::new,
                Collectors.mapping(r -> r.<Integer>getAs("max_steps"), Collectors.toCollection(TreeSet::new))));
        assertEquals(Set.of(300, 600, 1200), budgets.get("wn"), "wn: the configured budget and its two doublings");
        assertEquals(Set.of(300), budgets.get("relu"), "relu: no ladder stage");
    }

    @Test
    void aModelWithoutDoublingsIsReportedAsNotBudgetConverged() {
        Row relu = tables.scaling().filter("method = 'adaptive' and model = 'relu'").first();
        List<Integer> rungs = relu.getList(relu.fieldIndex("ladder_budgets"));
        assertEquals(300, (int) rungs.get(rungs.size() - 1), "relu's top rung is the configured budget");
        assertFalse(relu.<Boolean>getAs("budget_converged"), "relu's p still moves with the budget: " + relu.getList(relu.fieldIndex("ladder_p")));
        Row wn = tables.scaling().filter("method = 'adaptive' and model = 'wn'").first();
        List<Integer> wnRungs = wn.getList(wn.fieldIndex("ladder_budgets"));
        assertEquals(1200, (int) wnRungs.get(wnRungs.size() - 1), "wn's top rung is the ladder's largest budget");
    }
}

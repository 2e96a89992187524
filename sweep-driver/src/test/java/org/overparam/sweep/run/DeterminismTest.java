package org.overparam.sweep.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.overparam.sweep.grid.SweepPlan;
import org.overparam.sweep.tables.TrialTables;

/**
 * A trial's row depends only on its parameters and seed: the same sweep on {@code local[1]} and
 * {@code local[2]}, and twice on the same master with other batch sizes, gives bit-identical rows
 * (all columns but {@code wall_ms}) and curves.
 */
class DeterminismTest {
    @TempDir
    Path tmp;

    @Test
    void sameRowsOnOneAndTwoCoresAndOnRerun() throws Exception {
        SweepPlan plan = SparkTestSupport.plan(SparkTestSupport.SMALL_SWEEP);
        List<Row> one = runOn("local[1]", plan, tmp.resolve("one"), 512);
        List<Row> two = runOn("local[2]", plan, tmp.resolve("two"), 512);
        List<Row> twoAgain = runOn("local[2]", plan, tmp.resolve("two-again"), 5);
        assertEquals(plan.trials().size(), one.stream().filter(r -> r.size() > TrialTables.CURVES.size()).count(), "trials rows (curves rows are narrower)");
        assertEquals(one, two, "local[1] and local[2] must give identical trials rows");
        assertEquals(two, twoAgain, "a rerun (other partitioning) must give identical trials rows");
    }

    private static List<Row> runOn(String master, SweepPlan plan, Path out, int batch) throws Exception {
        SparkSession spark = SparkTestSupport.session(master);
        try {
            assertEquals(Integer.parseInt(master.replaceAll("\\D", "")), spark.sparkContext().defaultParallelism());
            SparkTestSupport.run(spark, plan, out, false, batch);
            List<Row> rows = SparkTestSupport.comparableTrials(spark, out);
            List<Row> curves = SparkTestSupport.sortedCurves(spark, out);
            rows = new java.util.ArrayList<>(rows);
            rows.addAll(curves);
            return rows;
        } finally {
            spark.stop();
        }
    }
}

package org.overparam.sweep.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.overparam.sweep.grid.SweepPlan;

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
        Tables one = runOn("local[1]", plan, tmp.resolve("one"), 512);
        Tables two = runOn("local[2]", plan, tmp.resolve("two"), 512);
        Tables twoAgain = runOn("local[2]", plan, tmp.resolve("two-again"), 5);
        assertEquals(plan.trials().size(), one.trials().size());
        assertEquals(one, two, "local[1] and local[2] must give identical trials and curves rows");
        assertEquals(two, twoAgain, "a rerun (other partitioning) must give identical trials and curves rows");
    }

    /** A run's rows: trials without timing columns, sorted by id; curves sorted by id and step. */
    private record Tables(List<Row> trials, List<Row> curves) {
    }

    private static Tables runOn(String master, SweepPlan plan, Path out, int batch) throws Exception {
        SparkSession spark = SparkTestSupport.session(master);
        try {
            assertEquals(Integer.parseInt(master.replaceAll("\\D", "")), spark.sparkContext().defaultParallelism());
            SparkTestSupport.run(spark, plan, out, false, batch);
            return new Tables(SparkTestSupport.comparableTrials(spark, out), SparkTestSupport.sortedCurves(spark, out));
        } finally {
            spark.stop();
        }
    }
}

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
 * A trial's row depends only on its parameters and seed: the same sweep on {@code local[1]},
 * {@code local[2]} (in batches of 5, so other partitions) and {@code local[4]} gives bit-identical
 * rows (all columns but {@code wall_ms}) and curves. The two-worker cluster is compared with
 * {@code local[1]} and {@code local[4]} by {@code scripts/cluster-smoke.sh}.
 */
class DeterminismTest {
    @TempDir
    Path tmp;

    @Test
    void sameRowsOnOneTwoAndFourCores() throws Exception {
        SweepPlan plan = SparkTestSupport.plan(SparkTestSupport.SMALL_SWEEP);
        Tables one = runOn("local[1]", plan, tmp.resolve("one"), 512);
        Tables two = runOn("local[2]", plan, tmp.resolve("two"), 5);
        Tables four = runOn("local[4]", plan, tmp.resolve("four"), 512);
        assertEquals(plan.trials().size(), one.trials().size());
        assertSameBits(one.trials(), two.trials(), "trials: local[1] and local[2] in batches of 5");
        assertSameBits(one.curves(), two.curves(), "curves: local[1] and local[2] in batches of 5");
        assertSameBits(one.trials(), four.trials(), "trials: local[1] and local[4]");
        assertSameBits(one.curves(), four.curves(), "curves: local[1] and local[4]");
    }

    /** Row by row, doubles by their bits ({@link Row#equals} would take -0.0 for 0.0). */
    private static void assertSameBits(List<Row> expected, List<Row> actual, String what) {
        assertEquals(expected.size(), actual.size(), what);
        for (int i = 0; i < expected.size(); i++) {
            Row a = expected.get(i);
            Row b = actual.get(i);
            assertEquals(a.size(), b.size(), what);
            for (int j = 0; j < a.size(); j++) {
                Object x = a.get(j) instanceof Double d ? (Object) Double.doubleToRawLongBits(d) : a.get(j);
                Object y = b.get(j) instanceof Double d ? (Object) Double.doubleToRawLongBits(d) : b.get(j);
                assertEquals(x, y, what + ": row " + i + " differs:\n" + a + "\n" + b);
            }
        }
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

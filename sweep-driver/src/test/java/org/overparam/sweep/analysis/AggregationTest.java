package org.overparam.sweep.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
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
import org.overparam.sweep.config.ThresholdSettings;
import org.overparam.sweep.run.SparkTestSupport;
import org.overparam.sweep.threshold.ThresholdEstimator;

/**
 * The aggregation jobs on synthetic tables with known answers, on a real local Spark: thresholds
 * from a hand-made trials table, the scaling fit on exact and noisy power laws, and the rate ratios.
 */
class AggregationTest {
    private static SparkSession spark;
    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() {
        spark = SparkTestSupport.session("local[1]");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** The trials columns the aggregation reads (a real table has more; older ones have no stage). */
    private static final StructType TRIALS = new StructType()
            .add("model", DataTypes.StringType).add("alpha", DataTypes.DoubleType).add("n", DataTypes.IntegerType)
            .add("d", DataTypes.IntegerType).add("eta", DataTypes.DoubleType).add("data", DataTypes.StringType)
            .add("max_steps", DataTypes.IntegerType).add("tolerance", DataTypes.DoubleType)
            .add("m", DataTypes.IntegerType).add("seed", DataTypes.LongType).add("status", DataTypes.StringType)
            .add("rate", DataTypes.DoubleType).add("rate_pred_v", DataTypes.DoubleType)
            .add("rate_pred_g", DataTypes.DoubleType).add("rate_pred_h", DataTypes.DoubleType);

    /** Trials of wn α = 1, d = 5, η = 0.5 at {@code n}: at {@code widths[i]}, seeds below {@code converged[i]} of 10 converge. */
    private static List<Row> group(int n, int[] widths, int[] converged) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < widths.length; i++) {
            for (long seed = 0; seed < 10; seed++) {
                boolean ok = seed < converged[i];
                double rate = 0.01 * (1 + seed);
                rows.add(RowFactory.create("wn", 1.0, n, 5, 0.5, "sphere", 100, 1e-4, widths[i], seed,
                        ok ? "converged" : seed % 2 == 0 ? "max_steps" : "censored", rate, 0.005, 0.001, null));
            }
        }
        return rows;
    }

    @Test
    void thresholdsTableHasTheKnownAnswerOnAHandMadeTrialsTable() throws Exception {
        List<Row> rows = new ArrayList<>(group(10, new int[] {8, 16, 32, 64}, new int[] {0, 3, 8, 10}));
        rows.addAll(group(20, new int[] {8, 16, 32, 64}, new int[] {0, 0, 9, 10}));
        rows.addAll(group(40, new int[] {8, 16}, new int[] {0, 2}));
        Path dir = tmp.resolve("synthetic");
        spark.createDataFrame(rows, TRIALS).write().parquet(dir.resolve("trials").toString());

        Aggregation.Tables t = new Aggregation(spark, dir.toString()).run(new ThresholdSettings(0.1, 100));
        List<Row> th = t.thresholds().orderBy("n", "m").collectAsList();
        assertEquals(10, th.size(), "one row per group and width");
        Map<Integer, Row> first = th.stream().collect(Collectors.toMap(r -> r.getAs("n"), r -> r, (a, b) -> a));
        assertEquals(32 * Math.sqrt(2), first.get(10).<Double>getAs("m_star"), 1e-9);
        assertEquals("bracketed", first.get(10).getAs("m_star_status"));
        assertEquals(32, (int) first.get(10).getAs("m_fail"));
        assertEquals(64, (int) first.get(10).getAs("m_succeed"));
        assertEquals(32.0, first.get(20).<Double>getAs("m_star"), 1e-12, "p(32) = 0.9 exactly");
        assertEquals("not_reached", first.get(40).getAs("m_star_status"));
        assertNull(first.get(40).getAs("m_star"));
        assertEquals(16, (int) first.get(40).getAs("m_fail"), "no width succeeds: m_fail is the largest tested");
        for (Row r : th) {
            int k = r.getAs("converged");
            int n = r.getAs("seeds");
            assertEquals(10, n);
            assertEquals(k / 10.0, r.<Double>getAs("success"), 0);
            double z = ThresholdEstimator.Z95;
            double center = (k + z * z / 2) / (n + z * z);
            double half = z * Math.sqrt(k * (n - k) / (double) n + z * z / 4) / (n + z * z);
            assertEquals(Math.max(0, center - half), r.<Double>getAs("success_lo"), 1e-12);
            assertEquals(Math.min(1, center + half), r.<Double>getAs("success_hi"), 1e-12);
            assertEquals(0, (int) r.getAs("stage"), "a table without stage counts as a grid sweep");
            assertEquals(0.1, r.<Double>getAs("delta"), 0);
        }

        // Two bracketed groups (n = 10, 20): the fit goes through both exactly.
        Row fit = t.scaling().first();
        assertEquals(2, (int) fit.getAs("points"));
        assertEquals(3L, (long) fit.getAs("groups"));
        assertEquals(Math.log(32.0 / (32 * Math.sqrt(2))) / Math.log(2), fit.<Double>getAs("exponent"), 1e-9);
        assertNull(fit.getAs("exponent_lo"), "two points leave no degrees of freedom for an interval");
        assertEquals(4.0, fit.<Double>getAs("theory_exponent"), 0);

        // Rates: converged trials only; measured rate 0.01·(1 + seed) against 0.005 (Thm 4.1), 0.001 (Thm 4.2).
        Map<String, Row> rates = t.rates().filter("n = 10").collectAsList().stream()
                .collect(Collectors.toMap(r -> r.getAs("prediction"), r -> r));
        assertEquals(2, rates.size(), "no Du et al. prediction in these rows");
        Row v = rates.get("thm4.1");
        assertEquals(3 + 8 + 10, (long) v.getAs("trials"));
        // Converged seeds: 0..2 at m=16, 0..7 at 32, 0..9 at 64 → rates 0.01·(1+seed); the median of the 21 is seed 3's.
        assertEquals(0.04 / 0.005, v.<Double>getAs("ratio_median"), 1e-12);
        assertEquals(0.01 / 0.005, v.<Double>getAs("ratio_min"), 1e-12);
        assertEquals(0.1 / 0.005, v.<Double>getAs("ratio_max"), 1e-12);
        assertTrue(v.<Boolean>getAs("applies"), "α = 1 is in Thm 4.1's regime");
        assertTrue(rates.get("thm4.2").<Boolean>getAs("applies"), "and in Thm 4.2's");
        assertEquals(0.04 / 0.001, rates.get("thm4.2").<Double>getAs("ratio_median"), 1e-9);
    }

    /** A thresholds table with one bracketed group per n, m_star given. */
    private static Dataset<Row> thresholds(String model, Double alpha, int[] ns, double[] mStar) {
        StructType schema = new StructType()
                .add("model", DataTypes.StringType).add("alpha", DataTypes.DoubleType).add("n", DataTypes.IntegerType)
                .add("d", DataTypes.IntegerType).add("eta", DataTypes.DoubleType).add("data", DataTypes.StringType)
                .add("max_steps", DataTypes.IntegerType).add("tolerance", DataTypes.DoubleType)
                .add("m_star", DataTypes.DoubleType).add("m_star_status", DataTypes.StringType);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < ns.length; i++) {
            rows.add(RowFactory.create(model, alpha, ns[i], 6, 0.5, "sphere", 100, 1e-4, mStar[i], "bracketed"));
        }
        return spark.createDataFrame(rows, schema);
    }

    @Test
    void scalingFitRecoversAnExactPowerLaw() {
        int[] ns = {10, 20, 40, 80, 160};
        double[] m = new double[ns.length];
        for (int i = 0; i < ns.length; i++) {
            m[i] = 3 * Math.pow(ns[i], 2.5);
        }
        Dataset<Row> all = thresholds("wn", 0.5, ns, m).union(thresholds("wn", 2.0, ns, m)).union(thresholds("relu", null, ns, m));
        List<Row> fits = ScalingFit.of(all).collectAsList();
        assertEquals(3, fits.size());
        Map<String, Double> theory = Map.of("wn|0.5", 4.0, "wn|2.0", 2.0, "relu|null", 6.0);
        for (Row f : fits) {
            assertEquals(2.5, f.<Double>getAs("exponent"), 1e-9);
            assertEquals(Math.log(3), f.<Double>getAs("intercept"), 1e-9);
            assertEquals(1.0, f.<Double>getAs("r2"), 1e-12);
            assertEquals(0.0, f.<Double>getAs("exponent_se"), 1e-6);
            assertEquals(5, (int) f.getAs("points"));
            assertEquals(10, (int) f.getAs("n_min"));
            assertEquals(160, (int) f.getAs("n_max"));
            assertEquals(theory.get(f.getAs("model") + "|" + f.getAs("alpha")), f.<Double>getAs("theory_exponent"));
        }
    }

    @Test
    void scalingFitOfANoisyPowerLawHasTheTrueExponentInItsInterval() {
        int[] ns = {10, 14, 20, 28, 40, 57, 80, 113};
        double[] m = new double[ns.length];
        Random random = new Random(7);
        for (int i = 0; i < ns.length; i++) {
            m[i] = 3 * Math.pow(ns[i], 2.5) * Math.exp(0.2 * random.nextGaussian());
        }
        Row f = ScalingFit.of(thresholds("wn", 1.0, ns, m)).first();
        double p = f.getAs("exponent");
        double lo = f.getAs("exponent_lo");
        double hi = f.getAs("exponent_hi");
        assertTrue(lo < 2.5 && 2.5 < hi, "2.5 in [" + lo + ", " + hi + "], estimate " + p);
        assertTrue(hi - lo < 1, "eight points with 20 % noise pin the exponent: [" + lo + ", " + hi + "]");

        // The same fit by hand: ordinary least squares, its standard error, Student's t at 6 dof (2.4469).
        double sx = 0;
        double sy = 0;
        for (int i = 0; i < ns.length; i++) {
            sx += Math.log(ns[i]);
            sy += Math.log(m[i]);
        }
        double mx = sx / ns.length;
        double my = sy / ns.length;
        double sxx = 0;
        double sxy = 0;
        double syy = 0;
        for (int i = 0; i < ns.length; i++) {
            double dx = Math.log(ns[i]) - mx;
            double dy = Math.log(m[i]) - my;
            sxx += dx * dx;
            sxy += dx * dy;
            syy += dy * dy;
        }
        double slope = sxy / sxx;
        double se = Math.sqrt((syy - slope * sxy) / (ns.length - 2) / sxx);
        assertEquals(slope, p, 1e-9);
        assertEquals(se, f.<Double>getAs("exponent_se"), 1e-9);
        assertEquals(slope - 2.446912 * se, lo, 1e-5);
        assertEquals(sxy * sxy / (sxx * syy), f.<Double>getAs("r2"), 1e-9);
    }

    @Test
    void groupsWithoutABracketedThresholdAreNotFitted() {
        Dataset<Row> t = thresholds("wn", 1.0, new int[] {10, 20, 40}, new double[] {5, 9, 20})
                .withColumn("m_star_status", org.apache.spark.sql.functions.when(
                        org.apache.spark.sql.functions.col("n").equalTo(10), "bracketed").otherwise("at_lo"));
        Row f = ScalingFit.of(t).first();
        assertEquals(1, (int) f.getAs("points"));
        assertEquals(3L, (long) f.getAs("groups"));
        assertNull(f.getAs("exponent"));
    }
}

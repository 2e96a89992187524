package org.overparam.sweep.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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

/**
 * Groups of trials that differ only in model-specific keys get their own thresholds: bn with GD and with
 * SGD, smooth with two activations; smooth at He's product (ω1, ω2 changing with m) stays one group per
 * ratio across its widths; explicit ω pairs are named by their values. On a real local Spark.
 */
class ModelVariantTest {
    private static SparkSession spark;
    @TempDir
    static Path tmp;

    private static final StructType TRIALS = new StructType()
            .add("model", DataTypes.StringType).add("alpha", DataTypes.DoubleType).add("n", DataTypes.IntegerType)
            .add("d", DataTypes.IntegerType).add("eta", DataTypes.DoubleType).add("data", DataTypes.StringType)
            .add("max_steps", DataTypes.IntegerType).add("tolerance", DataTypes.DoubleType)
            .add("L", DataTypes.IntegerType).add("d_y", DataTypes.IntegerType).add("omega1", DataTypes.DoubleType)
            .add("omega2", DataTypes.DoubleType).add("activation", DataTypes.StringType)
            .add("optimizer", DataTypes.StringType).add("epsilon", DataTypes.DoubleType)
            .add("m", DataTypes.IntegerType).add("seed", DataTypes.LongType).add("status", DataTypes.StringType)
            .add("rate", DataTypes.DoubleType);

    private static final int D = 6;
    private static final int[] WIDTHS = {8, 32, 128};

    @BeforeAll
    static void start() {
        spark = SparkTestSupport.session("local[1]");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** Four seeds per width; at each width, {@code converged[i]} of them converge. */
    private static List<Row> trials(String model, Integer depth, Integer dy, String activation, double ratio, boolean he,
                                    String optimizer, Double epsilon, int[] converged) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < WIDTHS.length; i++) {
            int m = WIDTHS[i];
            Double w1 = null;
            Double w2 = null;
            if (activation != null) {
                double product = he ? 2 / Math.sqrt((double) D * m) : 0.125;   // theory.md §5: He's product, or a fixed one
                w1 = Math.sqrt(product / ratio);
                w2 = Math.sqrt(product * ratio);
            }
            for (long seed = 0; seed < 4; seed++) {
                rows.add(RowFactory.create(model, null, 12, D, 0.1, "teacher", 100, 1e-3, depth, dy, w1, w2, activation,
                        optimizer, epsilon, m, seed, seed < converged[i] ? "converged" : "max_steps", 0.01));
            }
        }
        return rows;
    }

    @Test
    void variantsNameTheKeysThatStayFixedAlongAWidthCurve() {
        List<Row> rows = new ArrayList<>();
        rows.addAll(trials("smooth", null, 1, "gelu", 10, true, null, null, new int[] {0, 4, 4}));
        rows.addAll(trials("smooth", null, 1, "gelu", 0.5, false, null, null, new int[] {0, 0, 4}));
        rows.addAll(trials("grelu", 3, 2, null, 1, false, null, null, new int[] {4, 4, 4}));
        rows.addAll(trials("bn", null, null, null, 1, false, "sgd", 1e-5, new int[] {4, 4, 4}));
        rows.add(RowFactory.create("wn", 1.0, 12, D, 0.1, "sphere", 100, 1e-3, null, null, null, null, null, null, null,
                8, 0L, "converged", 0.01));
        Dataset<Row> labelled = ModelVariant.labelModel(spark.createDataFrame(rows, TRIALS));
        Map<String, Integer> widthsByLabel = new TreeMap<>();
        for (Row r : labelled.groupBy("model").count().collectAsList()) {
            widthsByLabel.put(r.getString(0), (int) r.getLong(1));
        }
        assertEquals(Map.of(
                "smooth d_y=1,activation=gelu,omega_ratio=10", 12,
                "smooth d_y=1,activation=gelu,omega1=0.5,omega2=0.25", 12,
                "grelu L=3,d_y=2", 12,
                "bn optimizer=sgd,epsilon=1e-5", 12,
                "wn", 1), widthsByLabel);
    }

    @Test
    void thresholdsScalingAndRatesKeepVariantsApart() throws Exception {
        List<Row> rows = new ArrayList<>();
        rows.addAll(trials("bn", null, null, null, 1, false, "gd", 1e-5, new int[] {4, 4, 4}));
        rows.addAll(trials("bn", null, null, null, 1, false, "sgd", 1e-5, new int[] {0, 0, 4}));
        rows.addAll(trials("smooth", null, 1, "gelu", 10, true, null, null, new int[] {0, 4, 4}));
        rows.addAll(trials("smooth", null, 1, "tanh", 10, true, null, null, new int[] {0, 0, 0}));
        Path dir = tmp.resolve("variants");
        spark.createDataFrame(rows, TRIALS).write().parquet(dir.resolve("trials").toString());

        Aggregation.Tables t = new Aggregation(spark, dir.toString()).run(new ThresholdSettings(0.1, 50));
        Map<String, Row> byVariant = new TreeMap<>();
        for (Row r : t.thresholds().collectAsList()) {
            byVariant.put(r.getAs("model") + " " + r.getAs(ModelVariant.COLUMN), r);
            assertEquals(WIDTHS.length, r.<Integer>getAs("widths"), "every width of a variant in one group: " + r);
        }
        assertEquals(4, byVariant.size(), byVariant.keySet().toString());
        assertEquals("at_lo", byVariant.get("bn optimizer=gd,epsilon=1e-5").getAs("m_star_status"));
        assertEquals("bracketed", byVariant.get("bn optimizer=sgd,epsilon=1e-5").getAs("m_star_status"));
        assertEquals("bracketed", byVariant.get("smooth d_y=1,activation=gelu,omega_ratio=10").getAs("m_star_status"));
        assertEquals("not_reached", byVariant.get("smooth d_y=1,activation=tanh,omega_ratio=10").getAs("m_star_status"));
        assertEquals(4, t.scaling().count(), "one fit per variant");
        String summary = ThresholdSummary.format(t);
        assertTrue(summary.contains("bn optimizer=sgd,epsilon=1e-5"), summary);
        assertTrue(summary.contains("smooth d_y=1,activation=tanh,omega_ratio=10"), summary);
    }

    /** smooth at He's init ({@code ω1 = √(2/d)}, {@code ω2 = √(2/m)}) over the widths, converging from {@code from} on. */
    private static List<Row> heInit(String activation, int d, int from) {
        List<Row> rows = new ArrayList<>();
        for (int m : WIDTHS) {
            for (long seed = 0; seed < 4; seed++) {
                rows.add(RowFactory.create("smooth", null, 12, d, 0.1, "teacher", 100, 1e-3, null, 1, Math.sqrt(2.0 / d),
                        Math.sqrt(2.0 / m), activation, null, null, m, seed, m >= from ? "converged" : "max_steps", 0.01));
            }
        }
        return rows;
    }

    /**
     * He's init (smooth's default) is one curve over its widths although its ratio ω2/ω1 = √(d/m) changes with
     * m; a ratio sweep at He's product whose ratio meets He's init at one width (ratio √(d/m) there) stays one
     * ratio curve.
     */
    @Test
    void heInitIsOneCurveAndARatioThatMeetsItAtOneWidthStaysARatio() throws Exception {
        List<Row> rows = new ArrayList<>(heInit("gelu", D, 32));
        int d = 8;   // ratio 0.5 = √(d/m) at m = 32: that width's ω are He's init
        rows.addAll(trials("smooth", null, 1, "tanh", 0.5, true, null, null, new int[] {0, 4, 4}).stream()
                .map(r -> RowFactory.create(r.get(0), r.get(1), r.get(2), d, r.get(4), r.get(5), r.get(6), r.get(7), r.get(8),
                        r.get(9), Math.sqrt(2 / Math.sqrt((double) d * r.getInt(15)) / 0.5),
                        Math.sqrt(2 / Math.sqrt((double) d * r.getInt(15)) * 0.5), r.get(12), r.get(13), r.get(14),
                        r.get(15), r.get(16), r.get(17), r.get(18)))
                .toList());
        Path dir = tmp.resolve("he");
        spark.createDataFrame(rows, TRIALS).write().parquet(dir.resolve("trials").toString());
        Aggregation.Tables t = new Aggregation(spark, dir.toString()).run(new ThresholdSettings(0.1, 50));
        Map<String, Row> byVariant = new TreeMap<>();
        for (Row r : t.thresholds().collectAsList()) {
            byVariant.put(r.getAs(ModelVariant.COLUMN), r);
            assertEquals(WIDTHS.length, r.<Integer>getAs("widths"), "every width in one group: " + r);
        }
        assertEquals(Set.of("d_y=1,activation=gelu,omega=he", "d_y=1,activation=tanh,omega_ratio=0.5"), byVariant.keySet());
        assertEquals(32, byVariant.get("d_y=1,activation=gelu,omega=he").<Integer>getAs("m_succeed"));
        assertEquals("bracketed", byVariant.get("d_y=1,activation=tanh,omega_ratio=0.5").getAs("m_star_status"));
    }
}

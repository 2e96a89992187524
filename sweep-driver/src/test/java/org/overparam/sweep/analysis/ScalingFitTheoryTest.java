package org.overparam.sweep.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.overparam.sweep.run.SparkTestSupport;

/**
 * The theory's exponent of n and its theorem for every model (theory.md §1–5): relu 6 (Du et al.), wn 4 at
 * α ≤ 1 and 2 above (Thm 4.1, 4.2), bn 0 (001 Thm 2.1/2.2, polylogarithmic in n), grelu 2 (002 Thm 1),
 * smooth 1.5 (004 eq. 21), none for deep-relu; the text names the theorem wherever there is an exponent.
 */
class ScalingFitTheoryTest {
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkTestSupport.session("local[1]");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void everyModelHasItsTheoremsExponentOrNone() {
        Map<String, Double> expected = new LinkedHashMap<>();
        expected.put("relu|", 6.0);
        expected.put("wn|0.5", 4.0);
        expected.put("wn|1.0", 4.0);
        expected.put("wn|2.0", 2.0);
        expected.put("bn|", 0.0);
        expected.put("grelu|", 2.0);
        expected.put("smooth|", 1.5);
        expected.put("deep-relu|", null);
        expected.put("other|", null);
        Map<String, String> theorem = Map.of("relu|", "Du et al.", "wn|0.5", "Thm 4.1", "wn|1.0", "Thm 4.1", "wn|2.0", "Thm 4.2",
                "bn|", "001 Thm 2.1/2.2", "grelu|", "002 Thm 1", "smooth|", "004 Thm 3");
        List<Row> rows = new ArrayList<>();
        for (String k : expected.keySet()) {
            String[] p = k.split("\\|", -1);
            rows.add(RowFactory.create(p[0], p[1].isEmpty() ? null : Double.valueOf(p[1])));
        }
        StructType schema = new StructType().add("model", DataTypes.StringType).add("alpha", DataTypes.DoubleType);
        List<Row> out = spark.createDataFrame(rows, schema)
                .select(org.apache.spark.sql.functions.col("model"), org.apache.spark.sql.functions.col("alpha"),
                        ScalingFit.theoryExponent().as("q"), ScalingFit.theory().as("t"))
                .collectAsList();
        assertEquals(expected.size(), out.size());
        for (Row r : out) {
            String k = r.getString(0) + "|" + (r.isNullAt(1) ? "" : r.getDouble(1));
            assertEquals(expected.get(k), r.isNullAt(2) ? null : r.getDouble(2), k);
            if (expected.get(k) == null) {
                assertNull(r.get(3), k + ": no theorem without an exponent");
            } else {
                assertTrue(r.getString(3).startsWith(theorem.get(k)), k + ": " + r.getString(3));
            }
        }
    }
}

package org.overparam.sweep.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.overparam.sweep.grid.SweepPlan;
import org.overparam.trainer.instrument.TrialMetric;
import org.overparam.trainer.models.TrialModels;
import org.overparam.trainer.trial.ModelKind;

/**
 * bn, grelu, deep-relu and smooth through a real local Spark sweep: their parameter columns and metric
 * columns land in the tables, metrics of other models stay null, and the summary prints their means.
 */
class PaperModelsSweepTest {
    private static SparkSession spark;
    @TempDir
    static Path tmp;
    private static SweepPlan plan;
    private static List<Row> rows;
    private static String summary;

    private static final String SWEEP = """
            name: paper-models
            model: [bn, grelu, deep-relu, smooth]
            data: {kind: teacher, target: sign, width: 4}
            grid:
              m: [24]
              n: [8]
              d: [5]
              eta: [0.001]
              L: [2]
              activation: [tanh]
              optimizer: [gd, sgd]
            seeds: 1
            train: {steps: 30, tolerance: 0.5}
            """;

    @BeforeAll
    static void runSweep() throws Exception {
        spark = SparkTestSupport.session("local[2]");
        plan = SparkTestSupport.plan(SWEEP);
        SparkTestSupport.run(spark, plan, tmp.resolve("out"), false, 512);
        rows = SparkTestSupport.trials(spark, tmp.resolve("out")).collectAsList();
        summary = SweepSummary.format(SparkTestSupport.trials(spark, tmp.resolve("out")));
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void parameterAndMetricColumnsLandInTheTable() {
        assertEquals(6, rows.size(), "bn gd, bn sgd, grelu, deep-relu, smooth gd, smooth sgd (batch 1)");
        for (Row r : rows) {
            ModelKind model = TrialModels.parse(r.getAs("model"));
            assertFalse("failed".equals(r.getAs("status")), model + ": " + r.getAs("message"));
            assertEquals(model == ModelKind.GRELU || model == ModelKind.DEEP_RELU, !r.isNullAt(r.fieldIndex("L")));
            boolean sgdSmooth = model == ModelKind.SMOOTH && "sgd".equals(r.getAs("optimizer"));
            assertEquals(model == ModelKind.BN || sgdSmooth, !r.isNullAt(r.fieldIndex("optimizer")));
            assertEquals(sgdSmooth, !r.isNullAt(r.fieldIndex("batch")));
            assertEquals(model == ModelKind.BN, !r.isNullAt(r.fieldIndex("epsilon")));
            assertEquals(model == ModelKind.SMOOTH, !r.isNullAt(r.fieldIndex("activation")));
            assertEquals(model == ModelKind.SMOOTH, !r.isNullAt(r.fieldIndex("omega1")));
            assertEquals(model != ModelKind.BN, !r.isNullAt(r.fieldIndex("d_y")));
            for (TrialMetric metric : TrialMetric.values()) {
                if (!org.overparam.trainer.models.TrialModels.of(model).trialMetrics().contains(metric)) {
                    assertTrue(r.isNullAt(r.fieldIndex(metric.column())), model + " has no " + metric.column());
                }
            }
        }
        Row smooth = rows.stream().filter(r -> "smooth".equals(r.getAs("model"))).findFirst().orElseThrow();
        assertEquals("tanh", smooth.getAs("activation"));
        assertTrue((double) smooth.getAs("lazy_distance") >= 0);
        Row grelu = rows.stream().filter(r -> "grelu".equals(r.getAs("model"))).findFirst().orElseThrow();
        assertTrue((double) grelu.getAs("grelu_relu_max_abs_diff") < 1e-9);
        Row bn = rows.stream().filter(r -> "bn".equals(r.getAs("model")) && "sgd".equals(r.getAs("optimizer"))).findFirst().orElseThrow();
        assertFalse(bn.isNullAt(bn.fieldIndex("test_error")), "teacher data have a held-out set");
        assertFalse(bn.isNullAt(bn.fieldIndex("gamma_linear")));
    }

    @Test
    void summaryNamesTheVariantsAndPrintsTheirMetrics() {
        assertTrue(summary.contains("grelu L=2,d_y=1"), summary);
        assertTrue(summary.contains("bn optimizer=sgd,epsilon=1e-5"), summary);
        assertTrue(summary.contains("means over seeds (bn):"), summary);
        assertTrue(summary.contains("means over seeds (grelu, deep-relu):"), summary);
        assertTrue(summary.contains("means over seeds (smooth):"), summary);
        assertTrue(summary.contains("smooth d_y=1,activation=tanh,omega=he,optimizer=sgd,batch=1"), summary);
        assertEquals(6, summary.lines().filter(l -> l.matches("^(bn|grelu|deep-relu|smooth) .*")).count() / 2, summary);
    }
}

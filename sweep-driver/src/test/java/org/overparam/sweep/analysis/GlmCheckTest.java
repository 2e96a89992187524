package org.overparam.sweep.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.overparam.sweep.run.SparkTestSupport;
import org.overparam.sweep.threshold.Outcome;
import org.overparam.sweep.threshold.ThresholdFit;
import org.overparam.sweep.threshold.ThresholdFitter;
import org.overparam.sweep.threshold.ThresholdModel;

/**
 * MLlib's GLM against the custom fitter on outcomes drawn from a known model: without lapse both recover p
 * within their 95 % intervals and agree, and the covariance computed for the delta method gives MLlib's own
 * standard errors; with a lapse both still recover p (a uniform lapse shifts every n's curve alike) while the
 * GLM's spread absorbs the lapse; and {@code glm_agrees} is false exactly when the GLM's p leaves the joint
 * fit's interval, null where either has none.
 */
class GlmCheckTest {
    private static final double A = 0.5;
    private static final double P = 0.8;
    private static final double S = 0.35;
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkTestSupport.session("local[2]");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** Seeds at 7 widths around each n's threshold (z from −2 to 2 spreads), drawn from the model with lapse λ. */
    static List<Outcome> simulate(long seed, double lambda, int seeds) {
        ThresholdModel truth = new ThresholdModel(A, P, Math.log(S), Math.log(lambda / (1 - lambda)));
        Random rng = new Random(seed);
        List<Outcome> out = new ArrayList<>();
        for (int n : new int[] {8, 16, 32, 64, 128}) {
            for (double z : new double[] {-2, -1, -0.5, 0, 0.5, 1, 2}) {
                int m = (int) Math.max(1, Math.round(Math.exp(A + P * Math.log(n) + S * z)));
                for (int k = 0; k < seeds; k++) {
                    out.add(new Outcome(n, m, rng.nextDouble() < truth.probability(m, n)));
                }
            }
        }
        return out;
    }

    @Test
    void withoutLapseBothRecoverPAndAgree() {
        List<Outcome> outcomes = simulate(1, 1e-9, 30);
        ThresholdFitter fitter = new ThresholdFitter();
        ThresholdFit custom = fitter.withProfile(fitter.fit(outcomes), outcomes);
        GlmCheck.Fit glm = GlmCheck.fit(GlmCheck.observations(spark, outcomes));
        assertEquals(outcomes.size(), glm.trials());
        assertTrue(custom.pLow() <= P && P <= custom.pHigh(), "custom [" + custom.pLow() + ", " + custom.pHigh() + "]");
        assertTrue(glm.pLow() <= P && P <= glm.pHigh(), "GLM [" + glm.pLow() + ", " + glm.pHigh() + "]");
        assertTrue(custom.pLow() <= glm.p() && glm.p() <= custom.pHigh(), "GLM p " + glm.p() + " in the custom interval");
        assertEquals(custom.model().p(), glm.p(), 0.05, "the same data, nearly the same likelihood: the same p");
        assertEquals(S, 1 / glm.beta1(), 0.1, "s = 1/β1");
        // The covariance summed for the delta method is the one MLlib's standard errors come from (coefficients, then intercept).
        assertEquals(glm.standardErrors()[0], Math.sqrt(glm.covariance()[1][1]), 1e-4 * glm.standardErrors()[0]);
        assertEquals(glm.standardErrors()[1], Math.sqrt(glm.covariance()[2][2]), 1e-4 * glm.standardErrors()[1]);
        assertEquals(glm.standardErrors()[2], Math.sqrt(glm.covariance()[0][0]), 1e-4 * glm.standardErrors()[2]);
    }

    @Test
    void aLapseLeavesPAloneButFlattensTheGlmsCurve() {
        List<Outcome> outcomes = simulate(2, 0.2, 40);
        ThresholdFitter fitter = new ThresholdFitter();
        ThresholdFit custom = fitter.withProfile(fitter.fit(outcomes), outcomes);
        GlmCheck.Fit glm = GlmCheck.fit(GlmCheck.observations(spark, outcomes));
        assertTrue(custom.pLow() <= P && P <= custom.pHigh(), "custom [" + custom.pLow() + ", " + custom.pHigh() + "]");
        assertTrue(glm.pLow() <= P && P <= glm.pHigh(), "GLM [" + glm.pLow() + ", " + glm.pHigh() + "]");
        assertTrue(custom.pLow() <= glm.p() && glm.p() <= custom.pHigh(), "they agree on p");
        assertEquals(0.2, custom.model().lambda(), 0.06, "the custom fit finds the lapse");
        assertTrue(1 / glm.beta1() > 1.2 * S, "the GLM has no lapse: a flatter curve, s = " + 1 / glm.beta1());
    }

    @Test
    void aRealAdaptiveSearchGetsTheGlmBesideItsJointFit(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        String search = """
                name: glm
                model: wn
                data: {kind: sphere, target: gaussian}
                grid: {alpha: [1.0], n: [6, 12, 24], d: [4], eta: [0.5]}
                search: {m: adaptive, lo: 2, hi: 64, target: 0.05, max_trials: 48, batch: 16, budget_check: 0, ladder: 0}
                seeds: 6
                train: {steps: 1500, tolerance: 1.0e-4}
                thresholds: {delta: 0.25, bootstrap: 0}
                """;
        var plan = SparkTestSupport.plan(search);
        SparkTestSupport.search(spark, plan, tmp, false, 16, 2);
        var settings = new AdaptiveFits.Settings((org.overparam.sweep.config.AdaptiveSettings) plan.config().widths(),
                plan.config().train().steps(), plan.config().thresholds().delta());
        Dataset<Row> scaling = new Aggregation(spark, tmp.toString()).run(plan.config().thresholds(), settings).scaling();
        assertTrue(List.of(scaling.columns()).containsAll(List.of("glm_p", "glm_p_lo", "glm_p_hi", "glm_trials", "glm_agrees")));
        Row adaptive = scaling.filter("method = 'adaptive'").first();
        long evidence = SparkTestSupport.trials(spark, tmp).filter("max_steps = 1500 and status in ('converged', 'censored', 'max_steps', 'stuck')").count();
        assertEquals(evidence, adaptive.<Integer>getAs("glm_trials").longValue(), "every evidence trial at the budget");
        double p = adaptive.getAs("glm_p");
        assertTrue(adaptive.<Double>getAs("glm_p_lo") < p && p < adaptive.<Double>getAs("glm_p_hi"));
        assertTrue(adaptive.getAs("glm_agrees") != null, "both have an answer: " + adaptive);
        System.out.printf(java.util.Locale.ROOT, "GLM check on a real search: joint p %.3f [%.3f, %.3f], GLM p %.3f [%.3f, %.3f], agrees %s%n",
                adaptive.<Double>getAs("exponent"), adaptive.<Double>getAs("exponent_lo"), adaptive.<Double>getAs("exponent_hi"),
                p, adaptive.<Double>getAs("glm_p_lo"), adaptive.<Double>getAs("glm_p_hi"), adaptive.getAs("glm_agrees"));
        Row ols = scaling.filter("method = 'ols'").first();
        assertNull(ols.getAs("glm_p"));
    }

    @Test
    void agreementIsTheGlmsPInsideTheJointFitsInterval() {
        StructType key = new StructType().add("model", DataTypes.StringType).add("variant", DataTypes.StringType)
                .add("alpha", DataTypes.DoubleType, true).add("d", DataTypes.IntegerType).add("eta", DataTypes.DoubleType)
                .add("data", DataTypes.StringType).add("max_steps", DataTypes.IntegerType).add("tolerance", DataTypes.DoubleType)
                .add("loss", DataTypes.StringType);
        StructType scalingSchema = key.add("method", DataTypes.StringType).add("exponent", DataTypes.DoubleType)
                .add("exponent_lo", DataTypes.DoubleType, true).add("exponent_hi", DataTypes.DoubleType, true);
        Dataset<Row> scaling = spark.createDataFrame(List.of(
                RowFactory.create("wn", "", 1.0, 6, 0.5, "sphere", 100, 1e-4, "mse", "ols", 0.9, 0.5, 1.3),
                RowFactory.create("wn", "", 1.0, 6, 0.5, "sphere", 100, 1e-4, "mse", "adaptive", 0.8, 0.6, 1.0),
                RowFactory.create("relu", "", null, 6, 0.5, "sphere", 100, 1e-4, "mse", "adaptive", 1.5, 1.3, 1.7),
                RowFactory.create("bn", "gd", null, 6, 0.5, "sphere", 100, 1e-4, "mse", "adaptive", 1.0, null, null)), scalingSchema);
        StructType glmSchema = key.add("glm_p", DataTypes.DoubleType).add("glm_p_lo", DataTypes.DoubleType)
                .add("glm_p_hi", DataTypes.DoubleType).add("glm_trials", DataTypes.IntegerType);
        Dataset<Row> glm = spark.createDataFrame(List.of(
                RowFactory.create("wn", "", 1.0, 6, 0.5, "sphere", 100, 1e-4, "mse", 0.85, 0.7, 1.0, 96),
                RowFactory.create("relu", "", null, 6, 0.5, "sphere", 100, 1e-4, "mse", 1.1, 0.9, 1.3, 96),
                RowFactory.create("bn", "gd", null, 6, 0.5, "sphere", 100, 1e-4, "mse", 1.0, 0.8, 1.2, 96)), glmSchema);
        List<Row> rows = GlmCheck.beside(scaling, glm).collectAsList();
        assertEquals(4, rows.size());
        for (Row r : rows) {
            String what = r.getAs("model") + " " + r.getAs("method");
            Boolean agrees = r.getAs("glm_agrees");
            switch (what) {
                case "wn ols" -> {
                    assertNull(r.getAs("glm_p"), "no GLM beside an ols row");
                    assertNull(agrees);
                }
                case "wn adaptive" -> {
                    assertEquals(0.85, r.<Double>getAs("glm_p"));
                    assertEquals(96, r.<Integer>getAs("glm_trials"));
                    assertEquals(Boolean.TRUE, agrees, "0.85 in [0.6, 1.0]");
                }
                case "relu adaptive" -> assertEquals(Boolean.FALSE, agrees, "1.1 outside [1.3, 1.7], null α matched: " + r);
                case "bn adaptive" -> assertNull(agrees, "no interval to check against");
                default -> throw new AssertionError(what);
            }
        }
    }
}

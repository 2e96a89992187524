package org.overparam.sweep.analysis;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.regression.GeneralizedLinearRegression;
import org.apache.spark.ml.regression.GeneralizedLinearRegressionModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.overparam.sweep.threshold.FitGroup;
import org.overparam.sweep.threshold.Outcome;
import org.overparam.sweep.threshold.ThresholdFitter;

/**
 * An independent check of the adaptive search's joint fits ({@link AdaptiveFits}, {@link ThresholdFitter}): for
 * every fit group ({@link FitGroup#COLUMNS}; its trials at the configured budget whose status is evidence about
 * the width: converged, censored, max_steps, stuck) MLlib's {@link GeneralizedLinearRegression} (binomial,
 * logit, IRLS on the executors) fits the no-lapse model {@code logit P = β0 + β1 ln m + β2 ln n}, which is the
 * custom model with λ = 0: {@code s = 1/β1}, {@code p = −β2/β1}, {@code a = −β0/β1}. p's 95 % interval is
 * Wald's by the delta method, {@code Var p = gᵀ Σ g} with {@code g = (β2/β1², −1/β1)} and Σ the inverse of the
 * Fisher information {@code Σ μ(1−μ) x xᵀ} summed on the executors at the fitted μ (MLlib reports only the
 * coefficients' standard errors, not their covariance). A uniform lapse moves every n's curve by the same
 * shift in ln m, so it leaves p alone: the two fits estimate the same p whether or not the seeds lapse.
 * Columns ({@code scaling} rows with {@code method = adaptive}): docs/tables.md.
 */
public final class GlmCheck {
    /** The columns this check adds to {@code scaling} (null on the ols rows, and where the GLM has no answer). */
    public static final List<StructField> COLUMNS = List.of(
            DataTypes.createStructField("glm_p", DataTypes.DoubleType, true),
            DataTypes.createStructField("glm_p_lo", DataTypes.DoubleType, true),
            DataTypes.createStructField("glm_p_hi", DataTypes.DoubleType, true),
            DataTypes.createStructField("glm_trials", DataTypes.IntegerType, true),
            DataTypes.createStructField("glm_agrees", DataTypes.BooleanType, true));
    /** The statuses that say something about the width (TimedOutcome.evidence). */
    static final String[] EVIDENCE = {"converged", "censored", "max_steps", "stuck"};
    private static final double Z95 = 1.959963984540054;
    private static final int MAX_ITER = 50;

    private GlmCheck() {
    }

    /** One group's GLM: p with its interval (NaN where the fit has none), the trials, and the coefficients. */
    public record Fit(double p, double pLow, double pHigh, int trials, double beta0, double beta1, double beta2,
                      double[] standardErrors, double[][] covariance) {
    }

    /**
     * The GLM of every fit group of {@code trialRows} at budget {@code steps}: a row per group, keyed by
     * {@link FitGroup#COLUMNS}, with {@code glm_p}, {@code glm_p_lo}, {@code glm_p_hi}, {@code glm_trials}.
     * Empty (with that schema) when {@code adaptive} is null: not an adaptive search.
     */
    public static Dataset<Row> of(SparkSession spark, Dataset<Row> trialRows, AdaptiveFits.Settings adaptive) {
        Dataset<Row> obs = observations(trialRows, adaptive == null ? -1 : adaptive.steps()).cache();
        try {
            StructType schema = new StructType(FitGroup.COLUMNS.stream().map(c -> obs.schema().apply(c)).toArray(StructField[]::new));
            for (StructField f : COLUMNS.subList(0, 4)) {
                schema = schema.add(f);
            }
            List<Row> out = new ArrayList<>();
            if (adaptive != null) {
                for (Row key : obs.select(FitGroup.COLUMNS.stream().map(functions()).toArray(Column[]::new)).distinct().collectAsList()) {
                    Fit f = fit(obs.filter(sameGroup(key)));
                    Object[] values = new Object[FitGroup.COLUMNS.size() + 4];
                    for (int i = 0; i < FitGroup.COLUMNS.size(); i++) {
                        values[i] = key.get(i);
                    }
                    int k = FitGroup.COLUMNS.size();
                    values[k] = finite(f.p());
                    values[k + 1] = finite(f.pLow());
                    values[k + 2] = finite(f.pHigh());
                    values[k + 3] = f.trials();
                    out.add(RowFactory.create(values));
                }
            }
            return spark.createDataFrame(out, schema);
        } finally {
            obs.unpersist();
        }
    }

    /**
     * {@code scaling} with the GLM's columns beside each adaptive row ({@code method = adaptive}) of the same
     * group, null on the others. {@code glm_agrees}: the GLM's p lies in the joint fit's 95 % interval
     * {@code [exponent_lo, exponent_hi]}; null when either has no answer.
     */
    public static Dataset<Row> beside(Dataset<Row> scaling, Dataset<Row> glm) {
        Dataset<Row> right = glm;
        for (String c : FitGroup.COLUMNS) {
            right = right.withColumnRenamed(c, "__" + c);
        }
        Column on = scaling.col("method").equalTo(lit("adaptive"));
        for (String c : FitGroup.COLUMNS) {
            on = on.and(scaling.col(c).eqNullSafe(right.col("__" + c)));
        }
        Dataset<Row> joined = scaling.join(right, on, "left");
        for (String c : FitGroup.COLUMNS) {
            joined = joined.drop("__" + c);
        }
        Column known = col("glm_p").isNotNull().and(col("exponent_lo").isNotNull()).and(col("exponent_hi").isNotNull());
        joined = joined.withColumn("glm_agrees", when(known, col("glm_p").between(col("exponent_lo"), col("exponent_hi")))
                .otherwise(lit(null).cast(DataTypes.BooleanType)));
        List<Column> order = new ArrayList<>(FitGroup.COLUMNS.stream().map(functions()).toList());
        order.add(col("method"));
        return joined.orderBy(order.toArray(Column[]::new));
    }

    /**
     * The evidence trials at budget {@code steps}, with the group's columns ({@code variant} included),
     * {@code features = (ln m, ln n)} and {@code label} 1 for converged, 0 otherwise. In one partition, sorted by all
     * those columns: the fit's sums then run in one order whatever tasks wrote the trials (rows equal in every column
     * are interchangeable), so its bits do not depend on how the sweep partitioned them.
     */
    public static Dataset<Row> observations(Dataset<Row> trialRows, int steps) {
        Dataset<Row> trials = ModelVariant.withVariant(trialRows.filter(col("max_steps").equalTo(steps).and(col("status").isin((Object[]) EVIDENCE))));
        List<Column> cols = new ArrayList<>(FitGroup.COLUMNS.stream().map(functions()).toList());
        cols.add(log(col("m").cast(DataTypes.DoubleType)).as("ln_m"));
        cols.add(log(col("n").cast(DataTypes.DoubleType)).as("ln_n"));
        cols.add(when(col("status").equalTo("converged"), 1.0).otherwise(0.0).as("label"));
        Dataset<Row> rows = trials.select(cols.toArray(Column[]::new));
        Dataset<Row> ordered = rows.repartition(1).sortWithinPartitions(
                java.util.Arrays.stream(rows.columns()).map(c -> col(c).asc_nulls_first()).toArray(Column[]::new));
        return new VectorAssembler().setInputCols(new String[] {"ln_m", "ln_n"}).setOutputCol("features").transform(ordered);
    }

    /** Outcomes as one group's observations ({@link #observations}'s columns less the group's): simulations, benchmarks. */
    public static Dataset<Row> observations(SparkSession spark, List<Outcome> outcomes) {
        List<Row> rows = new ArrayList<>(outcomes.size());
        for (Outcome o : outcomes) {
            rows.add(RowFactory.create(Math.log(o.m()), Math.log(o.n()), o.success() ? 1.0 : 0.0));
        }
        StructType schema = new StructType().add("ln_m", DataTypes.DoubleType, false).add("ln_n", DataTypes.DoubleType, false)
                .add("label", DataTypes.DoubleType, false);
        return new VectorAssembler().setInputCols(new String[] {"ln_m", "ln_n"}).setOutputCol("features")
                .transform(spark.createDataFrame(rows, schema));
    }

    /**
     * Fits one group's observations ({@link #observations}, one group): MLlib's IRLS, then the Fisher information
     * at its optimum, summed on the executors, for the covariance of (β0, β1, β2) and the delta-method interval of p.
     */
    public static Fit fit(Dataset<Row> group) {
        GeneralizedLinearRegressionModel model = new GeneralizedLinearRegression().setFamily("binomial").setLink("logit")
                .setMaxIter(MAX_ITER).setTol(1e-10).setFeaturesCol("features").setLabelCol("label").fit(group);
        double b0 = model.intercept();
        Vector beta = model.coefficients();
        double b1 = beta.apply(0);
        double b2 = beta.apply(1);
        // Fisher information Σ w x xᵀ at the fitted μ, x = (1, ln m, ln n), w = μ(1 − μ): six sums in one job.
        Column mu = col("prediction");
        Column w = mu.multiply(lit(1.0).minus(mu));
        Row s = model.transform(group).agg(sum(w), sum(w.multiply(col("ln_m"))), sum(w.multiply(col("ln_n"))),
                sum(w.multiply(col("ln_m")).multiply(col("ln_m"))), sum(w.multiply(col("ln_m")).multiply(col("ln_n"))),
                sum(w.multiply(col("ln_n")).multiply(col("ln_n"))), org.apache.spark.sql.functions.count(lit(1))).first();
        double[][] info = {
            {s.getDouble(0), s.getDouble(1), s.getDouble(2)},
            {s.getDouble(1), s.getDouble(3), s.getDouble(4)},
            {s.getDouble(2), s.getDouble(4), s.getDouble(5)}};
        int trials = (int) s.getLong(6);
        double[][] cov;
        try {
            cov = ThresholdFitter.invert(info);
        } catch (ArithmeticException e) {
            cov = new double[][] {{Double.NaN, Double.NaN, Double.NaN}, {Double.NaN, Double.NaN, Double.NaN}, {Double.NaN, Double.NaN, Double.NaN}};
        }
        double[] se = model.summary().coefficientStandardErrors();
        double p = -b2 / b1;
        double g1 = b2 / (b1 * b1);
        double g2 = -1.0 / b1;
        double var = g1 * g1 * cov[1][1] + 2 * g1 * g2 * cov[1][2] + g2 * g2 * cov[2][2];
        double sd = var > 0 && b1 > 0 ? Math.sqrt(var) : Double.NaN;
        // β1 ≤ 0: wider nets converge less often, no threshold to speak of; an unfinished IRLS has no answer either.
        boolean answer = b1 > 0 && Double.isFinite(p) && model.summary().numIterations() < MAX_ITER;
        return new Fit(answer ? p : Double.NaN, answer ? p - Z95 * sd : Double.NaN, answer ? p + Z95 * sd : Double.NaN, trials,
                b0, b1, b2, se, cov);
    }

    private static Column sameGroup(Row key) {
        Column c = lit(true);
        for (int i = 0; i < FitGroup.COLUMNS.size(); i++) {
            c = c.and(col(FitGroup.COLUMNS.get(i)).eqNullSafe(lit(key.get(i))));
        }
        return c;
    }

    private static java.util.function.Function<String, Column> functions() {
        return org.apache.spark.sql.functions::col;
    }

    private static Double finite(double x) {
        return Double.isFinite(x) ? x : null;
    }
}

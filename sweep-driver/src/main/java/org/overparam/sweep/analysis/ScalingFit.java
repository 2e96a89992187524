package org.overparam.sweep.analysis;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.regr_count;
import static org.apache.spark.sql.functions.regr_intercept;
import static org.apache.spark.sql.functions.regr_r2;
import static org.apache.spark.sql.functions.regr_slope;
import static org.apache.spark.sql.functions.regr_sxx;
import static org.apache.spark.sql.functions.regr_sxy;
import static org.apache.spark.sql.functions.regr_syy;
import static org.apache.spark.sql.functions.sqrt;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

import org.apache.commons.math3.distribution.TDistribution;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.overparam.sweep.threshold.FitGroup;

/**
 * {@code DIR/scaling}: per (model, α, d, η, data, budget), the least-squares fit
 * {@code ln m_star = a + p ln n} over the groups whose {@code m_star} is bracketed (theory.md §6), by
 * Spark SQL's {@code regr_*} aggregates; the exponent's 95 % interval is {@code p ± t·SE(p)} with
 * Student's t at {@code k − 2} degrees of freedom and {@code SE(p)² = (S_yy − S_xy²/S_xx)/((k − 2) S_xx)},
 * the ordinary regression standard error. Beside it, the exponent the theory's width condition has in
 * n ({@link #theoryExponent}). Columns: docs/tables.md.
 */
public final class ScalingFit {

    private ScalingFit() {
    }

    private static final UserDefinedFunction T975 = udf((UDF1<Long, Double>) dof -> dof == null || dof < 1 ? null
            : new TDistribution(null, dof, TDistribution.DEFAULT_INVERSE_ABSOLUTE_ACCURACY).inverseCumulativeProbability(0.975),
            DataTypes.DoubleType);

    /** The fits of every group of a {@link ThresholdTable}. */
    public static Dataset<Row> of(Dataset<Row> thresholds) {
        if (!java.util.Arrays.asList(thresholds.columns()).contains(ModelVariant.COLUMN)) {
            thresholds = thresholds.withColumn(ModelVariant.COLUMN, lit(""));   // written before variants existed
        }
        if (!java.util.Arrays.asList(thresholds.columns()).contains("loss")) {
            thresholds = thresholds.withColumn("loss", lit("mse"));   // written before the loss was a parameter
        }
        Column bracketed = col("m_star_status").equalTo("bracketed").and(col("m_star").isNotNull());
        Dataset<Row> points = thresholds.select(col("model"), col(ModelVariant.COLUMN), col("alpha"), col("n"), col("d"), col("eta"), col("data"),
                        col("max_steps"), col("tolerance"), col("loss"), col("m_star"), col("m_star_status"))
                .distinct()
                .withColumn("x", log(col("n").cast(DataTypes.DoubleType)))
                .withColumn("y", when(bracketed, log(col("m_star"))));
        Column[] keys = FitGroup.COLUMNS.stream().map(c -> col(c)).toArray(Column[]::new);
        Dataset<Row> fits = points.groupBy(keys)
                .agg(countDistinct(col("n")).as("groups"),
                        regr_count(col("y"), col("x")).cast(DataTypes.IntegerType).as("points"),
                        min(when(bracketed, col("n"))).as("n_min"),
                        max(when(bracketed, col("n"))).as("n_max"),
                        regr_intercept(col("y"), col("x")).as("intercept"),
                        regr_slope(col("y"), col("x")).as("exponent"),
                        regr_r2(col("y"), col("x")).as("r2"),
                        regr_sxx(col("y"), col("x")).as("sxx"),
                        regr_syy(col("y"), col("x")).as("syy"),
                        regr_sxy(col("y"), col("x")).as("sxy"));
        Column dof = col("points").minus(2).cast(DataTypes.LongType);
        Column residual = greatest(lit(0.0), col("syy").minus(col("sxy").multiply(col("sxy")).divide(col("sxx"))));
        Column se = when(col("points").gt(2).and(col("sxx").gt(0)), sqrt(residual.divide(dof.multiply(col("sxx")))));
        return fits.withColumn("exponent_se", se)
                .withColumn("t975", T975.apply(dof))
                .withColumn("exponent_lo", col("exponent").minus(col("t975").multiply(col("exponent_se"))))
                .withColumn("exponent_hi", col("exponent").plus(col("t975").multiply(col("exponent_se"))))
                .withColumn("theory_exponent", theoryExponent())
                .withColumn("theory", theory())
                .select(col("model"), col(ModelVariant.COLUMN), col("alpha"), col("d"), col("eta"), col("data"), col("max_steps"), col("tolerance"), col("loss"),
                        col("groups"), col("points"), col("n_min"), col("n_max"), col("intercept"), col("exponent"),
                        col("exponent_se"), col("exponent_lo"), col("exponent_hi"), col("r2"), col("theory_exponent"),
                        col("theory"))
                .orderBy(keys);
    }

    /** The exponent of n in the width each theorem asks for, as the models declare it ({@link ModelTheory#exponent}). */
    public static Column theoryExponent() {
        return ModelTheory.exponent();
    }

    /** The theorem behind {@link #theoryExponent}, with its width condition; null where that is null. */
    public static Column theory() {
        return ModelTheory.statement();
    }
}

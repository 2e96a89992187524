package org.overparam.sweep.analysis;
import org.overparam.sweep.threshold.FitGroup;

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

import java.util.List;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;

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
        Column bracketed = col("m_star_status").equalTo("bracketed").and(col("m_star").isNotNull());
        Dataset<Row> points = thresholds.select(col("model"), col(ModelVariant.COLUMN), col("alpha"), col("n"), col("d"), col("eta"), col("data"),
                        col("max_steps"), col("tolerance"), col("m_star"), col("m_star_status"))
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
                .select(col("model"), col(ModelVariant.COLUMN), col("alpha"), col("d"), col("eta"), col("data"), col("max_steps"), col("tolerance"),
                        col("groups"), col("points"), col("n_min"), col("n_max"), col("intercept"), col("exponent"),
                        col("exponent_se"), col("exponent_lo"), col("exponent_hi"), col("r2"), col("theory_exponent"),
                        col("theory"))
                .orderBy(keys);
    }

    /**
     * The exponent of n in the width each theorem asks for (logarithmic factors, constants and the
     * data-dependent λ0, μ0, γ aside, theory.md §1–5), with the theorem in {@link #theory}:
     * <ul>
     *   <li>6 for {@code relu} (Du et al., {@code n⁶/(λ⁴δ³)});</li>
     *   <li>4 for {@code wn} with α ≤ 1 (Thm 4.1, {@code n⁴ log(n/δ)/λ0⁴}); 2 for {@code wn} with α > 1
     *       (Thm 4.2 at the best α, {@code n² log(n/δ)/μ0²});</li>
     *   <li>0 for {@code bn} (001 Thm 2.1 SGD, 2.2 GD: {@code m ≥ 2²⁹ ε_N³ ln^{3/2}(5nt/δ)/γ²}, polylogarithmic
     *       in n at a fixed margin γ; γ depends on the data and may fall as n grows, as λ0 does for relu);</li>
     *   <li>2 for {@code grelu} (002 Thm 1, {@code m = Ω̃(n² L d_y)} with {@code L = Ω(log n)}; Remark 1: the
     *       same {@code Ω̃(n²)} for one hidden layer, so also at the small L a sweep uses);</li>
     *   <li>1.5 for {@code smooth} (004 Thm 3 with its order analysis, eq. 21: {@code d1 ≳ n^{3/2}/d0} under
     *       {@code σmax(X)² ≈ n/d0}, {@code σmin(X^{*t}) ≈ 1}; d0 = d is fixed in a fit group, so the width
     *       grows as {@code n^{3/2}}; both layers trained by GD, φ twice differentiable and not odd);</li>
     *   <li>null for {@code deep-relu}: 002 proves Theorem 1 for GReLU, whose gates are fixed at init; a ReLU
     *       net trained by GD with its own gates is covered only through Theorem 2, which converts a trained
     *       GReLU net into a ReLU net with the same train-set features — a statement about GReLU's training,
     *       not a width at which GD on the ReLU net converges (the paper's Fig. 2a suggests n²L empirically,
     *       and the bounds it cites, e.g. Zou and Gu's {@code n⁸L¹²}, are for other inits and losses);</li>
     *   <li>null for any other model.</li>
     * </ul>
     */
    public static Column theoryExponent() {
        return when(col("model").equalTo("relu"), lit(6.0))
                .when(col("model").equalTo("wn").and(col("alpha").leq(1)), lit(4.0))
                .when(col("model").equalTo("wn").and(col("alpha").gt(1)), lit(2.0))
                .when(col("model").equalTo("bn"), lit(0.0))
                .when(col("model").equalTo("grelu"), lit(2.0))
                .when(col("model").equalTo("smooth"), lit(1.5));
    }

    /** The theorem behind {@link #theoryExponent}, with its width condition; null where that is null. */
    public static Column theory() {
        return when(col("model").equalTo("relu"), lit("Du et al.: m = Ω(n⁶/(λmin(H∞)⁴ δ³))"))
                .when(col("model").equalTo("wn").and(col("alpha").leq(1)), lit("Thm 4.1 (α ≤ 1): m = Ω(n⁴ log(n/δ)/λ0⁴)"))
                .when(col("model").equalTo("wn").and(col("alpha").gt(1)), lit("Thm 4.2 (α > 1, best α): m = Ω(n² log(n/δ)/μ0²)"))
                .when(col("model").equalTo("bn"), lit("001 Thm 2.1/2.2: m ≥ 2²⁹ ε_N³ ln^{3/2}(5nt/δ)/γ² (polylog in n at a fixed margin γ)"))
                .when(col("model").equalTo("grelu"), lit("002 Thm 1: m = Ω̃(n² L d_y), L = Ω(log n) (Remark 1: Ω̃(n²) for one hidden layer)"))
                .when(col("model").equalTo("smooth"), lit("004 Thm 3, eq. 21: d1 ≳ n^{3/2}/d0 (d0 d1 = Ω̃(n^{3/2}) parameters)"));
    }
}

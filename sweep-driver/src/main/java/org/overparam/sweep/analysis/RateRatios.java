package org.overparam.sweep.analysis;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.overparam.sweep.threshold.FitGroup;

/**
 * {@code DIR/rates}: per threshold group and prediction, the measured per-step rate of the converged
 * trials against each theorem's predicted rate (docs/tables.md, {@code rate_pred_*}; kernels on):
 * median and spread of {@code rate / predicted}. Trials that did not converge are left out: their rate
 * is a fit to a stalled curve.
 */
public final class RateRatios {
    private RateRatios() {
    }

    /** The rate comparison of every group of {@code trials}; empty when the trials have no predictions. */
    public static Dataset<Row> of(Dataset<Row> trialRows) {
        Dataset<Row> trials = ModelVariant.withVariant(trialRows);
        List<String> have = List.of(trials.columns());
        Dataset<Row> all = null;
        // Every model's predictions are compared on every trial that has their column (a wn trial carries Du et
        // al.'s too); whether the theorem applies to the trial is a column of its own.
        for (ModelTheory.Prediction theory : ModelTheory.predictions()) {
            String[] p = {theory.prediction().key(), theory.prediction().rate().column()};
            List<Column> cols = new ArrayList<>();
            FitGroup.THRESHOLD_COLUMNS.forEach(c -> cols.add(col(c)));
            cols.add(lit(p[0]).as("prediction"));
            cols.add(col("rate"));
            cols.add((have.contains(p[1]) ? col(p[1]) : lit(null).cast("double")).as("predicted"));
            Dataset<Row> one = trials.filter(col("status").equalTo("converged")).select(cols.toArray(Column[]::new));
            all = all == null ? one : all.unionByName(one);
        }
        Dataset<Row> ratios = all.filter(col("rate").isNotNull().and(col("predicted").gt(0)))
                .withColumn("ratio", col("rate").divide(col("predicted")));
        List<Column> keys = new ArrayList<>();
        FitGroup.THRESHOLD_COLUMNS.forEach(c -> keys.add(col(c)));
        keys.add(col("prediction"));
        return ratios.groupBy(keys.toArray(Column[]::new))
                .agg(count(lit(1)).as("trials"),
                        expr("percentile(rate, 0.5)").as("rate_median"),
                        expr("percentile(predicted, 0.5)").as("predicted_median"),
                        expr("percentile(ratio, 0.5)").as("ratio_median"),
                        expr("percentile(ratio, 0.25)").as("ratio_q25"),
                        expr("percentile(ratio, 0.75)").as("ratio_q75"),
                        min("ratio").as("ratio_min"),
                        max("ratio").as("ratio_max"))
                .withColumn("applies", applies())
                .orderBy(keys.toArray(Column[]::new));
    }

    /** Whether the trials are in the regime the prediction's theorem is stated for (its width and step-size conditions aside). */
    private static Column applies() {
        Column out = lit(false);
        for (ModelTheory.Prediction p : ModelTheory.predictions()) {
            out = out.or(col("prediction").equalTo(p.prediction().key()).and(p.applies()));
        }
        return out;
    }
}

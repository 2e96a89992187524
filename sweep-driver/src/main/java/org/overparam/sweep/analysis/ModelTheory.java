package org.overparam.sweep.analysis;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.overparam.trainer.models.AlphaRange;
import org.overparam.trainer.models.RatePrediction;
import org.overparam.trainer.models.TrialModel;
import org.overparam.trainer.models.TrialModels;
import org.overparam.trainer.models.WidthBound;

/**
 * The theory each model declares ({@link TrialModel#widthBounds}, {@link TrialModel#ratePredictions}) as Spark
 * columns over rows with {@code model} (the plain model name) and {@code alpha}: the tables and the summary
 * read the papers' predictions from the models, in registry order, and hold none of their own.
 */
public final class ModelTheory {
    private ModelTheory() {
    }

    /** The exponent of n of the width bound that applies to each row ({@link WidthBound#exponent}); null where none does. */
    public static Column exponent() {
        return chain((model, bound) -> lit(bound.exponent()));
    }

    /** The theorem of the width bound that applies to each row ({@link WidthBound#statement}); null where none does. */
    public static Column statement() {
        return chain((model, bound) -> lit(bound.statement()));
    }

    /** Every model's rate predictions with their models' names, in registry order. */
    public static List<Prediction> predictions() {
        List<Prediction> out = new ArrayList<>();
        for (TrialModel model : TrialModels.all()) {
            for (RatePrediction p : model.ratePredictions()) {
                out.add(new Prediction(model.key(), p));
            }
        }
        return out;
    }

    /** A rate prediction and the model that declares it. */
    public record Prediction(String model, RatePrediction prediction) {
        /** Whether a row (with {@code model}, {@code alpha}) is of this model and in the prediction's α range. */
        public Column applies() {
            return col("model").equalTo(model).and(ModelTheory.in(prediction.alpha()));
        }

        /** Whether a row's step meets the prediction's step-size condition. */
        public Column stepMet() {
            Column limit = col(prediction.stepLimit().column());
            return col("eta").leq(prediction.reciprocal() ? lit(1.0).divide(limit) : limit);
        }
    }

    /** {@code alpha} in {@code range} as a column (true for every row when the range is unbounded). */
    static Column in(AlphaRange range) {
        Column c = lit(true);
        if (range.lo() != Double.NEGATIVE_INFINITY) {
            c = range.loIncluded() ? col("alpha").geq(range.lo()) : col("alpha").gt(range.lo());
        }
        if (range.hi() != Double.POSITIVE_INFINITY) {
            Column hi = range.hiIncluded() ? col("alpha").leq(range.hi()) : col("alpha").lt(range.hi());
            c = range.lo() == Double.NEGATIVE_INFINITY ? hi : c.and(hi);
        }
        return c;
    }

    private interface Value {
        Column of(TrialModel model, WidthBound bound);
    }

    /** {@code when(model = …, value)…} over every model's width bounds. */
    private static Column chain(Value value) {
        Column out = null;
        for (TrialModel model : TrialModels.all()) {
            for (WidthBound bound : model.widthBounds()) {
                Column condition = col("model").equalTo(model.key());
                if (!bound.alpha().unbounded()) {
                    condition = condition.and(in(bound.alpha()));
                }
                out = out == null ? when(condition, value.of(model, bound)) : out.when(condition, value.of(model, bound));
            }
        }
        return out == null ? lit(null) : out;
    }
}

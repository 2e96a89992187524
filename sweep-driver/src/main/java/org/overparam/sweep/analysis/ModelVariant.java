package org.overparam.sweep.analysis;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sqrt;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;

/**
 * The model-specific parameters that tell two groups of trials of one model apart (theory.md §3–5), as one
 * string column {@code variant}: e.g. {@code L=3,d_y=1} (grelu), {@code optimizer=sgd,epsilon=1e-5} (bn),
 * {@code d_y=1,activation=tanh,omega_ratio=10} (smooth; {@code …,optimizer=sgd,batch=128} with mini-batch SGD); empty for relu and wn, and for tables written before
 * these columns existed. Thresholds, fits, rate comparisons, the run summary and the report group by model
 * and variant, so that, e.g., GD and SGD trials or two activations never share one {@code m_star}.
 *
 * <p>smooth at He's product ({@code ω1 ω2 = 2/√(d m)}, the default with {@code omega_ratio}) has ω1 and ω2
 * that change with the width; its variant names the ratio {@code ω2/ω1} instead, which is what is constant
 * over the widths of one threshold curve. He's init itself ({@code ω1 = √(2/d)}, {@code ω2 = √(2/m)}, smooth's
 * default) is named {@code omega=he} when every smooth row of its activation, d_y and d is at it (a ratio at
 * He's product meets He's init at the one width where the ratio is {@code √(d/m)}; a sweep of ratios is
 * recognised by its other widths). Other ω pairs are named by both values.
 */
public final class ModelVariant {
    /** The column added by {@link #withVariant}. */
    public static final String COLUMN = "variant";
    private static final List<String> PARAMS = List.of("L", "d_y", "omega1", "omega2", "activation", "optimizer", "epsilon");
    /** Relative tolerance for recognising He's product (ω are computed from it in float64). */
    private static final double HE_TOLERANCE = 1e-9;

    /** A double to 6 significant digits without trailing zeros: 10, 0.0656232, 1e-5 (null stays null). */
    private static final UserDefinedFunction NUMBER = udf((UDF1<Double, String>) ModelVariant::number, DataTypes.StringType);

    private ModelVariant() {
    }

    static String number(Double x) {
        if (x == null) {
            return null;
        }
        if (x.isNaN() || x.isInfinite()) {
            return x.toString();
        }
        BigDecimal b = new BigDecimal(x).round(new MathContext(6)).stripTrailingZeros();
        double a = Math.abs(x);
        if (a == 0 || (a >= 1e-3 && a < 1e6)) {
            return b.toPlainString();
        }
        int exponent = b.precision() - b.scale() - 1;
        return b.movePointLeft(exponent).toPlainString() + "e" + exponent;
    }

    /** {@code trials} with the {@value #COLUMN} column (replaced if present). */
    public static Dataset<Row> withVariant(Dataset<Row> trials) {
        return trials.withColumn(COLUMN, column(trials));
    }

    /** The variant of each row (never null). */
    public static Column column(Dataset<Row> trials) {
        List<String> columns = Arrays.asList(trials.columns());
        if (!columns.containsAll(PARAMS)) {
            return lit("");
        }
        Column both = col("omega1").isNotNull().and(col("omega2").isNotNull());
        Column he = abs(col("omega1").multiply(col("omega2")).multiply(sqrt(col("d").multiply(col("m")))).divide(2).minus(1))
                .leq(HE_TOLERANCE);
        Column heInit = near(col("omega1"), sqrt(lit(2.0).divide(col("d")))).and(near(col("omega2"), sqrt(lit(2.0).divide(col("m")))));
        Column everyHeInit = min(when(both.and(heInit), 1).otherwise(0))
                .over(Window.partitionBy(col("model"), col("activation"), col("d_y"), col("d")));
        Column omega = when(both.and(everyHeInit.equalTo(1)), lit("omega=he"))
                .when(both.and(he), concat(lit("omega_ratio="), NUMBER.apply(col("omega2").divide(col("omega1")))))
                .when(both, concat(lit("omega1="), NUMBER.apply(col("omega1")), lit(",omega2="), NUMBER.apply(col("omega2"))));
        List<Column> parts = new ArrayList<>();
        parts.add(part("L", col("L").cast("string")));
        parts.add(part("d_y", col("d_y").cast("string")));
        parts.add(part("activation", col("activation")));
        parts.add(omega);
        parts.add(part("optimizer", col("optimizer")));
        parts.add(part("epsilon", NUMBER.apply(col("epsilon"))));
        if (columns.contains("batch")) {
            parts.add(part("batch", col("batch").cast("string")));
        }
        if (columns.contains("convert_at")) {
            parts.add(part("convert_at", col("convert_at").cast("string")));
        }
        return concat_ws(",", parts.toArray(Column[]::new));
    }

    /** The model with its variant ({@code grelu L=3,d_y=1}; the plain name where the variant is empty). */
    public static Column label(Column model, Column variant) {
        return when(variant.isNull().or(variant.equalTo("")), model).otherwise(concat(model, lit(" "), variant));
    }

    /**
     * {@code rows} with {@code model} replaced by {@link #label}, and the training loss appended where it is not the
     * MSE ({@code relu squared_hinge}: the jamming protocol's twin of the same net).
     */
    public static Dataset<Row> labelModel(Dataset<Row> rows) {
        if (!Arrays.asList(rows.columns()).contains(COLUMN)) {
            rows = withVariant(rows);
        }
        Column label = label(col("model"), col(COLUMN));
        if (Arrays.asList(rows.columns()).contains("loss")) {
            label = when(col("loss").isNull().or(col("loss").equalTo("mse")), label).otherwise(concat(label, lit(" "), col("loss")));
        }
        return rows.withColumn("model", label);
    }

    /** {@code |x / target - 1| <= HE_TOLERANCE}. */
    private static Column near(Column x, Column target) {
        return abs(x.divide(target).minus(1)).leq(HE_TOLERANCE);
    }

    private static Column part(String name, Column value) {
        return when(value.isNotNull(), concat(lit(name + "="), value));   // concat_ws skips the nulls
    }
}

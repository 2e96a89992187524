package org.overparam.sweep.run;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.overparam.sweep.analysis.ModelVariant;
import org.overparam.trainer.models.TrialModel;
import org.overparam.trainer.models.TrialModels;

/**
 * The model-specific part of the end-of-run summary: for the models that declare summary columns (bn,
 * grelu/deep-relu, smooth), one line per (model with parameters, n, d, η, m) with the means over seeds
 * of those columns (docs/tables.md). Tables written before these models existed have no parameter columns; they get the
 * plain model name and no such part.
 */
final class ModelMetricsSummary {
    /** The models with summary columns ({@link TrialModel#summaryColumns}), those with the same columns together. */
    private static final List<Family> FAMILIES = families();

    private record Family(List<String> models, List<String> metrics) {
    }

    private static List<Family> families() {
        Map<List<String>, List<String>> byColumns = new LinkedHashMap<>();
        for (TrialModel model : TrialModels.all()) {
            if (!model.summaryColumns().isEmpty()) {
                byColumns.computeIfAbsent(model.summaryColumns(), c -> new ArrayList<>()).add(model.key());
            }
        }
        List<Family> out = new ArrayList<>();
        byColumns.forEach((columns, models) -> out.add(new Family(List.copyOf(models), columns)));
        return List.copyOf(out);
    }

    private ModelMetricsSummary() {
    }

    /** The model name followed by its parameters, e.g. {@code grelu L=3,d_y=1}; the plain name for relu and wn. */
    static Column modelLabel(Dataset<Row> trials) {
        return ModelVariant.label(col("model"), ModelVariant.column(trials));
    }

    /** The metric means of the families present; empty when there are none. */
    static String format(Dataset<Row> labelled) {
        List<String> columns = Arrays.asList(labelled.columns());
        StringBuilder sb = new StringBuilder();
        for (Family family : FAMILIES) {
            if (!columns.containsAll(family.metrics())) {
                continue;
            }
            Column isFamily = lit(false);
            for (String m : family.models()) {
                isFamily = isFamily.or(col("model").startsWith(m + " ")).or(col("model").equalTo(m));
            }
            Dataset<Row> rows = labelled.filter(isFamily);
            List<Column> aggs = new ArrayList<>();
            aggs.add(count(lit(1)).as("trials"));
            for (String m : family.metrics()) {
                aggs.add(avg(col(m)).as(m));
            }
            List<Row> cells = rows.groupBy("model", "n", "d", "eta", "m")
                    .agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new))
                    .orderBy("model", "n", "d", "eta", "m")
                    .collectAsList();
            if (cells.isEmpty()) {
                continue;
            }
            int width = 5;
            for (Row r : cells) {
                width = Math.max(width, r.getString(0).length());
            }
            sb.append("means over seeds (").append(String.join(", ", family.models())).append("):\n");
            StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-" + width + "s %5s %5s %7s %6s %6s",
                    "model", "n", "d", "eta", "m", "trials"));
            for (String m : family.metrics()) {
                header.append(String.format(Locale.ROOT, " %12s", shorten(m)));
            }
            sb.append(header).append('\n');
            for (Row r : cells) {
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-" + width + "s %5d %5d %7s %6d %6d",
                        r.getString(0), r.getInt(1), r.getInt(2), num(r.getDouble(3)), r.getInt(4), r.getLong(5)));
                for (int k = 0; k < family.metrics().size(); k++) {
                    line.append(String.format(Locale.ROOT, " %12s", r.isNullAt(6 + k) ? "-" : String.format(Locale.ROOT, "%.4g", r.getDouble(6 + k))));
                }
                sb.append(line).append('\n');
            }
        }
        return sb.toString();
    }

    private static String shorten(String metric) {
        return metric.length() <= 12 ? metric : metric.replace("grelu_relu_max_abs_diff", "relu_diff")
                .replace("pattern_hamming", "hamming").replace("rate_pred_smooth", "rate_pred")
                .replace("lazy_distance_rel", "lazy_rel").replace("sigma_min_phi0", "sigma_min");
    }

    private static String num(double x) {
        return new java.math.BigDecimal(x).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
    }
}

package org.overparam.sweep.run;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The table printed at the end of a run: one line per group (model with its parameters, α, n, d, η), one
 * column per width m, each cell "converged/total"; then the status counts; then, for the models of
 * theory.md §3–5, the means over seeds of their main metrics ({@link ModelMetricsSummary}). Computed with
 * Spark SQL from the trials table.
 */
public final class SweepSummary {
    private SweepSummary() {
    }

    public static String format(Dataset<Row> trials) {
        trials = trials.withColumn("model", ModelMetricsSummary.modelLabel(trials));
        List<Row> cells = trials.groupBy("model", "alpha", "n", "d", "eta", "m")
                .agg(count(lit(1)).as("total"),
                        sum(when(col("status").equalTo("converged"), 1).otherwise(0)).as("conv"))
                .orderBy("model", "alpha", "n", "d", "eta", "m")
                .collectAsList();
        TreeSet<Integer> widths = new TreeSet<>();
        Map<String, Map<Integer, String>> groups = new LinkedHashMap<>();
        int modelWidth = 5;
        for (Row r : cells) {
            modelWidth = Math.max(modelWidth, r.getString(0).length());
        }
        String modelFormat = "%-" + modelWidth + "s";
        for (Row r : cells) {
            String key = String.format(Locale.ROOT, modelFormat + " %6s %5d %5d %7s", r.getString(0),
                    r.isNullAt(1) ? "-" : num(r.getDouble(1)), r.getInt(2), r.getInt(3), num(r.getDouble(4)));
            int m = r.getInt(5);
            widths.add(m);
            groups.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(m, r.getLong(7) + "/" + r.getLong(6));
        }
        StringBuilder sb = new StringBuilder();
        sb.append("converged/total by width m:\n");
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, modelFormat + " %6s %5s %5s %7s", "model", "alpha", "n", "d", "eta"));
        for (int m : widths) {
            header.append(String.format(Locale.ROOT, " %7s", "m=" + m));
        }
        sb.append(header).append('\n');
        for (Map.Entry<String, Map<Integer, String>> g : groups.entrySet()) {
            StringBuilder line = new StringBuilder(g.getKey());
            for (int m : widths) {
                line.append(String.format(Locale.ROOT, " %7s", g.getValue().getOrDefault(m, "")));
            }
            sb.append(line).append('\n');
        }
        List<String> statuses = new ArrayList<>();
        long timeouts = 0;
        for (Row r : trials.groupBy("status").count().orderBy("status").collectAsList()) {
            statuses.add(r.getString(0) + " " + r.getLong(1));
            timeouts += "timeout".equals(r.getString(0)) ? r.getLong(1) : 0;
        }
        sb.append("status: ").append(String.join(", ", statuses)).append('\n');
        if (timeouts > 0) {
            sb.append(String.format(Locale.ROOT, "%d trials stopped by train.time_limit (timeout): no evidence for the thresholds"
                    + " (neither success nor failure of their width); rerun them with run --resume --retry timeout%n", timeouts));
        }
        sb.append(ModelMetricsSummary.format(trials));
        return sb.toString();
    }

    private static String num(double x) {
        return new java.math.BigDecimal(x).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
    }
}

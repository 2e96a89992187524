package org.overparam.sweep.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Owned by {@code smooth}: its paper's (004) Figure 1.
 */
final class ErrorVsOmegaFigure implements ReportFigure {
    @Override
    public java.util.List<org.overparam.trainer.trial.ModelKind> models() {
        return java.util.List.of(org.overparam.trainer.trial.ModelKind.SMOOTH);
    }

    /**
     * Paper 004 Figure 1: smooth's train and test classification error against ω2 (one line pair per n, d,
     * η, m and activation), mean over seeds with 95 % Student-t intervals, diverged trials left out; drawn when
     * smooth trials sweep ω2 and measured errors (class-label targets).
     */
    @Override
    public void draw(Dataset<Row> trials, Dataset<Row> curves, FigureSink sink) throws IOException {
        if (!java.util.Arrays.asList(trials.columns()).contains("omega2")) {
            return;
        }
        List<Row> rows = trials.filter(col("train_error").isNotNull().and(col("omega2").isNotNull())
                        .and(col("status").notEqual("diverged")))
                .groupBy("n", "d", "eta", "m", "activation", "omega2")
                .agg(org.apache.spark.sql.functions.avg("train_error").as("train"), org.apache.spark.sql.functions.stddev_samp("train_error").as("train_sd"),
                        org.apache.spark.sql.functions.avg("test_error").as("test"), org.apache.spark.sql.functions.stddev_samp("test_error").as("test_sd"),
                        count(lit(1)).as("k"))
                .orderBy("n", "d", "eta", "m", "activation", "omega2").collectAsList();
        Map<String, List<Row>> byGroup = new LinkedHashMap<>();
        for (Row r : rows) {
            byGroup.computeIfAbsent("n=" + r.getAs("n") + " m=" + r.getAs("m") + " " + r.getAs("activation") + " eta=" + Format.num(r.getAs("eta")),
                    k -> new ArrayList<>()).add(r);
        }
        if (byGroup.values().stream().noneMatch(g -> g.size() > 1)) {
            return;
        }
        Chart chart = new Chart("Train and test error against ω2 (paper 004 Figure 1)", "ω2", "classification error (mean over seeds, 95 % interval)", true, false);
        int g = 0;
        for (Map.Entry<String, List<Row>> e : byGroup.entrySet()) {
            if (g++ >= ReportWriter.MAX_GROUPS) {
                break;
            }
            double[] w2 = Format.column(e.getValue(), "omega2");
            for (String which : List.of("train", "test")) {
                double[] mean = Format.column(e.getValue(), which);
                double[] lo = new double[mean.length];
                double[] hi = new double[mean.length];
                for (int i = 0; i < mean.length; i++) {
                    Row r = e.getValue().get(i);
                    Object sd = r.getAs(which + "_sd");
                    long k = r.getAs("k");
                    double half = sd == null || k < 2 ? 0 : Format.studentT95(k - 1) * ((Double) sd) / Math.sqrt(k);
                    lo[i] = mean[i] - half;
                    hi[i] = mean[i] + half;
                }
                chart.line(which + " error, " + e.getKey(), w2, mean);
                chart.intervals(w2, lo, hi, chart.lastColor());
            }
        }
        sink.save(chart, "Paper figures", "error_vs_omega2.png",
                "Paper 004 Figure 1: train and test classification error against ω2 at the sweep's ω1ω2, mean over seeds with 95 % Student-t intervals (diverged trials left out).");
    }
}

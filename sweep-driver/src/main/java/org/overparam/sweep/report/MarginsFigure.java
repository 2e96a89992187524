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
 * Owned by {@code bn}: its paper's (001) Figure 1.
 */
final class MarginsFigure implements ReportFigure {
    @Override
    public java.util.List<org.overparam.trainer.trial.ModelKind> models() {
        return java.util.List.of(org.overparam.trainer.trial.ModelKind.BN);
    }

    /**
     * Paper 001 Figure 1: bn's margin estimates γ_a, γ_c and γ = γ_a + γ_c against the width (one set per n, d,
     * η, optimizer), mean over seeds with 2-standard-error bars; drawn when bn trials span two widths or more.
     */
    @Override
    public void draw(Dataset<Row> trials, Dataset<Row> curves, FigureSink sink) throws IOException {
        if (!java.util.Arrays.asList(trials.columns()).contains("gamma")) {
            return;
        }
        List<Row> rows = trials.filter(col("gamma").isNotNull())
                .groupBy("n", "d", "eta", "optimizer", "m")
                .agg(org.apache.spark.sql.functions.avg("gamma_a").as("a"), org.apache.spark.sql.functions.stddev_samp("gamma_a").as("a_sd"),
                        org.apache.spark.sql.functions.avg("gamma_c").as("c"), org.apache.spark.sql.functions.stddev_samp("gamma_c").as("c_sd"),
                        org.apache.spark.sql.functions.avg("gamma").as("g"), org.apache.spark.sql.functions.stddev_samp("gamma").as("g_sd"),
                        count(lit(1)).as("k"))
                .orderBy("n", "d", "eta", "optimizer", "m").collectAsList();
        Map<String, List<Row>> byGroup = new LinkedHashMap<>();
        for (Row r : rows) {
            byGroup.computeIfAbsent("n=" + r.getAs("n") + " d=" + r.getAs("d") + " " + r.getAs("optimizer"), k -> new ArrayList<>()).add(r);
        }
        if (byGroup.values().stream().noneMatch(g -> g.size() > 1)) {
            return;
        }
        Chart chart = new Chart("Margin estimates against width (paper 001 Figure 1)", "width m", "γ (mean over seeds ± 2 standard errors)", true, true);
        int g = 0;
        for (Map.Entry<String, List<Row>> e : byGroup.entrySet()) {
            if (g++ >= ReportWriter.MAX_GROUPS) {
                break;
            }
            double[] m = Format.column(e.getValue(), "m");
            for (String[] which : new String[][] {{"a", "γ_a"}, {"c", "γ_c"}, {"g", "γ"}}) {
                double[] mean = Format.column(e.getValue(), which[0]);
                double[] lo = new double[mean.length];
                double[] hi = new double[mean.length];
                for (int i = 0; i < mean.length; i++) {
                    Row r = e.getValue().get(i);
                    Object sd = r.getAs(which[0] + "_sd");
                    long k = r.getAs("k");
                    double half = sd == null || k < 2 ? 0 : 2 * ((Double) sd) / Math.sqrt(k);
                    lo[i] = mean[i] - half;
                    hi[i] = mean[i] + half;
                }
                chart.line(which[1] + ", " + e.getKey(), m, mean);
                chart.intervals(m, lo, hi, chart.lastColor());
            }
        }
        sink.save(chart, "Paper figures", "margins_vs_m.png",
                "Paper 001 Figure 1: the reference-network margin estimates γ_a, γ_c and γ = γ_a + γ_c against the width, mean over seeds ± 2 standard errors.");
    }
}

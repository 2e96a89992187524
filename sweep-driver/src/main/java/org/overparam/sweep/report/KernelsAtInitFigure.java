package org.overparam.sweep.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.percentile_approx;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * λmin of H(0), V(0), G(0) against the width with their infinite-width values (theory.md §1–2), one chart
 * per data set when there are several; drawn when the trials measured kernels ({@code instruments.kernels}).
 */
final class KernelsAtInitFigure implements ReportFigure {
    @Override
    public void draw(Dataset<Row> trials, Dataset<Row> curves, FigureSink sink) throws IOException {
        List<Row> rows = trials.filter(col("lambda_min_h0").isNotNull())
                .groupBy("model", "n", "d", "m")
                .agg(percentile_approx(col("lambda_min_v0"), lit(0.5), lit(1000)).as("v0"),
                        percentile_approx(col("lambda_min_h0"), lit(0.5), lit(1000)).as("h0"),
                        percentile_approx(col("lambda_min_g0"), lit(0.5), lit(1000)).as("g0"),
                        percentile_approx(col("lambda0_inf"), lit(0.5), lit(1000)).as("v_inf"),
                        percentile_approx(col("lambda_min_h_inf"), lit(0.5), lit(1000)).as("h_inf"),
                        percentile_approx(col("mu0_inf"), lit(0.5), lit(1000)).as("g_inf"))
                .orderBy("model", "n", "d", "m").collectAsList();
        if (rows.isEmpty()) {
            return;
        }
        Map<String, List<Row>> bySeries = new LinkedHashMap<>();
        for (Row r : rows) {
            bySeries.computeIfAbsent(r.getAs("model") + ", n=" + r.getAs("n") + ", d=" + r.getAs("d"), k -> new ArrayList<>()).add(r);
        }
        // One chart for one data set; with several, one chart each (six lines per data set are enough).
        boolean split = bySeries.size() > 1;
        String title = "Kernels at init approach their infinite-width limits";
        String caption = "Smallest eigenvalues of H(0), V(0), G(0) against the width, with the infinite-width values (dashed, same colour):"
                + " they depend on the data only.";
        Chart chart = null;
        float[] dash = {8f, 6f};
        for (Map.Entry<String, List<Row>> e : bySeries.entrySet()) {
            if (chart == null || split) {
                chart = new Chart(title + (split ? ", " + e.getKey() : ""), "width m", "smallest eigenvalue (median over trials)", true, true);
            }
            String key = split ? "" : ", " + e.getKey();
            List<Row> rs = e.getValue();
            double[] m = Format.column(rs, "m");
            chart.line("λmin H(0)" + key, m, Format.column(rs, "h0"));
            chart.reference("λmin H∞" + key, m, Format.column(rs, "h_inf"), chart.lastColor(), dash);
            double[][] v = Format.nonNull(rs, "v0", "m");
            if (chart.line("λmin V(0)" + key, v[0], v[1])) {
                chart.reference("λ0 = λmin V∞" + key, v[0], Format.nonNull(rs, "v_inf", "m")[1], chart.lastColor(), dash);
                double[][] g = Format.nonNull(rs, "g0", "m");
                chart.line("λmin G(0)" + key, g[0], g[1]);
                chart.reference("μ0 = λmin G∞" + key, g[0], Format.nonNull(rs, "g_inf", "m")[1], chart.lastColor(), dash);
            }
            if (split) {
                Row r0 = rs.get(0);
                sink.save(chart, "Theory: kernels", "kernels_at_init_vs_m_" + r0.getAs("model") + "_n" + r0.getAs("n") + "_d" + r0.getAs("d") + ".png", caption);
            }
        }
        if (!split) {
            sink.save(chart, "Theory: kernels", "kernels_at_init_vs_m.png", caption);
        }
    }
}

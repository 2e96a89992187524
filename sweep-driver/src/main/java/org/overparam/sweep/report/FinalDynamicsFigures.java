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
 * Final flipped activations and largest weight movement against the width, one line per group (Du et al.
 * Fig. 1b–c at the end of training); drawn when the trials measured them.
 */
final class FinalDynamicsFigures implements ReportFigure {
    @Override
    public void draw(Dataset<Row> trials, Dataset<Row> curves, FigureSink sink) throws IOException {
        List<Row> rows = trials.filter(col("act_flip_frac").isNotNull())
                .groupBy("model", "alpha", "n", "d", "eta", "m")
                .agg(percentile_approx(col("act_flip_frac"), lit(0.5), lit(1000)).as("flips"),
                        percentile_approx(col("max_move_w"), lit(0.5), lit(1000)).as("move"))
                .orderBy("model", "alpha", "n", "d", "eta", "m").collectAsList();
        if (rows.isEmpty()) {
            return;
        }
        Map<String, List<Row>> byGroup = new LinkedHashMap<>();
        for (Row r : rows) {
            byGroup.computeIfAbsent(Format.groupTitle(r), k -> new ArrayList<>()).add(r);
        }
        Chart flips = new Chart("Flipped activations at the end of training", "width m", "fraction flipped (median over seeds)", true, true);
        Chart move = new Chart("Largest weight movement at the end of training", "width m", "max_k ‖w_k − w_k(0)‖ (median over seeds)", true, true);
        int n = 0;
        for (Map.Entry<String, List<Row>> e : byGroup.entrySet()) {
            if (n++ >= ReportWriter.MAX_GROUPS) {
                break;
            }
            double[] m = Format.column(e.getValue(), "m");
            flips.line(e.getKey(), m, Format.column(e.getValue(), "flips"));
            move.line(e.getKey(), m, Format.column(e.getValue(), "move"));
        }
        sink.save(flips, "Training dynamics against width", "final_flips_vs_m.png",
                "Wider nets change fewer activation patterns (lazy training): the final flipped fraction against m.");
        sink.save(move, "Training dynamics against width", "final_move_vs_m.png",
                "Wider nets move their weights less: the final largest movement against m.");
    }
}
